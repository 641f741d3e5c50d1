"""The one entry point from a file's text to its diagnostics, shared by the server and the CLI.

source -> syntax (calls) -> model (blocks per architecture) -> checks -> diagnostics, sorted and
de-duplicated across architectures, with severities from the code registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from asm_ls.checks.assumed import assumed_architecture
from asm_ls.checks.context import check_context
from asm_ls.checks.directives import check_directives
from asm_ls.checks.expansion import check_expansion
from asm_ls.checks.labels import check_labels
from asm_ls.checks.lints import check_lints
from asm_ls.checks.lowering import check_lowering
from asm_ls.checks.naked import check_const_operands, check_functions
from asm_ls.checks.operands import check_operand_expressions
from asm_ls.checks.types import check_types
from asm_ls.checks.registers import check_registers
from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.codes import Code, registry, severity_of
from asm_ls.diagnostics.suppression import (Allowance, Suppressions, covers_any, find_suppressions,
                                            is_machine_code, needs_machine_code)
from asm_ls.model.arch import arch_data
from asm_ls.model.args import parse_args
from asm_ls.model.build import FileModel, ResolvedBlock, build_file, resolve_for
from asm_ls.model.configurations import Placer, build_targets, stable_architectures
from asm_ls.model.project_build import ProjectBuild
from asm_ls.model.toolchain import has_rule
from asm_ls.model.cfg_eval import CfgValues, evaluate
from asm_ls.model.modules import crate_features_of, crate_lint_levels_of
from asm_ls.model.item_index import ItemIndex
from asm_ls.block_results import Anchors, BlockResults
from asm_ls.model.types import operand_types
from asm_ls.model.target import Target, default_target, host_target
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.finder import MacroCall
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import SourceFile


@dataclass
class Settings:
    """What a check run needs to know besides the text."""

    targets: list[Target] = field(default_factory=lambda: [host_target()])
    disabled: frozenset[str] = frozenset()
    severities: dict[str, str] = field(default_factory=dict)
    edition: str = "2021"
    cfg: CfgValues = field(default_factory=CfgValues)     # cfg values given with --cfg
    assemble: bool = False          # run the assembler-backed checks (asm_ls.machine)
    rustc: str | None = None        # the rustc that assembles; None: `rustc` on PATH


@dataclass
class FileResult:
    model: FileModel
    diagnostics: list[Diagnostic]
    suppressions: Suppressions = field(default_factory=Suppressions)     # the file's `// asm-ls: allow(..)`


@dataclass
class FileContext:
    """What other files say about this one: the ``#[cfg]``s of its module declaration chain (and whether it
    reaches a crate root), the features its crate root enables (None: the root is not known) and what
    its project builds for."""

    cfgs: list[Cfg] = field(default_factory=list)
    crate_features: dict[str, tuple[Cfg, ...]] | None = None   # feature -> conditions (modules.py)
    edition: str | None = None      # None: the settings' edition
    lint_levels: dict[str, str] = field(default_factory=dict)   # the crate root's #![allow(..)]...
    module_known: bool = True       # False: no `mod` chain from a crate root reaches the file
    build: ProjectBuild | None = None   # the project's targets files (project_build.py)
    path: Path | None = None


def mentions_inline_assembly(data: bytes) -> bool:
    """Whether :func:`analyze` can find anything in this text (False: it has nothing to report
    and does not parse it).  Every inline-assembly call (or the ``use`` that renames its macro),
    every ``#[naked]`` and every suppression comment contains one of these words; a file without
    them still counts for the others through its ``mod`` declarations."""
    return b"asm" in data or b"naked" in data


def analyze(source: SourceFile, settings: Settings, context: FileContext | None = None,
            parsed: ParsedFile | None = None, kept: BlockResults | None = None,
            model: FileModel | None = None) -> FileResult:
    """Check one file.  Without a context the file is taken as a crate root of its own.
    ``parsed``: the text's parse when the caller has one to share (see ``syntax/parsed.py``);
    it must serve this analysis only (and ``model``, when given, is :func:`model_of` that parse).
    ``kept``: the document's block results from earlier analyses (``block_results.py``), reused for
    the blocks whose dependencies did not change."""
    if not mentions_inline_assembly(source.data):
        return FileResult(FileModel(source, [], []), [])
    if parsed is None or not parsed.describes(source.data):
        parsed, model = ParsedFile(source.data), None
    tree = parsed.tree
    context = context or _own_context(parsed)
    model = model or build_model(source, settings, context, parsed)
    if kept is not None:
        kept.enter(settings, context)
    reading = _Reading(source, parsed, ItemIndex(source.data),
                       model.anchors if model.anchors is not None else Anchors(tree, source.data, model.calls))
    found = _Findings()
    fatal_calls: set[int] = set()
    for call, resolved_blocks in _by_call(model.blocks):
        for resolved, (diagnostics, arch_specific, fatal) in zip(
                resolved_blocks, _call_results(call, resolved_blocks, settings, context, reading, kept)):
            if fatal:
                fatal_calls.add(call.start)
            levels = {**context.lint_levels, **call.lint_levels}
            for diagnostic in diagnostics:
                found.add(diagnostic, None, levels)
            for diagnostic in arch_specific:
                found.add(diagnostic, resolved.arch, levels)
    if kept is not None:
        kept.finish()
    return _file_passes(model, found, fatal_calls, settings, context, parsed)


def model_of(source: SourceFile, settings: Settings, context: FileContext | None, parsed: ParsedFile,
             earlier: FileModel | None = None) -> FileModel:
    """The file's model alone (what requests read), as :func:`analyze` builds it from ``parsed``; ``earlier``: the
    model of the document's earlier text, whose calls' blocks are reused where they are the same."""
    if not mentions_inline_assembly(source.data):
        return FileModel(source, [], [])
    return build_model(source, settings, context or _own_context(parsed), parsed, earlier)


def model_near(source: SourceFile, settings: Settings, context: FileContext | None, parsed: ParsedFile,
               offset: int) -> FileModel:
    """The model of the calls at ``offset`` alone, built as :func:`model_of` builds the file's (what a request at
    ``offset`` reads before the whole model of a new text is built).  Copies of the calls of ``parsed``'s scan (made
    from the earlier text's when it can: ``syntax/rescan.py``): ``parsed`` can still serve an analysis."""
    if not mentions_inline_assembly(source.data):
        return FileModel(source, [], [])
    calls = parsed.calls_at(offset)
    return _built(source, settings, context or _own_context(parsed), parsed.tree, calls)


