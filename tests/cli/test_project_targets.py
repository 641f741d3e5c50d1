"""`asm-ls check` with no settings checks each crate for the targets its own files name, says which, and lets a
guessed target silence findings but never create them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_harness import run, write

CSR = 'use core::arch::asm;\npub fn hart() -> usize {\n    let id: usize;\n    unsafe { asm!("csrr {0}, mhartid", out(reg) id) };\n    id\n}\n'
ADDD = 'pub fn bump(mut x: u64) -> u64 {\n    unsafe { asm!("addd {0}, 5", inout(reg) x) };\n    x\n}\n'
GUESS_NOTE = ("checked as written for `riscv32`: this block does not assemble for `x86_64-unknown-linux-gnu`, a target "
              "asm-ls guessed (no `#[cfg]`, setting or project file says which targets build it)")
needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")


def _crate(root: Path, lib: str, **files: str) -> Path:
    write(root / "Cargo.toml", '[package]\nname = "p"\n')
    write(root / "src" / "lib.rs", lib)
    for name, text in files.items():
        write(root / name.replace("__", "/"), text)
    return root


def test_cargo_build_target_is_checked_with_certainty(tmp_path: Path) -> None:
    crate = _crate(tmp_path, 'use core::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("nop", in("rbx") x);\n}\n',
                   **{".cargo__config.toml": '[build]\ntarget = "aarch64-unknown-none"\n'})
    result = run(".", "--no-assemble", cwd=crate)
    assert (result.returncode, result.stdout) == (1, (
        "error[unknown-register]: invalid register `rbx`: unknown register\n"
        " --> src/lib.rs:3:17 (target: aarch64)\n"
        "  |\n"
        '3 |     asm!("nop", in("rbx") x);\n'
        "  |                 ^^^^^^^^^^^\n"
        "\n"
        "checked 1 file for aarch64-unknown-none (.cargo/config.toml): 1 error\n"))


@needs_rustc
def test_a_guessed_host_silences_foreign_blocks_and_keeps_its_own_mistakes(tmp_path: Path) -> None:
    crate = _crate(tmp_path, CSR + ADDD)
    result = run(".", cwd=crate)
    assert (result.returncode, result.stdout) == (1, (
        f"info[assumed-architecture]: {GUESS_NOTE}\n"
        " --> src/lib.rs:4:14 (target: riscv32)\n"
        "  |\n"
        '4 |     unsafe { asm!("csrr {0}, mhartid", out(reg) id) };\n'
        "  |              ^^^^\n"
        "\n"
        "error[assembler-error]: invalid instruction mnemonic 'addd'\n"
        " --> src/lib.rs:8:20 (target: x86_64)\n"
        "  |\n"
        '8 |     unsafe { asm!("addd {0}, 5", inout(reg) x) };\n'
        "  |                    ^^^^\n"
        "\n"
        "checked 1 file for x86_64-unknown-linux-gnu (host default): 1 error, 1 information\n"))


@needs_rustc
def test_a_named_target_asserts_what_a_guess_would_silence(tmp_path: Path) -> None:
    crate = _crate(tmp_path, CSR)
    result = run(".", "--target", "x86_64-unknown-linux-gnu", "--format", "json", cwd=crate)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if '"message"' in line] == \
        ["          \"message\": \"invalid instruction mnemonic 'csrr'\","]


def test_a_pinned_toolchain_does_not_get_rules_it_did_not_have(tmp_path: Path) -> None:
    naked = ('#![feature(naked_functions)]\nuse core::arch::asm;\n#[naked]\npub unsafe extern "C" fn f() {\n'
             '    asm!("ret", options(noreturn));\n}\n')
    crate = _crate(tmp_path, naked)
    unpinned = run(".", "--no-assemble", "--format", "github", cwd=crate)
    assert unpinned.stdout.splitlines()[0] == (
        "::error file=src/lib.rs,line=5,col=5,endLine=5,endColumn=35,title=asm-ls(asm-in-naked-function)::"
        "the `asm!` macro is not allowed in naked functions")
    write(crate / "rust-toolchain.toml", '[toolchain]\nchannel = "nightly-2023-10-27"\n')
    pinned = run(".", "--no-assemble", cwd=crate)
    assert (pinned.returncode, pinned.stdout) == \
        (0, "checked 1 file for x86_64-unknown-linux-gnu (host default): no problems\n")


@needs_rustc
def test_one_mistake_under_two_targets_is_one_finding_naming_both(tmp_path: Path) -> None:
    write(tmp_path / "lib.rs", 'use core::arch::asm;\npub fn f(mut x: u64) -> u64 {\n'
                               '    unsafe { asm!("xorr {0}, {0}", inout(reg) x) };\n    x\n}\n')
    result = run("lib.rs", "--target", "x86_64-unknown-linux-gnu", "--target", "aarch64-unknown-linux-gnu",
                 cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, (
        "error[assembler-error]: invalid instruction mnemonic 'xorr'\n"
        " --> lib.rs:3:20 (target: x86_64, aarch64)\n"
        "  |\n"
        '3 |     unsafe { asm!("xorr {0}, {0}", inout(reg) x) };\n'
        "  |                    ^^^^\n"
        "  = note: for `aarch64`: unrecognized instruction mnemonic, did you mean: orr?\n"
        "\n"
        "checked 1 file for x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu (settings): 1 error\n"))
