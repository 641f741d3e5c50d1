"""Semantics table, 32-bit ARM: A32 and Thumb (SLEIGH engine, P-code).  Facts from the Arm Architecture Reference
Manual for A-profile (ARMv7-A/R, DDI 0406C: A8 instruction descriptions, "Operation" pseudocode; ADDS and MSR
APSR_nzcvq write the condition flags; a condition code that fails leaves the destination as it was) and the ARMv7-M
Architecture Reference Manual (DDI 0403E, Thumb, `it` blocks, CPSID)."""

from __future__ import annotations

import pytest

from asm_ls.machine.objects import BlockCode
from asm_ls.machine.semantics import decode, decode_block
from asm_ls.model.target import parse_target
from semantics_table import check

A32 = [
    ("push {r4, lr}", "10402de9", {"reads": ["lr", "r4", "sp"], "writes": [], "stack": "w", "sp": -8}),
    ("pop {r4, pc}", "1080bde8", {"reads": ["sp"], "writes": ["r4"], "stack": "r", "sp": 8, "control": "return"}),
    ("adds r0, r0, r1", "010090e0", {"reads": ["r0", "r1"], "writes": ["r0"], "flags": True}),
    ("add r0, r0, #0", "000080e2", {"reads": ["r0"], "writes": []}),
    ("mov r0, r0", "0000a0e1", {"reads": ["r0"], "writes": []}),
    # A failed condition keeps r1: the instruction reads it too.
    ("movne r1, r2", "0210a011", {"reads": ["r1", "r2"], "writes": ["r1"]}),
    ("ldr r0, [r1, #4]", "040091e5", {"reads": ["r1"], "writes": ["r0"], "memory": "r"}),
    ("str r0, [sp, #-4]!", "04002de5", {"reads": ["r0", "sp"], "writes": [], "stack": "w", "sp": -4}),
    ("ldm r0, {r1, r2}", "060090e8", {"reads": ["r0"], "writes": ["r1", "r2"], "memory": "r"}),
    # Writeback: r0 moves past the two words it loaded.
    ("ldm r0!, {r1, r2}", "0600b0e8", {"reads": ["r0"], "writes": ["r0", "r1", "r2"], "memory": "r",
                                       "increment": ("r0", 8, 32)}),
    ("bl 1f", "feffffeb", {"reads": [], "writes": ["lr"], "control": "call"}),
    ("bx lr", "1eff2fe1", {"reads": ["lr"], "writes": [], "control": "return"}),
    ("bxne lr", "1eff2f11", {"reads": ["lr"], "writes": [], "control": "branch"}),
    ("svc #0", "000000ef", {"reads": [], "writes": [], "kernel_call": True}),
    ("udf #0", "f000f0e7", {"reads": [], "writes": [], "control": "trap"}),
    ("msr apsr_nzcvq, r0", "00f028e1", {"reads": ["r0"], "writes": [], "flags": True}),
    ("vadd.f64 d0, d1, d2", "020b31ee", {"reads": ["d1", "d2"], "writes": ["d0"]}),
    ("blx r3", "33ff2fe1", {"reads": ["r3"], "writes": ["lr"], "control": "call"}),
    ("sub sp, sp, #8", "08d04de2", {"reads": ["sp"], "writes": [], "sp": -8}),
    ("ldrex r0, [r1]", "9f0f91e1", {"reads": ["r1"], "writes": ["r0"], "memory": "r"}),
    ("umull r0, r1, r2, r3", "920381e0", {"reads": ["r2", "r3"], "writes": ["r0", "r1"]}),
    ("vpush {d8}", "028b2ded", {"reads": ["d8", "sp"], "writes": [], "stack": "w", "sp": -8}),
    ("ldr pc, [sp], #4", "04f09de4", {"reads": ["sp"], "writes": [], "stack": "r", "sp": 4, "control": "leaves"}),
    ("ror r12, r12, #3", "ecc1a0e1", {"reads": ["r12"], "writes": ["r12"], "rotation": ("r12", 29, 32)}),
]

