"""Register-allocation hazards: a `reg` operand checked against every register the allocator may give it, not only
the one the assembler's run chose.  An `in` operand may get a register declared only as a late output or clobber
(`lateout("rcx") _`, the registers of a `clobber_abi`) or one the block saves and restores itself; an output may get a
register the block saves and restores.  The block is wrong when it reads such an input after writing that register
by name (`syscall` writes rcx), or writes such a register by name after the output is written (i686's
`push ebx; cpuid; mov {0:e}, ebx; pop ebx`)."""

from __future__ import annotations

import functools
import json
from importlib import resources

from asm_ls.machine.flow import EXIT_END
from asm_ls.machine.rules.facts import Facts, operand_label

HAZARD = "register-allocation-hazard"


def check(facts: Facts) -> None:
    flow = facts.flow
    registers = facts.registers
    operands = list(facts.operand_registers())
    explicit: dict[str, str] = {}       # register -> the kind of the explicit operand that names it
    for operand, name in operands:
        if operand.reg.explicit:
            for other in registers.overlapping(name):
                explicit[other] = operand.kind if explicit.get(other) in (None, "lateout") else explicit[other]
    _encodings(facts, operands, explicit)
    if facts.noreturn or flow is None:
        return
    exits = [state for _, kind, state in flow.exit_states() if kind == EXIT_END]
    abi = facts.calls.callee if facts.calls.declared_abi else frozenset()

    def restored(register: str) -> bool:
        return all(state.value(register) == ("entry", register) for state in exits)

    for operand, allocated in operands:
        if operand.reg.explicit or operand.reg.name not in facts.data.classes:
            continue
        others = {name for other, name in operands if not other.reg.explicit and other is not operand}
        shared_by_inputs, shared_by_outputs = [], []
        base_pointers = _base_pointers(facts, operand.reg.name)
        for register in facts.candidates(operand.reg.name) + base_pointers:
            if registers.overlapping(register) & others or not registers.allocated(register):
                continue
            if not facts.target_certain and register not in base_pointers \
                    and facts.data.registers.get(register, {}).get("filters"):
                continue        # allowed on this stand-in target, maybe not on the one built (Thumb-1's r8-r12)
            kind = explicit.get(register)
            if kind is None and register not in abi and restored(register):
                shared_by_inputs.append((register, True))
                shared_by_outputs.append(register)
            elif kind == "lateout" or (kind is None and register in abi):
                shared_by_inputs.append((register, False))
        if operand.kind == "in":
            _input(facts, operand, allocated, shared_by_inputs)
        if operand.is_output:
            _output(facts, operand, shared_by_outputs)


def _encodings(facts: Facts, operands, explicit: dict[str, str]) -> None:
    """A `reg` operand in a register field whose encoding gives some registers another meaning (``Insn.constrained``,
    from ``allocation.json``'s ``encodings``), when the allocator may give the operand one of them: s390x's `r0` as a
    base register is no register, so `lg {x}, 0({p})` with `p = in(reg)` may load from address 0."""
    insns = facts.insns
    positions = facts.flow.reachable if facts.flow is not None else range(len(insns))
    abi = facts.calls.callee if facts.calls.declared_abi else frozenset()
    reported: set[int] = set()
    for position in sorted(positions, key=lambda p: insns[p].offset):
        insn = insns[position]
        if not insn.constrained:
            continue
        holds = facts.locator.operands(insn)
        for operand, allocated in operands:
            if operand.reg.explicit or operand.reg.name not in facts.data.classes or holds is None \
                    or operand.index not in holds or operand.index in reported \
                    or facts.names_itself(insn, allocated):
                continue
            for name, entry in insn.constrained:
                if facts.registers.canonical(name) != allocated:
                    continue
                possible = [register for register in (facts.registers.canonical(r) for r in entry["registers"])
                            if register in facts.candidates(operand.reg.name)
                            and _may_get(operand, register, explicit, abi)]
                if not possible:
                    continue
                label = operand_label(operand)
                chosen = " or ".join(f"`{register}`" for register in possible)
                facts.report(HAZARD, f"`{insn.mnemonic}` uses the register of {label} as {entry['as']}, and the "
                                     f"register allocator may give {label} {chosen}, which means something else there: "
                                     f"{entry['meaning']}; {entry['fix']}", insn, "error")
                reported.add(operand.index)
                break


def _may_get(operand, register: str, explicit: dict[str, str], abi: frozenset[str]) -> bool:
    """Whether the allocator may give ``register`` to the operand although other operands name registers: an input
    may share a register with a late output or a clobber, an output with nothing named."""
    kind = explicit.get(register)
    if operand.kind == "in":
        return kind in (None, "lateout")
    return kind is None and register not in abi


