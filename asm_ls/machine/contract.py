"""Contract analysis: what a block's machine code does against what its operands and options declare.

The blocks are assembled with a label before each template line (``generate.line_label``), the object is read back
(``objects.py``), each block's section is decoded (``semantics``: the records the rules read, no mnemonic;
``decoded.py`` keeps the results, normally from the assembler's own run) and analysed over its control flow: a
graph of the decoded instructions (direct branch targets inside the section, fallthrough; indirect or relocated branches,
exception returns, ``ret`` and the block's end are exits; calls to functions return), and a forward dataflow of
symbolic register values, stack slots, the stack pointer's offset and the direction flag, joined at merges and iterated
to a fixed point (bounded: past the bound the register rules say nothing).  Only paths that reach the block's end (or a
``label`` operand) owe what the block declares: the reference's restoring rules apply "only when exiting an asm!
block", so a `noreturn` block, a jump away for good and an exception return owe nothing (memory rules still apply).
A register is restored only if it holds its entry value at every exit that reaches the end.
Saves and restores are recognised on every path: ``push``/``pop``, stores/loads through the stack pointer at a known
offset, register moves and ``xchg``, rotations that add up to the width.  Late outputs use a backward liveness of the
inputs."""

from __future__ import annotations

from dataclasses import replace

from asm_ls.diagnostics import Diagnostic
from asm_ls.machine import backend
from asm_ls.machine.coverage import not_analysed, object_format_name
from asm_ls.machine.decoded import decoded_blocks
from asm_ls.machine.generate import GeneratedBlock, labels_safe, statements, without_labels
from asm_ls.machine.objects import BlockCode
from asm_ls.machine.semantics import Insn, available, machine_facts, unsupported_reason
from asm_ls.machine.substitute import REGISTER_KINDS, Substituter
from asm_ls.machine.twin import elf_twin, reads_objects_of
from asm_ls.model.arch import ArchData, arch_data
from asm_ls.model.target import Target

UNDECLARED = "undeclared-clobber"
INPUT_OVERWRITTEN = "input-overwritten"
FLAGS = "flags-not-preserved"
NOMEM = "memory-with-nomem"
READONLY = "write-with-readonly"
NOSTACK = "stack-with-nostack"
CALL = "call-without-clobber-abi"
LATE = "lateout-written-early"
STACK = "stack-not-restored"
DIRECTION = "direction-flag-set"

def contract_diagnostics(blocks: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
                         version: str, timeout: float = backend.DEFAULT_TIMEOUT) -> list[Diagnostic]:
    """The contract findings for the ``asm!`` blocks among ``blocks`` (blocks that assembled without errors): decoded
    from the assembler's own run (``decoded.py``), from one more rustc run over those not decoded yet (when another
    block of the run failed, there is no object).  A block it cannot analyse (an architecture without semantics, an
    object format it does not read, code that does not decode) gets one ``contract-not-analysed`` note saying why."""
    asm_blocks = [block for block in blocks if block.resolved.block.kind == "asm"]
    reason = None if available(arch) else unsupported_reason(arch)
    decoded_for, decoded_features = target, features
    if reason is None and not reads_objects_of(target):
        twin = elf_twin(target, arch, asm_blocks, features)       # the same instructions in an object asm-ls reads
        if twin is None:
            reason = f"asm-ls reads only ELF objects, and this target's are {object_format_name(target.binary_format)}"
        else:
            asm_blocks, decoded_for, decoded_features = twin.blocks, twin.target, twin.features
    if reason is not None:
        return [not_analysed(block, reason, arch=arch) for block in asm_blocks]
    out: list[Diagnostic] = [not_analysed(block, "its labels could not be placed to find each line's code", arch=arch)
                             for block in asm_blocks if not labels_safe(block)]
    chosen = [replace(block, line_labels=True) for block in asm_blocks if labels_safe(block)]
    if not chosen:
        return out
    try:
        results = decoded_blocks(chosen, rustc, decoded_for, arch, decoded_features, version, timeout)
    except backend.BackendError:
        return out      # the assembler's own run reports rustc's troubles
    for block, result in zip(chosen, results):
        if result is None:
            if decoded_for is not target:
                out.append(not_analysed(block, f"it could not be assembled for `{decoded_for.triple}`, whose objects "
                                               "asm-ls reads in place of this target's", arch=arch))
            continue
        code, decoded = result
        if not decoded.complete:
            out.append(not_analysed(block, decoded.reason or "its code could not be decoded", code, decoded.stop, arch))
            continue
        out += analyze_block(block, code, decoded.insns, arch, target)
    return out


