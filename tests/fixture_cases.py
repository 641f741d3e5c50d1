"""Loads the fixture cases under tests/fixtures: a Rust file and its expected diagnostics."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DEFAULT_TARGET = "x86_64-unknown-linux-gnu"


@dataclass
class Case:
    """A fixture.  Header lines (``//@ key: value``) at the top: ``target`` (default
    x86_64-unknown-linux-gnu) and ``assemble`` (run the assembler-backed checks; the oracle
    then compiles with ``--emit obj``)."""

    path: Path
    target: str
    expected: list[dict]
    assemble: bool = False

    @property
    def emit(self) -> str:
        return "obj" if self.assemble else "metadata"

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def _headers(path: Path) -> dict[str, str]:
    headers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//@"):
            break
        key, _, value = line[3:].partition(":")
        headers[key.strip()] = value.strip()
    return headers


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*.rs")):
        expected_path = path.with_suffix(".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        headers = _headers(path)
        cases.append(Case(path, headers.get("target", DEFAULT_TARGET), expected, "assemble" in headers))
    return cases
