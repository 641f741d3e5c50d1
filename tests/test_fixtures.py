"""Every fixture gives exactly its expected diagnostics: code, severity, message and range."""

from __future__ import annotations

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile
from fixture_cases import Case, load_cases

CASES = load_cases()


def actual_diagnostics(case: Case) -> list[dict]:
    source = SourceFile(case.path.read_bytes(), str(case.path))
    settings = Settings(targets=[parse_target(case.target)])
    if case.assemble:
        settings.assemble = True
    result = analyze(source, settings)
    out = []
    for diagnostic in result.diagnostics:
        range_ = source.range(diagnostic.start, diagnostic.end)
        out.append({"code": diagnostic.code, "severity": diagnostic.severity, "message": diagnostic.message,
                    "range": range_.as_list()})
    return out


def _key(entry: dict) -> tuple:
    return (entry["range"], entry["code"], entry["message"])


def _strip(expected: list[dict]) -> list[dict]:
    return [{key: entry[key] for key in ("code", "severity", "message", "range")} for entry in expected]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fixture(case: Case) -> None:
    """Diagnostics come out sorted by position; several on one range may come in any order."""
    actual = actual_diagnostics(case)
    assert [d["range"] for d in actual] == sorted(d["range"] for d in actual)
    assert sorted(actual, key=_key) == sorted(_strip(case.expected), key=_key)


def test_fixtures_exist() -> None:
    assert len(CASES) >= 100