class _Registers:
    """Capstone register names to the architecture data's registers."""

    def __init__(self, data: ArchData, target: Target) -> None:
        self.data = data
        self.target = target
        self.reserved: dict[str, str] = {}
        for entry in data.data.get("reserved", []):
            for name in entry["names"]:
                self.reserved[name] = entry["names"][0]
        self.platform_state = {self.canonical(name) for name in machine_facts(target.arch).platform_state}

    def canonical(self, name: str) -> str | None:
        return self.data.canonical(name) or self.reserved.get(name)

    def declarable(self, register: str) -> bool:
        return register in self.data.registers and register not in self.reserved.values() \
            and self.data.filter_error(register, self.target, True) is None

    def overlapping(self, register: str) -> set[str]:
        if register not in self.data.registers:
            return {register}
        return set(self.data.overlapping(register, self.target)) | {register}

    def contains(self, outer: str, inner: str) -> bool:
        return outer == inner or self.overlapping(inner) <= self.overlapping(outer)

    def allocated(self, register: str) -> bool:
        """Whether the compiler may keep a value in ``register`` for this target: a register whose every class needs
        target features the target does not have (the FP/SIMD registers of a soft-float target) holds none, so
        writing it changes nothing the compiler relies on.  The features are a built-in target's (a stand-in asm-ls
        chose for the architecture says nothing: unknown, so silent).  A function's ``#[target_feature]`` is not
        counted: only that function's own code could use such a register, and whether it does is not known."""
        entry = self.data.registers.get(register)
        if entry is None:
            return True
        gated = False
        for class_name in entry["classes"]:
            features = self.data.class_features(class_name, self.target)
            if not features:
                return True
            gated = True
            if (self.target.known or self.target.features_known) \
                    and any(feature in self.target.features for feature in features):
                return True
        return not gated


