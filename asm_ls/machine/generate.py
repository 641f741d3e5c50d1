"""The generated crate: each block's template as assembly lines, every generated character mapped back to source bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from asm_ls.machine.framing import Framing
from asm_ls.machine.substitute import Substituter
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.statements import comment_end

Origin = tuple[int, int] | None     # the source bytes a generated character came from; None: framing text

# Directives that make the assembler read files (or compose directive names through macro arguments).
_REFUSED = re.compile(r"incbin|include|secure_log|altmacro", re.IGNORECASE)
_LABELS = re.compile(r"^\s*(?:[\w.$]+:\s*)+")


@dataclass
class Line:
    text: str
    origin: list[Origin]
    stand_in: bool = False          # holds a value asm-ls does not know (an unknown const)


@dataclass
class Refusal:
    """A statement removed from the generated text: its source range and its first word."""

    start: int
    end: int
    word: str


@dataclass
class GeneratedBlock:
    """One block ready to assemble: ``lines`` are the template's lines, ``prefix``/``suffix`` the framing."""

    resolved: ResolvedBlock
    block_id: str
    lines: list[Line]
    att: bool = False               # options(att_syntax) on x86
    prefix: list[str] = field(default_factory=list)
    suffix: list[str] = field(default_factory=list)
    intel: bool = False             # x86 without options(att_syntax): assembled after `.intel_syntax`
    refused: list[Refusal] = field(default_factory=list)
    range: tuple[int, int] = (0, 0)     # the block's template characters
    # Contract analysis (machine/objects.py): a local symbol ``line_label(block_id, index)`` before each template line,
    # so the object's symbol table tells which line each instruction's bytes come from.  Off for the assembler's own
    # runs; machine/contract.py turns it on for the blocks it reads back (see ``labels_safe``).
    line_labels: bool = False

    def all_lines(self) -> list[tuple[int | None, str]]:
        """This block's lines in the module's assembly: (index into ``lines`` or None for framing, text)."""
        out: list[tuple[int | None, str]] = []
        if self.intel or self.att:
            out.append((None, ".att_syntax" if self.att else ".intel_syntax"))
        out += [(None, text) for text in self.prefix]
        for index, line in enumerate(self.lines):
            if self.line_labels:
                out.append((None, f"{line_label(self.block_id, index)}:"))
            out.append((index, line.text))
        out += [(None, text) for text in self.suffix]
        return out

    def key(self) -> str:
        """The cache key part that identifies the assembled text."""
        return "\n".join(text for _, text in self.all_lines())


def line_label(block_id: str, index: int) -> str:
    """The local symbol put before template line ``index`` when ``line_labels`` is on (not ``.L``: those never reach
    the symbol table)."""
    return f"asmls_line_{block_id}_{index}"


# Directives whose bodies are replayed: a label inside would be defined more than once.
_REPLAYING = re.compile(r"^\s*\.(macro|rept|irp|irpc|endm|endr|purgem)\b", re.IGNORECASE | re.MULTILINE)


def labels_safe(block: GeneratedBlock) -> bool:
    """Whether line labels can be added to this block without changing what it assembles to."""
    return not any(_REPLAYING.search(line.text.replace(";", "\n")) for line in block.lines)


