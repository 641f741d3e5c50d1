"""Contract analysis: what a block's machine code does against what its operands and options declare.

The blocks are assembled once more with a label before each template line (``generate.line_label``), the object is
read back (``objects.py``), each block's section is decoded (``decode.py``) and walked instruction by instruction.

APPROXIMATION: the walk is straight-line, in address order; branches, loops and labels are not followed (the issue
asks for an analysis over the block's control flow later).  Saves and restores are recognised along that one line:
``push``/``pop`` and stores/loads through the stack pointer at a known offset, register moves and ``xchg``."""

from __future__ import annotations

from dataclasses import replace

from asm_ls.diagnostics import Diagnostic
from asm_ls.machine import backend
from asm_ls.machine.decode import Insn, available, decode
from asm_ls.machine.generate import GeneratedBlock, generate_crate, labels_safe, statements
from asm_ls.machine.objects import BlockCode, ObjectError, block_code, read_elf
from asm_ls.machine.substitute import REGISTER_KINDS, Substituter
from asm_ls.model.arch import ArchData, arch_data
from asm_ls.model.target import Target

UNDECLARED = "undeclared-clobber"
INPUT_OVERWRITTEN = "input-overwritten"
FLAGS = "flags-not-preserved"
NOMEM = "memory-with-nomem"
READONLY = "write-with-readonly"
NOSTACK = "stack-with-nostack"
CALL = "call-without-clobber-abi"

_CACHE: dict[tuple, tuple[BlockCode, list[Insn]] | None] = {}
_CACHE_LIMIT = 4096


def contract_diagnostics(blocks: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
                         version: str, timeout: float = backend.DEFAULT_TIMEOUT) -> list[Diagnostic]:
    """The contract findings for the ``asm!`` blocks among ``blocks`` (blocks that assembled without errors), from one
    more rustc run over those not already decoded.  Silent for architectures it cannot decode and for non-ELF
    targets (the blocks have no section of their own there)."""
    if not available(arch) or target.is_like_windows or target.is_like_darwin or target.is_like_aix:
        return []
    chosen = [replace(block, line_labels=True) for block in blocks
              if block.resolved.block.kind == "asm" and labels_safe(block)]
    if not chosen:
        return []
    context = (target.triple, tuple(features), version)
    missing = [block for block in chosen if (block.key(), context) not in _CACHE]
    if missing:
        try:
            run = backend.compile_crate(rustc, generate_crate(missing), target.triple, arch, features, timeout,
                                        keep_object=True)
        except backend.BackendError:
            return []       # the assembler's own run reports rustc's troubles
        decoded = _decode_object(run.object, missing, arch)
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        for block, result in zip(missing, decoded):
            _CACHE[(block.key(), context)] = result
    out: list[Diagnostic] = []
    for block in chosen:
        result = _CACHE.get((block.key(), context))
        if result is not None:
            out += analyze_block(block, result[0], result[1], arch, target)
    return out


def _decode_object(data: bytes | None, blocks: list[GeneratedBlock], arch: str) \
        -> list[tuple[BlockCode, list[Insn]] | None]:
    if data is None:
        return [None] * len(blocks)
    try:
        obj = read_elf(data)
    except ObjectError:
        return [None] * len(blocks)
    out: list[tuple[BlockCode, list[Insn]] | None] = []
    for block in blocks:
        code = block_code(obj, block.block_id)
        decoded = decode(arch, code.code, code.little) if code is not None else None
        # A block whose bytes do not all decode (data, an encoding capstone does not know) is left alone.
        out.append((code, decoded.insns) if decoded is not None and decoded.complete else None)
    return out


class _Registers:
    """Capstone register names to the architecture data's registers."""

    def __init__(self, data: ArchData, target: Target) -> None:
        self.data = data
        self.target = target
        self.reserved: dict[str, str] = {}
        for entry in data.data.get("reserved", []):
            for name in entry["names"]:
                self.reserved[name] = entry["names"][0]

    def canonical(self, name: str) -> str | None:
        return self.data.canonical(name) or self.reserved.get(name)

    def declarable(self, register: str) -> bool:
        return register in self.data.registers and register not in self.reserved.values() \
            and self.data.filter_error(register, self.target, True) is None

    def overlapping(self, register: str) -> set[str]:
        if register not in self.data.registers:
            return {register}
        return set(self.data.overlapping(register, self.target)) | {register}

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or self.overlapping(inner) <= self.overlapping(outer)