def analyze_block(block: GeneratedBlock, code: BlockCode, insns: list[Insn], arch: str, target: Target) \
        -> list[Diagnostic]:
    """The findings for one block from its decoded instructions."""
    data = arch_data(arch)
    resolved = block.resolved
    asm = resolved.block
    registers = _Registers(data, resolved.target or target)
    allocated = Substituter(resolved, target, block.block_id).registers
    outputs: set[str] = set()
    inputs: dict[str, str] = {}         # register -> how the template names the `in` operand
    input_operands: dict[str, int] = {}  # register -> the `in` operand's index
    for operand, name in _operand_registers(asm, allocated, data):
        if operand.is_output:
            outputs.add(name)
        else:
            inputs[name] = f'`in("{operand.reg.name}")`' if operand.reg.explicit \
                else f"`{{{operand.name if operand.name else operand.index}}}`"
            input_operands[name] = operand.index
    abi_clobbers: set[str] = set()
    for argument in asm.clobber_abis:
        for name, _, _ in argument.abis:
            entry, _ = data.clobber_abi(name, target)
            if entry is not None:
                abi_clobbers.update(entry["clobbers"])
    declared = outputs | abi_clobbers
    options = asm.option_names
    comments = tuple(data.data.get("line_comments", ()))
    where = _Locator(block, code, insns, comments)
    out: list[Diagnostic] = []

    def report(code_: str, message: str, insn: Insn, severity: str, data_: dict | None = None, notes=()) -> None:
        message = message.replace(f"`{insn.mnemonic}`", f"`{where.written(insn) or _shown(insn.mnemonic)}`", 1)
        start, end = where.range(insn)
        out.append(Diagnostic(code_, message, start, end, severity=severity, target=arch, data=data_ or {},
                              notes=tuple(notes)))

    noreturn = "noreturn" in options
    graph = _graph(insns, len(code.code), code.relocated)
    flow = _Flow(insns, graph, registers, arch) if graph is not None else None
    if flow is not None and not flow.solve():
        flow = None
    if flow is None and not noreturn:
        out.append(not_analysed(block, "its control flow could not be followed (a branch into the middle of an "
                                       "instruction, or more paths than the analysis follows)", arch=arch))
    # Only a path that reaches the block's end (or a `label` operand) owes what the block declares: code after the
    # block never runs after a `noreturn` block, nor after a jump away for good (a tail jump, an exception return).
    owed = None if flow is None else _reaching_end(graph, flow.reachable)

    def owes(position: int) -> bool:
        return not noreturn and (owed is None or position in owed)

    # Options.
    for position, insn in enumerate(insns):
        if "nomem" in options and (insn.memory_read or insn.memory_write):
            verb = "writes" if insn.memory_write and not insn.memory_read else "reads" if not insn.memory_write \
                else "reads and writes"
            report(NOMEM, f"`{insn.mnemonic}` {verb} memory, but the block has `options(nomem)`", insn, "error",
                   {"replace_option": ["nomem", "readonly" if not insn.memory_write else None]})
        if "readonly" in options and insn.memory_write:
            report(READONLY, f"`{insn.mnemonic}` writes memory, but the block has `options(readonly)`", insn, "error",
                   {"remove_option": "readonly"})
        if not owes(position):
            continue
        if "preserves_flags" in options and insn.flags_written:
            report(FLAGS, f"`{insn.mnemonic}` changes the flags, but the block has `options(preserves_flags)`", insn,
                   "error", {"remove_option": "preserves_flags"})
        if "nostack" in options and (insn.push_pop or insn.call or insn.sp_written or insn.stack_write):
            what = "pushes or pops" if insn.push_pop else "calls, which pushes a return address or uses the stack" \
                if insn.call else "moves the stack pointer" if insn.sp_written else "writes to the stack"
            report(NOSTACK, f"`{insn.mnemonic}` {what}, but the block has `options(nostack)`", insn, "error",
                   {"remove_option": "nostack"})
        if insn.call and not asm.clobber_abis:
            report(CALL, f"`{insn.mnemonic}` calls a function, but the block has no `clobber_abi`: the registers the "
                         "callee may change are not declared", insn, "warning", {"add": ['clobber_abi("C")']})

    if noreturn or flow is None:
        return out      # nothing after a `noreturn` block runs; a branch into an instruction: not understood

    # Registers: restored only if every exit sees the entry value.
    first_write: dict[str, tuple[Insn, str]] = {}
    for position in flow.reachable:
        insn = insns[position]
        for name in sorted(insn.writes):
            canonical = registers.canonical(name)
            if canonical is not None:
                first_write.setdefault(canonical, (insn, name))
    exits = [exit_ for exit_ in flow.exit_states() if exit_[1] == _EXIT_END]
    for register, (insn, name) in sorted(first_write.items(), key=lambda item: item[1][0].offset):
        if all(state.value(register) == ("entry", register) for _, _, state in exits):
            continue            # saved and restored (or never leaves the block)
        writer = flow.writer(register, [state.value(register) for _, _, state in exits])
        if writer is not None:
            insn = insns[writer]
            name = next((n for n in sorted(insn.writes) if registers.canonical(n) == register), name)
        if any(registers.contains(declared_register, register) for declared_register in declared):
            continue
        if not registers.allocated(register) or register in registers.platform_state:
            continue            # the compiler keeps nothing there on this target; the thread's platform state
        overwritten = next((name_ for name_ in inputs if registers.overlapping(name_) & registers.overlapping(register)
                            and (name_ == register or register not in inputs)), None)
        if not registers.declarable(register):
            report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}` and the block does not restore it; `{name}` cannot "
                               "be declared as an operand, so it must be saved and restored", insn, "error")
        elif overwritten is not None:
            whose = "the register" if overwritten == register else "part of the register"
            report(INPUT_OVERWRITTEN, f"`{insn.mnemonic}` overwrites `{name}`, {whose} of the input "
                                      f"{inputs[overwritten]}: an input register must hold its value at the end of the "
                                      "block (use `inout`)",
                   insn, "error", {"make_inout": name, "operand": input_operands[overwritten]})
        elif insn.call:
            report(UNDECLARED, f"`{insn.mnemonic}` writes the return address to `{name}`, which is not declared as an "
                               f"output or clobber (declare `lateout(\"{name}\") _`, or use `clobber_abi(\"C\")`, which "
                               "covers it and the registers the callee may change)", insn, "error",
                   {"add": [f'lateout("{name}") _']})
        else:
            report(UNDECLARED, f"`{insn.mnemonic}` writes `{name}`, which is not declared as an output or clobber",
                   insn, "error", {"add": [f'lateout("{name}") _']})

    # The stack pointer at the exits that reach the end (an unknown stack pointer says nothing).
    unbalanced: dict[int, int] = {}
    for _, kind, state in exits:
        if state.sp is None:
            continue
        for delta, changer in state.sp:
            if delta != 0 and changer is not None:
                unbalanced.setdefault(changer, delta)
    for position, delta in sorted(unbalanced.items()):
        insn = insns[position]
        where_to = "below" if delta < 0 else "above"
        report(STACK, f"`{insn.mnemonic}` leaves the stack pointer {abs(delta)} bytes {where_to} its value at the start "
                      "of the block on a path to the block's end: the stack pointer must be restored unless the block "
                      "is `noreturn`", insn, "error")

    # x86: the direction flag must be clear when the block ends.
    left_set = sorted({position for _, _, state in exits for position in state.df})
    for position in left_set:
        insn = insns[position]
        report(DIRECTION, f"`{insn.mnemonic}` sets the direction flag and a path to the end of the block does not clear "
                          "it: the flag must be clear when the block ends (add `cld`)", insn, "error", {"add_after": "cld"})

    # Late outputs written while an input may still be read: the register allocator may give both one register.
    _late_outputs(asm, allocated, data, registers, insns, graph, flow.reachable, report)
    return out


