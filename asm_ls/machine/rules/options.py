"""Rules on the block's options against what each instruction does: `nomem`, `readonly`, `preserves_flags`,
`nostack`, and calls without `clobber_abi`."""

from __future__ import annotations

from asm_ls.machine.flow import EXIT_END
from asm_ls.machine.rules.facts import Facts

NOMEM = "memory-with-nomem"
READONLY = "write-with-readonly"
FLAGS = "flags-not-preserved"
NOSTACK = "stack-with-nostack"
CALL = "call-without-clobber-abi"


def check(facts: Facts) -> None:
    options = facts.options
    _flag_state(facts)
    for position, insn in enumerate(facts.insns):
        if "nomem" in options and (insn.memory_read or insn.memory_write):
            verb = "writes" if insn.memory_write and not insn.memory_read else "reads" if not insn.memory_write \
                else "reads and writes"
            facts.report(NOMEM, f"`{insn.mnemonic}` {verb} memory, but the block has `options(nomem)`", insn, "error",
                         {"replace_option": ["nomem", "readonly" if not insn.memory_write else None]})
        if "readonly" in options and insn.memory_write:
            facts.report(READONLY, f"`{insn.mnemonic}` writes memory, but the block has `options(readonly)`", insn,
                         "error", {"remove_option": "readonly"})
        _kernel_memory(facts, position, insn, options)
        if not facts.owes(position):
            continue
        routine = facts.calls.routine(position)
        if "preserves_flags" in options and insn.flags_written:
            what = f"calls `{routine.routine}`, which changes the flags" if routine is not None \
                and routine.entry["flags"] else "changes the flags"
            facts.report(FLAGS, f"`{insn.mnemonic}` {what}, but the block has `options(preserves_flags)`", insn,
                         "error" if routine is None or routine.certain else "warning",
                         {"remove_option": "preserves_flags"})
        elif "preserves_flags" in options and routine is None and _calls_out(facts, position):
            facts.report(FLAGS, f"`{insn.mnemonic}` calls a function, which may change the flags if it follows the C "
                                "ABI (no C ABI preserves them), but the block has `options(preserves_flags)`", insn,
                         "warning", {"remove_option": "preserves_flags"})
        calls = insn.call and (routine is None or routine.entry["stack"])
        if "nostack" in options and (insn.push_pop or calls or insn.sp_written or insn.stack_write):
            what = "pushes or pops" if insn.push_pop else "calls, which pushes a return address or uses the stack" \
                if routine is None and calls else f"calls `{routine.routine}`, which uses the stack" if calls \
                else "moves the stack pointer" if insn.sp_written else "writes to the stack"
            facts.report(NOSTACK, f"`{insn.mnemonic}` {what}, but the block has `options(nostack)`", insn, "error",
                         {"remove_option": "nostack"})
        if insn.call and not facts.asm.clobber_abis and routine is None:
            undeclared = _undeclared_callee_clobbers(facts)
            if undeclared:
                facts.report(CALL, f"`{insn.mnemonic}` calls a function, but the block has no `clobber_abi`: if the "
                                   f"callee follows the C ABI, it may change {len(undeclared)} registers the block does "
                                   "not declare", insn, "warning", {"add": ['clobber_abi("C")']})


def _flag_state(facts: Facts) -> None:
    """`preserves_flags` over the state beyond the flags (the architecture data's ``flag_state``: RISC-V's fflags, vl,
    vtype...), followed like registers: changed on a path to the block's end and not written back."""
    flow, registers = facts.flow, facts.registers
    if "preserves_flags" not in facts.options or facts.noreturn or flow is None or not registers.flag_state:
        return
    exits = [state for _, kind, state in flow.exit_states() if kind == EXIT_END]
    changed: dict[int, list[str]] = {}      # the instruction whose write reaches the end -> the state it changes
    for name in sorted(registers.flag_state):
        values = [state.value(name) for state in exits]
        if all(value == ("entry", name) for value in values):
            continue
        position = flow.writer(name, values)
        if position is None:        # a value copied in (`fsflags {x}`): the first instruction that writes it
            position = min((p for p in flow.reachable if name in facts.insns[p].writes),
                           key=lambda p: facts.insns[p].offset, default=None)
        if position is not None:
            changed.setdefault(position, []).append(name)
    for position, names in sorted(changed.items()):
        insn = facts.insns[position]
        what = " and ".join(f"`{name}`" for name in names)
        facts.report(FLAGS, f"`{insn.mnemonic}` changes {what}, which `options(preserves_flags)` covers, and the block "
                            "does not restore it", insn, "error", {"remove_option": "preserves_flags"})


