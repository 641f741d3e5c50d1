"""The registry of diagnostic codes, loaded from ``codes.toml`` beside this module: severity,
summary, whether the diagnostic mirrors rustc, the Rust reference section, and the per-code
documentation that ``docs/diagnostics.md`` is generated from."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

SEVERITIES = ("error", "warning", "information", "hint")


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    summary: str
    rustc: bool
    group: str
    reference: str = ""
    what: str = ""
    why: str = ""
    example: str = ""
    fix: str = ""
    fix_safety: str = ""
    lint: str = ""          # the rustc lint it mirrors (its level follows #[allow]/#[warn]/#[deny])
    late: bool = False      # rustc runs it only on crates without errors
    since_version: str = ""     # the rustc release that added the rule (a project pinning an older one: silent)
    since_nightly: str = ""     # the first nightly with it (YYYY-MM-DD)


@functools.lru_cache(maxsize=1)
def registry() -> dict[str, Code]:
    text = resources.files("asm_ls.diagnostics").joinpath("codes.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {name: Code(code=name, **fields) for name, fields in data.items()}


def severity_of(code: str) -> str:
    entry = registry().get(code)
    return entry.severity if entry else "error"
