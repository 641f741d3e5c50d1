"""Contract analysis: what a block's machine code does against what its operands and options declare.

The blocks are assembled with a label before each template line (``generate.line_label``), the object is read back
(``objects.py``), each block's section is decoded (``semantics``: the records the rules read, no mnemonic;
``decoded.py`` keeps the results, normally from the assembler's own run), the models of what the code calls are applied (``calls.py``: kernel calls, callees), and the
architecture-neutral data flow (``flow.py``) runs over its control flow.  The rules (``machine/rules/``, one module
per concern) read the result.  Only paths that reach the block's end (or a ``label`` operand) owe what the block
declares: the reference's restoring rules apply "only when exiting an asm! block", so a `noreturn` block, a jump away
for good and an exception return owe nothing (memory rules still apply)."""

from __future__ import annotations

from dataclasses import replace

from asm_ls.diagnostics import Diagnostic
from asm_ls.machine import backend
from asm_ls.machine.calls import CallModel
from asm_ls.machine.coverage import not_analysed, object_format_name
from asm_ls.machine.decoded import decoded_blocks
from asm_ls.machine.findings import KEPT, block_key
from asm_ls.machine.flow import Flow, graph, reaching_end
from asm_ls.machine.generate import GeneratedBlock, labels_safe
from asm_ls.machine.locate import Locator
from asm_ls.machine.objects import BlockCode
from asm_ls.machine.register_map import Registers
from asm_ls.machine.rules import RULES
from asm_ls.machine.rules.facts import Facts
from asm_ls.machine.semantics import Insn, available, unsupported_reason
from asm_ls.machine.substitute import Substituter
from asm_ls.machine.twin import elf_twin, reads_objects_of
from asm_ls.machine.values import file_constants, input_values, placed_constants, register_value
from asm_ls.model.arch import arch_data
from asm_ls.model.configurations import PROJECT, SETTINGS
from asm_ls.model.target import Target
from asm_ls.model.item_index import ItemIndex
from asm_ls.model.types import operand_types
from asm_ls.syntax.treesitter import parse


def contract_diagnostics(blocks: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
                         version: str, timeout: float = backend.DEFAULT_TIMEOUT, source: bytes | None = None,
                         model=None) -> list[Diagnostic]:
    """The contract findings for the ``asm!`` blocks among ``blocks`` (blocks that assembled without errors): decoded
    from the assembler's own run (``decoded.py``), from one more rustc run over those not decoded yet (when another
    block of the run failed, there is no object).  A block it cannot analyse (an architecture without semantics, an
    object format it does not read, code that does not decode) gets one ``contract-not-analysed`` note saying why.
    ``source``: the file's text, for the operands' types (``model``: its model, when the caller has it).  A
    block's findings are kept (``findings.py``) and reused while it and what they depend on are unchanged."""
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
    types = _PointerTypes(source, model)
    # The file's constants and the names it brings in from call numberings value call numbers (`values.py`).
    context = (target, arch, decoded_for, tuple(decoded_features), version, tuple(sorted(types.constants().items())))
    keys = [block_key(block, source, context, types.key_of(block)) for block in chosen]
    missing = []
    for block, key in zip(chosen, keys):
        kept = KEPT.get(key, block.resolved.block.call.start) if key is not None else None
        if kept is None:
            missing.append((block, key))
        else:
            out += kept
    if not missing:
        return out
    try:
        results = decoded_blocks([block for block, _ in missing], rustc, decoded_for, arch, decoded_features, version,
                                 timeout)
    except backend.BackendError:
        return out      # the assembler's own run reports rustc's troubles
    constants = types.constants()
    for (block, key), result in zip(missing, results):
        found = _block_findings(block, result, decoded_for, arch, target, types.of(block), constants)
        if key is not None:
            KEPT.put(key, block.resolved.block.call, found)
        out += found
    return out


def _block_findings(block: GeneratedBlock, result, decoded_for: Target, arch: str, target: Target,
                    pointer_inputs: dict[int, str], constants: dict) -> list[Diagnostic]:
    """One block's contract findings from its decoding (None: it did not assemble for ``decoded_for``)."""
    if result is None:
        if decoded_for is target:
            return []
        return [not_analysed(block, f"it could not be assembled for `{decoded_for.triple}`, whose objects asm-ls "
                                    "reads in place of this target's", arch=arch)]
    code, decoded = result
    if not decoded.complete:
        return [not_analysed(block, decoded.reason or "its code could not be decoded", code, decoded.stop, arch)]
    return analyze_block(block, code, decoded.insns, arch, target, pointer_inputs, constants)