def _operand_registers(asm, allocated: dict[int, str], data: ArchData):
    """(operand, its register's canonical name) for the register operands whose register is known."""
    for operand in asm.operands:
        if operand.kind not in REGISTER_KINDS or operand.reg is None:
            continue
        name = data.canonical(operand.reg.name) if operand.reg.explicit else allocated.get(operand.index)
        if name is not None:
            yield operand, name


def _late_outputs(asm, allocated: dict[int, str], data: ArchData, registers: _Registers, insns: list[Insn],
                  graph: list[tuple[list[int], str | None]], reachable: set[int], report) -> None:
    inputs: dict[str, str] = {}         # canonical register -> how the template names the input
    late: list[tuple[str, object]] = []
    for operand, name in _operand_registers(asm, allocated, data):
        label = f'`{operand.kind}("{operand.reg.name}")`' if operand.reg.explicit \
            else f"`{{{operand.name if operand.name else operand.index}}}`"
        if operand.kind == "in":
            inputs[name] = label
        elif operand.kind in ("lateout", "inlateout") and not operand.reg.explicit:
            late.append((name, operand, label))
    if not late or not inputs:
        return
    canonical_reads = [{c for c in (registers.canonical(n) for n in insn.reads) if c is not None} for insn in insns]
    canonical_writes = [{c for c in (registers.canonical(n) for n in insn.writes) if c is not None} for insn in insns]
    uses = [{x for x in inputs if any(x in registers.overlapping(c) for c in reads)} for reads in canonical_reads]
    defs = [{x for x in inputs if any(registers.contains(c, x) for c in writes)} for writes in canonical_writes]
    live_in: list[set[str]] = [set() for _ in insns]
    changed = True
    rounds = 0
    while changed and rounds < 4 * len(insns) + 8:
        changed = False
        rounds += 1
        for position in reversed(range(len(insns))):
            after = set().union(*(live_in[s] for s in graph[position][0])) if graph[position][0] else set()
            now = (after - defs[position]) | uses[position]
            if now != live_in[position]:
                live_in[position] = now
                changed = True
    reported: set[str] = set()
    for position in sorted(reachable):
        after = set().union(*(live_in[s] for s in graph[position][0])) if graph[position][0] else set()
        if not after:
            continue
        for register, operand, label in late:
            written = [c for c in canonical_writes[position] if c in registers.overlapping(register)]
            if not written:
                continue
            shared = sorted(x for x in after if x != register and data.class_of(x) == data.class_of(register))
            if not shared or register in reported:
                continue
            reported.add(register)
            insn = insns[position]
            fix = "out" if operand.kind == "lateout" else "inout"
            report(LATE, f"`{insn.mnemonic}` writes the late output {label} while the input {inputs[shared[0]]} may still "
                         f"be read: a late output can share its register with an input (use `{fix}`)", insn, "error",
                   {"replace_kind": [operand.kind, fix]})


_EXIT_END, _EXIT_OUT, _EXIT_RET = "end", "out", "ret"


