"""Runs the rustc oracle (../shared/oracle/rustc-asm-oracle) on a fixture and returns rustc's
diagnostics in the fixtures' shape."""

from __future__ import annotations

import json
import shutil
import subprocess

from fixture_cases import ORACLE, Case


def available() -> str | None:
    """None when the oracle can run here, else the reason it cannot."""
    if shutil.which("rustc") is None:
        return "rustc is not on PATH"
    if not ORACLE.exists():
        return f"the oracle script is not at {ORACLE}"
    return None


def rustc_diagnostics(case: Case, emit: str = "metadata") -> list[dict]:
    command = [str(ORACLE), str(case.path), "--emit", emit, "--target", case.target]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    found = []
    for line in result.stdout.splitlines():
        entry = json.loads(line)
        found.append({"severity": entry["level"], "message": entry["message"],
                      "range": [entry["line"] - 1, entry["col"] - 1, entry["end_line"] - 1, entry["end_col"] - 1]})
    return found
