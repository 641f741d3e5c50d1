"""Every fixture expectation marked ``"rustc": true`` is what the rustc on this machine says:
same message, same severity, same primary span; and rustc says nothing else.  An expectation
marked ``"rustc": "message"`` (assembler errors, which asm-ls places on the exact instruction
where rustc underlines the whole template line) must match rustc's message, severity and line."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import oracle
from fixture_cases import Case, load_cases

CASES = load_cases()
pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def rustc_results() -> dict[str, list[dict]]:
    reason = oracle.available()
    if reason is not None:
        pytest.skip(reason)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda case: oracle.rustc_diagnostics(case, case.emit), CASES)
        return {case.id: result for case, result in zip(CASES, results)}


def _key(entry: dict, exact: bool = True) -> tuple:
    where = tuple(entry["range"]) if exact else (entry["range"][0],)
    return (entry["severity"], entry["message"], where)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_expectation_is_rustcs(case: Case, rustc_results: dict[str, list[dict]]) -> None:
    rustc = rustc_results[case.id]
    line_only = [entry for entry in case.expected if entry.get("rustc") == "message"]
    exact = [entry for entry in case.expected if entry.get("rustc") is True]
    rustc_line_only = [entry for entry in rustc if _key(entry, False) in {_key(e, False) for e in line_only}]
    rustc_exact = [entry for entry in rustc if entry not in rustc_line_only]
    assert sorted(_key(entry, False) for entry in rustc_line_only) == sorted(_key(entry, False) for entry in line_only)
    assert sorted(_key(entry) for entry in rustc_exact) == sorted(_key(entry) for entry in exact)
