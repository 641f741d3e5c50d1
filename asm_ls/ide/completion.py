"""Completion inside inline-assembly calls: register classes and registers in operands, options,
``clobber_abi`` ABIs, operand names and modifiers in placeholders, directives in templates, and
argument keywords.  Candidates come from the data files for the architectures of the block.

:func:`complete` answers from a model; :func:`complete_source` also tries a repaired text when
the call is too broken to be found (a string or delimiter still open at the cursor).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from asm_ls.checks.directives import directive_data
from asm_ls.ide import instruction_docs, knowledge
from asm_ls.ide.hover import block_target, describe_class, describe_directive, describe_register, modifier_bits, \
    modifier_example, reference_url
from asm_ls.ide.locate import (ARGUMENT, CLOBBER_ABI, DIRECTIVE, MNEMONIC, OPERAND_KEYWORDS, OPTION, PLACEHOLDER,
                               REGISTER, REGISTER_CLASS, TEMPLATE, WORD, RawOperand, Site, bound_operand, locate,
                               placeholder_at, raw_bound_operand, repair)
from asm_ls.machine.semantics import mnemonics
from asm_ls.model.arch import ArchData, arch_data, holds
from asm_ls.model.block import CONFLICTING_OPTIONS, OPTION_NAMES, SUPPORTED_OPTIONS
from asm_ls.model.build import FileModel, ResolvedBlock, build_file
from asm_ls.model.configurations import Placer, build_targets
from asm_ls.model.target import Target
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.treesitter import reparse

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
KIND_PLACEHOLDER = "placeholder"

MAX_MNEMONICS = 200     # the best matches offered of the architecture's instruction names

# snippets of the argument keywords (LSP snippet syntax; the plain keyword for clients without snippets)
_SNIPPETS = {
    "in": "in(${1:reg}) ${2:x}",
    "out": "out(${1:reg}) ${2:x}",
    "lateout": "lateout(${1:reg}) ${2:x}",
    "inout": "inout(${1:reg}) ${2:x}",
    "inlateout": "inlateout(${1:reg}) ${2:x}",
    "const": "const ${1:N}",
    "sym": "sym ${1:path}",
    "label": "label {\n    $0\n}",
    "options": "options($1)",
    "clobber_abi": "clobber_abi(\"${1:C}\")",
}

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
    snippet: str | None = None      # LSP snippet syntax, for clients that support snippets
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
    incomplete: bool = False        # more would match: the client asks again as the user types


def complete_source(source: SourceFile, offset: int, settings: "Settings | None" = None,
                    model: FileModel | None = None, tree=None) -> Completions | None:
    """Completion on ``model`` (built here when not given), else on the repaired text (parsed reusing ``tree``,
    the text's syntax tree, when given: the repair changes a few bytes of what may be a large file)."""
    if model is None:
        model = _build(source, settings, None)
    found = complete(model, offset, settings)
    if found is not None and found.items:
        return found
    repaired = repair(source, offset)
    if repaired is None:
        return found
    again = complete(_build(repaired, settings, model.placer,
                            reparse(source.data, tree, repaired.data) if tree is not None else None), offset, settings)
    if again is None:
        return found
    again.end = min(again.end, offset)      # the repair inserted text after the offset
    return again


def _build(source: SourceFile, settings: "Settings | None", placer: Placer | None, tree=None) -> FileModel:
    """The model of a text, its blocks placed by ``placer`` (the file's, with its module cfgs and ``--cfg``s), else
    for the settings' targets."""
    if placer is None:
        targets = settings.targets if settings is not None else []
        placer = Placer(build_targets(targets, None), settings.cfg if settings is not None else None)
    return build_file(source, placer=placer, values=placer.values, tree=tree)


def complete(model: FileModel, offset: int, settings: "Settings | None" = None) -> Completions | None:
    site = locate(model, offset)
    if site is None:
        return None
    items = _candidates(site, model, settings)
    if items is None:
        return None
    return Completions(site.start, site.end, _unique(items),
                       incomplete=any(item.kind == KIND_MNEMONIC for item in items) and
                       sum(item.kind == KIND_MNEMONIC for item in items) >= MAX_MNEMONICS)


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
    if kind == MNEMONIC or (kind == TEMPLATE and site.at_statement_start):
        return _mnemonics(site, settings)
    if kind in (WORD, TEMPLATE):
        return _operand_words(site, model, settings)
    if kind == ARGUMENT:
        items = _keywords(site)
        if site.call.kind == "asm" and _before_operands(site):
            items += [replace(item, label=f'"{item.label}"', insert_text=f'"{item.label}"', filter_text=item.label,
                              snippet=f'"{item.label}$1",', sort_group=2) for item in _mnemonics(site, settings)]
        return items
    return None


def _before_operands(site: Site) -> bool:
    """Whether the argument at the site comes before every operand (where template strings go)."""
    return all(operand.keyword_start > site.offset for operand in site.operands)


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
    conflicting = {second if first in site.present else first for first, second in CONFLICTING_OPTIONS
                   if first in site.present or second in site.present}
    for name in OPTION_NAMES:
        if name not in supported or name in site.present or name in conflicting:
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
        items.append(Candidate(keyword, KIND_KEYWORD, detail, documentation, snippet=_SNIPPETS.get(keyword)))
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


# -- instruction mnemonics and operands ------------------------------------------------------

def _mnemonics(site: Site, settings: "Settings | None") -> list[Candidate]:
    """The instructions of the block's architectures that start with what was typed: the documented ones (the
    pseudo-instructions people write included) and those capstone knows; lowercase, the exact name first, then the
    shortest, at most :data:`MAX_MNEMONICS`; each with its documentation."""
    prefix = site.prefix.lower()
    found: dict[str, list[tuple[str, ArchData]]] = {}
    for resolved, data, target in _arches(site, settings):
        documented = instruction_docs.instructions(data.name)
        att = resolved.block.has_option("att_syntax")
        names = set(mnemonics(target.arch)) | {name for name, entry in documented.items()
                                               if att or "att_of" not in entry}
        for name in names:
            if name.startswith(prefix):
                found.setdefault(name, []).append((target.arch, data))
    best = sorted(found, key=lambda name: (name != prefix, len(name), name))[:MAX_MNEMONICS]
    items = []
    for name in best:
        arches = found[name]
        data = arches[0][1]
        documented = instruction_docs.lookup(data.name, name)
        title = documented[1].get("name") if documented is not None else None
        lines = ([f"**{title}**"] if title else []) + (instruction_docs.describe(documented[1]) if documented else [])
        url = reference_url(data, name)
        if url:
            lines.append(f"[Reference]({url})")
        where = ", ".join(arch for arch, _ in arches)
        items.append(Candidate(name, KIND_MNEMONIC, f"{title} ({where})" if title else f"instruction ({where})",
                               "\n\n".join(lines)))
    return items


def _operand_words(site: Site, model: FileModel, settings: "Settings | None") -> list[Candidate]:
    """At an operand of an instruction (``mov {x}, ``): the block's placeholders, then the registers of the classes
    of the operands the statement already names (the architecture's first class when it names none)."""
    items: list[Candidate] = []
    classes: dict[str, list[str]] = {}
    statement = _statement_before(model, site)
    if statement.lstrip().startswith("."):
        return items    # a directive's arguments
    for resolved, data, target in _arches(site, settings):
        if resolved.block.parse_errors:
            continue
        wanted = classes.setdefault(target.arch, [])
        for operand in resolved.block.operands:
            if operand.index in resolved.explicit or operand.kind in ("sym", "label"):
                continue
            name = operand.name if operand.name is not None and resolved.named.get(operand.name) == operand.index \
                else str(operand.index)
            written = " ".join(model.source.text(operand.start, operand.end).split())
            items.append(Candidate(f"{{{name}}}", KIND_PLACEHOLDER, written, knowledge.PLACEHOLDER,
                                   filter_text=name, sort_group=0))
            if operand.reg is not None and not operand.reg.explicit and f"{{{name}" in statement \
                    and operand.reg.name in data.classes and operand.reg.name not in wanted:
                wanted.append(operand.reg.name)
        if not wanted and data.class_order:
            wanted.append(data.class_order[0])
        for register in data.data["registers"]:
            if not set(register["classes"]) & set(wanted) or data.filter_error(register["name"], target, False):
                continue
            if data.reserved_reason(register["name"], target)[0] is not None:
                continue
            for name in _template_names(data, register, target):
                items.append(Candidate(name, KIND_REGISTER, f"{register['classes'][0]} ({target.arch})",
                                       describe_register(data, name, target) or "", sort_group=1))
    if site.prefix.startswith("{"):
        return items
    return [item for item in items if item.kind != KIND_REGISTER or item.label.startswith(site.prefix.lower())]


def _template_names(data: ArchData, register: dict, target: Target) -> list[str]:
    """How a template names a register: its view by the class's default modifier (``rax``), else every alias."""
    default = data.default_modifier(register["classes"][0], target)
    views = register.get("names_by_modifier", {})
    if default is not None and default["char"] in views:
        return [views[default["char"]]]
    return list(register["aliases"])


def _statement_before(model: FileModel, site: Site) -> str:
    """The template text of the statement before the site (from its start: a newline, `;` or the string's quote)."""
    data = model.source.data
    start = site.start
    while start > 0 and data[start - 1:start] not in (b'"', b";", b"\n") and data[start - 2:start] != b"\\n":
        start -= 1
    return data[start:site.start].decode("utf-8", "replace")


__all__ = ["Candidate", "Completions", "complete", "complete_source", "MAX_MNEMONICS"]
