"""What the contract rules read about one block: its decoded instructions, control flow and data flow
(``machine/flow.py``), what its operands and options declare, and where to report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from asm_ls.diagnostics import Diagnostic
from asm_ls.machine.calls import CallModel
from asm_ls.machine.semantics import Insn
from asm_ls.machine.flow import Flow, Graph
from asm_ls.machine.generate import GeneratedBlock
from asm_ls.machine.locate import Locator, shown
from asm_ls.machine.register_map import Registers
from asm_ls.machine.substitute import REGISTER_KINDS
from asm_ls.model.arch import ArchData
from asm_ls.model.target import Target


def operand_label(operand) -> str:
    """How the template names a register operand: ``in("eax")`` for an explicit register, ``{name}`` otherwise."""
    if operand.reg.explicit:
        return f'`{operand.kind}("{operand.reg.name}")`'
    return f"`{{{operand.name if operand.name else operand.index}}}`"


@dataclass
class Facts:
    block: GeneratedBlock
    insns: list[Insn]
    arch: str
    target: Target
    data: ArchData
    registers: Registers
    allocated: dict[int, str]           # operand index -> the register the substitution gave it
    candidates: Callable[[str], list[str]]      # register class -> every register the allocator may give
    calls: CallModel
    graph: Graph | None
    flow: Flow | None                   # None: the control flow is not understood
    owed: set[int] | None               # the instructions on a path to the block's end (None: not known)
    locator: Locator
    target_certain: bool                # False: the target stands in for its architecture
    pointer_inputs: dict[int, str] = field(default_factory=dict)   # operand index -> its pointer type
    out: list[Diagnostic] = field(default_factory=list)

    @property
    def asm(self):
        return self.block.resolved.block

    @property
    def options(self) -> set[str]:
        return set(self.asm.option_names)

    @property
    def noreturn(self) -> bool:
        return "noreturn" in self.options

    def owes(self, position: int) -> bool:
        """Whether the instruction is on a path that must keep the block's promises (the end, a `label` operand)."""
        return not self.noreturn and (self.owed is None or position in self.owed)

    def operand_registers(self):
        """(operand, its register's canonical name) for the register operands whose register is known."""
        for operand in self.asm.operands:
            if operand.kind not in REGISTER_KINDS or operand.reg is None:
                continue
            name = self.data.canonical(operand.reg.name) if operand.reg.explicit else self.allocated.get(operand.index)
            if name is not None:
                yield operand, name

    def names_itself(self, insn: Insn, register: str) -> bool:
        """Whether the instruction's statement names a register overlapping ``register`` outside placeholders, or
        cannot be read (then a placeholder's register cannot be told from a named one)."""
        words = self.locator.literal_words(insn)
        if words is None:
            return True
        overlapping = self.registers.overlapping(register)
        return any(self.registers.canonical(word) in overlapping for word in words)

    def shown(self, insn: Insn) -> str:
        """The instruction's mnemonic as the template writes it."""
        return self.locator.written(insn) or shown(insn.mnemonic)

    def report(self, code: str, message: str, insn: Insn, severity: str, data: dict | None = None, notes=()) -> None:
        message = message.replace(f"`{insn.mnemonic}`", f"`{self.shown(insn)}`", 1)
        start, end = self.locator.range(insn)
        self.out.append(Diagnostic(code, message, start, end, severity=severity, target=self.arch, data=data or {},
                                   notes=tuple(notes)))
