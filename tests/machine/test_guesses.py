"""A guess may silence a finding, never create one: blocks under guessed configurations (targets a project only
lists, custom cfgs, the host default) against the assembler."""

from __future__ import annotations

import pytest

from asm_ls.analysis import FileContext, Settings, analyze
from asm_ls.model.project_build import ProjectBuild
from asm_ls.model.target import parse_target
from machine_helpers import rustc_missing, source

pytestmark = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")

V6M, V7EM = parse_target("thumbv6m-none-eabi"), parse_target("thumbv7em-none-eabihf")
BASEPRI = ('use core::arch::asm;\npub fn basepri() -> u32 {\n    let x: u32;\n'
           '    unsafe { asm!("mrs {0}, BASEPRI", out(reg) x) };\n    x\n}\n')


def _found(text: str, build: ProjectBuild | None = None, *targets: str) -> list[tuple]:
    src = source(text)
    settings = Settings(targets=[parse_target(t) for t in targets], assemble=True) if targets else \
        Settings(assemble=True)
    result = analyze(src, settings, FileContext(build=build, crate_features={}))
    return [(d.code, d.severity, d.message, src.text(d.start, d.end), d.target) for d in result.diagnostics]


def test_a_block_one_listed_target_builds_is_not_reported_for_another() -> None:
    # BASEPRI exists on ARMv7-M, not on ARMv6-M: a project listing both builds the block for the first.
    listed = ProjectBuild((V6M, V7EM), "/p/rust-toolchain.toml", None, False)
    assert _found(BASEPRI, listed) == []


def test_a_target_every_block_is_built_for_reports_it() -> None:
    every = ProjectBuild((V6M,), "/p/.cargo/config.toml", None, True)
    assert _found(BASEPRI, every) == [("assembler-error", "error", "invalid operand for instruction", "BASEPRI", "arm")]


def test_a_symbol_defined_under_two_exclusive_custom_cfgs_is_no_finding() -> None:
    text = ('use core::arch::global_asm;\n#[cfg(armv6m)]\nglobal_asm!(".globl Handler", "Handler:", "bx lr");\n'
            '#[cfg(armv7m)]\nglobal_asm!(".globl Handler", "Handler:", "bx lr");\n')
    assert _found(text, None, "thumbv7em-none-eabihf") == []
    twice = text.replace("#[cfg(armv6m)]\n", "").replace("#[cfg(armv7m)]\n", "")
    assert [(code, message, target) for code, _, message, _, target in _found(twice, None, "thumbv7em-none-eabihf")] \
        == [("assembler-error", "symbol 'Handler' is already defined", "arm")]


def test_an_instruction_that_needs_a_feature_fits_its_architecture() -> None:
    note = ("checked as written for `riscv32`: this block does not assemble for `x86_64-unknown-linux-gnu`, a target "
            "asm-ls guessed (no `#[cfg]`, setting or project file says which targets build it)")
    text = 'pub fn fence() {\n    unsafe { core::arch::asm!("hfence.gvma") };\n}\n'
    assert _found(text) == [("assumed-architecture", "information", note, "core::arch::asm!", "riscv32")]


def test_a_block_asm_ls_had_to_change_gets_no_assembler_errors() -> None:
    text = ('core::arch::global_asm!(\n    ".altmacro",\n    ".macro SAVE n",\n    "sd x\\\\n, \\\\n*8(sp)",\n'
            '    ".endm",\n    "SAVE 1",\n);\n')
    found = [(code, text) for code, _, _, text, _ in _found(text, None, "riscv64gc-unknown-linux-gnu")]
    assert found == [("assembler-directive-refused", ".altmacro"), ("unsupported-directive", ".altmacro"),
                     ("unsupported-directive", ".macro"), ("unsupported-directive", ".endm")]


def test_a_crate_that_enables_experimental_architectures_keeps_blocks_no_stable_one_fits() -> None:
    from asm_ls.syntax.cfg import Cfg
    text = 'pub fn ccompare() -> usize {\n    let x: usize;\n    unsafe { core::arch::asm!("rsr.ccompare0 {0}", out(reg) x) };\n    x\n}\n'
    src = source(text)
    plain = analyze(src, Settings(assemble=True), FileContext(crate_features={}))
    assert [(d.code, src.text(d.start, d.end)) for d in plain.diagnostics] == \
        [("assembler-error", "rsr.ccompare0")]
    gated = analyze(src, Settings(assemble=True),
                    FileContext(crate_features={"asm_experimental_arch": (Cfg("all", ()),)}))
    assert [(d.code, d.severity, d.message) for d in gated.diagnostics] == [(
        "assumed-architecture", "information",
        "checked as written for an experimental architecture (the crate enables `asm_experimental_arch`; not "
        "checked): this block does not assemble for `x86_64-unknown-linux-gnu`, a target asm-ls guessed (no "
        "`#[cfg]`, setting or project file says which targets build it)")]


def test_an_instruction_of_another_profile_is_tried_on_the_other_listed_targets() -> None:
    text = ('pub fn divide(a: u32, b: u32) -> u32 {\n    let q: u32;\n'
            '    unsafe { core::arch::asm!("udiv {0}, {1}, {2}", out(reg) q, in(reg) a, in(reg) b) };\n    q\n}\n')
    assert _found(text, ProjectBuild((V6M, V7EM), "/p/rust-toolchain.toml", None, False)) == []
    every = ProjectBuild((V6M,), "/p/.cargo/config.toml", None, True)
    assert [(code, message, text) for code, _, message, text, _ in _found(text, every)] == \
        [("assembler-error", "instruction requires: divide in THUMB armv8m.base", "udiv {0}, {1}, {2}")]


def test_a_refuted_guess_keeps_none_of_its_front_end_findings() -> None:
    # Under the guessed host target (x86_64) `{}` with an i32 is rustc's asm_sub_register lint; the block does not
    # assemble there and does for riscv: the guess's lint goes with its errors.
    note = ("checked as written for `riscv32`: this block does not assemble for `x86_64-unknown-linux-gnu`, a target "
            "asm-ls guessed (no `#[cfg]`, setting or project file says which targets build it)")
    text = 'pub fn delegate() {\n    unsafe { core::arch::asm!("csrw mideleg, {}", in(reg) !0) };\n}\n'
    assert _found(text) == [("assumed-architecture", "information", note, "core::arch::asm!", "riscv32")]


def test_of_two_listed_architectures_the_one_that_knows_the_instruction_is_the_blocks() -> None:
    # Both listed targets reject the block, on the same line: x86_64 does not know `dbar`, LoongArch does and wants an
    # immediate.  The block is LoongArch code, whose finding stands; x86_64's is the guess's.
    listed = ProjectBuild((parse_target("x86_64-unknown-none"), parse_target("loongarch64-unknown-none")),
                          "/p/rust-toolchain.toml", None, False)
    text = 'pub fn barrier() {\n    unsafe { core::arch::asm!("dbar {}", in(reg) 0usize) };\n}\n'
    assert _found(text, listed) == [("assembler-error", "error", "immediate must be an integer in the range [0, 32767]",
                                     "{}", "loongarch64")]
