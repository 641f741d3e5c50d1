"""Every fixture expectation marked ``"rustc": true`` is what the rustc on this machine says:
same message, same severity, same primary span; and rustc says nothing else."""

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
        results = pool.map(oracle.rustc_diagnostics, CASES)
        return {case.id: result for case, result in zip(CASES, results)}


def _key(entry: dict) -> tuple:
    return (entry["severity"], entry["message"], tuple(entry["range"]))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_expectation_is_rustcs(case: Case, rustc_results: dict[str, list[dict]]) -> None:
    mirrored = sorted(_key(entry) for entry in case.expected if entry.get("rustc"))
    assert sorted(_key(entry) for entry in rustc_results[case.id]) == mirrored
