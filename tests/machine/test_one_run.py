"""One rustc run per file and target: the assembler's run also gives the contract analysis and hover their machine
code (asm_ls/machine/decoded.py).  rustc is wrapped by a script that logs each of its invocations."""

from __future__ import annotations

import pytest

from asm_ls.analysis import analyze
from asm_ls.ide.hover import hover
from asm_ls.machine import decoded
from asm_ls.machine.cache import CACHE
from asm_ls.machine.findings import KEPT
from asm_ls.machine.instructions import block_instructions
from machine_helpers import rustc_missing, settings, source

pytestmark = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")

# Blocks for two targets: x86_64 (one with a contract finding, one under a function whose target feature changes
# the features of the whole run, a global_asm!) and aarch64.
TEXT = """#![allow(unused)]
use core::arch::asm;

#[cfg(target_arch = "x86_64")]
pub unsafe fn ticks() -> u64 {
    let low: u64;
    asm!("rdtsc", out("eax") low, options(nomem, nostack));
    low
}

#[cfg(target_arch = "x86_64")]
pub unsafe fn add(mut x: u64) -> u64 {
    asm!("add {0}, 41", inout(reg) x, options(pure, nomem, nostack));
    x
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub unsafe fn wide() {
    asm!("vpaddd ymm0, ymm1, ymm1", out("ymm0") _, options(nomem, nostack));
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(".globl one_run_entry", "one_run_entry:", "    mov eax, 7", "    ret");

#[cfg(target_arch = "aarch64")]
pub unsafe fn load(p: *const u64) -> u64 {
    let v: u64;
    asm!("ldr {v}, [{p}, #24]", v = out(reg) v, p = in(reg) p, options(readonly, nostack));
    v
}
"""
BOTH = ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")


@pytest.fixture(autouse=True)
def cold_caches():
    CACHE.clear()
    KEPT.clear()
    decoded._CACHE.clear()
    decoded._GENERATED.clear()
    yield
    CACHE.clear()
    KEPT.clear()
    decoded._CACHE.clear()
    decoded._GENERATED.clear()


@pytest.fixture
def logged_rustc(tmp_path):
    """(a rustc that logs its arguments, the objects compiled so far: one list of arguments per `--emit=obj` run)."""
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "rustc"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec rustc "$@"\n')
    wrapper.chmod(0o755)

    def runs() -> list[str]:
        lines = log.read_text().splitlines() if log.exists() else []
        return [line for line in lines if "--emit=obj" in line]
    return str(wrapper), runs


def _target_of(run: str) -> str:
    words = run.split()
    return words[words.index("--target") + 1]


def test_one_run_per_file_and_target_with_the_contract_findings(logged_rustc):
    rustc, runs = logged_rustc
    src = source(TEXT)
    result = analyze(src, settings(*BOTH, assemble=True, rustc=rustc))
    assert sorted(_target_of(run) for run in runs()) == sorted(BOTH)
    assert [(d.code, d.message, src.text(d.start, d.end), d.target) for d in result.diagnostics] == [
        ("undeclared-clobber", "`rdtsc` writes `rdx`, which is not declared as an output or clobber", "rdtsc",
         "x86_64")]


def test_hover_after_the_assembler_runs_no_rustc(logged_rustc):
    rustc, runs = logged_rustc
    src = source(TEXT)
    config = settings(*BOTH, assemble=True, rustc=rustc)
    result = analyze(src, config)
    assembled = len(runs())
    shown = {}
    for needle in ("add {0}", "vpaddd", "mov eax", "ldr"):
        found = hover(result.model, TEXT.index(needle) + 1, config, block_instructions)
        shown[needle] = [line for line in found.markdown.split("\n\n") if line.startswith(("Assembles", "Encoding"))]
    assert shown == {"add {0}": ["Assembles to `add rax, 0x29`.", "Encoding: `48 83 c0 29` (4 bytes)."],
                     "vpaddd": ["Encoding: `c5 f5 fe c1` (4 bytes)."],
                     "mov eax": ["Encoding: `b8 07 00 00 00` (5 bytes)."],
                     "ldr": ["Assembles to `ldr x0, [x1, #0x18]`.", "Encoding: `20 0c 40 f9` (4 bytes)."]}
    assert len(runs()) == assembled == 2
    # With the assembled instruction, its own implicit registers are shown, not the documentation's list as well.
    found = hover(result.model, TEXT.index("rdtsc") + 1, config, block_instructions).markdown.split("\n\n")
    assert [line for line in found if "mplicit" in line] == ["Writes `rax` (implicit), `rdx` (implicit)."]


def test_a_failing_block_costs_one_more_run_for_the_clean_ones(logged_rustc):
    rustc, runs = logged_rustc
    text = TEXT.replace('asm!("add {0}, 41"', 'asm!("addd {0}, 41"')
    src = source(text)
    result = analyze(src, settings("x86_64-unknown-linux-gnu", assemble=True, rustc=rustc))
    # No object from the failed x86_64 run: the contract analysis assembles the clean blocks again.
    assert sorted(_target_of(run) for run in runs()) == [
        "aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"]
    assert [(d.code, src.text(d.start, d.end)) for d in result.diagnostics] == [
        ("undeclared-clobber", "rdtsc"), ("assembler-error", "addd")]