def _reaching_end(graph: list[tuple[list[int], str | None]], reachable: set[int]) -> set[int]:
    """The reachable instructions on a path to the block's end (``end`` exits)."""
    predecessors: dict[int, list[int]] = {}
    for position, (successors, _) in enumerate(graph):
        for successor in successors:
            predecessors.setdefault(successor, []).append(position)
    found = {position for position in reachable if graph[position][1] == _EXIT_END}
    pending = list(found)
    while pending:
        for previous in predecessors.get(pending.pop(), []):
            if previous in reachable and previous not in found:
                found.add(previous)
                pending.append(previous)
    return found


def _graph(insns: list[Insn], size: int, relocated: frozenset[int]) -> list[tuple[list[int], str | None]] | None:
    """Each instruction's successors and how it leaves the block, if it does: ``end`` (falls off the end, or branches
    to it: the block's own end and its `label` operands), ``out`` (an indirect branch or one to a symbol the linker
    resolves, an exception return), ``ret``.  Calls to functions return to the next instruction; a call into the block
    goes to its target.  None when a branch lands inside an instruction."""
    index = {insn.offset: position for position, insn in enumerate(insns)}
    out: list[tuple[list[int], str | None]] = []
    for position, insn in enumerate(insns):
        following = position + 1 if position + 1 < len(insns) else None
        falls: list[int] = [following] if following is not None else []
        fall_exit = None if following is not None else _EXIT_END
        if insn.ret:
            out.append(([], _EXIT_RET))
            continue
        if insn.trap:
            out.append(([], None))
            continue
        if not insn.jump and not insn.call:
            out.append((falls, fall_exit))
            continue
        moved = any(insn.offset <= offset < insn.offset + insn.size for offset in relocated)
        if insn.call and (moved or insn.target not in index):
            out.append((falls, fall_exit))      # a call to a function returns to the next instruction
            continue
        if insn.call:
            # A call into the block itself goes there (and links); what follows it runs only if a `ret` in the block
            # comes back, which is not followed: `0: bl 0b` never ends.
            out.append(([index[insn.target]], None))
            continue
        successors: list[int] = []
        leaves: str | None = None
        if insn.target is None or moved or not 0 <= insn.target <= size:
            leaves = _EXIT_OUT
        elif insn.target == size:
            leaves = _EXIT_END
        elif insn.target in index:
            successors.append(index[insn.target])
        else:
            return None
        if insn.conditional:
            successors += [s for s in falls if s not in successors]
            leaves = leaves or fall_exit
        out.append((successors, leaves))
    return out


class _State:
    """The symbolic machine state before or after an instruction: register values (absent: the entry value), stack
    slots by offset from the entry stack pointer, the stack pointer's possible offsets with the instruction that last
    moved it (None: unknown), the `std`s whose direction flag may still be set."""

    __slots__ = ("regs", "slots", "sp", "df")

    def __init__(self, regs=None, slots=None, sp=frozenset({(0, None)}), df=frozenset()) -> None:
        self.regs: dict[str, tuple] = regs if regs is not None else {}
        self.slots: dict[int, tuple] = slots if slots is not None else {}
        self.sp: frozenset[tuple[int, int | None]] | None = sp
        self.df: frozenset[int] = df

    def value(self, register: str) -> tuple:
        return self.regs.get(register, ("entry", register))

    def copy(self) -> "_State":
        return _State(dict(self.regs), dict(self.slots), self.sp, self.df)

    def key(self) -> tuple:
        regs = tuple(sorted((k, v) for k, v in self.regs.items() if v != ("entry", k)))
        return regs, tuple(sorted(self.slots.items())), self.sp, self.df

    def offset(self) -> int | None:
        """The stack pointer's offset when it is known and the same on every path."""
        if self.sp is None:
            return None
        values = {value for value, _ in self.sp}
        return values.pop() if len(values) == 1 else None


_SP_LIMIT = 8


def _join(states: list[_State], node: int) -> _State:
    first = states[0]
    if len(states) == 1:
        return first.copy()
    names = set().union(*(state.regs for state in states))
    regs = {}
    for name in names:
        values = {state.value(name) for state in states}
        regs[name] = values.pop() if len(values) == 1 else ("phi", node, name)
    slots = {offset: value for offset, value in first.slots.items()
             if all(state.slots.get(offset) == value for state in states[1:])}
    sp: frozenset | None = frozenset()
    for state in states:
        sp = None if sp is None or state.sp is None else sp | state.sp
    if sp is not None and len(sp) > _SP_LIMIT:
        sp = None
    df = frozenset().union(*(state.df for state in states))
    return _State(regs, slots, sp, df)


