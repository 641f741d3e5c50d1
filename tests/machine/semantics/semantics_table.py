"""Shared by the semantics table tests (``test_semantics_<arch>.py``): decode one instruction's bytes and compare its
record with a row of the table.

A row is ``(assembly, hex bytes, expected)``: the bytes are what LLVM (rustc's assembler) encodes the assembly to,
so the tests need no rustc.  ``expected`` names the effects: ``reads`` and ``writes`` (exact sets of register names
as the engine names them; ``reads_at_least`` instead of ``reads`` where the engine reads more than the manual says,
which only makes the analysis more careful), and, when they are not the default, ``flags`` (True: writes a register
``preserves_flags`` covers), ``memory`` and ``stack`` ("r", "w", "rw"), ``sp`` (the stack pointer's change; None:
unknown), ``control`` (``Insn.control``; default "fallthrough"), ``kernel_call``, ``direction``, ``rotation``, ``increment``."""

from __future__ import annotations

from asm_ls.machine.semantics import decode
from asm_ls.machine.semantics.records import Insn

DEFAULTS = {"flags": False, "memory": "", "stack": "", "sp": 0, "control": "fallthrough", "kernel_call": False,
            "direction": None, "rotation": None, "increment": None}


def effects(insn: Insn) -> dict:
    """The record as a row's ``expected`` names it."""
    return {
        "reads": set(insn.reads), "writes": set(insn.writes), "flags": insn.flags_written,
        "memory": ("r" if insn.memory_read else "") + ("w" if insn.memory_write else ""),
        "stack": ("r" if insn.stack_read else "") + ("w" if insn.stack_write or (insn.push_pop and not insn.stack_read)
                                                     else ""),
        "sp": insn.sp_delta, "control": insn.control, "kernel_call": insn.kernel_call, "direction": insn.direction,
        "rotation": insn.rotation, "increment": insn.increment,
    }


def check(arch: str, row: tuple, **decode_options) -> None:
    """The row's bytes decode to exactly one instruction with the row's effects."""
    text, encoding, expected = row
    decoded = decode(arch, bytes.fromhex(encoding), **decode_options)
    assert decoded.complete, f"{text}: {decoded.reason}"
    assert len(decoded.insns) == 1, f"{text}: {[insn.text for insn in decoded.insns]}"
    found = effects(decoded.insns[0])
    wanted = {**DEFAULTS, **{key: set(value) if key in ("reads", "writes") else value
                             for key, value in expected.items() if key != "reads_at_least"}}
    if "reads_at_least" in expected:
        assert set(expected["reads_at_least"]) <= found["reads"], f"{text}: reads {sorted(found['reads'])}"
        found["reads"] = wanted["reads"] = set()
    assert found == wanted, text
