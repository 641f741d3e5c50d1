"""Hover: a short Markdown text about what is at a byte offset of an inline-assembly call.

Architecture facts come from the data files (``asm_ls/data/arch``, ``directives.json``); the
fixed texts from :mod:`asm_ls.ide.knowledge`.  A call checked for several architectures gets
one section per distinct answer, headed by the architectures it holds for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from asm_ls.checks.directives import directive_data
from asm_ls.ide import instruction_docs, knowledge
from asm_ls.ide.locate import (CLOBBER_ABI, CLOBBER_ABI_KEYWORD, DIRECTIVE, MACRO, MNEMONIC, OPERAND_KEYWORD,
                               OPERAND_NAME, OPTION, OPTIONS_KEYWORD, PLACEHOLDER, REGISTER, REGISTER_CLASS, WORD, Site,
                               bound_operand, locate, operand_at, placeholder_at)
from asm_ls.model.arch import ArchData, arch_data, holds
from asm_ls.model.block import SUPPORTED_OPTIONS, Operand
from asm_ls.model.build import FileModel, ResolvedBlock
from asm_ls.model.target import Target

if TYPE_CHECKING:
    from asm_ls.analysis import Settings
    from asm_ls.machine.instructions import BlockInstructions

    # (block, file bytes, settings) -> the block's decoded instructions, or None (see machine/instructions.py)
    Instructions = Callable[[ResolvedBlock, bytes, "Settings"], "BlockInstructions | None"]

_MAX_LISTED = 24


@dataclass
class Hover:
    markdown: str
    start: int
    end: int


def hover(model: FileModel, offset: int, settings: "Settings | None" = None,
          instructions: "Instructions | None" = None) -> Hover | None:
    """``instructions``: how to get a block's assembled instructions (it may run rustc); without it, or when it
    answers None, the hover of an instruction mnemonic says nothing about its encoding."""
    site = locate(model, offset)
    if site is None:
        return None
    if site.kind == MNEMONIC:
        text = _per_arch(site, settings, lambda resolved, data, target: _mnemonic(
            site, resolved, data, target, model, settings, instructions))
    else:
        text = _describe(site, model, settings)
    if not text:
        return None
    return Hover(text, site.start, site.end)


def block_target(resolved: ResolvedBlock, settings: "Settings | None") -> Target | None:
    """The target a block is checked for, with its function's ``#[target_feature]``s."""
    if resolved.arch is None:
        return None
    target = resolved.target or Target(arch=resolved.arch)
    function = resolved.block.call.function
    if function is not None:
        target = target.with_features(function.target_features)
    return target


def _describe(site: Site, model: FileModel, settings: "Settings | None") -> str | None:
    kind = site.kind
    if kind == MACRO:
        return f"**`{site.call.kind}!`**\n\n{knowledge.MACROS[site.call.kind]}"
    if kind in (OPTIONS_KEYWORD, CLOBBER_ABI_KEYWORD):
        return f"**`{site.keyword}`**\n\n{knowledge.KEYWORDS[site.keyword]}"
    if kind == OPTION:
        return _option(site.text, site.call.kind)
    if kind in (OPERAND_KEYWORD, OPERAND_NAME):
        return _per_arch(site, settings, lambda resolved, data, target: _operand(site, resolved, data, target, model),
                         need_data=False)
    if kind == PLACEHOLDER:
        return _per_arch(site, settings, lambda resolved, data, target: _placeholder(site, resolved, data, target,
                                                                                      model), need_data=False)
    if kind == REGISTER:
        return _per_arch(site, settings, lambda resolved, data, target: describe_register(data, site.text, target))
    if kind == WORD:
        return _per_arch(site, settings, lambda resolved, data, target: _word(site, resolved, data, target, model))
    if kind == REGISTER_CLASS:
        return _per_arch(site, settings, lambda resolved, data, target: describe_class(data, site.text, target)
                         if site.text in data.classes else None)
    if kind == CLOBBER_ABI:
        return _per_arch(site, settings, lambda resolved, data, target: describe_abi(data, site.text, target))
    if kind == DIRECTIVE:
        return _per_arch(site, settings, lambda resolved, data, target: describe_directive(site.text, target),
                         need_data=False)
    return None


