"""Instruction semantics: one interface over the engines that turn a block's machine code into instruction records
(``records.Insn``: registers read and written, flags, memory and stack, control flow), keyed by the target's
instruction set (architecture, ARM or Thumb, byte order, word size).

- ``capstone_engine``: x86, x86_64, AArch64 (and arm64ec), RISC-V, with asm-ls's corrections of capstone's gaps;
  for AArch64, SLEIGH's P-code adds the effects capstone misses and decodes the blocks capstone cannot;
- ``sleigh_engine``: ARM and Thumb (every profile: the M-profile ``Cortex`` and ``v8-m`` languages for ``mclass``
  targets), PowerPC (either byte order, 32 and 64 bits), LoongArch, through pypcode's P-code;
- ``table_engine``: s390x, capstone's operands with a data table of what each instruction does with them
  (``asm_ls/data/semantics/s390x.json``, from the Principles of Operation);
- the others (the experimental architectures) have none, and :func:`decode_block` says why.

An instruction capstone cannot decode is taken from the data's ``fallback`` SLEIGH language (x86; its record is to be
confirmed against the mnemonic written, ``Insn.confirm``) or from ``encodings`` (effects certain from the encoding).

Which engine and which SLEIGH language an architecture uses, and its stack pointer, flags, zero registers and the like,
are data (``facts.py``).  ARM's mapping symbols in the object (``$a``, ``$t``, ``$d``) say where the code is ARM,
Thumb or data: each region is decoded in its own mode, and a block with data among its instructions is not analysed.
"""

from __future__ import annotations

from asm_ls.machine.objects import BlockCode
from asm_ls.machine.semantics import capstone_engine, constraints, encodings, sleigh_engine, table_engine
from asm_ls.machine.semantics.facts import MachineFacts, canonical, machine_facts
from asm_ls.machine.semantics.records import Decoded, Detail, Insn
from asm_ls.model.target import Target


def engine_of(arch: str) -> str | None:
    """The engine that decodes ``arch`` on this installation (None: none does)."""
    facts = machine_facts(arch)
    if facts.engine == "capstone" and capstone_engine.available(arch):
        return "capstone"
    if facts.engine == "sleigh" and sleigh_engine.available():
        return "sleigh"
    if facts.engine == "table" and table_engine.available(arch):
        return "table"
    return None


def available(arch: str) -> bool:
    return engine_of(arch) is not None


def unsupported_reason(arch: str) -> str:
    """Why ``arch`` has no semantics."""
    facts = machine_facts(arch)
    if facts.unsupported:
        return facts.unsupported
    if facts.engine == "sleigh":
        return "pypcode, which gives its semantics, is not installed"
    if facts.engine in ("capstone", "table"):
        return "capstone, which decodes it, is not installed"
    return f"asm-ls has no instruction semantics for {arch}"


def decode_block(arch: str, target: Target | None, code: BlockCode) -> Decoded:
    """Every instruction of one block's code for ``target`` (its SLEIGH language and mode), never None: a block
    that cannot be fully decoded comes back incomplete with the reason.  Register fields whose encoding gives some
    registers another meaning are marked (``constraints.py``)."""
    decoded = _decode_block(arch, target, code)
    constraints.annotate(arch, decoded.insns)
    return decoded


def _decode_block(arch: str, target: Target | None, code: BlockCode) -> Decoded:
    engine = engine_of(arch)
    if engine is None:
        return Decoded([], False, unsupported_reason(arch), 0)
    data = next((offset for offset, kind in code.mapping if kind == "d" and offset < len(code.code)), None)
    if data is not None:
        return Decoded([], False, "the block has data (`.word`, `.byte`, a literal pool) among its instructions, first at", data)
    facts = machine_facts(arch)
    if engine == "table":
        return table_engine.decode(arch, code.code) or Decoded([], False, unsupported_reason(arch), 0)
    if engine == "capstone":
        decoded = _capstone(arch, facts, target or Target(arch=arch), code)
        if decoded is None:
            return Decoded([], False, unsupported_reason(arch), 0)
        if facts.cross_check and sleigh_engine.available():
            if not decoded.complete:
                # Capstone stops (an encoding newer than it): SLEIGH's records for the whole block, when it decodes it.
                fallback = _sleigh(facts, target or Target(arch=arch), code, facts.cross_check)
                return fallback if fallback is not None and fallback.complete else decoded
            _cross_check(decoded, facts, target or Target(arch=arch), code)
        return decoded
    decoded = _sleigh(facts, target or Target(arch=arch), code)
    return decoded if decoded is not None else Decoded([], False, f"no SLEIGH language is known for this {arch} "
                                                                  "target", 0)


def _capstone(arch: str, facts: MachineFacts, target: Target, code: BlockCode) -> Decoded | None:
    """Capstone's records, and for each instruction it cannot decode (an encoding newer than it), the record of the
    architecture's ``fallback`` SLEIGH language (``Insn.confirm``: to be checked against the mnemonic the template
    writes), else of its ``encodings`` (certain from the encoding alone); decoding stops at an instruction none of
    them knows."""
    insns: list[Insn] = []
    start = 0
    while True:
        part = capstone_engine.decode(arch, code.code, code.little, code.relocated, start)
        if part is None:
            return None
        insns += part.insns
        if part.complete or part.stop is None:
            return Decoded(insns, part.complete, part.reason, part.stop)
        found = _fallback(facts, target, code, part.stop)
        if found is None:
            return Decoded(insns, False, part.reason, part.stop)
        insns.append(found)
        start = found.offset + found.size


