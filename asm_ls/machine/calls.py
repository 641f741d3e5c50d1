"""Models of what a block's code calls, from data (``asm_ls/data/calls.json``, validated by
``schemas/calls.schema.json``): the kernel call of the target's operating system (which registers the kernel writes,
from its documented system call convention), and the registers a called function may change (the block's own
``clobber_abi``s, else the target's C ABI)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources

from asm_ls.machine.semantics import Insn
from asm_ls.model.arch import ArchData
from asm_ls.model.target import Target


def _data(name: str) -> dict:
    return json.loads(resources.files("asm_ls.data").joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _kernel_calls() -> tuple[dict, ...]:
    return tuple(_data("calls.json")["kernel_calls"])


@functools.lru_cache(maxsize=1)
def _call_targets() -> tuple[dict, ...]:
    return tuple(_data("calls.json").get("call_targets", ()))


@functools.lru_cache(maxsize=1)
def _call_numbers() -> dict:
    return _data("call_numbers.json")


def call_name(tables: list[str], value: int | str | None) -> str | None:
    """The name of call ``value`` (a number, or a name a well-known constant gave) in the numbering ``tables``."""
    if value is None:
        return None
    known = _call_numbers()["tables"]
    for table in tables:
        numbers = known[table]["numbers"]
        if isinstance(value, str):
            if value in numbers:
                return value
            continue
        found = next((name for name, number in numbers.items() if number == value), None)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class MemoryEffect:
    """What one numbered call does to memory: the call's name, what it reads and writes (as its documentation names
    them)."""

    name: str | None            # None: the block does not show the call's number
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    unknown: bool = False       # the call is not known to leave memory alone: it may read or write it
    argument: str = ""          # the argument that decided the effect, as messages say it (` with command 5`)


@dataclass(frozen=True)
class KernelCall:
    """One instruction that enters the kernel and what the model adds to its effects."""

    added: frozenset[str]       # registers the kernel writes that the instruction itself does not
    certain: bool               # False: an assumption about what runs behind the instruction
    convention: str
    entry: dict | None = None   # the convention's data
    memory: MemoryEffect | None = None      # what the call does to memory, when its number is known and listed
    routine: str | None = None  # a call to a routine at a known place (`call_targets`): its name


def kernel_conventions(arch: str, os: str) -> list[dict]:
    """The kernel call entries for an architecture and operating system (none for an unknown OS)."""
    return [entry for entry in _kernel_calls()
            if arch in entry["arch"] and (os in entry["os"] or "*" in entry["os"])] if os else []


def _operand_is(written: str, wanted: str | list[str] | None) -> bool:
    """Whether a decoded operand is the one (or one of those) an entry names: numbers compare as numbers (`#0xab`,
    `0xab` and `171` are one operand)."""
    if wanted is None:
        return True
    return any(_number(written) == _number(one) for one in ([wanted] if isinstance(wanted, str) else wanted))


def _number(text: str) -> int | str:
    text = text.strip().lstrip("#").strip()
    try:
        return int(text, 0)
    except ValueError:
        return text


class CallModel:
    """What calls in one block may change: kernel calls by the target's OS, function calls by the ABI."""

    def __init__(self, data: ArchData, target: Target, arch: str, abi_clobbers: set[str],
                 target_certain: bool = True) -> None:
        """``target_certain`` False: the target stands in for the architecture (the OS is a guess), so every kernel
        convention is an assumption."""
        self.arch = arch
        self.kernels = kernel_conventions(arch, target.os if target.known else "")
        self.os_note = "" if target_certain else f", if the target's operating system is `{target.os}`"
        self.declared_abi = bool(abi_clobbers)
        if abi_clobbers:
            self.callee = frozenset(abi_clobbers)
        else:
            entry, _ = data.clobber_abi("C", target)
            self.callee = frozenset(entry["clobbers"]) if entry is not None else frozenset()
        self.kernel_calls: dict[int, KernelCall] = {}
        # The guessed OS's conventions (the target stands in for the architecture): they may only silence a finding
        # (a call that never comes back), never add one.
        self.guessed_kernels = [] if target.known else kernel_conventions(arch, target.os)
        self.guessed: dict[int, dict] = {}          # position -> the guessed convention of a kernel call there
        self.ends: set[int] = set()     # kernel calls whose number never returns to the block (`exit`, `exit_group`)
        os = target.os if target.known else ""
        self.targets = [entry for entry in _call_targets() if arch in entry["arch"] and os in entry["os"]]

    def _kernel(self, insn: Insn, conventions: list[dict] | None = None) -> dict | None:
        for entry in self.kernels if conventions is None else conventions:
            if insn.mnemonic in entry["mnemonics"] and _operand_is(insn.op_str, entry.get("operand")):
                return entry
        return None

    def apply(self, insns: list[Insn]) -> list[Insn]:
        """The instructions with the kernel's writes added to each kernel call's own, and the writes of the routines
        calls name by their operand (`call dword ptr gs:[0x10]`)."""
        out = []
        for position, insn in enumerate(insns):
            entry = self._kernel(insn)
            if entry is not None:
                insn = self._model(position, insn, entry)
            elif not insn.call:
                guessed = self._kernel(insn, self.guessed_kernels)
                if guessed is not None:
                    self.guessed[position] = guessed
                    insn = replace(insn)        # the block's own copy: `ending` may mark it
            elif insn.call:
                routine = next((target for target in self.targets
                                if target.get("operand") == insn.op_str.strip()), None)
                if routine is not None:
                    insn = self._model(position, insn, routine)
            out.append(insn)
        return out

    def _model(self, position: int, insn: Insn, entry: dict) -> Insn:
        """``insn`` with what the convention of ``entry`` (a kernel call or a routine) writes added."""
        added = frozenset(entry["returns"] + entry["clobbers"]) - insn.writes
        note = "" if "*" in entry["os"] else self.os_note       # a convention of every OS: the guess changes nothing
        certain = entry["certain"] and not note
        self.kernel_calls[position] = KernelCall(added, certain, entry["convention"] + note, entry,
                                                 routine=entry.get("name"))
        if "name" in entry:         # a routine: what it does replaces what a C function may do
            return replace(insn, writes=insn.writes | added, flags_written=insn.flags_written or entry["flags"])
        return replace(insn, writes=insn.writes | added)

    def resolve_targets(self, insns: list[Insn], value_of: Callable[[int, str], int | str | None]) -> bool:
        """Give calls through a register that holds the address of a known routine (the ARM kernel user helpers) the
        routine's writes; whether any did (the data flow must then be followed again)."""
        by_address = {int(entry["address"], 16): entry for entry in self.targets if "address" in entry}
        found = False
        for position, insn in enumerate(insns):
            if not by_address or not insn.call or insn.target is not None or insn.memory_read \
                    or position in self.kernel_calls:
                continue
            routines = {id(entry): entry for entry in (by_address.get(value_of(position, name))
                                                       for name in sorted(insn.reads)) if entry is not None}
            if len(routines) == 1:      # changed in place: the locator knows the instructions by identity
                modelled = self._model(position, insn, next(iter(routines.values())))
                insn.writes, insn.flags_written = modelled.writes, modelled.flags_written
                found = True
        return found

    def routine(self, position: int) -> KernelCall | None:
        """The model of the routine the call at ``position`` reaches, when it is a known one."""
        found = self.kernel_calls.get(position)
        return found if found is not None and found.routine is not None else None

    def callee_writes(self) -> dict[int, frozenset[str]]:
        """Per call to a known routine: the registers the callee leaves unknown beyond its own model (none)."""
        return {position: frozenset() for position, call in self.kernel_calls.items() if call.routine is not None}

    def assumed(self, position: int, name: str) -> KernelCall | None:
        """The kernel call model that says instruction ``position`` writes ``name``, if the instruction itself does
        not."""
        found = self.kernel_calls.get(position)
        return found if found is not None and name in found.added else None

    def resolve(self, value_of: Callable[[int, str], int | str | None]) -> None:
        """Each kernel call's memory effect, from its call number (``value_of(position, register)``: the value the
        number register holds there, when the block shows it) and the data's classification of the call."""
        memory = _call_numbers()["memory"]
        for position, entry in self.guessed.items():
            if "number" in entry:
                self._number(position, entry, value_of)
        for position, call in self.kernel_calls.items():
            entry = call.entry or {}
            if "number" not in entry:
                continue
            value, name = self._number(position, entry, value_of)
            effect = memory.get(name) if name is not None else None
            argument = ""
            if effect is not None and "by_argument" in effect:     # fcntl: what it does is its command's
                by = effect["by_argument"]
                registers = entry.get("arguments", [])
                chosen = value_of(position, registers[by["argument"]]) if by["argument"] < len(registers) else None
                effect = by["values"].get(str(chosen)) if isinstance(chosen, int) else None
                argument = f" with command {chosen}"
            if effect is not None:
                self.kernel_calls[position] = replace(call, memory=MemoryEffect(
                    name, tuple(effect.get("reads", ())), tuple(effect.get("writes", ())), argument=argument))
            elif entry.get("unknown_number_memory"):
                shown = name if name is not None else f"{value:#x}" if isinstance(value, int) else value
                self.kernel_calls[position] = replace(call, memory=MemoryEffect(shown, (), (), unknown=True))

    def _number(self, position: int, entry: dict, value_of: Callable[[int, str], int | str | None]) \
            -> tuple[int | str | None, str | None]:
        """The value in the call's number register at ``position`` and the call it names under ``entry``'s
        numbering; a call that never comes back is put in ``ends`` (also under the guessed OS's convention: that only
        takes paths away, so it can only silence a finding)."""
        value = value_of(position, entry["number"])
        name = call_name(entry["numbers"].get(self.arch, []), value)
        if name is not None and _call_numbers()["memory"].get(name, {}).get("returns") is False:
            self.ends.add(position)
        return value, name

    def memory(self, position: int) -> KernelCall | None:
        """The kernel call at ``position`` when what it does to memory is known."""
        found = self.kernel_calls.get(position)
        return found if found is not None and found.memory is not None else None
