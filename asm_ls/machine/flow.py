"""Architecture-neutral data flow over one block's decoded instructions: the control-flow graph (direct branch
targets inside the section, fallthrough; indirect or relocated branches, exception returns, ``ret`` and the block's end
are exits; calls to functions return), and a forward analysis of symbolic register values, stack slots, the stack
pointer's offset and the direction flag, joined at merges and iterated to a fixed point (bounded: past the bound it
says nothing).  Saves and restores are recognised on every path: ``push``/``pop``, stores/loads through the stack
pointer at a known offset, register moves and ``xchg``, rotations that add up to the width.  A call's callee leaves
the registers its ABI lets it change with an unknown value (``callee_clobbers``).  The rules
(``machine/rules/``) read the result; nothing here knows what a block declares."""

from __future__ import annotations

from asm_ls.machine.register_map import Registers
from asm_ls.machine.semantics import Insn, machine_facts

EXIT_END, EXIT_OUT, EXIT_RET = "end", "out", "ret"
Graph = list[tuple[list[int], "str | None"]]


def reaching_end(graph: Graph, reachable: set[int]) -> set[int]:
    """The reachable instructions on a path to the block's end (``end`` exits)."""
    predecessors: dict[int, list[int]] = {}
    for position, (successors, _) in enumerate(graph):
        for successor in successors:
            predecessors.setdefault(successor, []).append(position)
    found = {position for position in reachable if graph[position][1] == EXIT_END}
    pending = list(found)
    while pending:
        for previous in predecessors.get(pending.pop(), []):
            if previous in reachable and previous not in found:
                found.add(previous)
                pending.append(previous)
    return found


def graph(insns: list[Insn], size: int, relocated: frozenset[int]) -> Graph | None:
    """Each instruction's successors and how it leaves the block, if it does: ``end`` (falls off the end, or branches
    to it: the block's own end and its `label` operands), ``out`` (an indirect branch or one to a symbol the linker
    resolves, an exception return), ``ret``.  Calls to functions return to the next instruction; a call into the block
    goes to its target.  None when a branch lands inside an instruction."""
    index = {insn.offset: position for position, insn in enumerate(insns)}
    out: Graph = []
    for position, insn in enumerate(insns):
        following = position + 1 if position + 1 < len(insns) else None
        falls: list[int] = [following] if following is not None else []
        fall_exit = None if following is not None else EXIT_END
        if insn.ret:
            out.append(([], EXIT_RET))
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
            leaves = EXIT_OUT
        elif insn.target == size:
            leaves = EXIT_END
        elif insn.target in index:
            successors.append(index[insn.target])
        else:
            return None
        if insn.conditional:
            successors += [s for s in falls if s not in successors]
            leaves = leaves or fall_exit
        out.append((successors, leaves))
    return out


class State:
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

    def copy(self) -> "State":
        return State(dict(self.regs), dict(self.slots), self.sp, self.df)

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


def join(states: list[State], node: int) -> State:
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
    return State(regs, slots, sp, df)


class Flow:
    """The forward analysis over the block's control flow: the state before each reachable instruction, the join of
    its predecessors' states, iterated to a fixed point (with a bound; past it the analysis says nothing).  After a
    call, the registers the callee may change (``callee_clobbers``, canonical names) hold ``("call", position)``."""

    def __init__(self, insns: list[Insn], graph: Graph, registers: Registers, arch: str,
                 callee_clobbers: frozenset[str] = frozenset(),
                 known_callees: dict[int, frozenset[str]] | None = None) -> None:
        """``known_callees``: per call to a routine whose convention is known, the registers it leaves unknown in
        place of ``callee_clobbers``."""
        self.insns = insns
        self.graph = graph
        self.registers = registers
        self.callee_clobbers = callee_clobbers
        self.known_callees = known_callees or {}
        self.stack_names = machine_facts(arch).stack_pointer
        self.before: dict[int, State] = {}
        self.after: dict[int, State] = {}
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
                incoming.append(State())
            state = join(incoming, position)
            old = self.before.get(position)
            if old is not None and old.key() == state.key():
                continue
            self.before[position] = state
            self.reachable.add(position)
            self.after[position] = self.step(position, state)
            pending += [s for s in self.graph[position][0] if s not in pending]
        return True

    def exit_states(self) -> list[tuple[int, str, State]]:
        out = []
        for position in sorted(self.reachable):
            kind = self.graph[position][1]
            if kind is not None:
                out.append((position, kind, self.before[position] if kind == EXIT_RET else self.after[position]))
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

    def sources(self, register: str, position: int) -> set[tuple]:
        """The values ``register`` may hold before instruction ``position``, merges followed back to their
        predecessors: ``("entry", register)`` among them when some path gets there without changing it."""
        found: set[tuple] = set()
        seen: set[tuple] = set()
        tokens = [self.before[position].value(register)] if position in self.before else []
        while tokens:
            token = tokens.pop()
            if token in seen:
                continue
            seen.add(token)
            if token[0] == "phi" and token[2] == register:
                node = token[1]
                tokens += [self.after[p].value(register) for p in self.predecessors.get(node, []) if p in self.after]
                if node == 0:
                    tokens.append(("entry", register))
            else:
                found.add(token)
        return found

    def step(self, position: int, before: State) -> State:
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
            rotated = rotation(insn, name, state.value(canonical), canonical)
            self.assign(state, canonical, rotated or loaded.get(canonical) or copied.get(canonical)
                        or ("written", position, canonical), position)
        if insn.call:
            own = {registers.canonical(name) for name in insn.writes}
            clobbers = self.known_callees.get(position, self.callee_clobbers)
            for register in sorted(clobbers - own):    # the callee's: unknown values after it returns
                self.assign(state, register, ("call", position), position)
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

    def assign(self, state: State, register: str, token: tuple, position: int) -> None:
        registers = self.registers
        for other in registers.overlapping(register):
            if other != register:
                state.regs[other] = ("partial", register, position)
        state.regs[register] = token
        if token == ("entry", register):
            for other in registers.overlapping(register):
                if registers.contains(register, other):
                    state.regs[other] = ("entry", other)


def rotation(insn: Insn, name: str, current: tuple, register: str) -> tuple | None:
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


def live_before(insns: list[Insn], graph: Graph, registers: Registers, watched: set[str]) -> list[set[str]]:
    """For each instruction, the ``watched`` registers (canonical) whose current value may still be read from there
    on: a backward liveness over the control flow (a write of the whole register ends a value's life)."""
    reads = [{c for c in (registers.canonical(n) for n in insn.reads) if c is not None} for insn in insns]
    writes = [{c for c in (registers.canonical(n) for n in insn.writes) if c is not None} for insn in insns]
    uses = [{x for x in watched if any(x in registers.overlapping(c) for c in read)} for read in reads]
    defs = [{x for x in watched if any(registers.contains(c, x) for c in write)} for write in writes]
    live_in: list[set[str]] = [set() for _ in insns]
    changed = True
    rounds = 0
    while changed and rounds < 4 * len(insns) + 8:
        changed = False
        rounds += 1
        for position in reversed(range(len(insns))):
            successors = graph[position][0]
            after = set().union(*(live_in[s] for s in successors)) if successors else set()
            now = (after - defs[position]) | uses[position]
            if now != live_in[position]:
                live_in[position] = now
                changed = True
    return live_in
