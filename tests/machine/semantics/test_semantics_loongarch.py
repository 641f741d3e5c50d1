"""Semantics table, LoongArch64 (SLEIGH engine, P-code).  Facts from the LoongArch Reference Manual, Volume 1
(v1.10: 2.2 basic integer instructions, `bl` writes `$ra`, `jirl rd, rj, offs`; 2.2.7 atomic memory access;
3.2 floating-point compares write `$fcc`, the flags `preserves_flags` covers) and the LoongArch ELF psABI (`$sp` is
`$r3`, `$tp` the thread pointer)."""

from __future__ import annotations

import pytest

from asm_ls.model.target import parse_target
from semantics_table import check

LA64 = [
    ("add.d $a0, $a1, $a2", "a4981000", {"reads": ["$a1", "$a2"], "writes": ["$a0"]}),
    ("add.w $a0, $a1, $a2", "a4181000", {"reads": ["$a1", "$a2"], "writes": ["$a0"]}),
    ("addi.d $sp, $sp, -16", "63c0ff02", {"reads": ["sp"], "writes": [], "sp": -16}),
    ("st.d $ra, $sp, 8", "6120c029", {"reads": ["$ra", "sp"], "writes": [], "stack": "w"}),
    ("ld.d $ra, $sp, 8", "6120c028", {"reads": ["sp"], "writes": ["$ra"], "stack": "r"}),
    ("syscall 0", "00002b00", {"reads": [], "writes": [], "kernel_call": True}),
    ("ret", "2000004c", {"reads": ["$ra"], "writes": [], "control": "return"}),
    ("move $a0, $a1", "a4001500", {"reads": ["$a1"], "writes": ["$a0"]}),
    ("addi.d $a0, $a0, 0", "8400c002", {"reads": ["$a0"], "writes": []}),
    ("ori $a0, $a0, 0", "84008003", {"reads": ["$a0"], "writes": []}),
    ("jirl $ra, $a0, 0", "8100004c", {"reads": ["$a0"], "writes": ["$ra"], "control": "call"}),
    ("jr $a0", "8000004c", {"reads": ["$a0"], "writes": [], "control": "leaves"}),
    ("beq $a0, $a1, 1b", "85f8ff5b", {"reads": ["$a0", "$a1"], "writes": [], "control": "branch"}),
    ("break 0", "00002a00", {"reads": [], "writes": [], "control": "trap"}),
    ("fadd.d $fa0, $fa1, $fa2", "20080101", {"reads": ["$fa1", "$fa2"], "writes": ["$fa0"]}),
    ("fcmp.ceq.d $fcc0, $fa0, $fa1", "0004220c", {"reads": ["$fa0", "$fa1"], "writes": [], "flags": True}),
    ("ld.w $a0, $a1, 0", "a4008028", {"reads": ["$a1"], "writes": ["$a0"], "memory": "r"}),
    ("st.w $a0, $a1, 0", "a4008029", {"reads": ["$a0", "$a1"], "writes": [], "memory": "w"}),
    ("amadd.d $a0, $a1, $a2", "c4946138", {"reads": ["$a1", "$a2"], "writes": ["$a0"], "memory": "rw"}),
    ("dbar 0", "00007238", {"reads": [], "writes": []}),
    ("ertn", "00384806", {"reads": [], "writes": [], "control": "return"}),
    ("lu12i.w $t0, 1", "2c000014", {"reads": [], "writes": ["$t0"]}),
]


@pytest.mark.parametrize("row", LA64, ids=[row[0] for row in LA64])
def test_loongarch64(row):
    check("loongarch64", row, target=parse_target("loongarch64-unknown-linux-gnu"))
