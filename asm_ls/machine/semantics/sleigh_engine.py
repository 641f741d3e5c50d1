"""The SLEIGH engine (ARM and Thumb, PowerPC, LoongArch): machine code to instruction records through pypcode, which
translates each instruction into P-code, Ghidra's register-transfer language, from the SLEIGH specification of the
processor.  The effects are read off the P-code, so they are exact by construction: a register is read when an
operation reads it before the instruction wrote it, written when an operation writes it, memory is touched by
``LOAD``/``STORE``, control flow is ``BRANCH``/``CBRANCH``/``BRANCHIND``/``CALL``/``CALLIND``/``RETURN``, and user
operations (``CALLOTHER``) name kernel calls and traps (the architecture data says which).

Values are followed symbolically inside one instruction (a register plus a constant, a register shifted or rotated by
a constant), which gives the stack pointer's change, the stack slots a register is stored to or loaded from,
register copies, increments (``ldmia r1!``) and rotations (``ror r12, r12, #3``) of a register into itself, and
instructions that leave a register with its own value (``mov r0, r0``, ``orr r0, r0, r0``, ``add r0, r0, #0``).  A condition that skips to the
next instruction is ARM's conditional execution: what follows it may not happen."""

from __future__ import annotations

import functools
import threading

from asm_ls.machine.semantics.facts import MachineFacts, machine_facts
from asm_ls.machine.semantics.records import Decoded, Insn
from asm_ls.model.arch import arch_data

try:
    import pypcode
except ImportError:         # pragma: no cover - pypcode is a dependency; without it these architectures say so
    pypcode = None

_LOCK = threading.Lock()


def available() -> bool:
    return pypcode is not None


@functools.lru_cache(maxsize=16)
def _context(language: str, thumb_context: str | None):
    """One pypcode context per language and mode (creating one reads the specification: ~0.1 s)."""
    context = pypcode.Context(language)
    if thumb_context:
        context.setVariableDefault(thumb_context, 1)
    return context


class _Names:
    """SLEIGH's register varnodes to the names the records use: the architecture data's spelling of the register
    that contains the varnode (the stack pointer, flags and link register keep SLEIGH's name, which the facts list)."""

    def __init__(self, context, facts: MachineFacts) -> None:
        self.facts = facts
        self.data = arch_data(facts.arch)
        reserved = {name for entry in self.data.data.get("reserved", []) for name in entry["names"]}
        self.known: list[tuple[int, int, str]] = []         # (offset, size, name) of the registers that matter
        for raw, varnode in context.registers.items():
            name = self.spelled(raw, reserved)
            if name is not None:
                self.known.append((varnode.offset, varnode.size, name))
        self.known.sort(key=lambda entry: entry[1])
        self.cache: dict[tuple[int, int], str | None] = {}

    def spelled(self, raw: str, reserved: set[str]) -> str | None:
        facts = self.facts
        if raw in facts.stack_pointer or raw in facts.flags:
            return raw
        name = facts.aliases.get(raw, raw).lower()
        for candidate in (name, facts.register_prefix + name):
            if self.data.canonical(candidate) is not None or candidate in reserved:
                return candidate
        return None

    def at(self, offset: int, size: int) -> str | None:
        """The smallest register that matters containing the varnode (None: a SLEIGH temporary or a register no rule
        is about)."""
        key = (offset, size)
        if key not in self.cache:
            self.cache[key] = next((name for start, length, name in self.known
                                    if start <= offset and offset + size <= start + length), None)
        return self.cache[key]


@functools.lru_cache(maxsize=16)
def _names(language: str, thumb_context: str | None, arch: str) -> _Names:
    return _Names(_context(language, thumb_context), machine_facts(arch))


