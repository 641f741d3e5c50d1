"""Rules on what the block leaves behind on the paths to its end: registers written and not restored (undeclared
clobbers, overwritten inputs), the stack pointer, x86's direction flag."""

from __future__ import annotations

from asm_ls.machine.flow import EXIT_END
from asm_ls.machine.rules.facts import Facts, operand_label

UNDECLARED = "undeclared-clobber"
INPUT_OVERWRITTEN = "input-overwritten"
STACK = "stack-not-restored"
DIRECTION = "direction-flag-set"


def check(facts: Facts) -> None:
    flow = facts.flow
    if facts.noreturn or flow is None:
        return          # nothing after a `noreturn` block runs; a branch into an instruction: not understood
    exits = [exit_ for exit_ in flow.exit_states() if exit_[1] == EXIT_END]
    _registers(facts, exits)
    _stack(facts, exits)
    _direction(facts, exits)


def _registers(facts: Facts, exits) -> None:
    """A register is restored only if every exit that reaches the end sees its entry value."""
    registers, flow, insns = facts.registers, facts.flow, facts.insns
    declared: set[str] = set(facts.calls.callee) if facts.calls.declared_abi else set()
    inputs: dict[str, str] = {}          # register -> how the template names the `in` operand
    input_operands: dict[str, int] = {}
    placeholders: set[str] = set()      # input registers asm-ls chose for `{..}` operands
    for operand, name in facts.operand_registers():
        if operand.is_output:
            declared.add(name)
        else:
            inputs[name] = f'`in("{operand.reg.name}")`' if operand.reg.explicit else operand_label(operand)
            input_operands[name] = operand.index
            if not operand.reg.explicit:
                placeholders.add(name)
    by_model: dict[int, list[tuple[str, str, str]]] = {}     # call -> (register, severity, why) its convention writes
    first_write: dict[str, tuple[int, str]] = {}
    for position in sorted(flow.reachable, key=lambda p: insns[p].offset):
        for name in sorted(insns[position].writes):
            canonical = registers.canonical(name)
            if canonical is not None:
                first_write.setdefault(canonical, (position, name))
    for register, (position, name) in sorted(first_write.items(), key=lambda item: insns[item[1][0]].offset):
        if all(state.value(register) == ("entry", register) for _, _, state in exits):
            continue            # saved and restored (or never leaves the block)
        writer = flow.writer(register, [state.value(register) for _, _, state in exits])
        if writer is not None:
            writer = _first_of_chain(flow, register, writer)
            position = writer
            name = next((n for n in sorted(insns[writer].writes) if registers.canonical(n) == register), name)
        insn = insns[position]
        if any(registers.contains(declared_register, register) for declared_register in declared):
            continue
        if not registers.allocated(register) or register in registers.platform_state \
                or register in registers.flag_state:
            continue            # nothing the compiler keeps there; the thread's platform state; `preserves_flags`'s
        model = facts.calls.assumed(position, name)
        if model is not None and first_write[register][0] != position:
            # an instruction of the block writes the register itself: certain evidence, whatever the convention says
            position, name = first_write[register]
            insn, model = insns[position], None
        severity = "error" if model is None or model.certain else "warning"
        why = "" if model is None else f" (under {model.convention})"
        overwritten = next((name_ for name_ in inputs if registers.overlapping(name_) & registers.overlapping(register)
                            and (name_ == register or register not in inputs)), None)
        if overwritten in placeholders and _written_by_name(facts, register, input_operands[overwritten]):
            overwritten = None
        if not registers.declarable(register):
            facts.report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}`{why} and the block does not restore it; "
                                     f"`{name}` cannot be declared as an operand, so it must be saved and restored",
                         insn, severity)
        elif overwritten is not None:
            whose = "the register" if overwritten == register else "part of the register"
            facts.report(INPUT_OVERWRITTEN, f"`{insn.mnemonic}` overwrites `{name}`{why}, {whose} of the input "
                                            f"{inputs[overwritten]}: an input register must hold its value at the end "
                                            "of the block (use `inout`)",
                         insn, severity, {"make_inout": name, "operand": input_operands[overwritten]})
        elif model is not None and model.routine is not None:
            facts.report(UNDECLARED, f"`{insn.mnemonic}` calls `{model.routine}`, which writes `{name}`{why}, not "
                                     "declared as an output or clobber", insn, severity,
                         {"add": [f'lateout("{name}") _']})
        elif insn.call:
            facts.report(UNDECLARED, f"`{insn.mnemonic}` writes the return address to `{name}`, which is not declared "
                                     f"as an output or clobber (declare `lateout(\"{name}\") _`, or use "
                                     "`clobber_abi(\"C\")`, which covers it and the registers the callee may change)",
                         insn, severity, {"add": [f'lateout("{name}") _']})
        elif model is not None:
            by_model.setdefault(position, []).append((name, severity, why))
        else:
            facts.report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}`{why}, which is not declared as an output or "
                                     "clobber", insn, severity, {"add": [f'lateout("{name}") _']})
    for position, written in by_model.items():     # one finding per call for what its convention writes
        insn, (_, severity, why) = insns[position], written[0]
        names = [name for name, _, _ in written]
        listed = _ranges(names)
        if len(names) == 1:
            message = f"`{insn.mnemonic}` writes {listed}{why}, which is not declared as an output or clobber"
        else:
            message = f"`{insn.mnemonic}` writes {listed}{why}, which are not declared as outputs or clobbers"
        facts.report(UNDECLARED, message, insn, severity, {"add": [f'lateout("{name}") _' for name in names]})


def _ranges(names: list[str]) -> str:
    """`a0`, `v0`-`v31`: names in code, a run of numbered registers as its first and last."""
    def order(name: str) -> tuple[str, int]:
        stem = name.rstrip("0123456789")
        return stem, int(name[len(stem):]) if name != stem else -1

    parts: list[list[str]] = []
    for name in sorted(names, key=order):
        stem, number = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")):]
        last = parts[-1][-1] if parts else None
        if last is not None and number and last.rstrip("0123456789") == stem \
                and last[len(stem):].isdigit() and int(last[len(stem):]) + 1 == int(number):
            parts[-1].append(name)
        else:
            parts.append([name])
    shown = [f"`{run[0]}`-`{run[-1]}`" if len(run) > 2 else ", ".join(f"`{n}`" for n in run) for run in parts]
    return ", ".join(shown)


def _first_of_chain(flow, register: str, position: int) -> int:
    """The write that first lost the entry value of ``register`` on the way to ``position``'s write: while the
    register already held another value before the writer (`mrs {0}, cpsr; orr {0}, #0x80`), the writer of that value
    (a write after a restore, `pop rax; mov rax, 2`, stays the one; so does a call, whose write is the return
    address)."""
    seen: set[int] = set()
    while position not in seen and not flow.insns[position].call:
        seen.add(position)
        before = flow.before.get(position)
        earlier = flow.writer(register, [before.value(register)]) if before is not None else None
        if earlier is None or earlier == position:
            break
        position = earlier
    return position


def _written_by_name(facts: Facts, register: str, operand: int) -> bool:
    """Whether an instruction writes ``register`` without the placeholder of ``operand`` in its statement (it names the
    register itself or writes it implicitly: `mov rax, rcx`, `cmpxchg`): the input is in that register only by
    asm-ls's choice, while the write happens whatever register the compiler gives the input, so the register is the
    block's own clobber."""
    registers, insns = facts.registers, facts.insns
    for position in facts.flow.reachable:
        insn = insns[position]
        if not any(registers.canonical(name) == register for name in insn.writes):
            continue
        held = facts.locator.operands(insn)
        if held is not None and operand not in held:
            return True
    return False


def _stack(facts: Facts, exits) -> None:
    """The stack pointer at the exits that reach the end (an unknown stack pointer says nothing)."""
    unbalanced: dict[int, int] = {}
    for _, _, state in exits:
        if state.sp is None:
            continue
        for delta, changer in state.sp:
            if delta != 0 and changer is not None:
                unbalanced.setdefault(changer, delta)
    for position, delta in sorted(unbalanced.items()):
        insn = facts.insns[position]
        where_to = "below" if delta < 0 else "above"
        facts.report(STACK, f"`{insn.mnemonic}` leaves the stack pointer {abs(delta)} bytes {where_to} its value at "
                            "the start of the block on a path to the block's end: the stack pointer must be restored "
                            "unless the block is `noreturn`", insn, "error")


def _direction(facts: Facts, exits) -> None:
    """x86: the direction flag must be clear when the block ends."""
    for position in sorted({position for _, _, state in exits for position in state.df}):
        insn = facts.insns[position]
        facts.report(DIRECTION, f"`{insn.mnemonic}` sets the direction flag and a path to the end of the block does "
                                "not clear it: the flag must be clear when the block ends (add `cld`)", insn, "error",
                     {"add_after": "cld"})
