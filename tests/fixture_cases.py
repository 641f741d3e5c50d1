"""Loads the fixture cases under tests/fixtures: a Rust file and its expected diagnostics."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT_TARGET = "x86_64-unknown-linux-gnu"
ORACLE = Path(__file__).resolve().parents[2] / "shared" / "oracle" / "rustc-asm-oracle"


@dataclass
class Case:
    path: Path
    target: str
    expected: list[dict]

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def _target_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//@"):
            break
        key, _, value = line[3:].partition(":")
        if key.strip() == "target":
            return value.strip()
    return DEFAULT_TARGET


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*.rs")):
        expected_path = path.with_suffix(".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        cases.append(Case(path, _target_of(path), expected))
    return cases