def decode(facts: MachineFacts, language: str, thumb_context: str | None, code: bytes,
           regions: list[tuple[int, int, bool]]) -> Decoded:
    """The instructions of ``code``, region by region (start, end, Thumb?).  Each region is translated in one go, so
    state one instruction sets for the next (Thumb's `it`) holds, at addresses no earlier block used, so none leaks
    between blocks (SLEIGH keeps such state per address in the context)."""
    insns: list[Insn] = []
    with _LOCK:
        for start, end, thumb in regions:
            context_variable = thumb_context if thumb else None
            if thumb and not thumb_context and "Cortex" not in language and "v8-m" not in language:
                return Decoded(insns, False, f"SLEIGH's `{language}` has no Thumb mode", start)
            context = _context(language, context_variable)
            names = _names(language, context_variable, facts.arch)
            window = _window(context, end - start)
            found, stop, error = _translate(context, code[start:end], window)
            for position, length, mnemonic, body, ops in found:
                insn = Insn(position - window + start, length, mnemonic, body)
                _Effects(insn, ops, names, facts, window - start).run()
                insns.append(insn)
            if stop - window < end - start:
                return Decoded(insns, False, f"SLEIGH (`{language}`) {error}", stop - window + start)
    return Decoded(insns, True)


_WINDOW = 1 << 20           # addresses each translation gets to itself (a block is far smaller)
_WINDOWS = 2000             # windows before the context is reset (a reset costs ~80 ms; 32-bit addresses)
_used: dict[int, int] = {}


def _window(context, size: int) -> int:
    """A fresh address window for one translation (two: the disassembly gets the next one)."""
    used = _used.get(id(context), 0) + 2
    if used > _WINDOWS or size >= _WINDOW:
        context.reset()
        used = 2
    _used[id(context)] = used
    return (used - 1) * _WINDOW


def _translate(context, code: bytes, base: int) -> tuple[list[tuple], int, str]:
    """(address, length, mnemonic, operands, P-code ops) per instruction translated at ``base``, the address where
    decoding stopped, and why."""
    out: list[tuple] = []
    error = "cannot decode the instruction"
    try:
        shown = {raw.addr.offset - _WINDOW: raw
                 for raw in context.disassemble(code, base_address=base + _WINDOW).instructions}
        ops = context.translate(code, base_address=base).ops
    except (pypcode.BadDataError, IndexError):     # pypcode raises IndexError for an offset past the bytes given
        return out, base, error
    except pypcode.UnimplError:
        return out, base, "has no semantics for the instruction"
    current: list = []
    for op in ops:
        if op.opcode.name == "IMARK":
            current = []
            address = op.inputs[0].offset
            raw = shown.get(address)
            text = (raw.mnem.lower(), raw.body.strip()) if raw is not None else ("?", "")
            out.append((address, op.inputs[0].size, *text, current))
            continue
        current.append(op)
    stop = out[-1][0] + out[-1][1] if out else base
    if stop < base + len(code):
        try:
            context.translate(code, base_address=stop, offset=stop - base, max_instructions=1)
        except pypcode.UnimplError:
            error = "has no semantics for the instruction"
        except (pypcode.BadDataError, IndexError):
            pass
    return out, stop, error


def _signed(value: int, size: int) -> int:
    bits = 8 * size
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


_FOLDED = {"INT_ADD": lambda a, b: a + b, "INT_SUB": lambda a, b: a - b, "INT_MULT": lambda a, b: a * b,
           "INT_AND": lambda a, b: a & b, "INT_OR": lambda a, b: a | b, "INT_XOR": lambda a, b: a ^ b,
           "INT_LEFT": lambda a, b: a << b if b < 128 else 0, "INT_RIGHT": lambda a, b: a >> b}
_NEUTRAL = {"INT_ADD": 0, "INT_SUB": 0, "INT_OR": 0, "INT_XOR": 0, "INT_LEFT": 0, "INT_RIGHT": 0, "INT_SRIGHT": 0}


