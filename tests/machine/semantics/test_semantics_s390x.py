"""Semantics table, s390x (the table engine: capstone's operands, asm-ls's table of what each instruction does with
them).  Facts from the IBM z/Architecture Principles of Operation (SA22-7832-13): chapter 5 (a base or index field
of zero designates no register; BCR and BASR with R2 zero do not branch; a mask of 0 never branches and of 15 always),
chapter 7 (each instruction's operands and its "Condition Code" paragraph: ADD LOGICAL WITH CARRY reads and sets it,
LOAD, LOAD ADDRESS, MULTIPLY SINGLE, COMPARE AND BRANCH and BRANCH ON COUNT leave it unchanged; MULTIPLY LOGICAL reads
R1+1 and writes the pair R1, R1+1; DIVIDE LOGICAL reads and writes the pair; DIVIDE SINGLE reads R1+1; LOAD MULTIPLE
and STORE MULTIPLE cover R1 through R3; COMPARE AND SWAP replaces R1 when the comparison fails; STORE FACILITY LIST
EXTENDED reads and replaces R0), and the s390x ELF ABI (r15 the stack pointer, r14 the return address).  The
condition code is what `preserves_flags` covers on s390x (the Rust reference).  Bytes from LLVM's assembler."""

from __future__ import annotations

import pytest

from asm_ls.machine.semantics import available, decode, details
from semantics_table import check

