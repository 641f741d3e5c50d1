"""Builds the model of a file: every macro call becomes one :class:`AsmBlock` per configuration
it is built under (``configurations.py`` decides which), with ``#[cfg]``-stripped arguments,
parsed templates and resolved placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from asm_ls.model.args import ParsedArgs, parse_args
from asm_ls.model.block import AsmBlock, Operand
from asm_ls.model.cfg_eval import CfgValues, evaluate_all, required_features
from asm_ls.model.configurations import SETTINGS, BuildTargets, Configuration, Placer
from asm_ls.model.target import Target
from asm_ls.model.template import ParsedTemplate, parse_template
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.finder import MacroCall, find_calls
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.treesitter import parse


@dataclass
class ResolvedBlock:
    """A block as rustc's expansion sees it for one configuration (``arch`` None: no target is known to build it;
    only target-independent checks apply)."""

    block: AsmBlock
    arch: str | None
    configuration: Configuration | None = None
    args: list = field(default_factory=list)              # cfg-active args, in order
    templates_parsed: list[ParsedTemplate | None] = field(default_factory=list)
    named: dict[str, int] = field(default_factory=dict)
    explicit: set[int] = field(default_factory=set)
    bad_attributes: list[tuple[int, int]] = field(default_factory=list)
    uncertain: set[int] = field(default_factory=set)   # ids of args whose #[cfg] cannot be decided
    cfg_features: tuple[str, ...] = ()      # features its cfgs require (`#[cfg(target_feature = "fp16")]`)

    @property
    def own_features(self) -> tuple[str, ...]:
        """The target features the block is compiled with beyond its target's: its function's
        ``#[target_feature]``s and those its cfgs require."""
        function = self.block.call.function
        features = tuple(feature for feature in function.target_features if feature) if function else ()
        return features + tuple(feature for feature in self.cfg_features if feature not in features)

    @property
    def target(self) -> Target | None:
        return self.configuration.target if self.configuration is not None else None

    @property
    def certain(self) -> bool:
        """Some build certainly compiles the block for this target (False: a guess, which may only silence)."""
        return self.configuration is not None and self.configuration.certain


@dataclass
class FileModel:
    source: SourceFile
    calls: list[MacroCall]
    blocks: list[ResolvedBlock]
    placer: Placer | None = None        # what placed the blocks (a repaired text of the file is placed the same way)
    tree: object = None                 # the text's syntax tree, when the model was built from one
    anchors: object = None              # where its calls are anchored (``block_results.Anchors``), when known
    environment: tuple = ()             # the settings and context it was built under (``analysis.build_model``)


def build_file(source: SourceFile, configured: list[str] | None = None, file_cfgs: list[Cfg] | None = None,
               targets: dict | None = None, tree=None, values: CfgValues | None = None,
               calls: list[MacroCall] | None = None, placer: Placer | None = None) -> FileModel:
    """``placer`` decides each block's configurations; without one, the architectures ``configured`` (with their
    ``targets``) are taken as the settings' targets.  ``tree`` is the file's syntax tree and ``calls`` its calls
    (:func:`find_calls`, updated here with the ``--cfg`` values) when the caller has them already."""
    values = values or CfgValues()
    if placer is None:
        chosen = tuple((targets or {}).get(arch) or Target(arch=arch, explicit=True) for arch in configured or [])
        placer = Placer(BuildTargets(chosen, SETTINGS), values)
    if calls is None:
        calls = find_calls(tree or parse(source.data), source.data)
    blocks: list[ResolvedBlock] = []
    file_cfgs = values.apply_all(list(file_cfgs or []))
    for call in calls:
        call.cfgs = values.apply_all(call.cfgs)
        cfgs = file_cfgs + call.cfgs
        parsed = parse_args(call)
        for arg in parsed.args:
            arg.cfgs = values.apply_all(arg.cfgs)
        configurations = placer.place(cfgs)
        if configurations is None:
            continue        # compiled for no target at all (`#[cfg(any())]`, an unset --cfg)
        architectures = [configuration.arch for configuration in configurations]
        macro_attributes = call.function is not None and call.function.macro_attributes
        for configuration in configurations or [None]:
            if configuration is not None and macro_attributes and configuration.certain:
                configuration = replace(configuration, certain=False)   # an attribute macro may rewrite the body
            resolved = resolve(call, parsed, configuration.arch if configuration else None, architectures,
                               configuration.target if configuration else None)
            resolved.configuration = configuration
            resolved.cfg_features = required_features(cfgs)
            blocks.append(resolved)
    return FileModel(source, calls, blocks, placer, tree)


def resolve(call: MacroCall, parsed: ParsedArgs, arch: str | None, architectures: list[str],
            target: Target | None = None) -> ResolvedBlock:
    """The block for one architecture (``target``: its configuration's target, for the arguments' cfgs)."""
    block = AsmBlock(call, architectures=list(architectures))
    resolved = ResolvedBlock(block, arch)
    block.unknown_args = parsed.unknown
    if parsed.error is not None:
        block.parse_errors.append(parsed.error)
        return resolved
    for arg in parsed.args:
        resolved.bad_attributes.extend(arg.bad_attributes)
        active = evaluate_all(arg.cfgs, arch, target) if arch is not None else (True if not arg.cfgs else None)
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


def resolve_for(resolved: ResolvedBlock, target: Target, parsed: ParsedArgs | None = None) -> ResolvedBlock:
    """The same call resolved for another target and taken as built there: what a block that fails under a guessed
    configuration is tried on (``parsed``: the call's arguments, when the caller has them)."""
    call = resolved.block.call
    other = resolve(call, parsed or parse_args(call), target.arch, [target.arch])
    other.configuration = Configuration(target, True, resolved.configuration.origin)
    return other


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