def _undeclared_callee_clobbers(facts: Facts) -> list[str]:
    """The registers the target's C ABI lets a callee change that the block declares neither as outputs nor as
    clobbers (a block that declares them all, for a routine with its own convention, says otherwise)."""
    registers = facts.registers
    declared = set().union(*(registers.overlapping(name) for operand, name in facts.operand_registers()
                             if operand.is_output), set())
    return sorted(register for register in facts.calls.callee
                  if register not in declared and registers.allocated(register) and _operand_class(facts, register))


def _operand_class(facts: Facts, register: str) -> bool:
    """Whether an operand can hold a value in ``register`` (a register only clobbers can name, such as RISC-V's vector
    registers, tells nothing about the compiler's own use of it: unknown, so not counted)."""
    entry = facts.data.registers.get(register)
    classes = {c["name"]: c for c in facts.data.data["classes"]}
    return entry is None or any(not classes.get(name, {}).get("clobber_only") for name in entry["classes"])


def _kernel_memory(facts: Facts, position: int, insn, options: set[str]) -> None:
    """A kernel call whose number the block shows, of a call the data says reads or writes memory."""
    call = facts.calls.memory(position)
    if call is None:
        return
    effect = call.memory
    if effect.unknown:
        if "nomem" in options:
            which = "the block does not show its number" if effect.name is None \
                else f"call `{effect.name}` is not known to leave memory alone"
            facts.report(NOMEM, f"`{insn.mnemonic}` may read or write memory under {call.convention} (what a call does "
                                f"to memory depends on the call, and {which}), but the block has `options(nomem)`",
                         insn, "warning", {"replace_option": ["nomem", None]})
        return
    if not ("nomem" in options and (effect.reads or effect.writes) or "readonly" in options and effect.writes):
        return
    if effect.reads == effect.writes:
        what = _named("reads and writes", effect.reads)
    else:
        what = " and ".join(part for part in (_named("reads", effect.reads), _named("writes", effect.writes)) if part)
    severity, why = ("error", "") if call.certain else ("warning", f" (under {call.convention})")
    through = f" through `{call.routine}`" if call.routine else ""
    made = f"`{insn.mnemonic}` makes the `{effect.name}` call{effect.argument}{through}{why}, which {what}"
    if "nomem" in options:
        facts.report(NOMEM, f"{made}, but the block has `options(nomem)`", insn, severity,
                     {"replace_option": ["nomem", "readonly" if not effect.writes else None]})
    if "readonly" in options and effect.writes:
        facts.report(READONLY, f"{made}, but the block has `options(readonly)`", insn, severity,
                     {"remove_option": "readonly"})


def _named(verb: str, things: tuple[str, ...]) -> str:
    """``reads `buf` ``: the pointers a call's documentation names, in code; a description as it is."""
    if not things:
        return ""
    shown = [f"`{thing}`" if thing.isidentifier() else thing for thing in things]
    return f"{verb} {' and '.join(shown)}" if len(shown) <= 2 else f"{verb} {', '.join(shown[:-1])} and {shown[-1]}"


def _calls_out(facts: Facts, position: int) -> bool:
    """Whether the instruction calls code outside the block (a call into the block runs the block's own code)."""
    insn = facts.insns[position]
    if not insn.call or insn.kernel_call or facts.graph is None:
        return False
    return facts.graph[position][0] in ([position + 1], [])
