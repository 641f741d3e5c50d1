"""`nomem` where the machine code says memory matters though no instruction reads or writes it: an instruction that
orders memory accesses, invalidates address translations or masks interrupts (the compiler may move its own accesses across the block), and a pointer
input that reaches a system register or a cache or TLB operation (the hardware then reaches memory through it, as
clippy's `pointers_in_nomem_asm_block` suspects from the types alone), or that a kernel or firmware call receives in its
register (the code behind the call may reach memory through it) when what the call does to memory is not known."""

from __future__ import annotations

from asm_ls.machine.ordering import ordering_kind
from asm_ls.machine.rules.facts import Facts, operand_label

ORDERING = "nomem-on-ordering"
POINTER = "pointer-with-nomem"

_WHAT = {"barrier": "orders memory accesses", "interrupts": "enables or disables interrupts",
         "translation": "invalidates address translations"}


def check(facts: Facts) -> None:
    if "nomem" not in facts.options:
        return
    for insn in facts.insns:
        kind = ordering_kind(facts.arch, insn)
        if kind is not None:
            facts.report(ORDERING, f"`{insn.mnemonic}` {_WHAT[kind]}, but the block has `options(nomem)`: the compiler "
                                   "may move memory accesses across the block", insn, "warning")
    _pointers(facts)
    _pointers_to_calls(facts)


def _pointers(facts: Facts) -> None:
    registers = facts.registers
    pointers = {name: operand for operand, name in facts.operand_registers()
                if operand.kind in ("in", "inout", "inlateout") and operand.index in facts.pointer_inputs}
    reported: set[str] = set()
    for insn in facts.insns:
        if insn.memory_read or insn.memory_write or insn.jump or insn.call or insn.push_pop or insn.flags_written \
                or insn.stack_access or any(registers.canonical(name) for name in insn.writes):
            continue        # memory is another rule's; a register, a comparison or a branch publishes nothing
        read = insn.reads if insn.operand_reads is None else insn.operand_reads
        for name in sorted(read):
            canonical = registers.canonical(name)
            operand = pointers.get(canonical)
            if operand is None or canonical in reported:
                continue
            reported.add(canonical)
            facts.report(POINTER, f"`{insn.mnemonic}` hands the pointer {operand_label(operand)} "
                                  f"(`{facts.pointer_inputs[operand.index]}`) to the hardware, but the block has "
                                  "`options(nomem)`: memory behind the pointer may be read or written through it",
                         insn, "warning")


def _pointers_to_calls(facts: Facts) -> None:
    """A pointer input still in its register at a kernel or firmware call whose effect on memory is not known (a
    known one is `memory-with-nomem`'s)."""
    flow = facts.flow
    if flow is None or not facts.pointer_inputs:
        return
    pointers = [(name, operand) for operand, name in facts.operand_registers()
                if operand.kind in ("in", "inout", "inlateout") and operand.index in facts.pointer_inputs]
    for position, call in sorted(facts.calls.kernel_calls.items()):
        if call.memory is not None or call.routine is not None or position not in flow.before:
            continue
        insn = facts.insns[position]
        for name, operand in pointers:
            if flow.sources(name, position) != {("entry", name)}:
                continue        # the register holds something else by then
            facts.report(POINTER, f"`{insn.mnemonic}` hands the pointer {operand_label(operand)} "
                                  f"(`{facts.pointer_inputs[operand.index]}`) to the code it calls (under {call.convention}), "
                                  "but the block has "
                                  "`options(nomem)`: memory behind the pointer may be read or written through it",
                         insn, "warning")