def _own_context(parsed: ParsedFile) -> FileContext:
    """The context of a file taken as a crate root of its own."""
    return FileContext(crate_features=crate_features_of(parsed.tree, parsed.data),
                       lint_levels=crate_lint_levels_of(parsed.tree, parsed.data))


def build_model(source: SourceFile, settings: Settings, context: FileContext, parsed: ParsedFile,
                earlier: FileModel | None = None) -> FileModel:
    """The file's blocks, each under the configurations it is built for.  ``earlier``: a model of an earlier text
    built under the same settings and context, whose call is kept with its blocks where the scan gave this text the
    same call (the same argument tokens: ``syntax/rescan.py`` keeps them for a call the edit did not move)."""
    calls = parsed.calls
    if earlier is not None and earlier.environment and earlier.environment[0] is settings \
            and earlier.environment[1] == context:
        model = _reusing(source, settings, context, parsed.tree, calls, earlier)
    else:
        model = _built(source, settings, context, parsed.tree, calls)
    body = parsed.changed_body() if earlier is not None and earlier.anchors is not None \
        and parsed.previous_data is not None and earlier.source.data == parsed.previous_data else None
    model.anchors = Anchors(parsed.tree, source.data, model.calls, earlier.anchors if body else None, body)
    model.environment = (settings, context)
    return model


def _reusing(source: SourceFile, settings: Settings, context: FileContext, tree, calls: list[MacroCall],
             earlier: FileModel) -> FileModel:
    """The model of ``calls`` with the earlier model's call and blocks for each call whose tokens it shares."""
    kept = {id(call.args): call for call in earlier.calls}
    blocks_of: dict[int, list[ResolvedBlock]] = {}
    for resolved in earlier.blocks:
        blocks_of.setdefault(id(resolved.block.call), []).append(resolved)
    same = [kept.get(id(call.args)) for call in calls]
    same = [old if old is not None and old.args is call.args else None for old, call in zip(same, calls)]
    built = _built(source, settings, context, tree, [call for call, old in zip(calls, same) if old is None])
    for resolved in built.blocks:
        blocks_of.setdefault(id(resolved.block.call), []).append(resolved)
    model_calls = [old or call for call, old in zip(calls, same)]
    built.calls = model_calls
    built.blocks = [resolved for call in model_calls for resolved in blocks_of.get(id(call), ())]
    return built


def _built(source: SourceFile, settings: Settings, context: FileContext, tree, calls: list[MacroCall]) -> FileModel:
    """The model of ``calls``, each under the configurations it is built for."""
    placer = Placer(build_targets(settings.targets, context.build), settings.cfg, context.module_known, context.path,
                    "asm_experimental_arch" in (context.crate_features or {}))
    return build_file(source, file_cfgs=context.cfgs, tree=tree, values=settings.cfg, calls=calls, placer=placer)