def _per_arch(site: Site, settings: "Settings | None", describe, need_data: bool = True) -> str | None:
    """One section per distinct text; headed by architectures when the call has several."""
    sections: dict[str, list[str]] = {}
    blocks = site.blocks or []
    for resolved in blocks:
        target = block_target(resolved, settings)
        data = arch_data(resolved.arch) if resolved.arch else None
        if need_data and (data is None or target is None):
            continue
        text = describe(resolved, data, target)
        if text:
            sections.setdefault(text, []).append(resolved.arch or "unknown architecture")
    if not sections:
        return None
    if len(sections) == 1:
        return next(iter(sections))
    return "\n\n---\n\n".join(f"*{', '.join(arches)}*\n\n{text}" for text, arches in sections.items())


# -- instructions ---------------------------------------------------------------------------

def _mnemonic(site: Site, resolved: ResolvedBlock, data: ArchData, target: Target, model: FileModel,
              settings: "Settings | None", instructions: "Instructions | None") -> str | None:
    """The statement as written, what the instruction is (the documentation data), then what it assembled to."""
    written = _statement(model.source.data, site.start)
    found = instruction_docs.lookup(data.name, site.text)
    details = []
    if instructions is not None and settings is not None:
        assembled = instructions(resolved, model.source.data, settings)
        details = assembled.at(site.start) if assembled is not None else []
    if found is None and not details:
        return None
    title = f"**instruction `{written}`** ({target.arch})"
    lines = [title + (f": {found[1]['name']}" if found is not None and found[1].get("name") else "")]
    if found is not None:
        lines += instruction_docs.describe(found[1], implicit_operands=not details)
    if details:
        documented_flags = found is not None and any(key in found[1] for key in ("flags_written", "flags_read"))
        assembled_text = describe_instructions(details, data, target.arch, titled=False, flags=not documented_flags)
        shown = ", ".join(f"`{detail.text}`" for detail in details)
        if len(details) > 1 or details[0].text != written:
            lines.append(f"Assembles to {shown}.")
        if "{" in written and any(operand.reg is not None and not operand.reg.explicit
                                  for operand in resolved.block.operands):
            lines.append(knowledge.EXAMPLE_REGISTERS)
        lines.append(assembled_text)
    else:
        url = reference_url(data, found[0]) if found is not None else None
        if url:
            lines.append(f"[Reference]({url})")
    return "\n\n".join(line for line in lines if line)


def _statement(data: bytes, start: int) -> str:
    """The statement that starts at byte ``start`` of a template, as written (to its end, a `;`, or a comment)."""
    end = start
    while end < len(data) and data[end:end + 1] not in (b'"', b";", b"\n", b"#") \
            and data[end:end + 2] not in (b"\\n", b"//", b"/*"):
        end += 1
    return " ".join(data[start:end].decode("utf-8", "replace").split())


def describe_instructions(details: list, data: ArchData, arch: str, titled: bool = True,
                          flags: bool = True) -> str | None:
    """What a statement assembled to (``machine.semantics.Detail``s): one section per instruction (without the flags
    when ``flags`` is false: the documentation said them)."""
    sections = [_instruction(detail, data, arch, titled or len(details) > 1, flags) for detail in details]
    if len(sections) > 1 and titled:
        sections.insert(0, f"Assembles to {len(sections)} instructions.")
    return "\n\n".join(sections) or None


