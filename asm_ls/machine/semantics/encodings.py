"""Instructions neither engine decodes whose effects are certain from their encoding alone (the ``machine.encodings``
entries of the architecture data, each with its manual as source): a fixed encoding such as x86's `invlpgb`
(``0F 01 FE``: reads rAX, ECX and EDX, nothing else), or a RISC-V major opcode whose every instruction computes ``rd``
from ``rs1`` (and ``rs2``) and nothing else (OP, OP-IMM: the scalar crypto and bit-manipulation extensions a decoder
may not know yet).  An instruction no entry matches stays undecoded."""

from __future__ import annotations

from asm_ls.machine.semantics.facts import MachineFacts, canonical
from asm_ls.machine.semantics.records import Insn
from asm_ls.model.arch import arch_data, holds
from asm_ls.model.target import Target

_FIELDS = {"rd": 7, "rs1": 15, "rs2": 20}        # RISC-V register fields: the bit where each 5-bit field starts


def record(facts: MachineFacts, target: Target, code: bytes, offset: int, little: bool) -> Insn | None:
    """The record of the instruction at ``offset`` when an entry for ``target`` matches its encoding, else None."""
    for entry in facts.encodings:
        if "when" in entry and holds(entry["when"], target) is not True:
            continue
        size = entry["size"]
        if offset + size > len(code):
            continue
        word = int.from_bytes(code[offset:offset + size], "little" if little else "big")
        if word & int(entry["mask"], 16) != int(entry["value"], 16):
            continue
        insn = Insn(offset, size, entry["name"], "")
        insn.reads = {_register(facts.arch, name, word) for name in entry.get("reads", ())}
        insn.writes = {_register(facts.arch, name, word) for name in entry.get("writes", ())}
        insn.operand_reads = set(insn.reads)
        insn.copies = [(_register(facts.arch, target, word), _register(facts.arch, source, word))
                       for target, source in entry.get("copies", ())
                       if _register(facts.arch, source, word) not in facts.zero_registers]
        insn.memory_read = entry.get("memory") == "read"
        insn.memory_write = entry.get("memory") == "write"
        dropped = facts.zero_registers | facts.ignored
        insn.reads -= dropped
        insn.writes -= dropped
        insn.operand_reads -= dropped
        stack = {canonical(facts.arch, name) for name in facts.stack_pointer}
        if any(canonical(facts.arch, name) in stack for name in insn.writes):
            insn.writes = {name for name in insn.writes if canonical(facts.arch, name) not in stack}
            insn.sp_written, insn.sp_delta = True, None
        return insn
    return None


def _register(arch: str, name: str, word: int) -> str:
    """A register name, or the RISC-V register a field of ``word`` holds, by the name messages use (the data's last
    alias: ``a0`` for ``x10``; ``zero`` for ``x0``)."""
    start = _FIELDS.get(name)
    if start is None:
        return name
    number = (word >> start) & 31
    if number == 0:
        return "zero"
    entry = arch_data(arch).registers.get(f"x{number}")
    return entry["aliases"][-1] if entry and entry.get("aliases") else f"x{number}"


__all__ = ["record"]