class _Effects:
    """One instruction's P-code read for its effects (values: ``("reg", name, constant)`` for a register's value at the
    instruction's start plus a constant, ``("const", c)``, ``("slot", offset)`` for a word loaded from the stack)."""

    def __init__(self, insn: Insn, ops, names: _Names, facts: MachineFacts, origin: int = 0) -> None:
        self.insn = insn
        self.origin = origin            # the address of the code's offset 0 in the translation
        self.ops = ops
        self.names = names
        self.facts = facts
        self.values: dict[tuple[str, int, int], tuple | None] = {}
        self.written: list[tuple[int, int]] = []          # register-space varnodes written so far
        self.conditional = False                           # past a condition that may skip the rest
        self.trapped = False
        self.final: dict[str, tuple | None] = {}           # register -> its value after the instruction

    def value(self, varnode) -> tuple | None:
        space = varnode.space.name
        if space == "const":
            return "const", varnode.offset
        key = (space, varnode.offset, varnode.size)
        if key in self.values:
            return self.values[key]
        if space == "register":
            if any(start < varnode.offset + varnode.size and varnode.offset < start + length
                   for start, length in self.written):
                return None
            name = self.names.at(varnode.offset, varnode.size)
            if name is not None:
                self.insn.reads.add(name)
                return ("reg", name, 0) if self._whole(varnode, name) else None
        return None

    def _whole(self, varnode, name: str) -> bool:
        return any(start == varnode.offset and length == varnode.size and known == name
                   for start, length, known in self.names.known)

    def assign(self, varnode, value: tuple | None) -> None:
        key = (varnode.space.name, varnode.offset, varnode.size)
        self.values[key] = value
        if varnode.space.name != "register":
            return
        self.written.append((varnode.offset, varnode.size))
        name = self.names.at(varnode.offset, varnode.size)
        if name is not None:
            self.insn.widths[name] = max(self.insn.widths.get(name, 0), 8 * varnode.size)
            self.final[name] = value if self._whole(varnode, name) else None

    def run(self) -> None:
        insn = self.insn
        for op in self.ops:
            self.step(op)
        sp_names = self.facts.stack_pointer
        for name, value in self.final.items():
            if name in sp_names:
                insn.sp_written = True
                moved = value is not None and value[0] == "reg"
                insn.sp_delta = _signed(value[2], self.facts.word) if moved and value[1] == name else None
                if moved and value[1] != name and value[2] == 0 and not self.conditional:
                    insn.copies.append((name, value[1]))       # `mov sp, r4`: the stack pointer r4 holds
                continue
            if name in self.facts.flags:
                insn.flags_written = True
                continue
            if value == ("reg", name, 0):
                continue            # the register keeps its value
            insn.writes.add(name)
            if value and value[0] == "rot" and value[1] == name and not self.conditional:
                insn.rotation = (name, value[2], value[3])
            if value and value[0] == "reg" and value[1] == name and not self.conditional:
                insn.increment = (name, value[2], insn.widths[name])       # `adds r1, #32`, `ldmia r1!, {...}`
            if self.conditional:
                insn.reads.add(name)    # the path that skips the write keeps the register's value
                continue            # a conditional copy or load is no restore on the path that skips it
            if value and value[0] == "const":
                insn.constant = (name, value[1])
            elif value and value[0] == "reg" and value[2] == 0 and value[1] not in sp_names:
                insn.copies.append((name, value[1]))
            elif value and value[0] == "reg" and value[1] in sp_names and value[2] == 0:
                insn.copies.append((name, value[1]))
            elif value and value[0] == "slot" and self.insn.widths.get(name) == 8 * self.facts.word:
                insn.loads.append((name, value[1]))
        dropped = self.facts.flags | self.facts.zero_registers | self.facts.ignored
        insn.reads -= dropped
        insn.writes -= dropped
        insn.loads = [(name, offset) for name, offset in insn.loads if name not in dropped]
        insn.stores = [(name, offset) for name, offset in insn.stores if name not in dropped]
        insn.widths = {name: bits for name, bits in insn.widths.items() if name in insn.writes or name in sp_names}
        if insn.stack_access and insn.sp_written:
            insn.push_pop = True
        if not insn.sp_written:
            insn.sp_delta = 0

    def step(self, op) -> None:
        insn = self.insn
        code = op.opcode.name
        inputs = op.inputs
        if code == "IMARK":
            return
        if code == "STORE":
            address, data = self.value(inputs[1]), self.value(inputs[2])
            if self._stack(address):
                insn.stack_access = insn.stack_write = True
                if data and data[0] == "reg" and data[2] == 0 and inputs[2].size == self.facts.word:
                    insn.stores.append((data[1], address[2]))
            else:
                insn.memory_write = True
            return
        if code == "LOAD":
            address = self.value(inputs[1])
            if self._stack(address):
                insn.stack_access = insn.stack_read = True
                self.assign(op.output, ("slot", address[2]) if op.output.size == self.facts.word else None)
            else:
                insn.memory_read = True
                self.assign(op.output, None)
            return
        if code in ("BRANCH", "CBRANCH", "CALL"):
            target = inputs[0]
            if code == "CBRANCH":
                self.value(inputs[1])
            if target.space.name == "const":
                return              # a branch inside the instruction's own P-code
            offset = target.offset - self.origin
            if code == "CBRANCH" and offset == insn.offset + insn.size:
                self.conditional = True     # conditional execution: the rest may be skipped
                return
            if code == "CALL":
                insn.call, insn.target = True, offset
            else:
                insn.jump, insn.target = True, offset
                insn.conditional = code == "CBRANCH" or self.conditional
            return
        if code in ("BRANCHIND", "CALLIND", "RETURN"):
            self.value(inputs[0])
            if self.trapped:
                insn.trap = True
            elif code == "CALLIND":
                insn.call, insn.target = True, None
            elif code == "RETURN" and not self.conditional:
                insn.ret = True
            else:
                insn.jump, insn.target, insn.conditional = True, None, self.conditional
            return
        if code == "CALLOTHER":
            name = inputs[0].getUserDefinedOpName()
            for varnode in inputs[1:]:
                self.value(varnode)
            if name in self.facts.kernel_calls:
                insn.kernel_call = insn.interrupt = True
            if name in self.facts.traps:
                self.trapped = True
                insn.trap = not self.conditional
            if op.output is not None:
                self.assign(op.output, None)
            return
        values = [self.value(varnode) for varnode in inputs]
        if op.output is not None:
            self.assign(op.output, self._compute(code, values, op.output.size))

    def _stack(self, address: tuple | None) -> bool:
        return bool(address) and address[0] == "reg" and address[1] in self.facts.stack_pointer

    @staticmethod
    def _compute(code: str, values: list, size: int) -> tuple | None:
        if code == "COPY" or (code in ("INT_ZEXT", "INT_SEXT") and values[0] and values[0][0] == "const"):
            return values[0]
        if len(values) != 2 or None in values:
            return None
        first, second = values
        if first[0] == "const" and second[0] == "const" and code in _FOLDED:
            return "const", _FOLDED[code](first[1], second[1]) & ((1 << (8 * size)) - 1)
        if code in ("INT_LEFT", "INT_RIGHT") and first[0] == "reg" and first[2] == 0 and second[0] == "const":
            return ("shl" if code == "INT_LEFT" else "shr"), first[1], second[1]
        if code in ("INT_OR", "INT_XOR", "INT_ADD") and {first[0], second[0]} == {"shl", "shr"} \
                and first[1] == second[1]:
            left, right = (first, second) if first[0] == "shl" else (second, first)
            if left[2] + right[2] == 8 * size:
                return "rot", left[1], left[2] % (8 * size), 8 * size   # rotated left by left[2] bits
        if code in ("INT_OR", "INT_AND") and first == second:
            return first
        if code in ("INT_ADD", "INT_SUB") and first[0] == "reg" and second[0] == "const":
            amount = _signed(second[1], size)
            return "reg", first[1], first[2] + (amount if code == "INT_ADD" else -amount)
        if code == "INT_ADD" and first[0] == "const" and second[0] == "reg":
            return "reg", second[1], second[2] + _signed(first[1], size)
        if code in _NEUTRAL and second == ("const", _NEUTRAL[code]):
            return first
        if code == "INT_AND" and second[0] == "const" and second[1] == (1 << (8 * size)) - 1:
            return first
        return None


__all__ = ["available", "decode"]
