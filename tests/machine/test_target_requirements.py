"""LLVM's "instruction requires ..." errors: a `missing-target-feature` warning that names the feature to add, an
`assembler-error` where the target's features are known to be complete; `targetCpu` reaches the assembler.

The blocks are minimal reproductions; rustc (`--emit obj`) rejects each without the feature with LLVM's message
quoted here, and assembles it with `-C target-feature=+FEATURE` (or `-C target-cpu=CPU`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.machine.assemble import assemble_file
from asm_ls.machine.cache import CACHE
from asm_ls.machine.requirements import required_features
from asm_ls.model.target import apply_feature_flags, parse_target
from machine_helpers import rustc_missing, source

needs_rustc = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")

CBO = 'pub unsafe fn flush(addr: usize) {\n    asm!("cbo.flush ({})", in(reg) addr);\n}\n'
LDIAPP = ('pub unsafe fn load(src: *const u128) -> u64 {\n    let (lo, hi): (u64, u64);\n'
          '    asm!("ldiapp {lo}, {hi}, [{src}]", src = in(reg) src, lo = out(reg) lo, hi = out(reg) hi);\n'
          '    lo\n}\n')
EIJMP = '#![feature(asm_experimental_arch)]\npub unsafe fn jump() {\n    asm!("eijmp");\n}\n'
ZICBOM = "instruction requires the following: 'Zicbom' (Cache-Block Management Instructions)"


@pytest.fixture(autouse=True)
def fresh_cache():
    CACHE.clear()
    yield
    CACHE.clear()


def run(text: str, triple: str, flags: tuple[str, ...] = (), **changes):
    target = replace(apply_feature_flags(parse_target(triple), list(flags)), **changes)
    src = source(text)
    config = Settings(targets=[target])
    result = analyze(src, config)
    found = assemble_file(result.model, src, config, result.diagnostics)
    return [(d.code, d.severity, d.message, src.range(d.start, d.end).as_list()) for d in found]


@needs_rustc
def test_a_missing_riscv_extension_is_a_warning_naming_it():
    assert run(CBO, "riscv64gc-unknown-linux-gnu") == [(
        "missing-target-feature", "warning",
        f"{ZICBOM}; the target feature `zicbom` is not enabled here: if the build enables it, add `+zicbom` to the "
        "`targetFeatures` setting (or `--target-feature +zicbom`)", [1, 10, 1, 24])]


@needs_rustc
def test_the_feature_in_the_settings_reaches_the_assembler():
    # Capstone 5 has no Zicbom: the contract analysis says it could not decode the block.
    assert run(CBO, "riscv64gc-unknown-linux-gnu", ("+zicbom",)) == [(
        "contract-not-analysed", "information",
        "the contract analysis did not run on this block: capstone 5.0 cannot decode the instruction `cbo.flush (x1)`",
        [1, 10, 1, 24])]


@needs_rustc
def test_with_the_features_known_complete_it_stays_an_assembler_error():
    assert run(CBO, "riscv64gc-unknown-linux-gnu", features_complete=True) == [
        ("assembler-error", "error", ZICBOM, [1, 10, 1, 24])]


@needs_rustc
def test_a_missing_aarch64_feature_is_a_warning_naming_it():
    assert run(LDIAPP, "aarch64-unknown-linux-gnu") == [(
        "missing-target-feature", "warning",
        "instruction requires: rcpc3; the target feature `rcpc3` is not enabled here: if the build enables it, add "
        "`+rcpc3` to the `targetFeatures` setting (or `--target-feature +rcpc3`)", [2, 10, 2, 36])]
    assert run(LDIAPP, "aarch64-unknown-linux-gnu", ("+rcpc3",)) == [(
        "contract-not-analysed", "information",
        "the contract analysis did not run on this block: capstone 5.0 cannot decode the instruction "
        "`ldiapp x1, x2, [x0]`", [2, 10, 2, 36])]


@needs_rustc
def test_an_instruction_of_another_avr_cpu_asks_for_the_cpu():
    assert run(EIJMP, "avr-none") == [(
        "missing-target-feature", "warning",
        "instruction requires a CPU feature not currently enabled; if the build's CPU or target features provide the "
        "instruction, set the `targetCpu` setting (`--target-cpu`) or add the feature to the `targetFeatures` "
        "setting (`--target-feature`)", [2, 10, 2, 15])]
    no_semantics = ("contract-not-analysed", "information",
                    "the contract analysis did not run on this block: asm-ls has no instruction semantics for avr",
                    [2, 4, 2, 7])
    assert run(EIJMP, "avr-none", cpu="atmega2560") == [no_semantics]
    assert run(EIJMP, "avr-none", cpu="atmega2560", features_complete=True) == [no_semantics]


@pytest.mark.parametrize("message,arch,expected", [
    (ZICBOM, "riscv64", ["zicbom"]),
    ("instruction requires the following: 'C' (Compressed Instructions) or 'Zca' (part of the C extension, "
     "excluding compressed floating point loads/stores)", "riscv32", ["c", "zca"]),
    ("instruction requires: rcpc3", "aarch64", ["rcpc3"]),
    ("instruction requires: sve or sme", "aarch64", ["sve", "sme"]),
    ("instruction requires: fullfp16", "aarch64", ["fp16"]),        # LLVM's name, rustc's `fp16`
    ("instruction requires: pclmul", "x86_64", ["pclmulqdq"]),
    ("instruction requires a CPU feature not currently enabled", "avr", []),
    ("instruction requires: 64-bit mode", "x86", None),       # a mode, not a feature: stays an error
    ("invalid instruction mnemonic 'addd'", "x86_64", None),
])
def test_required_features(message, arch, expected):
    assert required_features(message, arch) == expected


FSQRT_H = ('pub unsafe fn half(x: f32) -> f32 {\n    let out: f32;\n'
           '    asm!("fsqrt {0:h}, {1:h}", out(vreg_low16) out, in(vreg) x);\n    out\n}\n')


@needs_rustc
def test_a_feature_the_block_s_cfgs_require_reaches_the_assembler():
    message = ("instruction requires: fullfp16; the target feature `fp16` is not enabled here: if the build enables "
               "it, add `+fp16` to the `targetFeatures` setting (or `--target-feature +fp16`)")
    assert run(FSQRT_H, "aarch64-unknown-linux-gnu") == [("missing-target-feature", "warning", message, [2, 10, 2, 28])]
    under_cfg = FSQRT_H.replace("pub unsafe fn", '#[cfg(target_feature = "fp16")]\npub unsafe fn')
    assert run(under_cfg, "aarch64-unknown-linux-gnu") == []