def _instruction(detail, data: ArchData, arch: str, titled: bool = True, show_flags: bool = True) -> str:
    lines = [f"**instruction `{detail.text}`** ({arch})"] if titled else []
    lines.append(f"Encoding: `{detail.encoding.hex(' ')}` ({len(detail.encoding)} byte{'s' if len(detail.encoding) != 1 else ''}).")
    written = set(re.findall(r"[A-Za-z0-9_.]+", detail.op_str.lower()))

    def names(registers: list[str]) -> str:
        return ", ".join(f"`{name}`" + ("" if name in written else " (implicit)") for name in registers)

    access = []
    if detail.reads:
        access.append(f"Reads {names(detail.reads)}")
    if detail.writes:
        access.append(f"writes {names(detail.writes)}" if access else f"Writes {names(detail.writes)}")
    lines.append("; ".join(access) + "." if access else "Reads and writes no register.")
    flags = []
    if detail.flags_written:
        flags.append("Flags written: " + ", ".join(detail.flags_written))
    if detail.flags_read:
        flags.append(("flags read: " if flags else "Flags read: ") + ", ".join(detail.flags_read))
    if flags and show_flags:
        lines.append("; ".join(flags) + ".")
    memory = " and ".join(verb for verb, on in (("reads", detail.memory_read), ("writes", detail.memory_write)) if on)
    if memory:
        lines.append(f"Memory: {memory}.")
    if detail.extensions:
        lines.append("ISA extension: " + ", ".join(f"`{name}`" for name in detail.extensions) + ".")
    url = reference_url(data, detail.mnemonic)
    if url:
        lines.append(f"[Reference]({url})")
    return "\n\n".join(lines)


def reference_url(data: ArchData, mnemonic: str) -> str | None:
    """The page about an instruction: the documentation data's own link, else the architecture data's
    ``instruction_reference``."""
    if not mnemonic:
        return None
    found = instruction_docs.lookup(data.name, mnemonic)
    if found is not None and found[1].get("url"):
        return found[1]["url"]
    reference = data.data.get("instruction_reference")
    if not reference:
        return None
    page = mnemonic.lower().split()[-1]
    for entry in reference.get("pages", []):
        if re.fullmatch(entry["match"], page):
            page = entry["page"]
            break
    return reference["url"].replace("{mnemonic}", page).replace("{MNEMONIC}", page.upper())


# -- other words of template text: registers, CSRs, labels, barrier options, operand sizes --------------------

_LOCAL_REFERENCE = re.compile(r"(\d+)([bf])")
_LABEL = re.compile(r"(?:^|(?<=[;\n]))[ \t]*([A-Za-z0-9_.$]+):")


def _word(site: Site, resolved: ResolvedBlock, data: ArchData, target: Target, model: FileModel) -> str | None:
    name = site.text[1:] if site.text.startswith("%") else site.text     # AT&T: `%rax`
    if model.source.data[site.end:site.end + 1] == b":" and _starts_statement(model.source.data, site.start):
        return _label_definition(site, resolved, model)     # (not a segment override: `fs:[0]`)
    if data.canonical(name) is not None:
        return describe_register(data, name, target)
    label = _label_reference(site, resolved, model)
    if label is not None:
        return label
    mnemonic = _statement_mnemonic(resolved, site.start)
    if data.name == "riscv" and instruction_docs.csr(name) is not None:
        return instruction_docs.describe_csr(name.lower(), instruction_docs.csr(name))
    if mnemonic:
        found = instruction_docs.barrier_option(data.name, mnemonic, name) or \
            instruction_docs.system_register(data.name, mnemonic, name)
        if found:
            return found
    following = model.source.data[site.end:site.end + 5].lstrip()
    if name.lower() == "ptr":
        before = model.source.data[max(0, site.start - 12):site.start].decode("utf-8", "replace").split()
        return instruction_docs.operand_size(data.name, before[-1]) if before else None
    if following.lower().startswith(b"ptr"):
        return instruction_docs.operand_size(data.name, name)
    return None


def _starts_statement(data: bytes, start: int) -> bool:
    """Whether only blanks stand between byte ``start`` of a template and its statement's start."""
    while start > 0 and data[start - 1:start] in (b" ", b"\t"):
        start -= 1
    return data[start - 1:start] in (b'"', b";", b"\n") or data[start - 2:start] == b"\\n"


def _pieces(resolved: ResolvedBlock):
    """(piece index, decoded text) of every template string of the block, in order."""
    return [(index, piece.decoded) for index, piece in enumerate(resolved.block.templates) if piece.decoded is not None]


def _labels(resolved: ResolvedBlock) -> list[tuple[str, int, int]]:
    """Every label defined in the block's templates: (name, byte start, byte end), in template order."""
    found = []
    for _, decoded in _pieces(resolved):
        for match in _LABEL.finditer(decoded.value):
            found.append((match.group(1), decoded.offset(match.start(1)), decoded.offset(match.end(1))))
    return found


