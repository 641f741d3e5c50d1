"""Formatting a file's inline-assembly templates, the one implementation behind ``textDocument/formatting``,
``textDocument/rangeFormatting`` and ``asm-ls format``.

Each block's format comes from ``template_format.py``; it is applied only when the block, under every
configuration the model gives it, assembles to the same bytes before and after (``machine/compare.py``: the
assembler of the block's target, through rustc).  A block that cannot be compared (no rustc, errors, a
metavariable, a target asm-ls has no data for) is left as written, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asm_ls.ide.template_format import Edit, block_pieces, template_edits
from asm_ls.machine.compare import Pair, compare
from asm_ls.model.arch import arch_data
from asm_ls.model.args import parse_args
from asm_ls.model.build import FileModel, ResolvedBlock, resolve
from asm_ls.model.cfg_eval import CfgValues
from asm_ls.syntax.finder import MacroCall, find_calls
from asm_ls.syntax.treesitter import parse

FORMATTED, UNCHANGED, LEFT = "formatted", "unchanged", "left"


@dataclass
class BlockFormat:
    """What formatting did to one call: ``status`` formatted, unchanged (already formatted) or left (a format
    exists but is not applied: ``reason``); ``compared``: configurations whose bytes were compared, ``size``
    their bytes."""

    start: int
    end: int
    kind: str
    status: str
    reason: str | None = None
    edits: list[Edit] = field(default_factory=list)
    compared: int = 0
    size: int = 0


@dataclass
class FileFormat:
    blocks: list[BlockFormat]

    @property
    def edits(self) -> list[Edit]:
        """The edits applied, in source order."""
        return sorted((edit for block in self.blocks if block.status == FORMATTED for edit in block.edits),
                      key=lambda edit: edit.start)

    @property
    def left(self) -> list[BlockFormat]:
        return [block for block in self.blocks if block.status == LEFT]

    def apply(self, data: bytes) -> bytes:
        return apply_edits(data, self.edits)


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    out = []
    position = 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        out += [data[position:edit.start], edit.text.encode("utf-8", "surrogatepass")]
        position = edit.end
    out.append(data[position:])
    return b"".join(out)


def format_model(model: FileModel, rustc: str | None = None, within: tuple[int, int] | None = None) -> FileFormat:
    """Format the blocks of ``model`` (those that overlap the byte range ``within``, when given); ``rustc``: the
    rustc setting (None: ``rustc`` on PATH)."""
    data = model.source.data
    configured: dict[int, list[ResolvedBlock]] = {}
    for resolved in model.blocks:
        configured.setdefault(id(resolved.block.call), []).append(resolved)
    blocks: list[BlockFormat] = []
    proposed: list[tuple[int, BlockFormat]] = []      # (call index, its format)
    taken: list[tuple[int, int]] = []
    for index, call in enumerate(model.calls):
        if within is not None and (call.end < within[0] or call.start > within[1]):
            continue
        resolved = configured.get(id(call), [])
        found = _propose(call, resolved, data)
        blocks.append(found)
        if found.status == FORMATTED:
            if any(start < found.end and found.start < end for start, end in taken):
                found.status, found.reason = LEFT, "it is inside another block being formatted"
                continue
            taken.append((found.start, found.end))
            proposed.append((index, found))
    if proposed:
        _verify(model, proposed, rustc)
    return FileFormat(blocks)


def _propose(call: MacroCall, resolved: list[ResolvedBlock], data: bytes) -> BlockFormat:
    found = BlockFormat(call.start, call.end, call.kind, UNCHANGED)
    unbuilt = not resolved
    if unbuilt:             # compiled for no target (`#[cfg(any())]`, an unset `--cfg`): its text only
        resolved = [resolve(call, parse_args(call), None, [])]
    comments = tuple(sorted({marker for r in resolved if r.arch and arch_data(r.arch)
                             for marker in arch_data(r.arch).data.get("line_comments", ())}))
    attributed = frozenset((arg.value.start, arg.value.end) for r in resolved for arg in r.args
                           if arg.kind == "template" and (arg.cfgs or arg.bad_attributes))
    edits = template_edits(block_pieces([r.block for r in resolved]), data, comments,
                           any(r.block.has_option("raw") for r in resolved), attributed)
    if isinstance(edits, str):
        found.status, found.reason = LEFT, edits
    elif edits and unbuilt:
        found.status, found.reason = LEFT, "no target is known to build it"
    elif edits and any(r.block.parse_errors for r in resolved):
        found.status, found.reason = LEFT, "its arguments do not parse"
    elif edits:
        found.status, found.edits = FORMATTED, edits
    return found


def _verify(model: FileModel, proposed: list[tuple[int, BlockFormat]], rustc: str | None) -> None:
    """Keep the proposed formats whose blocks assemble to the same bytes; the others are left, with why."""
    old = model.source.data
    new = apply_edits(old, [edit for _, found in proposed for edit in found.edits])
    pairs = paired(model, new, {index for index, _ in proposed})
    if pairs is None:
        for _, found in proposed:
            found.status, found.reason = LEFT, "the formatted text does not have the same blocks"
        return
    owners = dict(proposed)
    verdicts = compare([pair for _, pair in pairs], old, new, rustc)
    for (index, _), verdict in zip(pairs, verdicts):
        found = owners[index]
        if not verdict.same:
            if found.status == FORMATTED:
                found.status, found.reason = LEFT, verdict.reason
        else:
            found.compared += 1
            found.size += verdict.size


def paired(model: FileModel, new: bytes, calls: set[int] | None = None) -> list[tuple[int, Pair]] | None:
    """Each block of ``model`` (of the calls with these indexes; default all) with the same call in the text
    ``new`` under the same configuration, with its call's index; None when ``new`` does not have the same calls."""
    found = find_calls(parse(new), new)
    if [call.kind for call in found] != [call.kind for call in model.calls]:
        return None
    index_of = {id(call): index for index, call in enumerate(model.calls)}
    values = model.placer.values if model.placer is not None else CfgValues()
    out = []
    for before in model.blocks:
        index = index_of.get(id(before.block.call))
        if index is not None and (calls is None or index in calls):
            out.append((index, Pair(before, _again(before, found[index], values))))
    return out


def _again(before: ResolvedBlock, call: MacroCall, values: CfgValues) -> ResolvedBlock:
    """The formatted call resolved under the configuration of ``before``."""
    parsed = parse_args(call)
    for arg in parsed.args:
        arg.cfgs = values.apply_all(arg.cfgs)
    after = resolve(call, parsed, before.arch, before.block.architectures, before.target)
    after.configuration = before.configuration
    after.cfg_features = before.cfg_features
    return after
