"""The table engine (s390x): capstone decodes the instructions and their operands (registers, immediates, storage
operands with base and index), and a data table built from the architecture's manual says what each operand is for
(``asm_ls/data/semantics/<table>.json``, validated by ``schemas/semantics-table.schema.json``): read or written,
an even-odd register pair or a range of registers, a storage operand loaded, stored or only an address, a branch
target; whether the instruction sets or reads the condition code; calls, jumps and branches.  Capstone 5 decodes
s390x without register access lists, and SLEIGH has no s390x specification: the table is the one source of effects.

An instruction the table has no entry for (or whose operands do not match it) stops the block with the reason:
never a guess.  The machine's facts (stack pointer, link register, flags) come from the architecture data
(``facts.py``)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

from asm_ls.machine.semantics.facts import MachineFacts, machine_facts
from asm_ls.machine.semantics.records import Decoded, Insn

try:
    import capstone
except ImportError:         # pragma: no cover - capstone is a dependency
    capstone = None


@dataclass(frozen=True)
class Entry:
    """One row of the table: the roles of an instruction's operands, in capstone's order."""

    operands: tuple[str, ...]
    cc: str = ""                # "r", "w", "rw": reads, sets or reads and sets the condition code (only setting it is
    #                             a record's fact: the contract rules are about changing it)
    control: str = ""           # "call", "jump", "branch"
    optional: int = 0           # trailing immediates capstone may add (an alignment hint, a mask)
    kernel_call: bool = False
    range: str = ""             # "r"/"w": the registers from the `first` operand to the `last` (wrapping around)
    implicit_reads: tuple[str, ...] = ()
    implicit_writes: tuple[str, ...] = ()
    zeroing: bool = False       # the same register twice: the result does not depend on it (`xgr r1, r1`)
    idempotent: bool = False    # the same register twice: the value stays (`ogr r1, r1`)
    increment: bool = False     # a register plus its immediate (`aghi r1, 8`)
    unconditional: bool = False
    write_only_if: tuple[int, int] | None = None    # (operand, bit): the first operand is only written when set
    copy: bool = False          # copies a whole register into another (`lgr`)
    whole: bool = False         # loads or stores whole registers (`stg`, `stmg`): stack slots that save them


class Table:
    """One architecture's table: exact mnemonics, then patterns, in the file's order."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.source = data["source"]
        self.zero = data.get("zero_means_none")
        self.exact: dict[str, Entry] = {}
        self.patterns: list[tuple[re.Pattern, dict, Entry]] = []
        for row in data["instructions"]:
            if "pattern" in row:
                self.patterns.append((re.compile(row["pattern"]), row, _entry(row, None)))
            for mnemonic in row.get("mnemonics", ()):
                self.exact.setdefault(mnemonic, _entry(row, mnemonic))

    def entry(self, mnemonic: str) -> Entry | None:
        found = self.exact.get(mnemonic)
        if found is not None:
            return found
        for pattern, row, entry in self.patterns:
            if pattern.match(mnemonic):
                return _entry(row, mnemonic) if mnemonic in row.get("unconditional", ()) else entry
        return None


def _entry(row: dict, mnemonic: str | None) -> Entry:
    def listed(key: str) -> bool:
        return mnemonic is not None and mnemonic in row.get(key, ())

    only_if = row.get("write_only_if")
    return Entry(tuple(row["operands"]), "" if listed("keeps_cc") else row.get("cc", ""), row.get("control", ""),
                 row.get("optional", 0), row.get("kernel_call", False), row.get("range", ""),
                 tuple(row.get("implicit_reads", ())), tuple(row.get("implicit_writes", ())), listed("zeroing"),
                 listed("idempotent"), listed("increments"), listed("unconditional"),
                 (only_if["operand"], only_if["mask"]) if only_if else None, listed("copies"), listed("whole"))


@functools.lru_cache(maxsize=None)
def table(name: str) -> Table:
    text = resources.files("asm_ls.data").joinpath("semantics", f"{name}.json").read_text(encoding="utf-8")
    return Table(json.loads(text))


def available(arch: str) -> bool:
    facts = machine_facts(arch)
    return capstone is not None and facts.engine == "table" and bool(facts.table)


@functools.lru_cache(maxsize=None)
def _decoder(name: str):
    """Capstone for the table's architecture and its register numbers -> the architecture data's names."""
    spec = table(name).data["decoder"]
    md = capstone.Cs(getattr(capstone, spec["capstone_arch"]),
                     functools.reduce(lambda a, b: a | b, (getattr(capstone, m) for m in spec["capstone_mode"]), 0))
    md.detail = True
    prefix, renamed, numbered = spec["register_constants"], spec.get("register_names", {}), spec.get("numbered", "")
    names: dict[int, str] = {}
    for module in [value for key, value in vars(capstone).items() if key.endswith("_const")]:
        for constant, number in vars(module).items():
            if constant.startswith(prefix) and isinstance(number, int):
                suffix = constant[len(prefix):]
                if suffix in ("INVALID", "ENDING"):
                    continue
                names[number] = renamed.get(suffix, numbered + suffix if suffix.isdigit() else suffix.lower())
    return md, names


