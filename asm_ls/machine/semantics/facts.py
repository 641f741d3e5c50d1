"""The machine facts of one architecture, read from the ``machine`` section of its data file
(``asm_ls/data/arch/*.json``, validated by ``schemas/arch.schema.json``): which engine decodes it, the stack pointer,
link register, flags, zero registers and the registers no rule is about, as the engine names them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from asm_ls.model.arch import arch_data, holds
from asm_ls.model.target import Target
from asm_ls.model.target_data import POINTER_WIDTH


@dataclass(frozen=True, eq=False)
class MachineFacts:
    arch: str
    engine: str | None
    stack_pointer: frozenset[str] = frozenset()
    link_register: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    zero_registers: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()
    platform_state: tuple[str, ...] = ()
    register_prefix: str = ""
    aliases: dict = field(default_factory=dict, hash=False, compare=False)
    kernel_calls: frozenset[str] = frozenset()
    traps: frozenset[str] = frozenset()
    sleigh: tuple = ()
    cross_check: tuple = ()
    fallback: tuple = ()            # SLEIGH languages for single instructions capstone cannot decode
    encodings: tuple = ()           # instructions known from their encoding alone
    flag_state: tuple[str, ...] = ()    # state beyond `flags` that `preserves_flags` covers, tracked as registers
    flag_csrs: dict = field(default_factory=dict, hash=False, compare=False)    # CSR number -> the flag state in it
    unsupported: str | None = None
    word: int = 8           # bytes
    elf_twin: dict = field(default_factory=dict, hash=False, compare=False)     # target_arch -> ELF triple
    table: str | None = None    # the table engine's table (``asm_ls/data/semantics/<table>.json``)

    def sleigh_language(self, target: Target, little: bool, bits: int, entries: tuple | None = None) \
            -> tuple[str, str | None] | None:
        """The SLEIGH language for ``target`` and the context variable that selects Thumb (None: no such mode), from
        ``entries`` (default: the engine's languages)."""
        for entry in self.sleigh if entries is None else entries:
            if holds(entry.get("when"), target) is True or "when" not in entry:
                language = entry["language"].replace("{endian}", "LE" if little else "BE").replace("{bits}", str(bits))
                return language, entry.get("thumb_context")
        return None


@functools.lru_cache(maxsize=None)
def _reserved(arch: str) -> dict[str, str]:
    data = arch_data(arch)
    return {name: entry["names"][0] for entry in (data.data.get("reserved", []) if data else []) for name in entry["names"]}


def canonical(arch: str, name: str) -> str:
    """The architecture data's name of the register ``name`` (an alias, a reserved register's first name), else the
    name itself."""
    data = arch_data(arch)
    return (data.canonical(name) if data is not None else None) or _reserved(arch).get(name) or name


@functools.lru_cache(maxsize=None)
def machine_facts(arch: str) -> MachineFacts:
    """The facts for ``arch`` (an architecture without a ``machine`` section has no engine)."""
    data = arch_data(arch)
    machine = data.data.get("machine", {}) if data is not None else {}
    width = POINTER_WIDTH.get(arch)
    return MachineFacts(
        arch, machine.get("engine"), frozenset(machine.get("stack_pointer", ())),
        frozenset(machine.get("link_register", ())), frozenset(machine.get("flags", ())),
        frozenset(machine.get("zero_registers", ())), frozenset(machine.get("ignored", ())),
        tuple(machine.get("platform_state", ())), machine.get("register_prefix", ""), dict(machine.get("aliases", {})),
        frozenset(machine.get("kernel_calls", ())), frozenset(machine.get("traps", ())), tuple(machine.get("sleigh", ())),
        tuple(machine.get("cross_check", ())), tuple(machine.get("fallback", ())), tuple(machine.get("encodings", ())),
        tuple(entry["name"] for entry in machine.get("flag_state", ())), _flag_csrs(machine),
        machine.get("unsupported"), (int(width) // 8) if width else 8, dict(machine.get("elf_twin", {})), machine.get("table"))


def _flag_csrs(machine: dict) -> dict[int, tuple[str, ...]]:
    out: dict[int, tuple[str, ...]] = {}
    for entry in machine.get("flag_state", ()):
        for number in entry.get("csrs", ()):
            out[int(number, 16)] = out.get(int(number, 16), ()) + (entry["name"],)
    return out


__all__ = ["MachineFacts", "canonical", "machine_facts"]
