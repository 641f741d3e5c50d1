"""A `noreturn` block whose code can run past its end: the reference makes falling through the end of such a block
undefined behaviour.  Only a path whose last instruction is an ordinary one counts: a call, a kernel call or a wait
for an interrupt (`hlt`, `wfi`) may well never come back, which the machine code cannot tell."""

from __future__ import annotations

from asm_ls.machine.flow import EXIT_END
from asm_ls.machine.rules.facts import Facts

FALLS_THROUGH = "noreturn-falls-through"


def check(facts: Facts) -> None:
    if not facts.noreturn or facts.flow is None:
        return
    labels = any(operand.kind == "label" for operand in facts.asm.operands)
    for position in sorted(facts.flow.reachable):
        successors, leaves = facts.graph[position]
        insn = facts.insns[position]
        if leaves != EXIT_END or (insn.jump and labels) or insn.call or insn.interrupt or insn.waits:
            continue        # a branch to a `label` operand's block; what a call or the kernel does is not known
        what = "branches to the end of the block" if insn.jump and not successors else "can fall through the end " \
            "of the block"
        facts.report(FALLS_THROUGH, f"`{insn.mnemonic}` {what}, but the block has `options(noreturn)`: running past "
                                    "the end of a `noreturn` block is undefined behaviour", insn, "error")