def _by_call(blocks: list[ResolvedBlock]) -> list[tuple[MacroCall, list[ResolvedBlock]]]:
    """The resolved blocks grouped by their call (``build_file`` gives each call's consecutively)."""
    groups: list[tuple[MacroCall, list[ResolvedBlock]]] = []
    for resolved in blocks:
        call = resolved.block.call
        if groups and groups[-1][0] is call:
            groups[-1][1].append(resolved)
        else:
            groups.append((call, [resolved]))
    return groups


BlockFindings = tuple[list[Diagnostic], list[Diagnostic], bool]


@dataclass
class _Reading:
    """What one analysis reads its text through: the source, its parse, its items index, its blocks' anchors."""
    source: SourceFile
    parsed: ParsedFile
    items: ItemIndex
    anchors: Anchors


def _call_results(call: MacroCall, resolved_blocks: list[ResolvedBlock], settings: Settings, context: FileContext,
                  reading: _Reading, kept: BlockResults | None) -> list[BlockFindings]:
    """Each of a call's resolved blocks' findings: kept from an earlier analysis when nothing they depend on
    changed, else checked (and kept)."""
    if kept is None:
        return [check_block(resolved, settings, context, reading) for resolved in resolved_blocks]
    found = reading.anchors.key(call, tuple(resolved.arch for resolved in resolved_blocks),
                                any(arg.kind == "operand" and arg.value.kind in ("sym", "const")
                                    for resolved in resolved_blocks for arg in resolved.args))
    if found is not None:
        earlier = kept.get(*found[:2])
        if earlier is not None:
            return earlier.blocks
    results = [check_block(resolved, settings, context, reading) for resolved in resolved_blocks]
    if found is not None:
        kept.put(*found, results)
    return results


def check_block(resolved: ResolvedBlock, settings: Settings, context: FileContext, reading: _Reading
                ) -> BlockFindings:
    """One resolved block's findings (pure: what it reads is listed in ``block_results.py``): those of every
    configuration, those of its architecture (a guessed one's errors replaced by a note when another architecture
    fits better), and whether its expansion was fatal (no further checks)."""
    tree, source, items = reading.parsed.tree, reading.source, reading.items
    diagnostics = check_expansion(resolved)
    if _fatal(diagnostics):
        return diagnostics, [], True
    target = resolved.target
    features = _enabled_features(context, resolved.arch, target, settings)
    arch_specific: list[Diagnostic] = []
    diagnostics += check_lowering(resolved, features)
    diagnostics += check_context(resolved, context.edition or settings.edition)
    diagnostics += check_const_operands(resolved, tree, source.data)
    diagnostics += check_operand_expressions(resolved, tree, source.data)
    if target is not None:
        arch_specific = _target_checks(resolved, target, features, tree, source, items)
        errors = _error_count(arch_specific)
        if errors and not resolved.certain:
            elsewhere = _as_written_elsewhere(resolved, errors, features, tree, source, items)
            arch_specific = arch_specific if elsewhere is None else elsewhere
    return diagnostics, arch_specific, False


def _file_passes(model: FileModel, found: _Findings, fatal_calls: set[int], settings: Settings,
                 context: FileContext, parsed: ParsedFile) -> FileResult:
    """What is checked over the whole file once its blocks' findings are known: the assembler (in the command
    line), the unsupported-architecture note, naked functions, settings, the pinned toolchain, rustc's late lints
    and the file's suppressions."""
    source, tree, placer = model.source, parsed.tree, model.placer
    if settings.assemble:
        from asm_ls.machine.assemble import assemble_file

        assembled = assemble_file(model, source, settings, front_end=list(found.values()))
        found.keep_only(without_refuted_guesses(found.values(), assembled.refuted))
        for diagnostic in assembled:
            found.add(diagnostic, diagnostic.target, {})
    unsupported = next((resolved for resolved in model.blocks if resolved.arch and arch_data(resolved.arch) is None),
                       None)
    if unsupported is not None:
        # One note per file, never an error: rustc upstream has no inline assembly there.
        found.add(Diagnostic("unsupported-architecture",
                               f"asm-ls has no data for `{unsupported.arch}` (upstream rustc does not support inline "
                               "assembly there); blocks built only for it are not checked",
                               unsupported.block.start, unsupported.block.end), unsupported.arch, {})
    for diagnostic in check_functions(tree, source.data, model.calls, fatal_calls,
                                      [target.arch for target in placer.build.targets],
                                      settings.cfg.apply_all(context.cfgs), parsed.contexts, settings.cfg):
        found.add(diagnostic, None, context.lint_levels)
    channel = context.build.channel if context.build is not None else None
    results = [d for d in apply_settings(found.values(), settings) if _pinned_rustc_has(d.code, channel)]
    if any(d.severity == "error" and _entry(d.code).rustc and not _entry(d.code).late for d in results):
        # rustc stops before its late lints when the crate has errors.
        results = [d for d in results if not _entry(d.code).late]
    suppressions = find_suppressions(source.data, tree, [(call.start, call.end) for call in model.calls])
    return FileResult(model, suppress(results, suppressions, settings, machine=settings.assemble), suppressions)


