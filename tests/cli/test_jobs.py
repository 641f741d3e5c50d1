"""`--jobs`: checking in worker processes gives exactly what checking in one process gives,
including what other files say about a file (its ``mod`` declaration's ``#[cfg]``), and a file
named alone (as pre-commit does) still gets its context from the files that declare it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_harness import BROKEN, ROOT, X86, run, write

LIB = 'use std::arch::asm;\n#[cfg(target_arch = "aarch64")]\nmod imp;\nmod other;\n'
IMP = 'pub unsafe fn f(x: u64) {\n    core::arch::asm!("/* {} */", in(reg) x, in("x29") x);\n}\n'
IMP_FINDING = ("::error file={},line=2,col=45,endLine=2,endColumn=56,title=asm-ls(reserved-register)::invalid "
               "register `x29`: the frame pointer cannot be used as an operand for inline asm%0A(target: aarch64)")


def crate(tmp_path: Path) -> Path:
    write(tmp_path / "Cargo.toml", '[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n')
    write(tmp_path / "src" / "lib.rs", LIB)
    write(tmp_path / "src" / "imp.rs", IMP)
    write(tmp_path / "src" / "other.rs", BROKEN)
    for number in range(12):
        write(tmp_path / "src" / f"plain{number:02}.rs", "pub fn f() {}\n")
    return tmp_path


@pytest.mark.parametrize("output_format", ["human", "json", "sarif", "github"])
def test_workers_match_one_process(tmp_path: Path, output_format: str) -> None:
    crate(tmp_path)
    one = run(".", "--no-assemble", *X86, "--format", output_format, "--jobs", "1", cwd=tmp_path)
    two = run(".", "--no-assemble", *X86, "--format", output_format, "--jobs", "2", cwd=tmp_path)
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)
    assert one.returncode == 1


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_module_cfg_chain_across_files(tmp_path: Path, jobs: str) -> None:
    crate(tmp_path)
    result = run(".", "--no-assemble", *X86, "--format", "github", "--quiet", "--jobs", jobs, cwd=tmp_path)
    assert result.stdout.splitlines()[0] == IMP_FINDING.format(Path("src/imp.rs"))
    assert len(result.stdout.splitlines()) == 2      # and src/other.rs's unused argument


def test_a_file_named_alone_finds_its_declaration(tmp_path: Path) -> None:
    crate(tmp_path)
    result = run("src/imp.rs", "--no-assemble", *X86, "--format", "github", "--quiet", cwd=tmp_path)
    assert result.stdout.splitlines() == [IMP_FINDING.format(Path("src/imp.rs"))]


def test_examples_in_workers_match_one_process() -> None:
    one = run("examples", "--no-assemble", "--format", "json", "--jobs", "1", cwd=ROOT)
    two = run("examples", "--no-assemble", "--format", "json", "--jobs", "2", cwd=ROOT)
    assert one.stdout == two.stdout and one.returncode == two.returncode == 1


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_jobs_must_be_positive(value: str) -> None:
    result = run(".", "--jobs", value)
    assert result.returncode == 2
    assert f"argument --jobs/-j: must be a positive number, not '{value}'" in result.stderr