@functools.lru_cache(maxsize=1)
def _base_pointer_data() -> tuple[dict, ...]:
    text = resources.files("asm_ls.data").joinpath("allocation.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["base_pointers"])


def _base_pointers(facts: Facts, class_name: str) -> list[str]:
    """LLVM's base pointer (``asm_ls/data/allocation.json``): no operand may name it, yet the allocator gives it to a
    general-purpose operand in every function that does not need it (x86_64's rbx: rust-by-example#1540)."""
    out = []
    for entry in _base_pointer_data():
        if facts.arch not in entry["arch"]:
            continue
        for name in entry["registers"]:
            register = facts.registers.canonical(name)
            classes = facts.data.registers[register]["classes"] if register in facts.data.registers else ["reg"]
            if register is not None and class_name in classes:
                out.append(register)
    return out


def _changed(facts: Facts, register: str, position: int) -> int | None:
    """The instruction whose write of ``register`` may reach ``position`` (a callee's: the call), if any.  A value
    copied or loaded into it (`mv a0, {0}`) names no writer: the last instruction before ``position`` that writes it."""
    copied = False
    for token in sorted(facts.flow.sources(register, position), key=str):
        if token[0] in ("written", "unknown", "call"):
            return token[1]
        if token[0] == "partial":
            return token[2]
        copied |= token != ("entry", register)
    if not copied:
        return None
    insns, registers = facts.insns, facts.registers
    before = [p for p in facts.flow.reachable if insns[p].offset < insns[position].offset
              and any(registers.canonical(name) == register for name in insns[p].writes)]
    return max(before, key=lambda p: insns[p].offset, default=None)


def _by_name(facts: Facts, position: int, operand) -> bool:
    """Whether the instruction's statement is known not to hold the operand's placeholder."""
    found = facts.locator.operands(facts.insns[position])
    return found is not None and operand.index not in found


def _input(facts: Facts, operand, allocated: str, candidates: list[tuple[str, bool]]) -> None:
    """``candidates``: (register, whether the block saves and restores it itself rather than declaring it late)."""
    registers, insns = facts.registers, facts.insns
    for position in sorted(facts.flow.reachable, key=lambda p: insns[p].offset):
        insn = insns[position]
        read = insn.operand_reads or set()     # unknown (None): no read of the placeholder is counted
        holds = facts.locator.operands(insn)
        if holds is None or operand.index not in holds or facts.names_itself(insn, allocated) \
                or not any(registers.canonical(name) in registers.overlapping(allocated) for name in read):
            continue
        for register, saved in candidates:
            writer = _changed(facts, register, position)
            if writer is None or writer == position or not _by_name(facts, writer, operand):
                continue
            name = _name(facts, writer, register)
            model = facts.calls.assumed(writer, name) if name else None
            severity = "warning" if model is not None and not model.certain else "error"
            label = operand_label(operand)
            reader = facts.shown(insn)
            if name is None:
                message = f"`{insns[writer].mnemonic}` calls a function that may change the register of the input " \
                          f"{label}, read after it by `{reader}`: the register allocator may give {label} a register " \
                          "the callee may change (the registers of a `clobber_abi` are late outputs, which an input " \
                          "can share); keep the value in a register the callee preserves"
            elif saved:
                message = f"`{insns[writer].mnemonic}` writes `{name}` while the input {label} may still be read (by " \
                          f"`{reader}`), and the register allocator may give {label} that register (the block saves " \
                          f"and restores `{name}` itself instead of declaring it): name the input's register " \
                          "explicitly"
            else:
                message = f"`{insns[writer].mnemonic}` writes `{name}` while the input {label} may still be read (by " \
                          f"`{reader}`), and the register allocator may give {label} that register (an input can " \
                          f"share a register with a late output or clobber): declare it `out(\"{name}\") _` so that " \
                          "no input gets it"
            facts.report(HAZARD, message, insns[writer], severity)
            return


def _output(facts: Facts, operand, candidates: list[str]) -> None:
    """A write by name, after the output's last instruction, of a register the output may get."""
    registers, insns, flow = facts.registers, facts.insns, facts.flow
    holding = [p for p in flow.reachable if operand.index in (facts.locator.operands(insns[p]) or ())]
    if not holding:
        return
    last = max(holding, key=lambda p: insns[p].offset)
    for position in sorted(_after(facts, last), key=lambda p: insns[p].offset):
        if not facts.owes(position) or not _by_name(facts, position, operand):
            continue
        insn = insns[position]
        written = {registers.canonical(name) for name in insn.writes}
        for register in candidates:
            if register not in written:
                continue
            name = _name(facts, position, register) or register
            facts.report(HAZARD, f"`{insn.mnemonic}` writes `{name}` after the output {operand_label(operand)} is "
                                 f"written, and the register allocator may give {operand_label(operand)} that register "
                                 f"(the block saves and restores `{name}` itself): name the output's register "
                                 "explicitly", insn, "error")
            return


def _after(facts: Facts, start: int) -> set[int]:
    """The instructions reachable from ``start``, not counting it (unless a loop comes back to it)."""
    found: set[int] = set()
    pending = list(facts.graph[start][0])
    while pending:
        position = pending.pop()
        if position not in found:
            found.add(position)
            pending += facts.graph[position][0]
    return found


def _name(facts: Facts, position: int, register: str) -> str | None:
    return next((name for name in sorted(facts.insns[position].writes) if facts.registers.canonical(name) == register),
                None)