def _target_checks(resolved: ResolvedBlock, target: Target, features, tree, source: SourceFile,
                   items: ItemIndex) -> list[Diagnostic]:
    """What rustc checks of a block for one target (registers, lints, directives, labels, operand types)."""
    return check_registers(resolved, target, features) + check_lints(resolved, target, source) \
        + check_directives(resolved, target) + check_labels(resolved, target) \
        + check_types(resolved, target, operand_types(tree, source.data, resolved, items), crate_features=features)


def _as_written_elsewhere(resolved: ResolvedBlock, errors: int, features, tree, source: SourceFile,
                          items: ItemIndex) -> list[Diagnostic] | None:
    """For a block with ``errors`` errors under a guessed configuration: one note naming the stable architecture it
    fits best when that is another one (fewer errors there; the first clean one ends the search), the block taken
    as written for it, or an experimental architecture when none fits better and the crate may enable them; None
    when the guess fits best."""
    parsed = parse_args(resolved.block.call)
    for target in resolved.configuration.alternatives:     # the build's other targets of the architecture
        if not _error_count(_target_checks(resolve_for(resolved, target, parsed), target, features, tree, source,
                                           items)):
            return []
    best: tuple[int, str | None] = (errors, None)
    own = resolved.block.architectures      # the block's other configurations first
    for arch in [*own, *(arch for arch in stable_architectures() if arch not in own)]:
        if arch == resolved.arch or arch_data(arch) is None:
            continue
        other = resolve_for(resolved, default_target(arch), parsed)
        found = _error_count(_target_checks(other, other.target, features, tree, source, items))
        if found < best[0]:
            best = (found, arch)
            if not found:
                break
    if best[1] is None and not resolved.configuration.experimental_possible:
        return None
    if best[1] in own:
        return []       # one of the block's own configurations: checked there
    return [assumed_architecture(resolved, best[1])]


def _error_count(diagnostics: list[Diagnostic]) -> int:
    return sum((d.severity or severity_of(d.code)) == "error" for d in diagnostics)


def suppress(diagnostics: list[Diagnostic], suppressions: Suppressions, settings: Settings,
             machine: bool, front_end: bool = True) -> list[Diagnostic]:
    """The diagnostics the file's ``// asm-ls: allow(..)`` comments leave, with the problems of
    those comments (``front_end``: the pass that reports them) and the allowances left unused.
    An allowance is judged unused only when its code is enabled and its pass ran: the front
    end's (``front_end``) or the assembler's (``machine``, and a rustc was found; the contract
    codes not where the assembler rejected the code)."""
    machine = machine and not any(d.code == "assembler-unavailable" for d in diagnostics)
    # no machine code to analyse there
    failed = [d for d in diagnostics if d.code in ("assembler-error", "missing-target-feature")]

    def judged(allowance: Allowance) -> bool:
        code = allowance.code
        if code in settings.disabled or settings.severities.get(code) == "off":
            return False
        if not is_machine_code(code):
            return front_end
        return machine and not (needs_machine_code(code) and covers_any(allowance, failed))

    kept, unused = suppressions.apply(diagnostics, judged)
    added = apply_settings(unused + (suppressions.problems if front_end else []), settings)
    return sorted(kept + added, key=Diagnostic.sort_key)


# The features rustc's inline-assembly gates look at.
_ASM_GATES = ("asm_unwind", "asm_experimental_arch", "asm_experimental_reg", "asm_goto_with_outputs")


def _enabled_features(context: FileContext, arch: str | None, target, settings: Settings) -> frozenset[str] | None:
    """The crate features certainly enabled for this architecture; None when the crate root
    is unknown or an inline-assembly gate hinges on a cfg that cannot be decided."""
    if context.crate_features is None:
        return None
    enabled = set()
    for name, conditions in context.crate_features.items():
        verdicts = [True if arch is None and condition == Cfg("all", ()) else
                    (evaluate(settings.cfg.apply(condition), arch, target) if arch else None)
                    for condition in conditions]
        if any(verdict is True for verdict in verdicts):
            enabled.add(name)
        elif name in _ASM_GATES and not all(verdict is False for verdict in verdicts):
            return None
    return frozenset(enabled)


