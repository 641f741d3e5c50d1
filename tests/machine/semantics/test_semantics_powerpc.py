"""Semantics table, PowerPC: 64-bit big and little endian, 32-bit big endian (SLEIGH engine, P-code).  Facts from the
Power ISA (v3.1, Book I: 3.3.9 fixed-point arithmetic, `add.` sets CR0 from the result and XER[SO], `addic` sets
XER[CA]; 2.4 branch instructions, `bl`/`bctrl` set LR; 3.3.2-3 loads and stores with update; Book II `sc`) and the
64-bit ELF ABI (r1 is the stack pointer).  `reads_at_least` where SLEIGH's bit-field updates read the field too."""

from __future__ import annotations

import pytest

from asm_ls.model.target import parse_target
from semantics_table import check

BE64 = [
    ("add. 3, 4, 5", "7c642a15", {"reads_at_least": ["r4", "r5", "xer"], "writes": ["cr0", "r3"]}),
    ("addic 3, 4, 1", "30640001", {"reads": ["r4"], "writes": ["r3", "xer"]}),
    ("mr 3, 4", "7c832378", {"reads": ["r4"], "writes": ["r3"]}),
    ("std 0, 16(1)", "f8010010", {"reads": ["r0", "r1"], "writes": [], "stack": "w"}),
    ("stdu 1, -32(1)", "f821ffe1", {"reads": ["r1"], "writes": [], "stack": "w", "sp": -32}),
    ("ld 0, 16(1)", "e8010010", {"reads": ["r1"], "writes": ["r0"], "stack": "r"}),
    ("mflr 0", "7c0802a6", {"reads": ["lr"], "writes": ["r0"]}),
    ("mtlr 0", "7c0803a6", {"reads": ["r0"], "writes": ["lr"]}),
    ("blr", "4e800020", {"reads": ["lr"], "writes": [], "control": "return"}),
    ("bctr", "4e800420", {"reads": ["ctr"], "writes": [], "control": "leaves"}),
    ("bctrl", "4e800421", {"reads": ["ctr"], "writes": ["lr"], "control": "call"}),
    ("sc", "44000002", {"reads": [], "writes": [], "kernel_call": True}),
    ("cmpd 3, 4", "7c232000", {"reads": ["r3", "r4", "xer"], "writes": ["cr0"]}),
    ("lwz 3, 0(4)", "80640000", {"reads": ["r4"], "writes": ["r3"], "memory": "r"}),
    ("stw 3, 0(4)", "90640000", {"reads": ["r3", "r4"], "writes": [], "memory": "w"}),
    ("stwcx. 3, 0, 4", "7c60212d", {"reads_at_least": ["r3", "r4", "xer"], "writes": ["cr0"], "memory": "w"}),
    ("fadd 1, 2, 3", "fc22182a", {"reads": ["f2", "f3"], "writes": ["f1"]}),
    ("addi 1, 1, 32", "38210020", {"reads": ["r1"], "writes": [], "sp": 32}),
    ("xxlor 0, 1, 1", "f0010c90", {"reads": ["vs1"], "writes": ["vs0"]}),
    ("rotldi 3, 3, 13", "78636800", {"reads": ["r3"], "writes": ["r3"], "rotation": ("r3", 13, 64)}),
]

LE64 = [
    ("add. 3, 4, 5", "152a647c", {"reads_at_least": ["r4", "r5", "xer"], "writes": ["cr0", "r3"]}),
    ("std 0, 16(1)", "100001f8", {"reads": ["r0", "r1"], "writes": [], "stack": "w"}),
    ("blr", "2000804e", {"reads": ["lr"], "writes": [], "control": "return"}),
    ("sc", "02000044", {"reads": [], "writes": [], "kernel_call": True}),
]

BE32 = [
    ("add. 3, 4, 5", "7c642a15", {"reads_at_least": ["r4", "r5", "xer"], "writes": ["cr0", "r3"]}),
    ("stwu 1, -16(1)", "9421fff0", {"reads": ["r1"], "writes": [], "stack": "w", "sp": -16}),
    ("lwz 0, 20(1)", "80010014", {"reads": ["r1"], "writes": ["r0"], "stack": "r"}),
    ("mflr 0", "7c0802a6", {"reads": ["lr"], "writes": ["r0"]}),
    # `bcl 20, 31, .+4`-style `bl` to the next instruction: reads the program counter into LR.
    ("bl 1f; 1:", "48000005", {"reads": [], "writes": ["lr"], "control": "jump"}),
    ("sc", "44000002", {"reads": [], "writes": [], "kernel_call": True}),
]


@pytest.mark.parametrize("row", BE64, ids=[row[0] for row in BE64])
def test_powerpc64_big_endian(row):
    check("powerpc64", row, little=False, target=parse_target("powerpc64-unknown-linux-gnu"))


@pytest.mark.parametrize("row", LE64, ids=[row[0] for row in LE64])
def test_powerpc64_little_endian(row):
    check("powerpc64", row, target=parse_target("powerpc64le-unknown-linux-gnu"))


@pytest.mark.parametrize("row", BE32, ids=[row[0] for row in BE32])
def test_powerpc_32_bits(row):
    check("powerpc", row, little=False, target=parse_target("powerpc-unknown-linux-gnu"))