def _label_definition(site: Site, resolved: ResolvedBlock, model: FileModel) -> str:
    name = site.text
    if name.isdigit():
        uses = "`{0}b` refers to the nearest `{0}:` before it, `{0}f` to the nearest after it".format(name)
        return (f"**local label `{name}:`**\n\nA numeric label: it can be defined many times; {uses}. Prefer "
                f"numeric labels in `asm!`: the compiler may copy a block, and a named label would then be "
                f"defined twice.")
    return f"**label `{name}:`**\n\nDefines the symbol `{name}` at this point of the code."


def _label_reference(site: Site, resolved: ResolvedBlock, model: FileModel) -> str | None:
    match = _LOCAL_REFERENCE.fullmatch(site.text)
    labels = _labels(resolved)
    if match is not None:
        number, direction = match.groups()
        candidates = [label for label in labels if label[0] == number]
        if direction == "b":
            before = [label for label in candidates if label[2] <= site.start]
            target = before[-1] if before else None
        else:
            after = [label for label in candidates if label[1] >= site.end]
            target = after[0] if after else None
        where = "before" if direction == "b" else "after"
        title = f"**label reference `{site.text}`**"
        if target is None:
            return f"{title}\n\nRefers to the nearest `{number}:` {where} it; there is none in this block."
        return f"{title}\n\nRefers to the nearest `{number}:` {where} it: {_where(model, target[1])}."
    for name, start, _ in labels:
        if name == site.text:
            return f"**label `{name}`**\n\nDefined {_where(model, start)}."
    return None


def _where(model: FileModel, offset: int) -> str:
    line = model.source.line_of(offset)
    start, end = model.source.line_span(line)
    text = " ".join(model.source.text(start, end).split())
    return f"line {line + 1} (`{_short(text)}`)"


def _statement_mnemonic(resolved: ResolvedBlock, offset: int) -> str | None:
    """The first word of the statement holding byte ``offset`` (after any label)."""
    for _, decoded in _pieces(resolved):
        if not decoded.content_start <= offset <= decoded.content_end:
            continue
        index = sum(1 for start in decoded.starts if start < offset)
        begin = max(decoded.value.rfind("\n", 0, index), decoded.value.rfind(";", 0, index)) + 1
        statement = _LABEL.sub("", decoded.value[begin:index], count=1) if ":" in decoded.value[begin:index] \
            else decoded.value[begin:index]
        words = statement.split()
        return words[0] if words else None
    return None


# -- options and operands -------------------------------------------------------------------

def _option(name: str, macro: str) -> str | None:
    if name not in knowledge.OPTIONS:
        return None
    meaning, contract = knowledge.OPTIONS[name]
    text = f"**option `{name}`**\n\n{meaning}\n\n{contract}"
    if name not in SUPPORTED_OPTIONS[macro]:
        text += f"\n\nNot accepted by `{macro}!`."
    return text


def _operand(site: Site, resolved: ResolvedBlock, data: ArchData | None, target: Target | None,
             model: FileModel) -> str | None:
    keyword = site.keyword
    if keyword not in knowledge.OPERAND_KINDS:
        return None
    lines = [f"**`{keyword}` operand**", knowledge.OPERAND_KINDS[keyword]]
    operand = operand_at(site, resolved)
    if operand is not None:
        lines.append(_operand_summary(operand, resolved, data, target, model))
    return "\n\n".join(line for line in lines if line)


def _operand_summary(operand: Operand, resolved: ResolvedBlock, data: ArchData | None, target: Target | None,
                     model: FileModel) -> str:
    written = _short(model.source.text(operand.start, operand.end))
    reference = f"`{{{operand.name}}}`" if operand.name else f"`{{{operand.index}}}`"
    where = ""
    if operand.reg is not None and operand.reg.explicit:
        reference = "none (an explicit register cannot be named in the template)"
        canonical = data.canonical(operand.reg.name) if data is not None else None
        if canonical is not None:
            where = f" (register `{canonical}`, class `{data.class_of(canonical)}`)"
    elif operand.reg is not None and data is not None and operand.reg.name in data.classes:
        where = f" (class `{operand.reg.name}`)"
    return f"Operand {operand.index}: `{written}`{where}; in the template: {reference}."


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- placeholders ---------------------------------------------------------------------------

