"""Builds the model of a file: every macro call becomes one :class:`AsmBlock` per architecture
it is checked for, with ``#[cfg]``-stripped arguments, parsed templates and resolved
placeholders."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from asm_ls.model.args import ParsedArgs, parse_args
from asm_ls.model.block import AsmBlock, Operand
from asm_ls.model.cfg_eval import ARCHITECTURES, CfgValues, candidate_architectures, evaluate_all, satisfiable
from asm_ls.model.template import ParsedTemplate, parse_template
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.finder import MacroCall, find_calls
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.treesitter import parse


@dataclass
class ResolvedBlock:
    """A block as rustc's expansion sees it for one architecture (``arch`` None: unknown)."""

    block: AsmBlock
    arch: str | None
    args: list = field(default_factory=list)              # cfg-active args, in order
    templates_parsed: list[ParsedTemplate | None] = field(default_factory=list)
    named: dict[str, int] = field(default_factory=dict)
    explicit: set[int] = field(default_factory=set)
    bad_attributes: list[tuple[int, int]] = field(default_factory=list)
    uncertain: set[int] = field(default_factory=set)   # ids of args whose #[cfg] cannot be decided
    arch_from_cfg: bool = False      # the block's #[cfg]s chose the architecture
    cfg_certain: bool = True         # False: custom cfgs (build-script flags...) may exclude it


@dataclass
class FileModel:
    source: SourceFile
    calls: list[MacroCall]
    blocks: list[ResolvedBlock]


def build_file(source: SourceFile, configured: list[str], file_cfgs: list[Cfg] | None = None,
               targets: dict | None = None, tree=None, values: CfgValues | None = None,
               calls: list[MacroCall] | None = None) -> FileModel:
    """``targets`` maps architectures to the configured targets, for precise cfg evaluation;
    ``tree`` is the file's syntax tree and ``calls`` its calls (:func:`find_calls`, updated
    here with the ``--cfg`` values) when the caller has them already."""
    targets = targets or {}
    values = values or CfgValues()
    if calls is None:
        calls = find_calls(tree or parse(source.data), source.data)
    blocks: list[ResolvedBlock] = []
    file_cfgs = values.apply_all(list(file_cfgs or []))
    verdicts = _Verdicts(configured, targets)
    for call in calls:
        call.cfgs = values.apply_all(call.cfgs)
        cfgs = file_cfgs + call.cfgs
        parsed = parse_args(call)
        for arg in parsed.args:
            arg.cfgs = values.apply_all(arg.cfgs)
        placement = verdicts.placement(cfgs)
        if placement is None:
            continue        # compiled for no architecture at all (`#[cfg(any())]`, an unset --cfg)
        architectures, from_cfg = placement
        for arch in architectures or [None]:
            resolved = resolve(call, parsed, arch, architectures)
            resolved.arch_from_cfg = from_cfg
            resolved.cfg_certain = arch is not None and verdicts.satisfiable(cfgs, arch) \
                and not (call.function is not None and call.function.macro_attributes)
            blocks.append(resolved)
    return FileModel(source, calls, blocks)


class _Verdicts:
    """What a list of cfgs means for the architectures, worked out once per distinct list (most
    blocks of a file share their cfgs; the placement, which depends on nothing else, is shared
    between files too)."""

    def __init__(self, configured: list[str], targets: dict) -> None:
        self.configured = configured
        self.targets = targets
        self._satisfiable: dict[tuple[tuple[Cfg, ...], str], bool] = {}

    def placement(self, cfgs: list[Cfg]) -> tuple[list[str], bool] | None:
        """The architectures to check a block under ``cfgs`` for and whether the cfgs chose them
        (:func:`candidate_architectures`); None when no architecture compiles it."""
        found = _placement(tuple(cfgs), tuple(self.configured))
        return None if found is None else (list(found[0]), found[1])

    def satisfiable(self, cfgs: list[Cfg], arch: str) -> bool:
        key = (tuple(cfgs), arch)
        if key not in self._satisfiable:
            self._satisfiable[key] = satisfiable(cfgs, arch, self.targets.get(arch))
        return self._satisfiable[key]


@functools.lru_cache(maxsize=4096)
def _placement(cfgs: tuple[Cfg, ...], configured: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """:meth:`_Verdicts.placement`, worked out once per distinct cfgs (files share them too)."""
    if cfgs and all(evaluate_all(list(cfgs), arch) is False for arch in ARCHITECTURES):
        return None
    architectures, chosen = candidate_architectures(list(cfgs), list(configured))
    return tuple(architectures), chosen


def resolve(call: MacroCall, parsed: ParsedArgs, arch: str | None, architectures: list[str]) -> ResolvedBlock:
    block = AsmBlock(call, architectures=list(architectures))
    resolved = ResolvedBlock(block, arch)
    block.unknown_args = parsed.unknown
    if parsed.error is not None:
        block.parse_errors.append(parsed.error)
        return resolved
    for arg in parsed.args:
        resolved.bad_attributes.extend(arg.bad_attributes)
        active = evaluate_all(arg.cfgs, arch) if arch is not None else (True if not arg.cfgs else None)
        if active is False:
            continue
        if active is None:
            block.unknown_args = True
            resolved.uncertain.add(id(arg))
        resolved.args.append(arg)
        if arg.kind == "template":
            block.templates.append(arg.value)
            if arg.value.decoded is None:
                block.unknown_template = True
        elif arg.kind == "operand":
            operand: Operand = arg.value
            if operand.reg is not None and operand.reg.kind == "unknown":
                block.unknown_args = True    # `in($reg)`: explicit or not cannot be known
            operand.index = len(block.operands)
            block.operands.append(operand)
            explicit = operand.reg is not None and operand.reg.explicit
            if explicit:
                resolved.explicit.add(operand.index)
            elif operand.name is not None and operand.name not in resolved.named:
                resolved.named[operand.name] = operand.index
        elif arg.kind == "options":
            block.options.append(arg.value)
        else:
            block.clobber_abis.append(arg.value)
    _parse_templates(resolved)
    return resolved


def _parse_templates(resolved: ResolvedBlock) -> None:
    block = resolved.block
    raw = block.has_option("raw")
    next_implicit = 0
    for index, piece in enumerate(block.templates):
        if piece.decoded is None or raw:
            resolved.templates_parsed.append(None)
            continue
        parsed = parse_template(piece, index, next_implicit)
        next_implicit = parsed.next_implicit
        resolved.templates_parsed.append(parsed)
        if parsed.error is not None:
            # rustc discards a template's placeholders when its format string is invalid.
            parsed.placeholders = []
            break
        for placeholder in parsed.placeholders:
            if placeholder.name is not None:
                placeholder.operand = resolved.named.get(placeholder.name)
            elif placeholder.index is not None and placeholder.index < len(block.operands) \
                    and placeholder.index not in resolved.named.values() and placeholder.index not in resolved.explicit:
                placeholder.operand = placeholder.index
            block.placeholders.append(placeholder)