def decode(arch: str, code: bytes) -> Decoded | None:
    """Every instruction of ``code``; None when the architecture has no table."""
    if not available(arch):
        return None
    facts = machine_facts(arch)
    known = table(facts.table)
    md, names = _decoder(facts.table)
    insns: list[Insn] = []
    end = 0
    for raw in md.disasm(code, 0):
        insn = Insn(raw.address, raw.size, raw.mnemonic, raw.op_str)
        entry = known.entry(raw.mnemonic)
        if entry is None:
            return Decoded(insns, False, f"asm-ls's {arch} instruction table has no entry for", raw.address)
        if not _Effects(raw, insn, entry, names, facts, known.zero).run():
            return Decoded(insns, False, f"the operands capstone decodes do not match asm-ls's {arch} instruction "
                                         "table for", raw.address)
        insns.append(insn)
        end = raw.address + raw.size
    if end == len(code):
        return Decoded(insns, True)
    version = ".".join(str(part) for part in capstone.version_bind()[:2])
    return Decoded(insns, False, f"capstone {version} cannot decode the instruction", end)


class _Effects:
    """One instruction's record from its table entry and capstone's operands."""

    def __init__(self, raw, insn: Insn, entry: Entry, names: dict[int, str], facts: MachineFacts,
                 zero: str | None) -> None:
        self.raw, self.insn, self.entry, self.names, self.facts, self.zero = raw, insn, entry, names, facts, zero
        self.reads: list[str] = []
        self.writes: list[str] = []
        self.memory: list[tuple[str, object]] = []     # (role, capstone memory operand)
        self.first: str | None = None
        self.last: str | None = None
        self.mask: int | None = None                   # a branch's condition mask
        self.via: str | None = None                    # a branch's target register ("": none)
        self.target: int | None = None

    def run(self) -> bool:
        cs, entry, operands = capstone, self.entry, list(self.raw.operands)
        if not len(entry.operands) <= len(operands) <= len(entry.operands) + entry.optional:
            return False
        if any(op.type != cs.CS_OP_IMM for op in operands[len(entry.operands):]):
            return False
        for role, op in zip(entry.operands, operands):
            if not self.operand(role, op):
                return False
        self.finish()
        return True

    def operand(self, role: str, op) -> bool:
        cs = capstone
        if role in ("i", "cmask", "mask"):
            if op.type != cs.CS_OP_IMM:
                return False
            if role == "mask":
                self.mask = op.imm
            return True
        if role == "target":
            if op.type != cs.CS_OP_IMM:
                return False
            self.target = op.imm
            return True
        if role in ("load", "store", "load+store", "addr", "target-addr"):
            if op.type == cs.CS_OP_IMM:
                # An address with neither base nor index (capstone gives its displacement), or a shift count.
                self.via = "?" if role == "target-addr" else self.via
                if role not in ("addr", "target-addr"):
                    self.memory.append((role, None))
                return True
            if op.type != cs.CS_OP_MEM:
                return False
            for number in (op.mem.base, op.mem.index):
                name = self.names.get(number) if number else None
                if name is not None and name != self.zero:
                    self.reads.append(name)
                    self.insn.fields.append((name, "address"))
            if role == "target-addr":
                self.via = "?"      # the target is read from the address computed: not known
            else:
                self.memory.append((role, op))
            return True
        if op.type != cs.CS_OP_REG:
            return False
        name = self.names.get(op.reg)
        if name is None:
            return False
        if role == "target-reg":
            self.via = "" if name == self.zero else name
            if self.via:
                self.reads.append(name)
                self.insn.fields.append((name, "branch"))
            return True
        if role in ("first", "last"):
            setattr(self, role, name)
            return True
        for part in role.split("+"):
            if part in ("r", "w", "rw"):
                if "r" in part:
                    self.reads.append(name)
                if "w" in part:
                    self.writes.append(name)
            elif part in ("r2", "w2", "rw2"):
                pair = _pair(name)
                if pair is None:
                    return False
                if "r" in part:
                    self.reads += pair
                if "w" in part:
                    self.writes += pair
            elif part == "rodd":
                pair = _pair(name)
                if pair is None:
                    return False
                self.reads.append(pair[1])
            else:
                return False
        return True

    def finish(self) -> None:
        insn, entry, facts = self.insn, self.entry, self.facts
        raw = self.raw
        operands = list(raw.operands)
        registers = [self.names.get(op.reg) for op in operands if op.type == capstone.CS_OP_REG]
        if entry.range and self.first is not None and self.last is not None:
            covered = _range(self.first, self.last)
            (self.reads if entry.range == "r" else self.writes).extend(covered)
        if entry.write_only_if is not None:
            index, bit = entry.write_only_if
            if operands[index].imm & bit and operands[0].type == capstone.CS_OP_REG:
                first = self.names.get(operands[0].reg)
                if first in self.reads and registers.count(first) == 1:
                    self.reads.remove(first)
        self.reads += entry.implicit_reads
        self.writes += entry.implicit_writes
        same = len(registers) >= 2 and len(set(registers)) == 1 and len(registers) == len(operands)
        if entry.zeroing and same:
            self.reads = []
        insn.reads, insn.writes = set(self.reads), set(self.writes)
        insn.operand_reads = set(self.reads) - set(entry.implicit_reads)
        if (entry.idempotent and same) or (self.copy() is not None and same):
            insn.writes = set()
        insn.flags_written = "w" in entry.cc     # the flags themselves are not registers of the records
        insn.kernel_call = entry.kernel_call
        insn.interrupt = entry.kernel_call
        self.control()
        self.storage()
        copy = self.copy()
        if copy is not None and not same:
            insn.copies = [copy]
        self.increments()
        stack = facts.stack_pointer
        if insn.writes & stack:
            insn.sp_written = True
            insn.writes -= stack
            if insn.increment is not None and insn.increment[0] in stack:
                insn.sp_delta, insn.increment = insn.increment[1], None
            else:
                insn.sp_delta = None
        dropped = facts.flags | facts.zero_registers | facts.ignored
        insn.reads -= dropped
        insn.writes -= dropped

    def copy(self) -> tuple[str, str] | None:
        """A whole 64-bit register copied into another (`lgr`)."""
        if not self.entry.copy:
            return None
        first, second = (self.names.get(op.reg) for op in self.raw.operands)
        return first, second

    def increments(self) -> None:
        """A register plus a constant into itself: `aghi r1, 8`, `la r1, 8(r1)`, `lay r15, -160(r15)`."""
        insn, raw = self.insn, self.raw
        operands = list(raw.operands)
        if len(operands) != 2 or operands[0].type != capstone.CS_OP_REG:
            return
        name = self.names.get(operands[0].reg)
        second = operands[1]
        if self.entry.increment and second.type == capstone.CS_OP_IMM:
            insn.increment = (name, second.imm, 8 * self.facts.word)
        elif self.entry.operands == ("w", "addr") and second.type == capstone.CS_OP_MEM and not second.mem.index \
                and self.names.get(second.mem.base) == name:
            insn.increment = (name, second.mem.disp, 8 * self.facts.word)
            if second.mem.disp == 0:
                insn.writes.discard(name)
                insn.increment = None

    def control(self) -> None:
        insn, entry = self.insn, self.entry
        if not entry.control:
            return
        never = self.mask == 0 or self.via == ""
        if entry.control == "call":
            if self.via == "":
                return      # `basr r14, 0`: the return address into R1, no branch
            insn.call = True
            insn.target = self.target
            return
        if never:
            return
        conditional = entry.control == "branch" and not entry.unconditional and self.mask != 15
        insn.jump, insn.conditional = True, conditional
        if self.via:
            if self.via in self.facts.link_register and not conditional:
                insn.ret = True
            return
        insn.target = self.target

    def storage(self) -> None:
        """Loads and stores: through the stack pointer (stack slots of whole registers), else memory."""
        insn, stack = self.insn, self.facts.stack_pointer
        for role, op in self.memory:
            if role == "addr":
                continue
            load, store = "load" in role, "store" in role
            base = self.names.get(op.mem.base) if op is not None and op.mem.base else None
            if base in stack and not op.mem.index:
                insn.stack_access = True
                insn.stack_read |= load
                insn.stack_write |= store
                self.slots(op, load, store)
            else:
                insn.memory_read |= load
                insn.memory_write |= store

    def slots(self, op, load: bool, store: bool) -> None:
        """Whole registers saved to or restored from the stack (`stg r6, 48(r15)`, `stmg r6, r15, 48(r15)`)."""
        insn, raw = self.insn, self.raw
        if load == store or not self.entry.whole:
            return
        word = self.facts.word
        if self.first is not None and self.last is not None:
            registers = _range(self.first, self.last)
        else:
            registers = [self.names.get(raw.operands[0].reg)]
        slots = [(name, op.mem.disp + word * position) for position, name in enumerate(registers)
                 if name not in self.facts.stack_pointer]
        (insn.loads if load else insn.stores).extend(slots)


def _number(name: str) -> int | None:
    digits = name[1:]
    return int(digits) if name[:1] == "r" and digits.isdigit() else None


def _pair(name: str) -> list[str] | None:
    """The even-odd pair an even register designates (R1 and R1+1)."""
    number = _number(name)
    if number is None or number % 2:
        return None
    return [name, f"r{number + 1}"]


def _range(first: str, last: str) -> list[str]:
    """Registers ``first`` through ``last``, wrapping around from 15 to 0 (LOAD MULTIPLE, STORE MULTIPLE)."""
    start, stop = _number(first), _number(last)
    if start is None or stop is None:
        return [first, last]
    count = (stop - start) % 16 + 1
    return [f"r{(start + step) % 16}" for step in range(count)]


__all__ = ["available", "decode", "table"]
