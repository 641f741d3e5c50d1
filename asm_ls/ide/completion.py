"""Completion inside inline-assembly calls: register classes and registers in operands, options,
``clobber_abi`` ABIs, operand names and modifiers in placeholders, directives in templates, and
argument keywords.  Candidates come from the data files for the architectures of the block.

:func:`complete` answers from a model; :func:`complete_source` also tries a repaired text when
the call is too broken to be found (a string or delimiter still open at the cursor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from asm_ls.checks.directives import directive_data
from asm_ls.ide import knowledge
from asm_ls.ide.hover import block_target, describe_class, describe_directive, describe_register, modifier_bits, \
    modifier_example, reference_url
from asm_ls.ide.locate import (ARGUMENT, CLOBBER_ABI, DIRECTIVE, MNEMONIC, OPERAND_KEYWORDS, OPTION, PLACEHOLDER,
                               REGISTER, REGISTER_CLASS, TEMPLATE, RawOperand, Site, bound_operand, locate,
                               placeholder_at, raw_bound_operand, repair)
from asm_ls.machine.semantics import mnemonics
from asm_ls.model.arch import ArchData, arch_data, holds
from asm_ls.model.block import OPTION_NAMES, SUPPORTED_OPTIONS
from asm_ls.model.build import FileModel, ResolvedBlock, build_file
from asm_ls.model.configurations import Placer, build_targets
from asm_ls.model.target import Target
from asm_ls.syntax.source import SourceFile

if TYPE_CHECKING:
    from asm_ls.analysis import Settings

# candidate kinds
KIND_CLASS = "register_class"
KIND_REGISTER = "register"
KIND_OPTION = "option"
KIND_ABI = "abi"
KIND_OPERAND = "operand"
KIND_MODIFIER = "modifier"
KIND_DIRECTIVE = "directive"
KIND_KEYWORD = "keyword"
KIND_MNEMONIC = "mnemonic"

MAX_MNEMONICS = 200     # the best matches offered of the architecture's instruction names

_ARGUMENT_KEYWORDS = {
    "asm": OPERAND_KEYWORDS + ("options", "clobber_abi"),
    "global_asm": ("const", "sym", "options"),
    "naked_asm": ("const", "sym", "options"),
}


@dataclass
class Candidate:
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""         # Markdown
    insert_text: str | None = None  # None: the label
    filter_text: str | None = None
    sort_group: int = 0             # lower first; then source order

    @property
    def text(self) -> str:
        return self.insert_text if self.insert_text is not None else self.label


@dataclass
class Completions:
    """Candidates replacing the bytes ``start:end`` (what was typed of the word)."""

    start: int
    end: int
    items: list[Candidate] = field(default_factory=list)


def complete_source(source: SourceFile, offset: int, settings: "Settings | None" = None,
                    model: FileModel | None = None) -> Completions | None:
    """Completion on ``model`` (built here when not given), else on the repaired text."""
    if model is None:
        model = _build(source, settings, None)
    found = complete(model, offset, settings)
    if found is not None and found.items:
        return found
    repaired = repair(source, offset)
    if repaired is None:
        return found
    again = complete(_build(repaired, settings, model.placer), offset, settings)
    if again is None:
        return found
    again.end = min(again.end, offset)      # the repair inserted text after the offset
    return again


def _build(source: SourceFile, settings: "Settings | None", placer: Placer | None) -> FileModel:
    """The model of a text, its blocks placed by ``placer`` (the file's, with its module cfgs and ``--cfg``s), else
    for the settings' targets."""
    if placer is None:
        targets = settings.targets if settings is not None else []
        placer = Placer(build_targets(targets, None), settings.cfg if settings is not None else None)
    return build_file(source, placer=placer, values=placer.values)


def complete(model: FileModel, offset: int, settings: "Settings | None" = None) -> Completions | None:
    site = locate(model, offset)
    if site is None:
        return None
    items = _candidates(site, model, settings)
    if items is None:
        return None
    return Completions(site.start, site.end, _unique(items))


def _unique(items: list[Candidate]) -> list[Candidate]:
    seen: dict[tuple[str, str], Candidate] = {}
    for item in items:
        seen.setdefault((item.kind, item.label), item)
    return list(seen.values())


def _arches(site: Site, settings: "Settings | None") -> list[tuple[ResolvedBlock, ArchData, Target]]:
    out = []
    for resolved in site.blocks:
        target = block_target(resolved, settings)
        data = arch_data(resolved.arch) if resolved.arch else None
        if data is not None and target is not None:
            out.append((resolved, data, target))
    return out


def _candidates(site: Site, model: FileModel, settings: "Settings | None") -> list[Candidate] | None:
    kind = site.kind
    if kind == REGISTER_CLASS:
        return _register_specs(site, settings, quoted=False)
    if kind == REGISTER:
        return _register_specs(site, settings, quoted=True)
    if kind == OPTION:
        return _options(site, settings)
    if kind == CLOBBER_ABI:
        return _abis(site, settings)
    if kind == PLACEHOLDER and site.part == "name":
        return _operand_names(site, model)
    if kind == PLACEHOLDER and site.part == "modifier":
        return _modifiers(site, settings)
    if kind == DIRECTIVE or (kind == TEMPLATE and site.at_statement_start and site.prefix.startswith(".")):
        return _directives(site, settings)
    if (kind == MNEMONIC or (kind == TEMPLATE and site.at_statement_start)) and site.prefix:
        # (not on an empty statement: opening a template string would otherwise list every mnemonic)
        return _mnemonics(site, settings)
    if kind == ARGUMENT:
        return _keywords(site)
    return None


# -- operands -------------------------------------------------------------------------------

def _register_specs(site: Site, settings: "Settings | None", quoted: bool) -> list[Candidate]:
    input_operand = site.keyword in ("in", "inout", "inlateout")
    items: list[Candidate] = []
    registers: list[Candidate] = []
    for resolved, data, target in _arches(site, settings):
        if not quoted:
            for name in data.class_order:
                if data.clobber_only(name, target) is not None:
                    continue    # never usable with a class: only explicit registers can be clobbers
                features = data.class_features(name, target)
                detail = f"register class ({target.arch})"
                if features:
                    detail += " — needs " + " or ".join(features)
                items.append(Candidate(name, KIND_CLASS, detail, describe_class(data, name, target)))
        for register in data.data["registers"]:
            canonical = register["name"]
            if input_operand and data.clobber_only(register["classes"][0], target) is not None:
                continue
            if data.filter_error(canonical, target, False) and data.filter_error(canonical, target, True):
                continue    # rustc rejects it on this target
            for alias in register["aliases"]:
                detail = f"{register['classes'][0]} ({target.arch})"
                if alias != canonical:
                    detail = f"{canonical}, {detail}"
                registers.append(Candidate(
                    alias if quoted else f'"{alias}"', KIND_REGISTER, detail,
                    describe_register(data, alias, target) or "",
                    filter_text=alias if not quoted else None, sort_group=1))
    return items + registers


def _options(site: Site, settings: "Settings | None") -> list[Candidate]:
    supported = SUPPORTED_OPTIONS[site.call.kind]
    arches = _arches(site, settings)
    items = []
    for name in OPTION_NAMES:
        if name not in supported or name in site.present:
            continue
        if name == "att_syntax" and arches and not any(data.data.get("att_syntax") for _, data, _ in arches):
            continue    # only architectures whose data allows AT&T syntax
        meaning, contract = knowledge.OPTIONS[name]
        items.append(Candidate(name, KIND_OPTION, "option", f"{meaning}\n\n{contract}"))
    return items


def _abis(site: Site, settings: "Settings | None") -> list[Candidate]:
    if site.call.kind != "asm":
        return []
    items = []
    for resolved, data, target in _arches(site, settings):
        names = data.clobber_abi_names(target)
        if names is None:
            names = []
            for entry in data.data.get("clobber_abi_supported", []):
                if holds(entry.get("when"), target) is not False:
                    names += [name for name in entry["names"] if name not in names]
        for name in names:
            entry, _ = data.clobber_abi(name, target)
            detail = f"ABI {entry['abi']} ({target.arch})" if entry else f"ABI ({target.arch})"
            items.append(Candidate(name, KIND_ABI, detail, insert_text=None if site.quoted else f'"{name}"',
                                   filter_text=None if site.quoted else name))
    if not site.quoted:
        for item in items:
            item.label = f'"{item.label}"'
    return items


def _keywords(site: Site) -> list[Candidate]:
    items = []
    for keyword in _ARGUMENT_KEYWORDS[site.call.kind]:
        documentation = knowledge.OPERAND_KINDS.get(keyword) or knowledge.KEYWORDS.get(keyword, "")
        detail = "operand" if keyword in OPERAND_KEYWORDS else "argument"
        items.append(Candidate(keyword, KIND_KEYWORD, detail, documentation))
    return items


# -- placeholders ---------------------------------------------------------------------------

def _operand_names(site: Site, model: FileModel) -> list[Candidate]:
    items: list[Candidate] = []
    for resolved in site.blocks or []:
        if resolved.block.parse_errors:
            continue
        for operand in resolved.block.operands:
            if operand.index in resolved.explicit:
                continue
            written = " ".join(model.source.text(operand.start, operand.end).split())
            if operand.name is not None:
                if resolved.named.get(operand.name) == operand.index:
                    items.append(Candidate(operand.name, KIND_OPERAND, written, sort_group=0))
            else:
                items.append(Candidate(str(operand.index), KIND_OPERAND, written, sort_group=1))
    if items or not site.blocks or not all(resolved.block.parse_errors for resolved in site.blocks):
        return items
    for raw in site.operands:
        if raw.reg_kind == "explicit":
            continue
        detail = _raw_detail(raw)
        if raw.name is not None:
            items.append(Candidate(raw.name, KIND_OPERAND, detail, sort_group=0))
        else:
            items.append(Candidate(str(raw.position), KIND_OPERAND, detail, sort_group=1))
    return items


def _raw_detail(raw: RawOperand) -> str:
    spec = f"({raw.reg_name})" if raw.reg_kind == "class" else ""
    return (f"{raw.name} = " if raw.name else "") + raw.keyword + spec


def _modifiers(site: Site, settings: "Settings | None") -> list[Candidate]:
    raw = site.placeholder
    if raw is None:
        return []
    items = []
    for resolved, data, target in _arches(site, settings):
        class_name = None
        if not resolved.block.parse_errors:
            operand = None
            placeholder = placeholder_at(site, resolved)
            if placeholder is not None and placeholder.operand is not None:
                operand = resolved.block.operands[placeholder.operand]
            elif raw.name:
                operand = bound_operand(resolved, raw.name)
            if operand is not None and operand.reg is not None and not operand.reg.explicit:
                class_name = operand.reg.name
        elif raw.name:
            bound = raw_bound_operand(site.operands, raw.name)
            if bound is not None and bound.reg_kind == "class":
                class_name = bound.reg_name
        if class_name is None or class_name not in data.classes:
            continue
        default = data.default_modifier(class_name, target)
        for char in data.valid_modifiers(class_name, target):
            example = modifier_example(data, class_name, char, target)
            bits = modifier_bits(data, class_name, char, target)
            detail = (f"e.g. {example}" if example else f"modifier of {class_name}") + (f" ({bits}-bit)" if bits else "")
            if default is not None and default["char"] == char:
                detail += ", the default"
            items.append(Candidate(char, KIND_MODIFIER, detail))
    return items


# -- directives -----------------------------------------------------------------------------

def _directives(site: Site, settings: "Settings | None") -> list[Candidate]:
    data = directive_data()
    targets = [target for _, _, target in _arches(site, settings)] or [None]
    items = [Candidate(name, KIND_DIRECTIVE, "guaranteed by the Rust reference",
                       describe_directive(name, targets[0])) for name in data["guaranteed"]]
    for group in data["groups"]:
        if all(target is not None and holds(group["when"], target) is False for target in targets):
            continue
        for name in group["directives"]:
            items.append(Candidate(name, KIND_DIRECTIVE, f"guaranteed for {group['name']}",
                                   describe_directive(name, targets[0]), sort_group=1))
    return items


# -- instruction mnemonics ------------------------------------------------------------------

def _mnemonics(site: Site, settings: "Settings | None") -> list[Candidate]:
    """The instruction names capstone knows for the block's architectures that start with what was typed
    (lowercase; the exact name first, then the shortest), at most :data:`MAX_MNEMONICS`."""
    prefix = site.prefix.lower()
    found: dict[str, list[tuple[str, ArchData]]] = {}
    for resolved, data, target in _arches(site, settings):
        for name in mnemonics(target.arch):
            if name.startswith(prefix):
                found.setdefault(name, []).append((target.arch, data))
    best = sorted(found, key=lambda name: (name != prefix, len(name), name))[:MAX_MNEMONICS]
    items = []
    for name in best:
        arches = found[name]
        url = reference_url(arches[0][1], name)
        items.append(Candidate(name, KIND_MNEMONIC, f"instruction ({', '.join(arch for arch, _ in arches)})",
                               f"[Reference]({url})" if url else ""))
    return items


__all__ = ["Candidate", "Completions", "complete", "complete_source", "MAX_MNEMONICS"]
