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
            index += 1
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
                error(f"integer `{digits}` does not fit into the type `u16` whose range is `0..=65535`",
                      position_start, index)
                return result
            number = int(digits)
        elif index < length and _is_id_start(text[index]):
            while index < length and _is_id_continue(text[index]):
                index += 1
            name = text[position_start:index]
            if name == "_":
                error("invalid argument name `_`", position_start, index)
                return result
        position_end = index
        while index < length and text[index].isspace():
            index += 1
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
            found = text[index].encode("unicode_escape").decode("ascii") if not text[index].isprintable() \
                else text[index]
            error(f"expected `}}`, found `{found}`", index, index)
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
