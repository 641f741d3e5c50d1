"""An `out` (not `inout`) register read before the block writes it: its value at the start of the block is undefined
(the reference: "the initial value of the register is undefined" for outputs)."""

from __future__ import annotations

from asm_ls.machine.rules.facts import Facts, operand_label

UNDEFINED = "output-read-before-written"


def check(facts: Facts) -> None:
    flow, registers, insns = facts.flow, facts.registers, facts.insns
    if flow is None:
        return
    operands = list(facts.operand_registers())
    input_registers = set().union(*(registers.overlapping(name) for operand, name in operands
                                    if operand.kind in ("in", "inout", "inlateout")))
    for operand, register in operands:
        if operand.kind not in ("out", "lateout") or operand.discard \
                or registers.overlapping(register) & input_registers:
            continue        # a clobber (`out(..) _`): what it held is nobody's value
        for position in sorted(flow.reachable, key=lambda p: insns[p].offset):
            insn = insns[position]
            if insn.operand_reads is None:
                continue        # the engine cannot tell the operands' reads from the instruction's own
            read = insn.operand_reads
            names = sorted(name for name in read if (registers.canonical(name) or name) in registers.overlapping(register))
            saved = {registers.canonical(name) for name, _ in insn.stores}
            if not names or insn.push_pop or register in saved:
                continue        # saving an undefined value to restore it later uses nothing
            if ("entry", register) not in flow.sources(register, position):
                continue
            if not operand.reg.explicit and facts.names_itself(insn, register):
                continue        # `mov {0}, ebx` with `{0}` in ebx: the named register's read, not the output's
            facts.report(UNDEFINED, f"`{insn.mnemonic}` reads `{names[0]}`, the register of the output "
                                    f"{operand_label(operand)}, before the block writes it: an output's register holds "
                                    "an undefined value at the start of the block (use `inout` to pass a value in)",
                         insn, "error")
            break
