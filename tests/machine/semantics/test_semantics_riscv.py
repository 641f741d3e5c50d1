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
    # Zicsr from the encoding: `csrrw` writes the CSR and reads its source only; fflags (in fflags and fcsr) and the
    # vector state are the state `preserves_flags` covers, read and written like registers (F chapter 11.2, V 3.4).
    ("csrw fflags, a0", "73101500", {"reads": ["a0"], "writes": ["fflags"]}),
    ("csrr a0, fflags", "73251000", {"reads": ["fflags"], "writes": ["a0"]}),
    ("csrrw a1, fcsr, a2", "f3153600", {"reads": ["a2", "fflags"], "writes": ["a1", "fflags"]}),
    ("csrwi fflags, 0", "73501000", {"reads": [], "writes": ["fflags"]}),
    ("csrs fflags, a0", "73201500", {"reads": ["a0", "fflags"], "writes": ["fflags"]}),
    ("csrw vcsr, a0", "7310f500", {"reads": ["a0"], "writes": ["vxsat", "vxrm"]}),
    # Capstone 5 decodes none of these: they are read from their encoding (the data's `encodings`, V 1.0 6.1; the
    # OP and OP-IMM major opcodes; the H extension's virtual-machine loads and stores; Svinval).
    ("vsetvli a0, a1, e8, m1, ta, ma", "57f5050c", {"reads": ["a1"], "writes": ["a0", "vl", "vtype"]}),
    ("vsetvli zero, zero, e32, m1, ta, ma", "5770000d", {"reads": [], "writes": ["vtype"]}),
    ("vsetvl zero, t0, t1", "57f06280", {"reads": ["t0", "t1"], "writes": ["vl", "vtype"]}),
    ("aes64es a0, a1, a2", "3385c532", {"reads": ["a1", "a2"], "writes": ["a0"]}),
    ("sha256sig0 a0, a1", "13952510", {"reads": ["a1"], "writes": ["a0"]}),
    ("hlv.w a0, (a1)", "73c50568", {"reads": ["a1"], "writes": ["a0"], "memory": "r"}),
    ("hsv.w a0, (a1)", "73c0a56a", {"reads": ["a0", "a1"], "writes": [], "memory": "w"}),
    ("sinval.vma a0, a1", "7300b516", {"reads": ["a0", "a1"], "writes": []}),
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