def _placeholder(site: Site, resolved: ResolvedBlock, data: ArchData | None, target: Target | None,
                 model: FileModel) -> str | None:
    placeholder = placeholder_at(site, resolved)
    raw = site.placeholder
    if placeholder is not None:
        operand = resolved.block.operands[placeholder.operand] if placeholder.operand is not None else None
        written = model.source.text(placeholder.start, placeholder.end)
        modifier = placeholder.modifier
    elif raw is not None:
        operand = bound_operand(resolved, raw.name) if raw.name else None
        written = model.source.text(raw.start, raw.end)
        modifier = raw.modifier or None
    else:
        return None
    lines = [f"**placeholder `{written}`**"]
    if operand is None:
        lines.append("Refers to no operand of this block." if (placeholder is None or placeholder.operand is None)
                     and not resolved.block.parse_errors else knowledge.PLACEHOLDER)
        return "\n\n".join(lines)
    lines.append(_operand_summary(operand, resolved, data, target, model))
    if operand.kind == "const":
        lines.append("Replaced by the constant's value, as an integer.")
    elif operand.kind == "sym":
        lines.append("Replaced by the symbol name of the function or static.")
    elif operand.kind == "label":
        lines.append("Replaced by a label naming the Rust block.")
    elif data is not None and target is not None and operand.reg is not None \
            and not operand.reg.explicit and operand.reg.name in data.classes:
        lines.append(modifier_effect(data, operand.reg.name, modifier, target))
    return "\n\n".join(line for line in lines if line)


def modifier_effect(data: ArchData, class_name: str, modifier: str | None, target: Target) -> str:
    """What a placeholder of this class prints with (or without) ``modifier``."""
    valid = data.valid_modifiers(class_name, target)
    if modifier is None:
        default = data.default_modifier(class_name, target)
        if default is not None:
            return (f"No modifier: the register is printed with the class's default `{default['char']}` "
                    f"form, e.g. `{default['example']}` ({default['bits']}-bit).")
        return "No modifier: the register is printed by its plain name."
    if modifier not in valid:
        listed = ", ".join(f"`{m}`" for m in valid) or "none"
        return f"`{modifier}` is not a modifier of class `{class_name}` (valid: {listed})."
    example = modifier_example(data, class_name, modifier, target)
    bits = modifier_bits(data, class_name, modifier, target)
    text = f"Modifier `{modifier}`: the register is printed"
    if example:
        text += f" like `{example}`"
    if bits:
        text += f" ({bits}-bit view)"
    return text + "."


def modifier_example(data: ArchData, class_name: str, modifier: str, target: Target) -> str | None:
    for entry in data.classes[class_name].get("default_modifier", []) + [
            item["modifier"] for item in data.classes[class_name].get("suggest_modifier", []) if item.get("modifier")]:
        if entry["char"] == modifier:
            return entry["example"]
    for register in data.data["registers"]:
        if class_name in register["classes"] and modifier in register.get("names_by_modifier", {}):
            return register["names_by_modifier"][modifier]
    return None


def modifier_bits(data: ArchData, class_name: str, modifier: str, target: Target) -> int | None:
    for entry in data.classes[class_name].get("default_modifier", []) + [
            item["modifier"] for item in data.classes[class_name].get("suggest_modifier", []) if item.get("modifier")]:
        if entry["char"] == modifier and holds(entry.get("when"), target) is not False:
            return entry.get("bits")
    return None


# -- registers and classes ------------------------------------------------------------------

