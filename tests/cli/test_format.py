"""``asm-ls format`` as a user runs it: files rewritten in place, ``--check`` and ``--diff`` (exit 1 when a file
would change, the files named), blocks left as written named with why, usage errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_harness import X86, asm_ls, write

needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="no rustc on PATH")

UNFORMATTED = 'use std::arch::asm;\npub unsafe fn f() {\n    asm!("mov  eax,1\\n  nop", out("eax") _);\n}\n'
FORMATTED = 'use std::arch::asm;\npub unsafe fn f() {\n    asm!("mov eax, 1",\n         "nop", out("eax") _);\n}\n'
BOGUS = 'use std::arch::asm;\npub unsafe fn g() {\n    asm!("bogus  eax,1");\n}\n'
PLAIN = "pub fn h() {}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "src" / "a.rs", UNFORMATTED)
    write(tmp_path / "src" / "b.rs", BOGUS)
    write(tmp_path / "src" / "c.rs", PLAIN)
    return tmp_path


@needs_rustc
def test_format_rewrites_files(project: Path) -> None:
    result = asm_ls("format", "src", *X86, cwd=project)
    assert (result.returncode, result.stdout) == (0, "1 file reformatted, 2 files left unchanged\n")
    assert result.stderr == ("src/b.rs:3:5: `asm!` left as written: it does not assemble (invalid instruction "
                             "mnemonic 'bogus')\n")
    assert (project / "src" / "a.rs").read_text() == FORMATTED
    assert (project / "src" / "b.rs").read_text() == BOGUS
    again = asm_ls("format", "src", "--check", *X86, "--quiet", cwd=project)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


@needs_rustc
def test_check_lists_the_files_and_exits_1(project: Path) -> None:
    result = asm_ls("format", "--check", "src", *X86, cwd=project)
    assert result.returncode == 1
    assert result.stdout == "Would reformat: src/a.rs\n1 file would be reformatted, 2 files already formatted\n"
    assert "src/b.rs:3:5: `asm!` left as written" in result.stderr
    assert (project / "src" / "a.rs").read_text() == UNFORMATTED


@needs_rustc
def test_diff_prints_a_unified_diff_and_exits_1(project: Path) -> None:
    result = asm_ls("format", "src/a.rs", "--diff", *X86, cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "--- src/a.rs\n+++ src/a.rs\n@@ -1,4 +1,5 @@\n use std::arch::asm;\n pub unsafe fn f() {\n"
        '-    asm!("mov  eax,1\\n  nop", out("eax") _);\n+    asm!("mov eax, 1",\n+         "nop", out("eax") _);\n'
        " }\n")
    assert result.stderr == "1 file would be reformatted, 0 files already formatted\n"
    assert (project / "src" / "a.rs").read_text() == UNFORMATTED


def test_without_rustc_nothing_changes_and_the_reason_is_given(project: Path) -> None:
    result = asm_ls("format", "--check", "src/a.rs", *X86, "--rustc", "/nonexistent/rustc", cwd=project)
    assert (result.returncode, result.stdout) == (0, "0 files would be reformatted, 1 file already formatted\n")
    assert result.stderr == ("src/a.rs:3:5: `asm!` left as written: `/nonexistent/rustc` was not found, so the "
                             "assembled bytes cannot be compared\n")


def test_missing_path_is_a_usage_problem(project: Path) -> None:
    result = asm_ls("format", "--check", "nowhere.rs", cwd=project)
    assert result.returncode == 2
    assert "asm-ls: nowhere.rs: no such file or directory" in result.stderr


def test_help_names_the_command() -> None:
    result = asm_ls("format", "--help")
    assert result.returncode == 0 and "usage: asm-ls format" in result.stdout and "--diff" in result.stdout
