"""Whether two versions of blocks assemble to the same bytes (what a template format must keep).

Each pair is one block before and after, under one configuration.  Per target, the blocks before that assemble (the
assembler-backed checks' own run says which, and why the others do not) go through one rustc run and the blocks
after through another, each block under the same generated name in both; the two objects are compared section by
section (a block's own section and its relocations are its own; every other section must be equal too).  When that
cannot tell (a run failed, the objects differ outside the blocks' sections, the object format is not ELF), each half
of the blocks is tried on its own, down to single blocks, whose whole objects are compared.  A block that fails for
its configuration's target is tried where the assembler-backed checks would try it (``_elsewhere``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from asm_ls.diagnostics.codes import severity_of
from asm_ls.machine import backend
from asm_ls.machine.assemble import block_findings
from asm_ls.machine.blocks import assemblable, compile_target, extra_features, front_end_findings
from asm_ls.machine.framing import framing
from asm_ls.machine.generate import GeneratedBlock, generate_block, generate_crate
from asm_ls.machine.objects import ObjectError, block_section_name, read_elf
from asm_ls.machine.substitute import Substituter
from asm_ls.model.arch import arch_data
from asm_ls.model.build import ResolvedBlock, resolve_for
from asm_ls.model.configurations import stable_architectures
from asm_ls.model.target import Target, default_target, parse_target
from asm_ls.model.target_data import also_assembled_for, known_targets


@dataclass(frozen=True)
class Verdict:
    """``reason`` None: both versions assemble to the same ``size`` bytes (of the block's own sections)."""

    reason: str | None = None
    size: int = 0

    @property
    def same(self) -> bool:
        return self.reason is None


def _not(reason: str) -> Verdict:
    return Verdict(reason)


@dataclass
class Pair:
    """One block under one configuration: ``before`` in ``old`` (the source bytes), ``after`` in ``new``."""

    before: ResolvedBlock
    after: ResolvedBlock


def compare(pairs: list[Pair], old: bytes, new: bytes, rustc_setting: str | None,
            timeout: float = backend.DEFAULT_TIMEOUT) -> list[Verdict]:
    """For each pair: whether both versions assemble to the same bytes, else why that is not known."""
    verdicts: list[Verdict] = [_not("not compared")] * len(pairs)
    groups: dict[Target, list[int]] = {}
    for position, pair in enumerate(pairs):
        reason = _not_assemblable(pair.before)
        if reason is not None:
            verdicts[position] = _not(reason)
        else:
            groups.setdefault(compile_target(pair.before.target), []).append(position)
    if not groups:
        return verdicts
    rustc = backend.find_rustc(rustc_setting)
    if rustc is None:
        missing = _not(f"`{rustc_setting or 'rustc'}` was not found, so the assembled bytes cannot be compared")
        return [missing if verdict.reason == "not compared" else verdict for verdict in verdicts]
    for target, positions in groups.items():
        try:
            found = _compare_target(target, [pairs[p] for p in positions], old, new, rustc, timeout)
        except backend.BackendError as error:
            found = [_not(f"the assembler could not be run: {error}")] * len(positions)
        for position, verdict in zip(positions, found):
            verdicts[position] = verdict
    _elsewhere(pairs, verdicts, old, new, rustc, timeout)
    return verdicts


def _elsewhere(pairs: list[Pair], verdicts: list[Verdict], old: bytes, new: bytes, rustc: str,
               timeout: float) -> None:
    """Blocks that fail for their configuration's target may be written for another target the build may use, as
    the assembler-backed checks take them: the targets their architecture is also assembled for (when only the
    architecture is known), then, under a guessed configuration, each stable architecture's usual target.  The
    first target where both versions assemble to the same bytes gives the verdict."""
    trials: dict[Target, list[tuple[int, Pair]]] = {}
    for position, (pair, verdict) in enumerate(zip(pairs, verdicts)):
        if verdict.reason is None or not verdict.reason.startswith((_FAILS, _ERRORS)) or pair.before.target is None:
            continue
        configured = pair.before.target
        if verdict.reason.startswith(_FAILS) and not configured.explicit:
            for triple in also_assembled_for(configured.arch):
                if triple in known_targets():
                    trials.setdefault(replace(parse_target(triple), explicit=False), []).append((position, pair))
        if not pair.before.certain:
            for arch in stable_architectures():
                target = default_target(arch)
                if arch != configured.arch and target.known:
                    trials.setdefault(target, []).append(
                        (position, Pair(resolve_for(pair.before, target), resolve_for(pair.after, target))))
    for target, tried in trials.items():
        tried = [(position, pair) for position, pair in tried if not verdicts[position].same
                 and _not_assemblable(pair.before) is None]
        if not tried:
            continue
        try:
            found = _compare_target(target, [pair for _, pair in tried], old, new, rustc, timeout)
        except backend.BackendError:
            continue
        for (position, _), verdict in zip(tried, found):
            if verdict.same:
                verdicts[position] = verdict


def _not_assemblable(resolved: ResolvedBlock) -> str | None:
    block = resolved.block
    if resolved.arch is None or resolved.target is None:
        return "no target is known to build it"
    if arch_data(resolved.arch) is None:
        return f"asm-ls has no data for `{resolved.arch}`"
    if block.unknown_args or block.unknown_template:
        return "some of its arguments are not known here (macro arguments or an undecidable #[cfg])"
    if assemblable(resolved, None, None):
        return None
    errors = [d for d in (block.parse_errors + block.errors or front_end_findings(resolved, None))
              if (d.severity or severity_of(d.code)) == "error"]
    return f"{_ERRORS} ({errors[0].message})" if errors else "it cannot be assembled as written"


def _compare_target(target: Target, pairs: list[Pair], old: bytes, new: bytes, rustc: str,
                    timeout: float) -> list[Verdict]:
    arch = target.arch
    verdicts: list[Verdict] = [_not("not compared")] * len(pairs)
    ready: list[tuple[int, GeneratedBlock, GeneratedBlock]] = []
    for position, pair in enumerate(pairs):
        block_id = f"fmt{position}"
        before = _generate(pair.before, target, block_id, old)
        after = _generate(pair.after, target, block_id, new)
        if before is None or after is None:
            verdicts[position] = _not("asm-ls cannot generate it for the assembler (an operand it cannot place)")
        elif before.refused or after.refused:
            verdicts[position] = _not("it names a file the assembler would read (asm-ls never assembles that)")
        else:
            ready.append((position, before, after))
    if not ready:
        return verdicts
    features = extra_features(target, [pair.before for pair in pairs])
    # Which blocks assemble as written: the assembler-backed checks' own run (cached), which places each error.
    found = block_findings([before for _, before, _ in ready], rustc, target, arch, features,
                      backend.version(rustc, timeout), timeout)
    failing = {position: errors[0].message for (position, _, _), result in zip(ready, found)
               if (errors := [finding for finding in result if finding.level == "error"])}
    for position, message in failing.items():
        verdicts[position] = _not(f"{_FAILS} ({message})")
    ready = [entry for entry in ready if entry[0] not in failing]
    if not ready:
        return verdicts

    def run(blocks: list[GeneratedBlock]) -> backend.Run:
        return backend.compile_crate(rustc, generate_crate(blocks), target.triple, arch, features, timeout,
                                     keep_object=True, cpu=target.cpu)

    for (position, _, _), verdict in zip(ready, _judge([(b, a) for _, b, a in ready], run)):
        verdicts[position] = verdict
    return verdicts


def _judge(blocks: list[tuple[GeneratedBlock, GeneratedBlock]], run) -> list[Verdict]:
    """The verdicts of (before, after) blocks: all of them assembled together, and when that cannot tell, each
    half on its own."""
    before, after = run([old for old, _ in blocks]), run([new for _, new in blocks])
    if before.object is not None and after.object is not None:
        found = _sections_compared(before, after, [old.block_id for old, _ in blocks])
        if found is not None:
            return found
        if len(blocks) == 1:
            return [Verdict(size=len(before.object)) if before.object == after.object else _OTHER]
    elif len(blocks) == 1:
        if before.object is None:
            return [_not(f"{_FAILS} ({_first_error(before)})")]
        return [_not(f"the formatted block does not assemble ({_first_error(after)})")]
    half = len(blocks) // 2
    return _judge(blocks[:half], run) + _judge(blocks[half:], run)


def _generate(resolved: ResolvedBlock, target: Target, block_id: str, data: bytes) -> GeneratedBlock | None:
    arch = arch_data(target.arch)
    comments = tuple(arch.data.get("line_comments", ()))
    substituter = Substituter(resolved, target, block_id, data)
    return generate_block(resolved, substituter, block_id, bool(arch.data.get("att_syntax")), framing(target),
                          comments)


_OTHER = Verdict("the formatted block assembles to other bytes")
_FAILS = "it does not assemble"
_ERRORS = "it has errors"


def _sections_compared(before: backend.Run, after: backend.Run, block_ids: list[str]) -> list[Verdict] | None:
    """Each block's verdict from two runs over all the blocks; None when they cannot tell."""
    if before.object is None or after.object is None:
        return None
    try:
        old, new = read_elf(before.object), read_elf(after.object)
    except ObjectError:
        return None
    old_sections, new_sections = _sections(old), _sections(new)
    own = {block_id: {name for name in old_sections.keys() | new_sections.keys() if _belongs(name, block_id)}
           for block_id in block_ids}
    shared = (old_sections.keys() | new_sections.keys()) - set().union(*own.values())
    if any(old_sections.get(name) != new_sections.get(name) for name in shared):
        return None
    return [Verdict(size=sum(len(old_sections[name]) for name in own[block_id] if name in old_sections))
            if all(old_sections.get(name) == new_sections.get(name) for name in own[block_id]) else _OTHER
            for block_id in block_ids]


def _sections(obj) -> dict[str, bytes]:
    return {section.name: obj.section_bytes(section) for section in obj.sections}


def _belongs(section: str, block_id: str) -> bool:
    """A block's own section, or the relocations that apply to it."""
    name = block_section_name(block_id)
    return section in (name, ".rela" + name, ".rel" + name)


def _first_error(run: backend.Run) -> str:
    for message in run.messages:
        if message.get("level") == "error" and not message["message"].startswith("aborting due to"):
            return message["message"].split("\n")[0]
    return f"exit status {run.returncode}"
