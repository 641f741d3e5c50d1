"""Parses template strings into literal text and ``{...}`` placeholders, as rustc's format-string
parser does in inline-assembly mode: ``{}``, ``{0}``, ``{name}``, ``{name:m}``, ``{{`` and ``}}``.

Errors carry rustc's wording and point at the same characters; only the first error of a
template string is reported, and it ends the expansion of the block, as in rustc.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.block import Placeholder, TemplatePiece


@dataclass
class ParsedTemplate:
    placeholders: list[Placeholder] = field(default_factory=list)
    error: Diagnostic | None = None
    next_implicit: int = 0


def _is_id_start(char: str) -> bool:
    return char == "_" or char.isalpha() or unicodedata.category(char) in ("Nl",)


def _is_id_continue(char: str) -> bool:
    return char == "_" or char.isalnum() or unicodedata.category(char) in ("Mn", "Mc", "Nd", "Pc", "Nl")


def parse_template(piece: TemplatePiece, piece_index: int, first_implicit: int) -> ParsedTemplate:
    decoded = piece.decoded
    assert decoded is not None
    text = decoded.value
    result = ParsedTemplate(next_implicit=first_implicit)
    # Spans inside macro-produced templates: rustc points at the whole template expression.
    exact = piece.form == "string"

    def span(first: int, last: int) -> tuple[int, int]:
        if not exact:
            return piece.start, piece.end
        if first == last:
            offset = decoded.offset(first)
            return offset, offset
        return decoded.span(first, last)

    def error(message: str, first: int, last: int) -> None:
        start, end = span(first, last)
        result.error = Diagnostic("invalid-template", f"invalid asm template string: {message}", start, end)

    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "}":
            if index + 1 < length and text[index + 1] == "}":
                index += 2
                continue
            error("unmatched `}` found", index, index + 1)
            return result
        if char != "{":
            # Plain text up to the next brace.
            found = [position for position in (text.find("{", index), text.find("}", index)) if position >= 0]
            index = min(found) if found else length
            continue
        if index + 1 < length and text[index + 1] == "{":
            index += 2
            continue
        open_index = index
        index += 1
        # position: integer, word, or nothing
        position_start = index
        number = None
        name = None
        while index < length and text[index].isdigit() and text[index].isascii():
            index += 1
        if index > position_start:
            digits = text[position_start:index]
            if int(digits) > 0xFFFF:
                # rustc's span for this error runs one character past the digits.
                error(f"integer `{digits}` does not fit into the type `u16` whose range is `0..=65535`",
                      position_start, min(index + 1, length))
                return result
            number = int(digits)
        elif index < length and _is_id_start(text[index]):
            while index < length and _is_id_continue(text[index]):
                index += 1
            name = text[position_start:index]
            if name == "r" and index + 1 < length and text[index] == "#" and _is_id_start(text[index + 1]):
                end = index + 1
                while end < length and _is_id_continue(text[end]):
                    end += 1
                error("raw identifiers are not supported", position_start, end)
                return result
            if name == "_":
                error("invalid argument name `_`", position_start, index)
                return result
        while index < length and text[index].isspace():
            index += 1
        position_end = index      # rustc's name span includes the whitespace after the name
        modifier = None
        modifier_span = (0, 0)
        if index < length and text[index] == ":":
            index += 1
            modifier_start = index
            if index < length and _is_id_start(text[index]):
                while index < length and _is_id_continue(text[index]):
                    index += 1
            if index > modifier_start:
                modifier = text[modifier_start:index]
                if modifier == "_":
                    error("invalid argument name `_`", modifier_start, index)
                    return result
                modifier_span = span(modifier_start, index)
        while index < length and text[index].isspace():
            index += 1
        if index >= length:
            error("expected `}` but string was terminated", length, length)
            return result
        if text[index] != "}":
            _missing_brace(text, index, name, position_start, error)
            return result
        index += 1
        implicit = number is None and name is None
        if implicit:
            number = result.next_implicit
            result.next_implicit += 1
        start, end = span(open_index, index)
        name_start, name_end = span(position_start, position_end) if position_end > position_start else (start, end)
        result.placeholders.append(Placeholder(
            piece_index, open_index, index, start, end, None, name=name, index=number, implicit=implicit,
            modifier=modifier, modifier_start=modifier_span[0], modifier_end=modifier_span[1],
            name_start=name_start, name_end=name_end))
    return result


def _missing_brace(text: str, index: int, name: str | None, name_start: int, error) -> None:
    """The error rustc reports when a placeholder does not close where expected: a specific
    one for the usual mistakes (``{:?}``, alignment, Python syntax, field access), else the
    generic zero-width "expected `}`"."""
    char = text[index]
    following = text[index + 1] if index + 1 < len(text) else ""
    if char == "?" and following == "}":
        error("expected `}`, found `?`", index, index + 1)
    elif char == "?":
        error("expected format parameter to occur after `:`", index, index + 1)
    elif char in "<^>":
        error("expected alignment specifier after `:` in format string; example: `{:>?}`", index, index + 1)
    elif char == ",":
        error("python's numeric grouping `,` is not supported in rust format strings", index, index + 1)
    elif char == "=" and following == "}":
        error("python's f-string debug `=` is not supported in rust, use `dbg(x)` instead", index, index + 1)
    elif char == "." and name is not None and following and (following.isdigit() or _is_id_start(following)):
        end = index + 1
        while end < len(text) and _is_id_continue(text[end]):
            end += 1
        kind = "tuple index access" if following.isdigit() else "field access"
        error(f"{kind} isn't supported", name_start, end)
    else:
        found = char.encode("unicode_escape").decode("ascii") if not char.isprintable() else char
        error(f"expected `}}`, found `{found}`", index, index)
