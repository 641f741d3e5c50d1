"""The real-bug benchmark (tests/benchmarks/contract_bugs/run.py) kept runnable: its manifest and cases are
consistent, and the runner checks one pair end to end.  What asm-ls finds is printed, never asserted."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).parent / "contract_bugs" / "run.py"
MARK = "// <- contract bug"


def load_runner():
    spec = importlib.util.spec_from_file_location("contract_bugs_run", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


run = load_runner()


def test_every_case_has_both_files_and_marks_its_buggy_lines():
    manifest = run.load_manifest()
    ids = [case["id"] for case in manifest["bugs"]]
    assert len(ids) == len(set(ids)) >= 40
    assert set(manifest["held_out"]) <= set(ids)
    for case in manifest["bugs"]:
        bug = run.case_file(case, "bug").read_text().splitlines()
        marked = [number for number, line in enumerate(bug, 1) if MARK in line]
        assert marked == case["lines"], case["id"]
        assert MARK not in run.case_file(case, "fix").read_text(), case["id"]
        assert case["source"].startswith("https://github.com/"), case["id"]


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_the_runner_checks_one_pair_and_prints_its_tables(capsys):
    case = next(c for c in run.load_manifest()["bugs"] if c["id"] == "x86_64-syscall-rcx-r11")
    assert run.main(["--only", case["id"]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "tuning set (1 bugs)"
    assert lines[2].split()[0] == "x86_64" and lines[2].split()[2:3] == ["/"]
    assert lines[3].split()[0] == "total"