S390X = [
    ("lgr %r1, %r2", "b9040012", {"reads": ["r2"], "writes": ["r1"]}),
    ("lr %r1, %r2", "1812", {"reads": ["r2"], "writes": ["r1"]}),
    ("lgr %r3, %r3", "b9040033", {"reads": ["r3"], "writes": []}),
    ("agr %r1, %r2", "b9080012", {"reads": ["r1", "r2"], "writes": ["r1"], "flags": True}),
    ("xgr %r1, %r1", "b9820011", {"reads": [], "writes": ["r1"], "flags": True}),
    ("ogr %r1, %r1", "b9810011", {"reads": ["r1"], "writes": [], "flags": True}),
    ("alcgr %r1, %r2", "b9880012", {"reads": ["r1", "r2"], "writes": ["r1"], "flags": True}),
    ("slbgr %r1, %r2", "b9890012", {"reads": ["r1", "r2"], "writes": ["r1"], "flags": True}),
    ("alcg %r1, 0(%r2,%r3)", "e31230000088", {"reads": ["r1", "r2", "r3"], "writes": ["r1"], "flags": True,
                                              "memory": "r"}),
    ("agrk %r1, %r2, %r3", "b9e83012", {"reads": ["r2", "r3"], "writes": ["r1"], "flags": True}),
    ("sllk %r1, %r2, 3", "eb12000300df", {"reads": ["r2"], "writes": ["r1"]}),
    ("slak %r1, %r2, 3(%r4)", "eb12400300dd", {"reads": ["r2", "r4"], "writes": ["r1"], "flags": True}),
    ("aghi %r1, 8", "a71b0008", {"reads": ["r1"], "writes": ["r1"], "flags": True, "increment": ("r1", 8, 64)}),
    ("aghi %r15, -160", "a7fbff60", {"reads": ["r15"], "writes": [], "flags": True, "sp": -160}),
    ("lghi %r1, -1", "a719ffff", {"reads": [], "writes": ["r1"]}),
    ("iihf %r1, 5", "c01800000005", {"reads": [], "writes": ["r1"]}),
    ("ltgr %r1, %r2", "b9020012", {"reads": ["r2"], "writes": ["r1"], "flags": True}),
    ("ltgr %r1, %r1", "b9020011", {"reads": ["r1"], "writes": [], "flags": True}),
    ("cgr %r1, %r2", "b9200012", {"reads": ["r1", "r2"], "writes": [], "flags": True}),
    ("clgfi %r1, 5", "c21e00000005", {"reads": ["r1"], "writes": [], "flags": True}),
    ("msgr %r1, %r2", "b90c0012", {"reads": ["r1", "r2"], "writes": ["r1"]}),
    ("mlgr %r2, %r5", "b9860025", {"reads": ["r3", "r5"], "writes": ["r2", "r3"]}),
    ("dlgr %r2, %r5", "b9870025", {"reads": ["r2", "r3", "r5"], "writes": ["r2", "r3"]}),
    ("dsgr %r4, %r5", "b90d0045", {"reads": ["r5"], "writes": ["r4", "r5"]}),
    ("flogr %r0, %r1", "b9830001", {"reads": ["r1"], "writes": ["r0", "r1"], "flags": True}),
    ("sllg %r1, %r2, 3", "eb120003000d", {"reads": ["r2"], "writes": ["r1"]}),
    ("srag %r1, %r2, 0(%r3)", "eb123000000a", {"reads": ["r2", "r3"], "writes": ["r1"], "flags": True}),
    ("risbg %r1, %r2, 0, 63, 0", "ec12003f0055", {"reads": ["r1", "r2"], "writes": ["r1"], "flags": True}),
    ("risbg %r1, %r2, 0, 191, 0", "ec1200bf0055", {"reads": ["r2"], "writes": ["r1"], "flags": True}),
    ("lg %r1, 8(%r2,%r3)", "e31230080004", {"reads": ["r2", "r3"], "writes": ["r1"], "memory": "r"}),
    ("lg %r1, 8(%r0)", "e31000080004", {"reads": [], "writes": ["r1"], "memory": "r"}),
    ("lg %r6, 48(%r15)", "e360f0300004", {"reads": ["r15"], "writes": ["r6"], "stack": "r"}),
    ("stg %r6, 48(%r15)", "e360f0300024", {"reads": ["r15", "r6"], "writes": [], "stack": "w"}),
    ("stg %r1, 0(%r2)", "e31020000024", {"reads": ["r1", "r2"], "writes": [], "memory": "w"}),
    ("l %r1, 0(,%r2)", "58102000", {"reads": ["r2"], "writes": ["r1"], "memory": "r"}),
    ("st %r1, 4(%r2)", "50102004", {"reads": ["r1", "r2"], "writes": [], "memory": "w"}),
    ("la %r1, 8(%r2,%r3)", "41123008", {"reads": ["r2", "r3"], "writes": ["r1"]}),
    ("la %r1, 8(%r1)", "41101008", {"reads": ["r1"], "writes": ["r1"], "increment": ("r1", 8, 64)}),
    ("lay %r15, -160(%r15)", "e3f0ff60ff71", {"reads": ["r15"], "writes": [], "sp": -160}),
    ("lpq %r0, 0(%r1)", "e3001000008f", {"reads": ["r1"], "writes": ["r0", "r1"], "memory": "r"}),
    ("stpq %r2, 0(%r1)", "e3201000008e", {"reads": ["r1", "r2", "r3"], "writes": [], "memory": "w"}),
    ("lmg %r6, %r14, 48(%r15)", "eb6ef0300004", {"reads": ["r15"], "writes": ["r6", "r7", "r8", "r9", "r10", "r11",
                                                                          "r12", "r13", "r14"], "stack": "r"}),
    ("stmg %r14, %r1, 0(%r2)", "ebe120000024", {"reads": ["r14", "r15", "r0", "r1", "r2"], "writes": [],
                                                 "memory": "w"}),
    ("cs %r0, %r1, 0(%r2)", "ba012000", {"reads": ["r0", "r1", "r2"], "writes": ["r0"], "flags": True,
                                         "memory": "rw"}),
    ("cdsg %r0, %r2, 0(%r4)", "eb024000003e", {"reads": ["r0", "r1", "r2", "r3", "r4"], "writes": ["r0", "r1"],
                                               "flags": True, "memory": "rw"}),
    ("laag %r1, %r2, 0(%r3)", "eb12300000e8", {"reads": ["r2", "r3"], "writes": ["r1"], "flags": True,
                                               "memory": "rw"}),
    ("mvc 0(8,%r1), 0(%r2)", "d20710002000", {"reads": ["r1", "r2"], "writes": [], "memory": "rw"}),
    ("xc 0(8,%r1), 0(%r1)", "d70710001000", {"reads": ["r1"], "writes": [], "flags": True, "memory": "rw"}),
    ("mvghi 0(%r1), 0", "e54810000000", {"reads": ["r1"], "writes": [], "memory": "w"}),
    ("cli 0(%r1), 5", "95051000", {"reads": ["r1"], "writes": [], "flags": True, "memory": "r"}),
    ("j 1b", "a7f40000", {"reads": [], "writes": [], "control": "jump"}),
    ("jnz 1b", "a7740000", {"reads": [], "writes": [], "control": "branch"}),
    ("jgl 1b", "c04400000000", {"reads": [], "writes": [], "control": "branch"}),
    ("brc 0, 1b", "a7040000", {"reads": [], "writes": []}),
    ("brctg %r1, 1b", "a7170000", {"reads": ["r1"], "writes": ["r1"], "control": "branch"}),
    ("clgrjle %r1, %r2, 1b", "ec120000c065", {"reads": ["r1", "r2"], "writes": [], "control": "branch"}),
    ("br %r14", "07fe", {"reads": ["r14"], "writes": [], "control": "return"}),
    ("br %r1", "07f1", {"reads": ["r1"], "writes": [], "control": "leaves"}),
    ("ber %r14", "078e", {"reads": ["r14"], "writes": [], "control": "branch"}),
    ("bcr 15, %r0", "07f0", {"reads": [], "writes": []}),
    ("bcr 14, %r0", "07e0", {"reads": [], "writes": []}),
    ("nop", "47000000", {"reads": [], "writes": []}),
    ("brasl %r14, f", "c0e500000000", {"reads": [], "writes": ["r14"], "control": "call"}),
    ("basr %r14, %r1", "0de1", {"reads": ["r1"], "writes": ["r14"], "control": "call"}),
    ("basr %r14, %r0", "0de0", {"reads": [], "writes": ["r14"]}),
    ("svc 0", "0a00", {"reads": [], "writes": [], "kernel_call": True}),
    ("ipm %r1", "b2220010", {"reads": [], "writes": ["r1"]}),
    ("spm %r1", "0410", {"reads": ["r1"], "writes": [], "flags": True}),
    ("locgrne %r1, %r2", "b9e27012", {"reads": ["r1", "r2"], "writes": ["r1"]}),
    ("stfle 0(%r1)", "b2b01000", {"reads": ["r0", "r1"], "writes": ["r0"], "flags": True, "memory": "w"}),
    ("ear %r1, %a0", "b24f0010", {"reads": ["a0"], "writes": ["r1"]}),
    ("ldgr %f0, %r1", "b3c10001", {"reads": ["r1"], "writes": ["f0"]}),
    ("adbr %f0, %f2", "b31a0002", {"reads": ["f0", "f2"], "writes": ["f0"], "flags": True}),
    ("vl %v1, 0(%r1)", "e71010000006", {"reads": ["r1"], "writes": ["v1"], "memory": "r"}),
    ("vlvgp %v0, %r1, %r2", "e70120000062", {"reads": ["r1", "r2"], "writes": ["v0"]}),
]