def analyze_block(block: GeneratedBlock, code: BlockCode, insns: list[Insn], arch: str, target: Target) \
        -> list[Diagnostic]:
    """The findings for one block from its decoded instructions."""
    data = arch_data(arch)
    resolved = block.resolved
    asm = resolved.block
    registers = _Registers(data, target)
    allocated = Substituter(resolved, target, block.block_id).registers
    outputs: set[str] = set()
    inputs: dict[str, str] = {}         # register -> how the template names the `in` operand
    for operand in asm.operands:
        if operand.kind not in REGISTER_KINDS or operand.reg is None:
            continue
        name = data.canonical(operand.reg.name) if operand.reg.explicit else allocated.get(operand.index)
        if name is None:
            continue
        if operand.is_output:
            outputs.add(name)
        else:
            inputs[name] = f'`in("{operand.reg.name}")`' if operand.reg.explicit \
                else f"`{{{operand.name if operand.name else operand.index}}}`"
    abi_clobbers: set[str] = set()
    for argument in asm.clobber_abis:
        for name, _, _ in argument.abis:
            entry, _ = data.clobber_abi(name, target)
            if entry is not None:
                abi_clobbers.update(entry["clobbers"])
    declared = outputs | abi_clobbers
    options = asm.option_names
    comments = tuple(data.data.get("line_comments", ()))
    where = _Locator(block, code, insns, comments)
    out: list[Diagnostic] = []

    def report(code_: str, message: str, insn: Insn, severity: str, data_: dict | None = None, notes=()) -> None:
        message = message.replace(f"`{insn.mnemonic}`", f"`{_shown(insn.mnemonic)}`", 1)
        start, end = where.range(insn)
        out.append(Diagnostic(code_, message, start, end, severity=severity, target=arch, data=data_ or {},
                              notes=tuple(notes)))

    # Options.
    for insn in insns:
        if "preserves_flags" in options and insn.flags_written:
            report(FLAGS, f"`{insn.mnemonic}` changes the flags, but the block has `options(preserves_flags)`", insn,
                   "error", {"remove_option": "preserves_flags"})
        if "nomem" in options and (insn.memory_read or insn.memory_write):
            verb = "writes" if insn.memory_write and not insn.memory_read else "reads" if not insn.memory_write \
                else "reads and writes"
            report(NOMEM, f"`{insn.mnemonic}` {verb} memory, but the block has `options(nomem)`", insn, "error",
                   {"replace_option": ["nomem", "readonly" if not insn.memory_write else None]})
        if "readonly" in options and insn.memory_write:
            report(READONLY, f"`{insn.mnemonic}` writes memory, but the block has `options(readonly)`", insn, "error",
                   {"remove_option": "readonly"})
        if "nostack" in options and (insn.push_pop or insn.call or insn.sp_written or insn.stack_write):
            what = "pushes or pops" if insn.push_pop else "calls, which pushes a return address or uses the stack" \
                if insn.call else "moves the stack pointer" if insn.sp_written else "writes to the stack"
            report(NOSTACK, f"`{insn.mnemonic}` {what}, but the block has `options(nostack)`", insn, "error",
                   {"remove_option": "nostack"})
        if insn.call and not asm.clobber_abis:
            report(CALL, f"`{insn.mnemonic}` calls a function, but the block has no `clobber_abi`: the registers the "
                         "callee may change are not declared", insn, "warning", {"add": ['clobber_abi("C")']})

    if "noreturn" in options:
        return out
    # Registers: a straight-line walk with symbolic values, to tell a save/restore from a clobber.
    state: dict[str, tuple] = {}
    slots: dict[int, tuple] = {}
    sp: int | None = 0
    first_write: dict[str, tuple[Insn, str]] = {}

    def value(register: str) -> tuple:
        return state.get(register, ("entry", register))

    def assign(register: str, token: tuple) -> None:
        for other in registers.overlapping(register):
            state[other] = ("partial", id(token)) if other != register else token
        state[register] = token
        if token == ("entry", register):
            for other in registers.overlapping(register):
                if registers.contains(register, other):
                    state[other] = ("entry", other)

    for position, insn in enumerate(insns):
        loaded = {}
        for name, offset in insn.loads:
            canonical = registers.canonical(name)
            if canonical is not None:
                loaded[canonical] = slots.get(sp + offset, ("unknown", position)) if sp is not None \
                    else ("unknown", position)
        copied = {}
        for target_name, source_name in insn.copies:
            destination, origin = registers.canonical(target_name), registers.canonical(source_name)
            if destination is not None and origin is not None:
                copied[destination] = value(origin)
        if sp is not None:
            for name, offset in insn.stores:
                canonical = registers.canonical(name)
                slots[sp + offset] = value(canonical) if canonical is not None else ("unknown", position)
        for name in sorted(insn.writes):
            canonical = registers.canonical(name)
            if canonical is None:
                continue
            first_write.setdefault(canonical, (insn, name))
            rotated = _rotation(insn, name, value(canonical), canonical)
            assign(canonical, rotated or loaded.get(canonical) or copied.get(canonical)
                   or ("written", position, canonical))
        sp = None if sp is None or insn.sp_delta is None else sp + insn.sp_delta

    for register, (insn, name) in first_write.items():
        if value(register) == ("entry", register):
            continue            # saved and restored
        if any(registers.contains(declared_register, register) for declared_register in declared):
            continue
        if not registers.declarable(register):
            report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}` and the block does not restore it; `{name}` cannot "
                               "be declared as an operand, so it must be saved and restored", insn, "error")
        elif register in inputs:
            report(INPUT_OVERWRITTEN, f"`{insn.mnemonic}` overwrites `{name}`, the register of the input {inputs[register]}: "
                                      "an input register must hold its value at the end of the block (use `inout`)",
                   insn, "error", {"make_inout": name})
        else:
            report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}`, which is not declared as an output or clobber",
                   insn, "error", {"add": [f'out("{name}") _']})
    return out


