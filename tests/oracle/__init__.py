"""The repository's rustc oracle (:mod:`oracle.rustc_oracle`) and its use by the fixture tests:
whether it can run here, and rustc's diagnostics on a fixture in the fixtures' shape."""

from __future__ import annotations

import shutil

from fixture_cases import Case
from oracle.rustc_oracle import check


def available() -> str | None:
    """None when the oracle can run here, else the reason it cannot."""
    if shutil.which("rustc") is None:
        return "rustc is not on PATH"
    return None


def rustc_diagnostics(case: Case, emit: str = "metadata") -> list[dict]:
    found = []
    for entry in check(case.path, case.target, emit).diagnostics:
        found.append({"severity": entry["level"], "message": entry["message"],
                      "range": [entry["line"] - 1, entry["col"] - 1, entry["end_line"] - 1, entry["end_col"] - 1]})
    return found