class _Flow:
    """The forward analysis over the block's control flow: the state before each reachable instruction, the join of
    its predecessors' states, iterated to a fixed point (with a bound; past it the analysis says nothing)."""

    def __init__(self, insns: list[Insn], graph: list[tuple[list[int], str | None]], registers: _Registers,
                 arch: str) -> None:
        self.insns = insns
        self.graph = graph
        self.registers = registers
        self.stack_names = machine_facts(arch).stack_pointer
        self.before: dict[int, _State] = {}
        self.after: dict[int, _State] = {}
        self.reachable: set[int] = set()
        self.predecessors: dict[int, list[int]] = {}
        for position, (successors, _) in enumerate(graph):
            for successor in successors:
                self.predecessors.setdefault(successor, []).append(position)

    def solve(self) -> bool:
        if not self.insns:
            return True
        pending = [0]
        budget = 50 * len(self.insns) + 100
        while pending:
            budget -= 1
            if budget < 0:
                return False
            position = min(pending)
            pending.remove(position)
            incoming = [self.after[p] for p in self.predecessors.get(position, []) if p in self.after]
            if position == 0:
                incoming.append(_State())
            state = _join(incoming, position)
            old = self.before.get(position)
            if old is not None and old.key() == state.key():
                continue
            self.before[position] = state
            self.reachable.add(position)
            self.after[position] = self.step(position, state)
            pending += [s for s in self.graph[position][0] if s not in pending]
        return True

    def exit_states(self) -> list[tuple[int, str, _State]]:
        out = []
        for position in sorted(self.reachable):
            kind = self.graph[position][1]
            if kind is not None:
                out.append((position, kind, self.before[position] if kind == _EXIT_RET else self.after[position]))
        return out

    def writer(self, register: str, tokens: list[tuple]) -> int | None:
        """The first instruction (in address order) whose write of ``register`` reaches an exit, following merges
        back to their predecessors."""
        found: set[int] = set()
        seen: set[tuple] = set()
        while tokens:
            token = tokens.pop()
            if token in seen:
                continue
            seen.add(token)
            if token[0] == "phi":
                node = token[1]
                tokens += [self.after[p].value(register) for p in self.predecessors.get(node, []) if p in self.after]
                if node == 0:
                    tokens.append(("entry", register))
            elif token[0] in ("written", "partial", "unknown"):
                found.add(token[1] if token[0] != "partial" else token[2])
        written = [position for position in found if any(self.registers.canonical(n) == register
                                                         for n in self.insns[position].writes)]
        return min(written) if written else None

    def step(self, position: int, before: _State) -> _State:
        insn = self.insns[position]
        registers = self.registers
        state = before.copy()
        sp = before.offset()
        loaded = {}
        for name, offset in insn.loads:
            canonical = registers.canonical(name)
            if canonical is not None:
                loaded[canonical] = before.slots.get(sp + offset, ("unknown", position)) if sp is not None \
                    else ("unknown", position)
        copied = {}
        new_sp = None
        for target_name, source_name in insn.copies:
            if target_name in self.stack_names:
                token = before.value(registers.canonical(source_name) or source_name)
                if token[0] == "sp":
                    new_sp = token[1]
                continue
            destination = registers.canonical(target_name)
            if destination is None:
                continue
            if source_name in self.stack_names:
                copied[destination] = ("sp", before.sp) if before.sp is not None else ("unknown", position)
            else:
                origin = registers.canonical(source_name)
                if origin is not None:
                    copied[destination] = before.value(origin)
        if insn.stores:
            if sp is None:
                state.slots = {}
            for name, offset in insn.stores:
                if sp is None:
                    break
                canonical = registers.canonical(name)
                state.slots[sp + offset] = before.value(canonical) if canonical is not None else ("unknown", position)
        for name in sorted(insn.writes):
            canonical = registers.canonical(name)
            if canonical is None:
                continue
            rotated = _rotation(insn, name, state.value(canonical), canonical)
            self.assign(state, canonical, rotated or loaded.get(canonical) or copied.get(canonical)
                        or ("written", position, canonical), position)
        if new_sp is not None:
            state.sp = new_sp
        elif before.sp is None or insn.sp_delta is None:
            state.sp = None
        elif insn.sp_delta:
            state.sp = frozenset((value + insn.sp_delta, position) for value, _ in before.sp)
        if insn.direction == "set":
            state.df = frozenset({position})
        elif insn.direction == "clear":
            state.df = frozenset()
        return state

    def assign(self, state: _State, register: str, token: tuple, position: int) -> None:
        registers = self.registers
        for other in registers.overlapping(register):
            if other != register:
                state.regs[other] = ("partial", register, position)
        state.regs[register] = token
        if token == ("entry", register):
            for other in registers.overlapping(register):
                if registers.contains(register, other):
                    state.regs[other] = ("entry", other)