def describe_register(data: ArchData, name: str, target: Target) -> str | None:
    canonical = data.canonical(name)
    reason, certain = data.reserved_reason(name, target)
    if canonical is None and reason is None:
        return None
    if canonical is None:
        when = "" if certain else " (on some targets)"
        return f"**register `{name}`** ({target.arch})\n\nReserved{when}: {reason}."
    register = data.registers[canonical]
    title = f"**register `{name}`** ({target.arch})"
    if canonical != name:
        title += f", rustc's `{canonical}`"
    lines = [title]
    classes = register["classes"]
    line = f"Class `{classes[0]}`"
    if len(classes) > 1:
        line += "; also allowed in " + ", ".join(f"`{c}`" for c in classes[1:])
    lines.append(line + ".")
    views = register.get("names_by_modifier", {})
    if views:
        default = data.default_modifier(classes[0], target)
        shown = []
        for char, printed in views.items():
            if char not in data.valid_modifiers(classes[0], target) and \
                    all(char not in data.valid_modifiers(c, target) for c in classes[1:]):
                continue
            bits = _bits_of(data, classes, char, target)
            mark = f"`{printed}` (`:{char}`" + (f", {bits}-bit" if bits else "") + \
                (", default" if default is not None and default["char"] == char else "") + ")"
            shown.append(mark)
        if shown:
            lines.append("Views by template modifier: " + ", ".join(shown) + ".")
        written = next((char for char, printed in views.items() if printed == name), None)
        bits = _bits_of(data, classes, written, target) if written else None
        if bits:
            lines.append(f"`{name}` names the {bits}-bit view.")
    aliases = [alias for alias in register["aliases"] if alias != name]
    if aliases:
        lines.append("Also written " + ", ".join(f"`{alias}`" for alias in aliases) + ".")
    if reason is not None:
        lines.append(f"Reserved{'' if certain else ' (on some targets)'}: {reason}.")
    error = data.filter_error(canonical, target, is_clobber=False)
    if error is not None:
        lines.append(f"Not usable as an operand on `{target.display()}`: {error}.")
    role = abi_role(data, canonical, target)
    if role:
        lines.append(role[0].upper() + role[1:] + ".")
    return "\n\n".join(lines)


def _bits_of(data: ArchData, classes: list[str], char: str, target: Target) -> int | None:
    for class_name in classes:
        bits = modifier_bits(data, class_name, char, target)
        if bits:
            return bits
    return None


def abi_role(data: ArchData, canonical: str, target: Target) -> str | None:
    """Caller-saved (clobbered by the "C" ABI) or callee-saved, per ABI the target may use."""
    entries = [entry for entry in data.data.get("clobber_abis", [])
               if "C" in entry["names"] and holds(entry.get("when"), target) is not False]
    if not entries:
        return None
    first, certain = data.clobber_abi("C", target)
    if first is not None and certain:
        entries = [first]
    overlapping = set(data.overlapping(canonical, target))
    roles = []
    for entry in entries:
        template = knowledge.CALLER_SAVED if overlapping & set(entry["clobbers"]) else knowledge.CALLEE_SAVED
        roles.append(template.format(abi=entry["abi"], name="C"))
    verdicts = {role.split(" ", 1)[0] for role in roles}
    if len(entries) > 1 and len(verdicts) == 1:
        first = roles[0]
        return first.replace(f"`{entries[0]['abi']}` ABI", "`C` ABI")
    return "; ".join(roles)


def describe_class(data: ArchData, name: str, target: Target) -> str:
    cls = data.classes[name]
    lines = [f"**register class `{name}`** ({target.arch})"]
    registers = [r["name"] for r in data.data["registers"] if name in r["classes"]]
    if registers:
        shown = ", ".join(f"`{r}`" for r in registers[:_MAX_LISTED])
        more = f" and {len(registers) - _MAX_LISTED} more" if len(registers) > _MAX_LISTED else ""
        lines.append(f"Registers: {shown}{more}.")
    clobber = data.clobber_only(name, target)
    if clobber == "clobber":
        lines.append("Only usable as a clobber: `out(\"<register>\") _` or `lateout(...) _`.")
    elif clobber == "stable":
        lines.append("Only usable as a clobber in stable Rust (`#![feature(asm_experimental_reg)]` lifts it).")
    groups: dict[tuple, list[str]] = {}       # (feature, experimental) -> types, in data order
    for entry in cls.get("types", []):
        if holds(entry.get("when"), target) is not False:
            groups.setdefault((entry.get("feature"), bool(entry.get("experimental"))), []).append(entry["type"])
    types = []
    for (feature, experimental), names in groups.items():
        notes = ([f"with `{feature}`"] if feature else []) + (["experimental"] if experimental else [])
        types.append(", ".join(f"`{name}`" for name in names) + (f" ({', '.join(notes)})" if notes else ""))
    if types:
        lines.append("Types: " + "; ".join(types) + ".")
    features = data.class_features(name, target)
    if len(features) == 1:
        lines.append(f"Needs the `{features[0]}` target feature.")
    elif features:
        lines.append("Needs one of the target features " + ", ".join(f"`{f}`" for f in features) + ".")
    modifiers = data.valid_modifiers(name, target)
    if modifiers:
        default = data.default_modifier(name, target)
        parts = []
        for char in modifiers:
            example = modifier_example(data, name, char, target)
            part = f"`{char}`" + (f" → `{example}`" if example else "")
            if default is not None and default["char"] == char:
                part += " (default)"
            parts.append(part)
        lines.append("Modifiers: " + ", ".join(parts) + ".")
    return "\n\n".join(lines)