THUMB = [
    ("push {r4, lr}", "10b5", {"reads": ["lr", "r4", "sp"], "writes": [], "stack": "w", "sp": -8}),
    ("pop {r4, pc}", "10bd", {"reads": ["sp"], "writes": ["r4"], "stack": "r", "sp": 8, "control": "return"}),
    ("adds r0, r0, r1", "4018", {"reads": ["r0", "r1"], "writes": ["r0"], "flags": True}),
    ("mov sp, r4", "a546", {"reads": ["r4"], "writes": [], "sp": None}),
    ("cpsid i", "72b6", {"reads": [], "writes": []}),
    ("svc #0", "00df", {"reads": [], "writes": [], "kernel_call": True}),
    ("udf #0", "00de", {"reads": [], "writes": [], "control": "trap"}),
    ("bx lr", "7047", {"reads": ["lr"], "writes": [], "control": "return"}),
    ("vmov s0, r0", "00ee100a", {"reads": ["r0"], "writes": ["s0"]}),
    ("ldr r0, [r1]", "0868", {"reads": ["r1"], "writes": ["r0"], "memory": "r"}),
    ("sub sp, #16", "84b0", {"reads": ["sp"], "writes": [], "sp": -16}),
    ("ldrd r0, r1, [sp, #8]", "dde90201", {"reads": ["sp"], "writes": ["r0", "r1"], "stack": "r"}),
    ("bkpt #0", "00be", {"reads": [], "writes": []}),
]
M_PROFILE = parse_target("thumbv7em-none-eabihf")


@pytest.mark.parametrize("row", A32, ids=[row[0] for row in A32])
def test_a32(row):
    check("arm", row, target=parse_target("armv7-unknown-linux-gnueabihf"))


@pytest.mark.parametrize("row", THUMB, ids=[row[0] for row in THUMB])
def test_thumb_m_profile(row):
    check("arm", row, target=M_PROFILE, thumb=True)


@pytest.mark.parametrize("row", THUMB[:4], ids=[row[0] for row in THUMB[:4]])
def test_thumb_a_profile(row):
    check("arm", row, target=parse_target("thumbv7neon-unknown-linux-gnueabihf"), thumb=True)


def test_an_it_block_makes_the_next_instruction_conditional():
    """`it eq; moveq r0, r1`: decoded together, the `mov` may not happen, so it reads r0 as well."""
    it, mov = decode("arm", bytes.fromhex("08bf" "0846"), target=M_PROFILE, thumb=True).insns
    assert (it.mnemonic, sorted(mov.reads), sorted(mov.writes), mov.copies) == ("it", ["r0", "r1"], ["r0"], [])


def test_mapping_symbols_choose_arm_or_thumb():
    """`$a` at 0 and `$t` at 4 (the ELF for the Arm Architecture's mapping symbols): `mov r0, r1` in A32, then
    `bx lr` in Thumb."""
    code = BlockCode(bytes.fromhex("0100a0e1" "7047"), {}, mapping=((0, "a"), (4, "t")))
    decoded = decode_block("arm", parse_target("armv7-unknown-linux-gnueabihf"), code)
    assert [(insn.offset, insn.size, insn.control) for insn in decoded.insns] == [(0, 4, "fallthrough"),
                                                                                  (4, 2, "return")]


def test_data_among_the_instructions_is_not_analysed():
    code = BlockCode(bytes.fromhex("7047" "0000" "efbeadde"), {}, mapping=((0, "t"), (4, "d")))
    decoded = decode_block("arm", M_PROFILE, code)
    assert (decoded.complete, decoded.stop) == (False, 4)
    assert decoded.reason == "the block has data (`.word`, `.byte`, a literal pool) among its instructions, first at"


def test_big_endian_objects_hold_big_endian_instructions():
    """armebv7r: a relocatable object keeps A32 instructions big-endian (BE-32 order; the linker swaps them for
    BE-8), bytes from LLVM."""
    check("arm", ("adds r0, r0, r1", "e0900001", {"reads": ["r0", "r1"], "writes": ["r0"], "flags": True}),
          little=False, target=parse_target("armebv7r-none-eabi"))
