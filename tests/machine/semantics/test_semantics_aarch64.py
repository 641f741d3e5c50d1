"""Semantics table, AArch64 and arm64ec (capstone engine, completed by SLEIGH's `AARCH64` P-code).  Facts from the
Arm Architecture Reference Manual for A-profile (DDI 0487), chapter C6 (A64 base instructions: operands, "Operation"
pseudocode; MSR NZCV and CMP write PSTATE.{N,Z,C,V}) and C1.2.5 (`w` registers are the low 32 bits of `x`)."""

from __future__ import annotations

import pytest

from semantics_table import check

AARCH64 = [
    ("stp x29, x30, [sp, #-16]!", "fd7bbfa9", {"reads": ["fp", "lr", "sp"], "writes": [], "stack": "w", "sp": -16}),
    ("ldp x29, x30, [sp], #16", "fd7bc1a8", {"reads": ["sp"], "writes": ["fp", "lr"], "stack": "r", "sp": 16}),
    ("adds x0, x1, x2", "200002ab", {"reads": ["x1", "x2"], "writes": ["x0"], "flags": True}),
    ("cmp x0, x1", "1f0001eb", {"reads": ["x0", "x1"], "writes": [], "flags": True}),
    ("mov x0, x1", "e00301aa", {"reads": ["x1"], "writes": ["x0"]}),
    ("orr x0, x0, x0", "000000aa", {"reads": ["x0"], "writes": []}),
    ("mov w0, w0", "e003002a", {"reads": ["w0"], "writes": []}),
    ("ldr x0, [x1]", "200040f9", {"reads": ["x1"], "writes": ["x0"], "memory": "r"}),
    ("str x0, [sp, #8]", "e00700f9", {"reads": ["sp", "x0"], "writes": [], "stack": "w"}),
    ("sub sp, sp, #16", "ff4300d1", {"reads": ["sp"], "writes": [], "sp": -16}),
    ("bl 1f", "01000094", {"reads": [], "writes": ["lr"], "control": "call"}),
    ("blr x2", "40003fd6", {"reads": ["x2"], "writes": ["lr"], "control": "call"}),
    # RET reads X30 (capstone lists nothing: SLEIGH's evidence adds it).
    ("ret", "c0035fd6", {"reads": ["x30"], "writes": [], "control": "return"}),
    ("br x3", "60001fd6", {"reads": ["x3"], "writes": [], "control": "leaves"}),
    ("b.ne 1b", "a1ffff54", {"reads": [], "writes": [], "control": "branch"}),
    ("cbz x0, 1b", "80ffffb4", {"reads": ["x0"], "writes": [], "control": "branch"}),
    # SVC does not write the link register (capstone says it does).
    ("svc #0", "010000d4", {"reads": [], "writes": [], "kernel_call": True}),
    ("udf #0", "00000000", {"reads": [], "writes": [], "control": "trap"}),
    ("msr nzcv, x0", "00421bd5", {"reads": ["x0"], "writes": [], "flags": True}),
    # FPSR, which `preserves_flags` covers, read and written like a register by `msr`/`mrs` (encoding C6.2).
    ("msr fpsr, x1", "21441bd5", {"reads": ["x1"], "writes": ["fpsr"]}),
    ("mrs x2, fpsr", "22443bd5", {"reads": ["fpsr"], "writes": ["x2"]}),
    ("mrs x0, tpidr_el0", "40d03bd5", {"reads": [], "writes": ["x0"]}),
    # LDADD Xs, Xt, [Xn]: reads Xs and memory, writes memory and Xt (capstone 5 has neither register).
    ("ldadd x0, x1, [x2]", "410020f8", {"reads": ["x0", "x2"], "writes": ["x1"], "memory": "rw"}),
    ("casal x0, x1, [x2]", "41fce0c8", {"reads": ["x0", "x1", "x2"], "writes": ["x0"], "memory": "rw"}),
    ("stxr w3, x0, [x1]", "207c03c8", {"reads": ["x0", "x1"], "writes": ["w3"], "memory": "w"}),
    ("fadd d0, d1, d2", "2028621e", {"reads": ["d1", "d2"], "writes": ["d0"]}),
    ("ror w0, w0, #8", "00208013", {"reads": ["w0"], "writes": ["w0"], "rotation": ("w0", -8, 32)}),
    ("eret", "e0039fd6", {"reads": [], "writes": [], "control": "leaves"}),
    ("dsb sy", "9f3f03d5", {"reads": [], "writes": []}),
]


@pytest.mark.parametrize("row", AARCH64, ids=[row[0] for row in AARCH64])
def test_aarch64(row):
    check("aarch64", row)


@pytest.mark.parametrize("row", AARCH64[:6], ids=[row[0] for row in AARCH64[:6]])
def test_arm64ec_is_aarch64_code(row):
    """arm64ec runs A64 code (the register restrictions are the data's, not the instructions')."""
    check("arm64ec", row)


def test_big_endian_data_little_endian_instructions():
    """aarch64_be: instructions stay little-endian (Arm ARM B2.6.2), so the same bytes decode the same."""
    check("aarch64", ("adds x0, x1, x2", "200002ab", {"reads": ["x1", "x2"], "writes": ["x0"], "flags": True}),
          little=False)