def _fallback(facts: MachineFacts, target: Target, code: BlockCode, offset: int) -> Insn | None:
    """The one instruction at ``offset`` from SLEIGH (the ``fallback`` languages) or the encodings' data; None past
    the code's end or for an instruction that would run past it."""
    if offset >= len(code.code):
        return None
    if facts.fallback and sleigh_engine.available():
        chosen = facts.sleigh_language(target, code.little, code.bits, facts.fallback)
        if chosen is not None:
            found = sleigh_engine.decode(facts, chosen[0], None, code.code, [(offset, len(code.code), False)])
            first = found.insns[0] if found.insns else None
            if first is not None and first.offset == offset and offset + first.size <= len(code.code):
                first.confirm = True
                first.operand_reads = None      # P-code reads a register it then discards (a masked move's merge)
                return first
    return encodings.record(facts, target, code.code, offset, code.little)


def _sleigh(facts: MachineFacts, target: Target, code: BlockCode, entries: tuple | None = None) -> Decoded | None:
    """SLEIGH's records for the block in the target's language (from ``entries``, default the engine's); None when
    no language fits the target."""
    chosen = facts.sleigh_language(target, code.little, code.bits, entries)
    if chosen is None:
        return None
    language, thumb_context = chosen
    return sleigh_engine.decode(facts, language, thumb_context, code.code, _regions(code, language))


def _cross_check(decoded: Decoded, facts: MachineFacts, target: Target, code: BlockCode) -> None:
    """Complete capstone's records with SLEIGH's evidence for the same bytes: reads it lists, writes of registers
    capstone says nothing about (neither read nor written: a register capstone reads and does not write is one it
    judged unchanged, as `mov w0, w0`), flags and memory.  Nothing is removed; bytes SLEIGH cannot decode keep
    capstone's records alone."""
    found = _sleigh(facts, target, code, facts.cross_check)
    evidence = {insn.offset: insn for insn in found.insns} if found is not None else {}

    def names(registers) -> set[str]:
        return {canonical(facts.arch, name) for name in registers}

    for insn in decoded.insns:
        other = evidence.get(insn.offset)
        if other is None or other.size != insn.size:
            continue
        known, read = names(insn.reads | insn.writes), names(insn.reads)
        insn.reads |= {name for name in other.reads if canonical(facts.arch, name) not in read}
        insn.writes |= {name for name in other.writes if canonical(facts.arch, name) not in known}
        insn.flags_written |= other.flags_written and not insn.kernel_call
        insn.memory_read |= other.memory_read
        insn.memory_write |= other.memory_write
        insn.kernel_call |= other.kernel_call


def decode(arch: str, code: bytes, little: bool = True, target: Target | None = None, thumb: bool = False,
           relocated: frozenset[int] = frozenset()) -> Decoded:
    """``code`` as one block (``thumb``: Thumb code, for ARM)."""
    mapping = ((0, "t"),) if thumb else ()
    return decode_block(arch, target, BlockCode(code, {}, little, 64 if arch.endswith("64") else 32, relocated,
                                                mapping))


def _regions(code: BlockCode, language: str) -> list[tuple[int, int, bool]]:
    """(start, end, Thumb?) from the mapping symbols; code without them is in the language's default mode."""
    marks = sorted((offset, kind) for offset, kind in code.mapping if kind in "at")
    default = "Cortex" in language or "v8-m" in language
    if not marks or marks[0][0] > 0:
        marks.insert(0, (0, "t" if default else "a"))
    out = []
    for index, (start, kind) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(code.code)
        if end > start:
            out.append((start, end, kind == "t"))
    return out


def details(arch: str, code: bytes, little: bool = True, target: Target | None = None,
            block: BlockCode | None = None) -> list[Detail] | None:
    """Every instruction of ``code`` for a reader (hover); None when the architecture is not decoded."""
    engine = engine_of(arch)
    if engine == "capstone":
        return capstone_engine.details(arch, code, little)
    if engine is None:
        return None
    decoded = decode_block(arch, target, block or BlockCode(code, {}, little))
    facts = machine_facts(arch)
    return [Detail(insn.offset, code[insn.offset:insn.offset + insn.size], insn.mnemonic, insn.op_str,
                   sorted(insn.reads), sorted(insn.writes | ({"sp"} if insn.sp_written else set())),
                   ["flags"] if insn.flags_written else [], sorted(insn.reads & facts.flags),
                   insn.memory_read or insn.stack_read, insn.memory_write or insn.stack_write, [])
            for insn in decoded.insns]


def mnemonics(arch: str) -> list[str]:
    """The instruction names the engine knows for ``arch`` (completion), lowercase, sorted; empty when unknown."""
    return capstone_engine.mnemonics(arch) if engine_of(arch) == "capstone" else []


__all__ = ["Decoded", "Detail", "Insn", "MachineFacts", "available", "decode", "decode_block", "details", "engine_of",
           "machine_facts", "mnemonics", "unsupported_reason"]