def template_chars(resolved: ResolvedBlock, substituter: Substituter, drop_dollars: bool = False) \
        -> tuple[str, list[Origin], set[int]] | None:
    """The block's instantiated template (pieces joined by newlines, placeholders substituted, ``{{`` undoubled) with
    each character's origin and the positions of stand-in values; None when it cannot be known or rendered.
    ``drop_dollars``: leave out ``$`` as LLVM's Intel-dialect inline assembly does (x86 ``asm!`` without
    ``att_syntax``: ``int $$0x80`` reaches the assembler as ``int 0x80``)."""
    block = resolved.block
    if block.unknown_template or block.unknown_args or any(piece.decoded is None for piece in block.templates):
        return None
    raw = block.has_option("raw")
    chars: list[str] = []
    origin: list[Origin] = []
    stand_ins: set[int] = set()
    for index, piece in enumerate(block.templates):
        if index:
            chars.append("\n")
            origin.append(None)
        decoded = piece.decoded
        exact = piece.form == "string"

        def source(first: int, last: int) -> Origin:
            return decoded.span(first, last) if exact else (piece.start, piece.end)

        placeholders = {} if raw else {p.first: p for p in block.placeholders if p.piece == index}
        text = decoded.value
        position = 0
        while position < len(text):
            placeholder = placeholders.get(position)
            if placeholder is not None:
                substitution = substituter.render(placeholder)
                if substitution is None:
                    return None
                where = (placeholder.start, placeholder.end) if exact else (piece.start, piece.end)
                if not substitution.known:
                    stand_ins.add(len(chars))
                chars.extend(substitution.text)
                origin.extend([where] * len(substitution.text))
                position = placeholder.last
                continue
            char = text[position]
            if drop_dollars and char == "$":
                position += 1
                continue
            if not raw and char in "{}" and text[position + 1:position + 2] == char:
                chars.append(char)
                origin.append(source(position, position + 2))
                position += 2
                continue
            chars.append(char)
            origin.append(source(position, position + 1))
            position += 1
    return "".join(chars), origin, stand_ins


def split_lines(text: str, origin: list[Origin], stand_ins: set[int]) -> list[Line]:
    lines: list[Line] = []
    start = 0
    for index in range(len(text) + 1):
        if index == len(text) or text[index] == "\n":
            lines.append(Line(text[start:index], origin[start:index],
                              any(start <= position < index for position in stand_ins)))
            start = index + 1
    return lines


