"""Concrete text for a block's placeholders: registers that fit each operand, const values, symbols and labels."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from asm_ls.model.arch import ArchData, arch_data, holds
from asm_ls.model.block import Operand, Placeholder
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target

_INTEGER = re.compile(r"^(-?)\s*(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)([iu](8|16|32|64|128|size))?$")
REGISTER_KINDS = ("in", "out", "lateout", "inout", "inlateout")


@dataclass
class Substitution:
    """The text put in place of one placeholder; ``known`` False when it is a stand-in (an unknown const value)."""

    text: str
    known: bool = True


def const_value(text: str) -> int | None:
    """The value of an integer literal (``-0x10_u32``), None for anything else."""
    match = _INTEGER.match(text.strip())
    if match is None:
        return None
    digits = match.group(2).replace("_", "")
    if not digits.strip("0xob"):
        digits += "0"
    value = int(digits, 0) if digits[:2] in ("0x", "0o", "0b") else int(digits, 10)
    return -value if match.group(1) else value


def sym_name(block_id: str, operand: int) -> str:
    return f"asmls_sym_{block_id}_{operand}"


def label_name(block_id: str, operand: int) -> str:
    return f"asmls_label_{block_id}_{operand}"


@functools.lru_cache(maxsize=1024)
def _candidates(data: ArchData, class_name: str, target: Target) -> tuple[str, ...]:
    """:meth:`Substituter._candidates`, once per architecture, class and target (every block asks)."""
    out = []
    for name, register in data.registers.items():
        if class_name not in register["classes"]:
            continue
        if any(data.reserved_reason(alias, target)[0] is not None for alias in register["aliases"] + [name]):
            continue
        if any(holds(entry.get("when"), target) is not False for entry in register.get("filters", [])):
            continue
        out.append(name)
    return tuple(sorted(out, key=lambda name: -len(data.registers[name]["classes"])))


class Substituter:
    """Allocates one register per register operand of a block (distinct, never reserved or filtered, clear of the
    explicit registers) and renders placeholders; ``ok`` False when some operand cannot be given a register."""

    def __init__(self, resolved: ResolvedBlock, target: Target, block_id: str, data: bytes = b"") -> None:
        self.resolved = resolved
        self.source = data
        self.target = target
        self.block_id = block_id
        self.data: ArchData | None = arch_data(target.arch)
        self.att = resolved.block.has_option("att_syntax") and bool(self.data and self.data.data.get("att_syntax"))
        self.registers: dict[int, str] = {}     # operand index -> canonical register name
        # True when some operand had to share a register (more operands than the class has registers an operand may
        # name: the compiler then gives registers it keeps from explicit use, a frame or base pointer, which cannot
        # be told): the text still assembles, but the allocation is not one the compiler makes.
        self.shared = False
        self.ok = self.data is not None and self._allocate()

    def labels(self) -> list[str]:
        """The labels the block defines for its ``label`` operands."""
        return [label_name(self.block_id, op.index) for op in self.resolved.block.operands if op.kind == "label"]

    def render(self, placeholder: Placeholder) -> Substitution | None:
        """The text for one placeholder; None when it cannot be rendered (the block is then not assembled)."""
        if placeholder.operand is None or placeholder.operand >= len(self.resolved.block.operands):
            return None
        operand = self.resolved.block.operands[placeholder.operand]
        if operand.kind == "const":
            value = const_value(operand.expr.text(self.source)) \
                if operand.expr is not None and operand.expr.known else None
            return Substitution(str(value), True) if value is not None else Substitution("0", False)
        if operand.kind == "sym":
            return Substitution(sym_name(self.block_id, operand.index))
        if operand.kind == "label":
            return Substitution(label_name(self.block_id, operand.index))
        register = self.registers.get(operand.index)
        if register is None:
            return None
        text = self._name(register, operand, placeholder.modifier)
        return Substitution(("%" + text) if self.att else text)

    # -- allocation --------------------------------------------------------------------------------

    def _allocate(self) -> bool:
        data = self.data
        used: set[str] = set()
        for operand in self.resolved.block.operands:
            if operand.kind in REGISTER_KINDS and operand.reg is not None and operand.reg.explicit:
                canonical = data.canonical(operand.reg.name)
                if canonical is not None:
                    used.update(self._taken(canonical))
        for operand in self.resolved.block.operands:
            if operand.kind not in REGISTER_KINDS or operand.reg is None or operand.reg.explicit:
                continue
            if operand.reg.kind == "unknown" or operand.reg.name not in data.classes:
                return False
            candidates = self._candidates(operand.reg.name)
            if not candidates:
                return False
            free = [name for name in candidates if name not in used]
            choice = free[0] if free else candidates[0]      # out of registers: share, as rustc never would
            self.shared = self.shared or not free
            # Among the registers as widely usable as that one, one the template does not name itself, so that the
            # machine code tells the placeholder's register from the named ones (the contract analysis reads both).
            width = len(data.registers[choice]["classes"])
            choice = next((name for name in free if len(data.registers[name]["classes"]) == width
                           and not self._taken(name) & self._named), choice)
            self.registers[operand.index] = choice
            used.update(self._taken(choice))
        return True

    def candidates(self, class_name: str) -> list[str]:
        """Every register rustc's allocator may give an operand of ``class_name`` on this target."""
        return self._candidates(class_name)

    @functools.cached_property
    def _named(self) -> set[str]:
        """The registers the templates name themselves (words outside placeholders that are register names)."""
        found: set[str] = set()
        for piece in self.resolved.block.templates:
            for word in re.findall(r"[A-Za-z_$%][\w.$]*", piece.decoded.value if piece.decoded else ""):
                canonical = self.data.canonical(word.lstrip("%").lower())
                if canonical is not None:
                    found.update(self._taken(canonical))
        return found

    def _taken(self, register: str) -> set[str]:
        """What giving ``register`` to an operand takes: itself and what overlaps it (on Hexagon rustc's overlap data
        lists nothing, not even the register itself, yet LLVM never gives one register to two operands)."""
        return set(self.data.overlapping(register, self.target)) | {register}

    def _candidates(self, class_name: str) -> list[str]:
        """The registers an operand of ``class_name`` may get, those in the most classes first: rustc's allocator may
        give any register of the class, and one that is also in a narrower class (AVR ``reg_upper``, PowerPC
        ``reg_nonzero``) is taken by the instructions limited to that class as well as by all the others, so a
        template that assembles for some allocation assembles for this one (``muls`` takes r16-r31 only)."""
        return list(_candidates(self.data, class_name, self.target))

    def _name(self, register: str, operand: Operand, modifier: str | None) -> str:
        data = self.data
        entry = data.registers[register]
        class_name = operand.reg.name
        default = data.default_modifier(class_name, self.target)
        chosen = modifier or (default["char"] if default else None)
        names = entry.get("names_by_modifier") or {}
        if chosen is not None and chosen in names:
            return names[chosen]
        if modifier is None and default is None:
            by_class = entry.get("emit_name_by_class", {}).get(class_name)
            if by_class is not None or "emit_name" in entry:
                return by_class or entry["emit_name"]
        return register