def _rotation(insn: Insn, name: str, current: tuple, register: str) -> tuple | None:
    """A rotation of a register by an immediate, or an increment by a constant, keeps its value symbolic: rotations
    that add up to the full width give the entry value back (valgrind's and other magic sequences), and so do
    increments that add up to zero (a pointer walked forward and back: `ldmia r1!, ...; subs r1, 32`)."""
    if insn.rotation is not None and insn.rotation[0] == name:
        kind, (_, amount, width) = "rotated", insn.rotation
    elif insn.increment is not None and insn.increment[0] == name:
        kind, (_, amount, bits) = "moved", insn.increment
        width = 1 << bits
    else:
        return None
    if current == ("entry", register):
        turned = 0
    elif current[:2] == (kind, register) and current[3] == width:
        turned = current[2]
    else:
        return None
    turned = (turned + amount) % width
    return ("entry", register) if turned == 0 else (kind, register, turned, width)


_PREFIXES = {"rep", "repe", "repz", "repne", "repnz", "lock", "notrack", "bnd", "xacquire", "xrelease", "data16",
             "data32", "addr16", "addr32", "rex", "rex64", "cs", "ds", "es", "fs", "gs", "ss"}


def _shown(mnemonic: str) -> str:
    """The mnemonic as the template spells it: RISC-V's compressed forms are chosen by the assembler (``li`` ->
    ``c.li``)."""
    return mnemonic[2:] if mnemonic.startswith("c.") else mnemonic


class _Locator:
    """The template characters of an instruction: its line's statement (the k-th instruction statement of a line for
    the k-th instruction decoded from it when the counts agree), else the whole line, else the block's templates."""

    def __init__(self, block: GeneratedBlock, code: BlockCode, insns: list[Insn], comments: tuple[str, ...]) -> None:
        self.block = block
        self.comments = comments
        self.line_of = {id(insn): code.line_at(insn.offset) for insn in insns}
        self.per_line: dict[int, list[int]] = {}
        for insn in insns:
            line = self.line_of[id(insn)]
            if line is not None:
                self.per_line.setdefault(line, []).append(id(insn))

    def _statement(self, insn: Insn) -> tuple[object, int, int, bool] | None:
        """The instruction's line, its columns there, and whether they are its own statement."""
        line_index = self.line_of.get(id(insn))
        if line_index is None or not 0 <= line_index < len(self.block.lines):
            return None
        line = self.block.lines[line_index]
        found = [(first, last) for first, last in statements(line.text, self.comments)
                 if not line.text[first:last].startswith(".") and not line.text[first:last].rstrip().endswith(":")]
        found = [without_labels(line.text, first, last) for first, last in found]
        members = self.per_line.get(line_index, [])
        if len(found) == len(members) and id(insn) in members:
            return (line, *found[members.index(id(insn))], True)
        if found:
            return line, found[0][0], found[-1][1], len(found) == 1
        return line, 0, len(line.text), False

    def written(self, insn: Insn) -> str | None:
        """The mnemonic as the template writes it (``call`` for the ``jalr`` it ends with, ``csrrw`` for capstone's
        ``csrw``), when the instruction's statement is known and starts with a plain name that is not a prefix."""
        found = self._statement(insn)
        if found is None or not found[3]:
            return None
        line, first, last = found[:3]
        word = line.text[first:last].split(None, 1)[0] if line.text[first:last].strip() else ""
        plain = word.replace(".", "").replace("_", "").isalnum() and not word[:1].isdigit()
        return word.lower() if plain and word.lower() not in _PREFIXES else None

    def range(self, insn: Insn) -> tuple[int, int]:
        found = self._statement(insn)
        if found is None:
            return self.block.range
        line, first, last, _ = found
        origins = [origin for origin in line.origin[first:last] if origin is not None]
        if not origins:
            return self.block.range
        return min(o[0] for o in origins), max(o[1] for o in origins)