@pytest.mark.parametrize("row", S390X, ids=[row[0] for row in S390X])
def test_s390x(row):
    check("s390x", row, little=False)


def test_copies_and_stack_slots():
    [copy] = decode("s390x", bytes.fromhex("b9040012"), little=False).insns            # lgr %r1, %r2
    [save] = decode("s390x", bytes.fromhex("eb6ff0300024"), little=False).insns        # stmg %r6, %r15, 48(%r15)
    assert copy.copies == [("r1", "r2")]
    assert save.stores == [(f"r{n}", 48 + 8 * (n - 6)) for n in range(6, 15)]


def test_an_instruction_the_table_does_not_know_stops_the_block():
    decoded = decode("s390x", bytes.fromhex("b9040012b2410024"), little=False)      # lgr; cksm %r2, %r4
    assert (available("s390x"), decoded.complete, len(decoded.insns), decoded.stop) == (True, False, 1, 4)
    assert decoded.reason == "asm-ls's s390x instruction table has no entry for"


def test_hover_details():
    [detail] = details("s390x", bytes.fromhex("b9880012"), little=False)            # alcgr %r1, %r2
    assert (detail.text, detail.reads, detail.writes, detail.flags_written) == ("alcgr %r1, %r2", ["r1", "r2"],
                                                                                 ["r1"], ["flags"])
