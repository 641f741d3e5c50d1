"""Semantics table, RISC-V (capstone engine).  Facts from the RISC-V Unprivileged ISA (RV32I/RV64I base, "M", "A",
"D", "C" chapters: the compressed loads, `c.mv`, `c.li` only write their first register) and the Privileged ISA
(`mret`, Zicsr: `csrw csr, rs` is `csrrw x0, csr, rs` and writes no integer register)."""

from __future__ import annotations

import pytest

from semantics_table import check

RV64 = [
    ("addi sp, sp, -16", "4111", {"reads": ["sp"], "writes": [], "sp": -16}),
    ("sd ra, 8(sp)", "06e4", {"reads": ["ra", "sp"], "writes": [], "stack": "w"}),
    ("ld ra, 8(sp)", "a260", {"reads": ["sp"], "writes": ["ra"], "stack": "r"}),
    ("add a0, a1, a2", "3385c500", {"reads": ["a1", "a2"], "writes": ["a0"]}),
    ("mv a0, a1", "2e85", {"reads": ["a1"], "writes": ["a0"]}),
    ("addi a0, a0, 0", "2a85", {"reads": ["a0"], "writes": []}),
    ("addi a0, a0, 1", "0505", {"reads": ["a0"], "writes": ["a0"], "increment": ("a0", 1, 64)}),
    ("li a0, 5", "1545", {"reads": [], "writes": ["a0"]}),
    ("lw a0, 0(a1)", "8841", {"reads": ["a1"], "writes": ["a0"], "memory": "r"}),
    ("sw a0, 0(a1)", "88c1", {"reads": ["a0", "a1"], "writes": [], "memory": "w"}),
    ("jal 1f", "ef004000", {"reads": [], "writes": ["ra"], "control": "call"}),
    ("ret", "8280", {"reads": ["ra"], "writes": [], "control": "return"}),
    ("jr a0", "0285", {"reads": ["a0"], "writes": [], "control": "leaves"}),
    ("beqz a0, 1b", "75dd", {"reads": ["a0"], "writes": [], "control": "branch"}),
    ("ecall", "73000000", {"reads": [], "writes": [], "kernel_call": True}),
    ("ebreak", "0290", {"reads": [], "writes": []}),
    ("unimp", "0000", {"reads": [], "writes": [], "control": "trap"}),
    ("csrw mstatus, a0", "73100530", {"reads": ["a0"], "writes": []}),
    ("csrr a0, mstatus", "73250030", {"reads": [], "writes": ["a0"]}),
    ("amoadd.d a0, a1, (a2)", "2f35b600", {"reads": ["a1", "a2"], "writes": ["a0"], "memory": "rw"}),
    ("fadd.d fa0, fa1, fa2", "53f5c502", {"reads": ["fa1", "fa2"], "writes": ["fa0"]}),
    ("lr.d a0, (a1)", "2fb50510", {"reads": ["a1"], "writes": ["a0"], "memory": "r"}),
    ("sc.d a2, a0, (a1)", "2fb6a518", {"reads": ["a0", "a1"], "writes": ["a2"], "memory": "w"}),
    ("mret", "73002030", {"reads": [], "writes": [], "control": "leaves"}),
    ("fence", "0f00f00f", {"reads": [], "writes": []}),
]

RV32 = [
    ("addi sp, sp, -16", "4111", {"reads": ["sp"], "writes": [], "sp": -16}),
    ("sw ra, 12(sp)", "06c6", {"reads": ["ra", "sp"], "writes": [], "stack": "w"}),
    ("csrrw a0, mscratch, a0", "73150534", {"reads": ["a0"], "writes": ["a0"]}),
    ("jal ra, 1f", "0920", {"reads": [], "writes": ["ra"], "control": "call"}),
    ("jalr zero, 0(ra)", "8280", {"reads": ["ra"], "writes": [], "control": "return"}),
]


@pytest.mark.parametrize("row", RV64, ids=[row[0] for row in RV64])
def test_riscv64(row):
    check("riscv64", row)


@pytest.mark.parametrize("row", RV32, ids=[row[0] for row in RV32])
def test_riscv32(row):
    check("riscv32", row)