def statements(text: str, line_comments: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """The statements of one line as (start, end) column ranges, stripped, comments and ``;`` separators excluded."""
    out: list[tuple[int, int]] = []
    start = 0
    index = 0
    quote = False
    while index <= len(text):
        if index < len(text) and text[index] == '"':
            quote = not quote
        elif index < len(text) and quote and text[index] == "\\":
            index += 2
            continue
        comment = None if quote or index >= len(text) else comment_end(text, index, line_comments)
        if index == len(text) or (not quote and text[index] == ";") or comment is not None:
            body = text[start:index]
            if body.strip():
                left = start + len(body) - len(body.lstrip())
                out.append((left, left + len(body.strip())))
            if comment is not None:
                if comment >= len(text):
                    break
                index = comment
                start = comment
                continue
            start = index + 1
        index += 1
    return out


def refuse(lines: list[Line], line_comments: tuple[str, ...]) -> list[Refusal]:
    """Blank every statement that could make the assembler read a file; returns what was removed."""
    refused: list[Refusal] = []
    for line in lines:
        if not _REFUSED.search(line.text) and "\\" not in line.text:
            continue
        chars = list(line.text)
        for first, last in statements(line.text, line_comments):
            body = line.text[first:last]
            word = body.split(None, 1)[0]
            # a macro argument in the statement's name (`\x`, `.\x`, `\x\()bin`, after labels) can spell a
            # refused directive
            name = (_LABELS.sub("", body).split(None, 1) or [""])[0]
            if not (_REFUSED.search(body) or "\\" in word or "\\" in name):
                continue
            chars[first:last] = " " * (last - first)
            origins = [o for o in line.origin[first:last] if o is not None]
            where = (min(o[0] for o in origins), max(o[1] for o in origins)) if origins else (0, 0)
            refused.append(Refusal(where[0], where[1], word))
        line.text = "".join(chars)
    return refused


def rust_string(text: str) -> str:
    """``text`` as a Rust string literal."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() or char == " ":
            out.append(char)
        else:
            out.append("\\u{%x}" % ord(char))
    out.append('"')
    return "".join(out)


def generate_block(resolved: ResolvedBlock, substituter: Substituter, block_id: str, intel_capable: bool,
                   frame: Framing, line_comments: tuple[str, ...]) -> GeneratedBlock | None:
    """One block as assembly lines with the framing of the target's object format (``framing.py``): its own section
    (ELF) for ``asm!`` and ``global_asm!``, rustc's naked function shape for ``naked_asm!``, labels for ``label``
    operands, and ``.cfi_startproc``/``.cfi_endproc`` around ``asm!`` blocks that use CFI directives (inside
    rustc's function they are in its frame; a naked function and module assembly have none)."""
    if not substituter.ok:
        return None
    found = template_chars(resolved, substituter,
                           drop_dollars=resolved.block.kind == "asm" and intel_capable and not substituter.att)
    if found is None:
        return None
    text, origin, stand_ins = found
    lines = split_lines(text, origin, stand_ins)
    refused = refuse(lines, line_comments)
    begin, end = frame.block(block_id, naked=resolved.block.kind == "naked_asm")
    prefix = list(begin)
    suffix = [f"{label}:" for label in substituter.labels()]
    if resolved.block.kind == "asm" and frame.cfi_frames and ".cfi_" in text:
        prefix.append(".cfi_startproc")
        suffix.append(".cfi_endproc")
    suffix += end
    pieces = resolved.block.templates
    return GeneratedBlock(resolved, block_id, lines, prefix=prefix, suffix=suffix, att=substituter.att,
                          intel=intel_capable and not substituter.att, refused=refused,
                          range=(pieces[0].start, pieces[-1].end) if pieces else (resolved.block.start, resolved.block.end))


PRELUDE = """#![no_core]
#![feature(no_core, rustc_attrs, decl_macro, asm_experimental_arch)]
#![allow(internal_features, unused, bad_asm_style)]
#[rustc_builtin_macro]
macro global_asm("assembly template", $(operands,)* $(options($(option),*))?) {}
"""


def generate_crate(blocks: list[GeneratedBlock]) -> str:
    """The crate: ONE ``global_asm!`` (rustc orders separate items as it likes) holding every block, one string
    argument per line, passed unchanged (``raw``); each block sets its own syntax on x86."""
    out = [PRELUDE, "global_asm!(\n"]
    for block in blocks:
        out.append(f"    // block {block.block_id}\n")
        out += [f"    {rust_string(text)},\n" for _, text in block.all_lines()]
    out.append("    options(raw)\n);\n")
    return "".join(out)


def module_lines(blocks: list[GeneratedBlock], x86: bool) -> list[tuple[int | None, int | None, str]]:
    """The module-level assembly LLVM sees, line by line: (block position in ``blocks`` or None, line index or None,
    text).  On x86 rustc puts the whole text between ``.intel_syntax`` and ``.att_syntax``."""
    out: list[tuple[int | None, int | None, str]] = [(None, None, ".intel_syntax")] if x86 else []
    for position, block in enumerate(blocks):
        out += [(position, index, text) for index, text in block.all_lines()]
    if x86:
        out.append((None, None, ".att_syntax"))
    return out


def without_labels(text: str, first: int, last: int) -> tuple[int, int]:
    """A statement without the labels in front of it (``1: add ...``)."""
    body = text[first:last]
    while True:
        head, colon, rest = body.partition(":")
        if not colon or not head.strip() or any(c.isspace() or c in "[](),#" for c in head.strip()):
            return first, last
        skipped = len(head) + 1 + (len(rest) - len(rest.lstrip()))
        first += skipped
        body = body[skipped:]
        if not body:
            return first, last


def reframe(block: GeneratedBlock, old: Framing, new: Framing) -> GeneratedBlock:
    """``block`` (generated with ``old``'s framing) with ``new``'s: the same template lines in another object
    format's directives (and CFI frame, where the formats differ on it)."""
    naked = block.resolved.block.kind == "naked_asm"
    old_begin, old_end = old.block(block.block_id, naked)
    new_begin, new_end = new.block(block.block_id, naked)
    prefix = [line for line in block.prefix[len(old_begin):] if line != ".cfi_startproc"]
    suffix = [line for line in block.suffix[:len(block.suffix) - len(old_end)] if line != ".cfi_endproc"]
    if block.resolved.block.kind == "asm" and new.cfi_frames and any(".cfi_" in line.text for line in block.lines):
        prefix.append(".cfi_startproc")
        suffix.append(".cfi_endproc")
    return replace(block, prefix=new_begin + prefix, suffix=suffix + new_end)