def apply_settings(diagnostics, settings: Settings) -> list[Diagnostic]:
    """Drop disabled codes and apply the configured severities (``off`` drops too)."""
    results = []
    for diagnostic in diagnostics:
        if diagnostic.code in settings.disabled:
            continue
        severity = settings.severities.get(diagnostic.code) or diagnostic.severity or severity_of(diagnostic.code)
        if severity != "off":
            results.append(replace(diagnostic, severity=severity))
    return results


def _entry(code: str) -> Code:
    return registry().get(code) or Code(code, "error", "", False, "")


_LEVEL_SEVERITY = {"warn": "warning", "deny": "error"}


def _lint_severity(diagnostic: Diagnostic, levels: dict[str, str]) -> str | None:
    """The severity a rustc lint gets from #[allow]/#[warn]/#[deny] around it; "off" when
    allowed; None when no attribute sets it."""
    lint = _entry(diagnostic.code).lint
    if not lint or lint not in levels:
        return None
    return _LEVEL_SEVERITY.get(levels[lint], "off")


def _pinned_rustc_has(code: str, channel: str | None) -> bool:
    entry = _entry(code)
    return has_rule(channel, entry.since_version, entry.since_nightly)


def _fatal(diagnostics: list[Diagnostic]) -> bool:
    """Errors that make rustc drop the block before lowering it."""
    return any(d.code in _EXPANSION_FATAL for d in diagnostics)


_EXPANSION_FATAL = {"asm-syntax-error", "template-missing", "template-not-string", "invalid-template",
                    "noreturn-with-outputs", "clobber-abi-not-allowed", "underscore-input", "operand-not-allowed"}


def without_refuted_guesses(diagnostics, refuted: list[tuple[int, int, str]]) -> list[Diagnostic]:
    """``diagnostics`` without the findings of guessed configurations the assembler refuted (``refuted``: a block's
    start, end and guessed architecture, from ``machine.assemble.Assembled``): a finding inside such a block that
    names that architecture loses it, and is dropped when it names no other."""
    kept = []
    for diagnostic in diagnostics:
        targets = diagnostic.target.split(", ") if diagnostic.target else []
        gone = {arch for start, end, arch in refuted if start <= diagnostic.start < end}
        if targets and gone & set(targets):
            left = [arch for arch in targets if arch not in gone]
            if not left:
                continue
            diagnostic = replace(diagnostic, target=", ".join(left))
        kept.append(diagnostic)
    return kept


class _Findings:
    """A file's findings, one per code and place across a block's configurations (a place: where the span starts;
    LLVM marks the mnemonic under one target and the whole statement under another): it lists them in ``target``,
    and a different wording under another configuration becomes a note naming it."""

    def __init__(self) -> None:
        self._found: dict[tuple, Diagnostic] = {}
        self._by_span: dict[tuple, list[Diagnostic]] = {}

    def values(self):
        return self._found.values()

    def keep_only(self, diagnostics: list[Diagnostic]) -> None:
        """Keep these findings (some of the ones held, possibly with fewer targets), in their place."""
        self._found = {(d.code, d.message, d.start, d.end): d for d in diagnostics}
        self._by_span = {}
        for diagnostic in diagnostics:
            self._by_span.setdefault((diagnostic.code, diagnostic.start), []).append(diagnostic)

    def add(self, diagnostic: Diagnostic, arch: str | None, levels: dict[str, str]) -> None:
        key = (diagnostic.code, diagnostic.message, diagnostic.start, diagnostic.end)
        span = (diagnostic.code, diagnostic.start)      # LLVM marks the mnemonic or the statement, per target
        existing = self._found.get(key)
        if existing is None and arch:
            existing = next((other for other in self._by_span.get(span, ())
                             if other.target and not set(arch.split(", ")) & set(other.target.split(", "))), None)
        if existing is None:
            level = _lint_severity(diagnostic, levels)
            self._found[key] = added = replace(diagnostic, target=arch, severity=level or diagnostic.severity)
            self._by_span.setdefault(span, []).append(added)
        elif arch and existing.target and set(arch.split(", ")) - set(existing.target.split(", ")):
            # (``arch`` may name several: the assembler's finding for each architecture it was made for)
            known = existing.target.split(", ")
            existing.target = ", ".join(known + [name for name in arch.split(", ") if name not in known])
            if diagnostic.message != existing.message:
                existing.notes = existing.notes + (f"for `{arch}`: {diagnostic.message}",)
