"""Late outputs written while an input may still be read: the register allocator may give both one register.
Uses a backward liveness of the inputs over the block's control flow."""

from __future__ import annotations

from asm_ls.machine.flow import live_before
from asm_ls.machine.rules.facts import Facts, operand_label

LATE = "lateout-written-early"


def check(facts: Facts) -> None:
    if facts.noreturn or facts.flow is None:
        return
    registers, data, insns = facts.registers, facts.data, facts.insns
    inputs: dict[str, str] = {}         # canonical register -> how the template names the input
    late: list[tuple[str, object, str]] = []
    for operand, name in facts.operand_registers():
        if operand.kind == "in":
            inputs[name] = operand_label(operand)
        elif operand.kind in ("lateout", "inlateout") and not operand.reg.explicit:
            late.append((name, operand, operand_label(operand)))
    if not late or not inputs:
        return
    live_in = live_before(insns, facts.graph, registers, set(inputs))
    reported: set[str] = set()
    for position in sorted(facts.flow.reachable):
        successors = facts.graph[position][0]
        after = set().union(*(live_in[s] for s in successors)) if successors else set()
        if not after:
            continue
        writes = {c for c in (registers.canonical(n) for n in insns[position].writes) if c is not None}
        for register, operand, label in late:
            if not any(c in registers.overlapping(register) for c in writes):
                continue
            shared = sorted(x for x in after if x != register and data.class_of(x) == data.class_of(register))
            if not shared or register in reported:
                continue
            reported.add(register)
            insn = insns[position]
            fix = "out" if operand.kind == "lateout" else "inout"
            facts.report(LATE, f"`{insn.mnemonic}` writes the late output {label} while the input {inputs[shared[0]]} "
                               f"may still be read: a late output can share its register with an input (use `{fix}`)",
                         insn, "error", {"replace_kind": [operand.kind, fix]})
