"""The one entry point from a file's text to its diagnostics, shared by the server and the CLI.

source -> syntax (calls) -> model (blocks per architecture) -> checks -> diagnostics, sorted and
de-duplicated across architectures, with severities from the code registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
from asm_ls.model.build import FileModel, build_file
from asm_ls.model.cfg_eval import CfgValues, evaluate
from asm_ls.model.modules import crate_features_of, crate_lint_levels_of
from asm_ls.model.item_index import ItemIndex
from asm_ls.model.types import operand_types
from asm_ls.model.target import Target, host_target
from asm_ls.syntax.cfg import Cfg
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

    @property
    def architectures(self) -> list[str]:
        seen: list[str] = []
        for target in self.targets:
            if target.arch not in seen:
                seen.append(target.arch)
        return seen

    def target_for(self, arch: str) -> Target:
        for target in self.targets:
            if target.arch == arch:
                return target
        return Target(arch=arch)


@dataclass
class FileResult:
    model: FileModel
    diagnostics: list[Diagnostic]
    suppressions: Suppressions = field(default_factory=Suppressions)     # the file's `// asm-ls: allow(..)`


@dataclass
class FileContext:
    """What other files say about this one: the ``#[cfg]``s of its module declaration chain
    and the features its crate root enables (None: the root is not known)."""

    cfgs: list[Cfg] = field(default_factory=list)
    crate_features: dict[str, tuple[Cfg, ...]] | None = None   # feature -> conditions (modules.py)
    edition: str | None = None      # None: the settings' edition
    lint_levels: dict[str, str] = field(default_factory=dict)   # the crate root's #![allow(..)]...


def mentions_inline_assembly(data: bytes) -> bool:
    """Whether :func:`analyze` can find anything in this text (False: it has nothing to report
    and does not parse it).  Every inline-assembly call (or the ``use`` that renames its macro),
    every ``#[naked]`` and every suppression comment contains one of these words; a file without
    them still counts for the others through its ``mod`` declarations."""
    return b"asm" in data or b"naked" in data


def analyze(source: SourceFile, settings: Settings, context: FileContext | None = None,
            parsed: ParsedFile | None = None) -> FileResult:
    """Check one file.  Without a context the file is taken as a crate root of its own.
    ``parsed``: the text's parse when the caller has one to share (see ``syntax/parsed.py``);
    it must serve this analysis only."""
    if not mentions_inline_assembly(source.data):
        return FileResult(FileModel(source, [], []), [])
    if parsed is None or not parsed.describes(source.data):
        parsed = ParsedFile(source.data)
    tree = parsed.tree
    items = ItemIndex(source.data)
    if context is None:
        context = FileContext(crate_features=crate_features_of(tree, source.data),
                              lint_levels=crate_lint_levels_of(tree, source.data))
    targets = {target.arch: target for target in settings.targets if target.explicit}
    model = build_file(source, settings.architectures, context.cfgs, targets, tree, settings.cfg, parsed.calls)
    found: dict[tuple, Diagnostic] = {}
    fatal_calls: set[int] = set()
    for resolved in model.blocks:
        diagnostics = check_expansion(resolved)
        target = settings.target_for(resolved.arch) if resolved.arch else None
        features = _enabled_features(context, resolved.arch, target, settings)
        arch_specific: list[Diagnostic] = []
        if not _fatal(diagnostics):
            diagnostics += check_lowering(resolved, features)
            diagnostics += check_context(resolved, context.edition or settings.edition)
            diagnostics += check_const_operands(resolved, tree, source.data)
            diagnostics += check_operand_expressions(resolved, tree, source.data)
            if target is not None:
                arch_specific = check_registers(resolved, target, features) \
                    + check_lints(resolved, target, source) + check_directives(resolved, target) \
                    + check_labels(resolved, target) \
                    + check_types(resolved, target, operand_types(tree, source.data, resolved, items),
                                  crate_features=features)
        else:
            fatal_calls.add(resolved.block.call.start)
        levels = {**context.lint_levels, **resolved.block.call.lint_levels}
        for diagnostic in diagnostics:
            _add(found, diagnostic, None, levels)
        for diagnostic in arch_specific:
            _add(found, diagnostic, resolved.arch, levels)
    if settings.assemble:
        from asm_ls.machine.assemble import assemble_file

        for diagnostic in assemble_file(model, source, settings, front_end=list(found.values())):
            _add(found, diagnostic, diagnostic.target, {})
    unsupported = next((resolved for resolved in model.blocks if resolved.arch and arch_data(resolved.arch) is None),
                       None)
    if unsupported is not None:
        # One note per file, never an error: rustc upstream has no inline assembly there.
        _add(found, Diagnostic("unsupported-architecture",
                               f"asm-ls has no data for `{unsupported.arch}` (upstream rustc does not support inline "
                               "assembly there); blocks built only for it are not checked",
                               unsupported.block.start, unsupported.block.end), unsupported.arch, {})
    for diagnostic in check_functions(tree, source.data, model.calls, fatal_calls, settings.architectures,
                                      context.cfgs, parsed.contexts):
        _add(found, diagnostic, None, context.lint_levels)
    results = apply_settings(found.values(), settings)
    if any(d.severity == "error" and _entry(d.code).rustc and not _entry(d.code).late for d in results):
        # rustc stops before its late lints when the crate has errors.
        results = [d for d in results if not _entry(d.code).late]
    suppressions = find_suppressions(source.data, tree, [(call.start, call.end) for call in model.calls])
    return FileResult(model, suppress(results, suppressions, settings, machine=settings.assemble), suppressions)


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


def _fatal(diagnostics: list[Diagnostic]) -> bool:
    """Errors that make rustc drop the block before lowering it."""
    return any(d.code in _EXPANSION_FATAL for d in diagnostics)


_EXPANSION_FATAL = {"asm-syntax-error", "template-missing", "template-not-string", "invalid-template",
                    "noreturn-with-outputs", "clobber-abi-not-allowed", "underscore-input", "operand-not-allowed"}


def _add(found: dict[tuple, Diagnostic], diagnostic: Diagnostic, arch: str | None, levels: dict[str, str]) -> None:
    key = (diagnostic.code, diagnostic.message, diagnostic.start, diagnostic.end)
    existing = found.get(key)
    if existing is None:
        level = _lint_severity(diagnostic, levels)
        found[key] = replace(diagnostic, target=arch, severity=level or diagnostic.severity)
    elif arch and existing.target and arch not in existing.target.split(", "):
        existing.target = f"{existing.target}, {arch}"
