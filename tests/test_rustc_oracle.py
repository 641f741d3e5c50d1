"""The repository's rustc oracle (tests/oracle/rustc_oracle.py) run as a script: its output, its
exit status, and line numbers kept on a target without std."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import oracle

SCRIPT = Path(__file__).parent / "oracle" / "rustc_oracle.py"
pytestmark = pytest.mark.oracle


@pytest.fixture(autouse=True)
def _needs_rustc() -> None:
    reason = oracle.available()
    if reason is not None:
        pytest.skip(reason)


def _oracle(path: Path, *args: str) -> tuple[int, list[dict]]:
    result = subprocess.run([sys.executable, str(SCRIPT), str(path), *args], capture_output=True, text=True,
                            timeout=120)
    return result.returncode, [json.loads(line) for line in result.stdout.splitlines()]


def test_host_file_compiled_as_written(tmp_path: Path) -> None:
    source = tmp_path / "host.rs"
    source.write_text('use std::arch::asm;\npub fn f() {\n    asm!("nop");\n}\n', encoding="utf-8")
    assert _oracle(source, "--emit", "metadata") == (1, [{
        "level": "error", "message": "use of inline assembly is unsafe and requires unsafe function or block",
        "code": "E0133", "line": 3, "col": 5, "end_line": 3, "end_col": 16}])


def test_other_target_without_std_keeps_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "cross.rs"
    source.write_text('#[no_mangle]\npub unsafe extern "C" fn f(x: u64) {\n    asm!("mov {0}, {0}", in(reg) x);\n'
                      '    asm!("bogus {0}", in(reg) x);\n}\n', encoding="utf-8")
    assert _oracle(source, "--target", "aarch64-unknown-linux-gnu", "--emit", "metadata") == (0, [])
    assert _oracle(source, "--target", "aarch64-unknown-linux-gnu") == (1, [{
        "level": "error", "message": "unrecognized instruction mnemonic", "code": None,
        "line": 4, "col": 11, "end_line": 4, "end_col": 20}])