# -- clobber_abi and directives -------------------------------------------------------------

def describe_abi(data: ArchData, name: str, target: Target) -> str:
    entries = [entry for entry in data.data.get("clobber_abis", [])
               if name in entry["names"] and holds(entry.get("when"), target) is not False]
    title = f"**`clobber_abi(\"{name}\")`** ({target.arch})"
    if not entries:
        supported = data.clobber_abi_names(target)
        if supported == []:
            return f"{title}\n\n`clobber_abi` is not supported on this target."
        listed = ", ".join(f"`{abi}`" for abi in supported or []) or "none known"
        return f"{title}\n\nNot an ABI of this target (known: {listed})."
    lines = [title]
    first, certain = data.clobber_abi(name, target)
    if first is not None and certain:
        entries = [first]
    for entry in entries:
        condition = _condition(entry.get("when"))
        clobbers = entry["clobbers"]
        shown = ", ".join(f"`{r}`" for r in clobbers[:_MAX_LISTED])
        more = f" and {len(clobbers) - _MAX_LISTED} more" if len(clobbers) > _MAX_LISTED else ""
        head = f"ABI `{entry['abi']}`" + (f" (when {condition})" if condition and len(entries) > 1 else "")
        lines.append(f"{head}: marks {len(clobbers)} registers clobbered: {shown}{more}.")
    return "\n\n".join(lines)


def _condition(when: dict | None) -> str:
    if not when:
        return ""
    parts = []
    for key, value in when.items():
        if key == "arch":
            continue
        if isinstance(value, bool):
            parts.append(key if value else f"not {key}")
        elif isinstance(value, list):
            parts.append(f"{key} in {', '.join(map(str, value))}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


def describe_directive(name: str, target: Target | None) -> str:
    name = name.lower()
    data = directive_data()
    title = f"**directive `{name}`**"
    if name in data["guaranteed"]:
        status = "Guaranteed by the Rust reference for inline assembly on every target."
    else:
        groups = [group for group in data["groups"] if name in group["directives"]]
        if groups:
            group = groups[0]
            verdict = holds(group["when"], target) if target is not None else None
            status = f"Guaranteed by the Rust reference for {group['name']}."
            if verdict is False:
                status += " Not for this target."
        else:
            status = ("Not among the directives the Rust reference guarantees for inline assembly: "
                      "it depends on the assembler LLVM uses and may not keep working.")
    lines = [title]
    meaning = knowledge.DIRECTIVES.get(name) or next(
        (text for prefix, text in knowledge.DIRECTIVE_FAMILIES.items() if name.startswith(prefix)), None)
    if meaning:
        lines.append(meaning)
    lines.append(status)
    for rule in data.get("stateful", []):
        if rule["directive"] == name or rule["directive"].startswith(name + " "):
            if target is not None and holds(rule.get("when"), target) is False:
                continue
            if rule.get("undo"):
                lines.append(f"Changes the assembler's state: undo it with `{rule['undo']}` before the block ends.")
            else:
                lines.append("Changes the assembler's state for the code after the block.")
            break
    return "\n\n".join(lines)


__all__ = ["Hover", "hover", "block_target", "describe_instructions", "reference_url", "describe_register", "describe_class", "describe_abi",
           "describe_directive", "modifier_effect", "abi_role"]