_ROTATIONS = {"rol": 1, "ror": -1}


def _rotation(insn: Insn, name: str, current: tuple, register: str) -> tuple | None:
    """A rotation of a register by an immediate keeps its value symbolic: rotations that add up
    to the full width give the entry value back (valgrind's and other magic sequences)."""
    direction = _ROTATIONS.get(insn.mnemonic)
    if direction is None:
        return None
    operands = [part.strip().lstrip("#") for part in insn.op_str.split(",")]
    if len(operands) == 3 and operands[0] == operands[1]:
        operands = [operands[0], operands[2]]
    if len(operands) != 2 or operands[0] != name:
        return None
    try:
        amount = int(operands[1], 0)
    except ValueError:
        return None
    width = 32 if name[:1] in ("e", "w") else 64
    if current == ("entry", register):
        turned = 0
    elif current[:2] == ("rotated", register) and current[3] == width:
        turned = current[2]
    else:
        return None
    turned = (turned + direction * amount) % width
    return ("entry", register) if turned == 0 else ("rotated", register, turned, width)


def _shown(mnemonic: str) -> str:
    """The mnemonic as the template spells it: RISC-V's compressed forms are chosen by the assembler (``li`` ->
    ``c.li``)."""
    return mnemonic[2:] if mnemonic.startswith("c.") else mnemonic


class _Locator:
    """The template characters of an instruction: its line's statement (the k-th instruction statement of a line for
    the k-th instruction decoded from it when the counts agree), else the whole line, else the block's templates."""

    def __init__(self, block: GeneratedBlock, code: BlockCode, insns: list[Insn], comments: tuple[str, ...]) -> None:
        self.block = block
        self.comments = comments
        self.line_of = {id(insn): code.line_at(insn.offset) for insn in insns}
        self.per_line: dict[int, list[int]] = {}
        for insn in insns:
            line = self.line_of[id(insn)]
            if line is not None:
                self.per_line.setdefault(line, []).append(id(insn))

    def range(self, insn: Insn) -> tuple[int, int]:
        line_index = self.line_of.get(id(insn))
        if line_index is None or not 0 <= line_index < len(self.block.lines):
            return self.block.range
        line = self.block.lines[line_index]
        found = [(first, last) for first, last in statements(line.text, self.comments)
                 if not line.text[first:last].startswith(".") and not line.text[first:last].rstrip().endswith(":")]
        found = [_without_labels(line.text, first, last) for first, last in found]
        members = self.per_line.get(line_index, [])
        if len(found) == len(members) and id(insn) in members:
            first, last = found[members.index(id(insn))]
        elif found:
            first, last = found[0][0], found[-1][1]
        else:
            first, last = 0, len(line.text)
        origins = [origin for origin in line.origin[first:last] if origin is not None]
        if not origins:
            return self.block.range
        return min(o[0] for o in origins), max(o[1] for o in origins)


def _without_labels(text: str, first: int, last: int) -> tuple[int, int]:
    """A statement without the labels in front of it (``1: add ...``)."""
    body = text[first:last]
    while True:
        head, colon, rest = body.partition(":")
        if not colon or not head.strip() or any(c.isspace() or c in "[](),#" for c in head.strip()):
            return first, last
        skipped = len(head) + 1 + (len(rest) - len(rest.lstrip()))
        first += skipped
        body = body[skipped:]
        if not body:
            return first, last