class _PointerTypes:
    """The raw-pointer inputs of the `nomem` blocks of one file, from the operands' evident types (the file is parsed,
    when the caller has no tree, only when such a block has inputs; one item index serves all its blocks)."""

    def __init__(self, source: bytes | None, model=None) -> None:
        self.source = source
        self.tree = getattr(model, "tree", None)
        self.anchors = getattr(model, "anchors", None)      # block_results.Anchors of the same text
        self.items: ItemIndex | None = None
        self._found: dict[int, dict[int, str]] = {}

    def key_of(self, block: GeneratedBlock) -> tuple:
        """What the block's pointer types are a function of: its anchor's text, where the call is in it and the
        file's skeleton (``block_results.Anchors.types_key``), else the types themselves."""
        found = self.anchors.types_key(block.resolved.block.call) if self.anchors is not None else None
        return ("anchored", found) if found is not None else ("types", tuple(sorted(self.of(block).items())))

    def constants(self) -> dict:
        """The file's integer `const` items and the names it brings in from call numberings (read once)."""
        if not hasattr(self, "_constants"):
            self._constants = file_constants(self.source)
        return self._constants

    def of(self, block: GeneratedBlock) -> dict[int, str]:
        asm = block.resolved.block
        if self.source is None or not asm.has_option("nomem") \
                or not any(op.kind in ("in", "inout", "inlateout") for op in asm.operands):
            return {}
        if id(block.resolved) not in self._found:
            if self.tree is None:
                self.tree = parse(self.source)
            if self.items is None:
                self.items = ItemIndex(self.source)
            found = operand_types(self.tree, self.source, block.resolved, self.items)
            self._found[id(block.resolved)] = {index: in_type for index, (in_type, _) in found.items()
                                               if in_type is not None and in_type.startswith(("*const ", "*mut "))}
        return self._found[id(block.resolved)]


def analyze_block(block: GeneratedBlock, code: BlockCode, insns: list[Insn], arch: str, target: Target,
                  pointer_inputs: dict[int, str] | None = None, constants: dict[str, int] | None = None) \
        -> list[Diagnostic]:
    """The findings for one block from its decoded instructions (``pointer_inputs``: operand index -> raw pointer type
    of the inputs known to be pointers; ``constants``: the file's integer `const` items)."""
    data = arch_data(arch)
    resolved = block.resolved
    block_target = resolved.target or target
    abi_clobbers: set[str] = set()
    for argument in resolved.block.clobber_abis:
        for name, _, _ in argument.abis:
            entry, _ = data.clobber_abi(name, target)
            if entry is not None:
                abi_clobbers.update(entry["clobbers"])
    # A target someone named (settings, Cargo's `[build] target`); else it stands in for the architecture, and what
    # depends on the target beyond it (its OS, the registers its features allow) is an assumption.
    configuration = resolved.configuration
    target_certain = configuration is None or configuration.origin in (SETTINGS, PROJECT)
    calls = CallModel(data, block_target, arch, abi_clobbers, target_certain)
    insns = calls.apply(insns)
    registers = Registers(data, block_target)
    locator = Locator(block, code, insns, tuple(data.data.get("line_comments", ())))
    guessed = next((insn for insn in insns if insn.confirm and locator.written(insn) != insn.mnemonic), None)
    if guessed is not None:
        return [not_analysed(block, f"capstone cannot decode the instruction, and SLEIGH reads it as `{guessed.mnemonic}`, "
                                    "which is not the instruction written:", code, guessed.offset, arch)]
    control = graph(insns, len(code.code), code.relocated)
    flow = _flow(insns, control, registers, arch, calls)
    substituter = Substituter(resolved, target, block.block_id)
    if substituter.shared:
        return [not_analysed(block, "its operands need more registers than asm-ls can give them: the compiler then "
                                    "also uses registers no operand can name (a frame or base pointer), and which "
                                    "operand gets which cannot be told", arch=arch)]
    facts = Facts(block, insns, arch, block_target, data, registers, substituter.registers, substituter.candidates,
                  calls, control, flow,
                  None if flow is None else reaching_end(control, flow.reachable),
                  locator, target_certain,
                  pointer_inputs or {})
    if flow is not None:
        inputs = input_values(facts, constants)
        valued = placed_constants(facts, constants)

        def value_of(position: int, name: str):
            return register_value(facts.flow, valued, registers, inputs, position, registers.canonical(name) or name)

        def follow_again() -> None:
            facts.flow = _flow(insns, facts.graph, registers, arch, calls)
            facts.owed = None if facts.flow is None else reaching_end(facts.graph, facts.flow.reachable)
        if calls.resolve_targets(insns, value_of):     # a call to a known routine: its own writes, not the C ABI's
            follow_again()
        if facts.flow is not None:
            calls.resolve(value_of)
            ending = [position for position in sorted(calls.ends) if not insns[position].trap]
            if ending:      # `exit`: nothing after the call runs, so the path owes nothing at the block's end
                for position in ending:
                    insns[position].trap = True     # the model's own copy of the instruction (`CallModel.apply`)
                facts.graph = graph(insns, len(code.code), code.relocated)
                follow_again()
        flow = facts.flow
    if flow is None and not facts.noreturn:
        facts.out.append(not_analysed(block, "its control flow could not be followed (a branch into the middle of an "
                                             "instruction, or more paths than the analysis follows)", arch=arch))
    for rule in RULES:
        rule(facts)
    return facts.out


def _flow(insns: list[Insn], control, registers: Registers, arch: str, calls: CallModel) -> Flow | None:
    """The data flow over the block's control flow (None: not understood)."""
    if control is None:
        return None
    flow = Flow(insns, control, registers, arch, calls.callee, calls.callee_writes())
    return flow if flow.solve() else None
