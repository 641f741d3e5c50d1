"""Semantic tokens for template text: instructions (the first word of a statement), registers
(names in the architecture data), placeholders, labels, directives, comments and numbers.

The templates of a block are read as rustc joins them (one line per template string); every
character keeps the source bytes it was decoded from, so a token is exactly the bytes that spell
it: escapes count as one character, a line continuation splits a token, and text that comes from
``concat!`` or another macro gets no tokens.  Tokens are byte ranges on one source line each, in
file order, never overlapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asm_ls.model.arch import arch_data
from asm_ls.model.block import Placeholder
from asm_ls.model.build import FileModel, ResolvedBlock
from asm_ls.model.statements import comment_end
from asm_ls.syntax.source import SourceFile
from asm_ls.ide.legend import (COMMENT, DECLARATION, DIRECTIVE, INSTRUCTION, LABEL, NUMBER, PLACEHOLDER,  # noqa: F401
                               REGISTER, TOKEN_MODIFIERS, TOKEN_TYPES)


@dataclass(frozen=True, order=True)
class SemanticToken:
    start: int
    end: int
    type: str
    modifiers: tuple[str, ...] = ()


_WORD_CHARS = re.compile(r"[A-Za-z0-9_.$]+")
_NUMBER = re.compile(r"[$#]?[-+]?(0[xX][0-9A-Fa-f_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9]+)?([eE][-+]?[0-9]+)?[hH]?)")
_LOCAL_LABEL_REF = re.compile(r"[0-9]+[fb]")


def semantic_tokens(model: FileModel) -> list[SemanticToken]:
    found: list[SemanticToken] = []
    for resolved in model.blocks:
        found.extend(_block_tokens(model.source, resolved))
    found.sort(key=lambda token: (token.start, token.end))
    out: list[SemanticToken] = []
    for token in found:
        if out and token.start < out[-1].end:
            continue      # another resolution of the same call already covers these bytes
        out.append(token)
    return out


@dataclass
class _Text:
    chars: str
    origin: list[tuple[int, int] | None]    # None: a joining newline or macro-produced text
    placeholders: dict[int, Placeholder]    # char index of `{` -> placeholder


def _joined(resolved: ResolvedBlock) -> _Text:
    block = resolved.block
    by_start = {(p.piece, p.first): p for p in block.placeholders}
    chars: list[str] = []
    origin: list[tuple[int, int] | None] = []
    placeholders: dict[int, Placeholder] = {}
    for index, piece in enumerate(block.templates):
        if index:
            chars.append("\n")
            origin.append(None)
        decoded = piece.decoded
        if decoded is None:
            chars.append("\n")       # unknown text: at least it ends the statement before it
            origin.append(None)
            continue
        exact = piece.form == "string"
        for position, char in enumerate(decoded.value):
            placeholder = by_start.get((index, position))
            if placeholder is not None:
                placeholders[len(chars)] = placeholder
            chars.append(char)
            origin.append((decoded.starts[position], decoded.ends[position]) if exact else None)
    return _Text("".join(chars), origin, placeholders)


def _arch_facts(resolved: ResolvedBlock) -> tuple[set[str], tuple[str, ...], set[str]]:
    """Register names, line-comment markers and instruction prefixes of the block's architecture."""
    data = arch_data(resolved.arch) if resolved.arch else None
    if data is None:
        return set(), (), set()
    registers = {alias for alias in data.aliases if not alias.isdigit()}
    for entry in data.data.get("reserved", []):
        registers.update(name for name in entry["names"] if not name.isdigit())
    lowered = {name.lower() for name in registers}
    return registers | lowered, tuple(data.data.get("line_comments", ())), \
        set(data.data.get("instruction_prefixes", ()))


def _block_tokens(source: SourceFile, resolved: ResolvedBlock) -> list[SemanticToken]:
    text, spans = lexed(resolved)
    out: list[SemanticToken] = []
    for first, last, kind, modifiers in spans:
        for start, end in _byte_runs(source, text.origin, first, last):
            out.append(SemanticToken(start, end, kind, modifiers))
    return out


WORD = "word"       # an operand word that is no register, label or number (only with ``words``)


def lexed(resolved: ResolvedBlock, words: bool = False) -> tuple[_Text, list[tuple[int, int, str, tuple[str, ...]]]]:
    """The block's joined template text and its tokens as character ranges of it; ``words``:
    also the operand words no other kind claims (a symbol defined elsewhere)."""
    text = _joined(resolved)
    registers, line_comments, prefixes = _arch_facts(resolved)
    return text, _lex(text, registers, line_comments, prefixes, words)


def _lex(text: _Text, registers: set[str], line_comments: tuple[str, ...],
         prefixes: set[str], words: bool = False) -> list[tuple[int, int, str, tuple[str, ...]]]:
    chars = text.chars
    length = len(chars)
    separators = "\n" if ";" in line_comments else "\n;"
    labels = _defined_labels(chars, line_comments, separators)
    spans: list[tuple[int, int, str, tuple[str, ...]]] = []
    at_start = True
    index = 0
    while index < length:
        char = chars[index]
        if char in separators:
            at_start = True
            index += 1
            continue
        if char.isspace():
            index += 1
            continue
        end = comment_end(chars, index, line_comments)
        if end is not None:
            spans.append((index, end, COMMENT, ()))
            index = end
            continue
        placeholder = text.placeholders.get(index)
        if placeholder is not None:
            end = index + placeholder.last - placeholder.first
            spans.append((index, end, PLACEHOLDER, ()))
            index = end
            at_start = False
            continue
        if char == '"':
            index = _skip_string(chars, index)
            continue
        word_match = _WORD_CHARS.match(chars, index)
        if word_match is None:
            if char == "%" and index + 1 < length:
                word = _WORD_CHARS.match(chars, index + 1)
                if word is not None and not at_start and word.group(0).lower() in registers:
                    spans.append((index, word.end(), REGISTER, ()))
                    index = word.end()
                    continue
            index += 1
            continue
        word = word_match.group(0)
        end = word_match.end()
        if at_start:
            after = end
            while after < length and chars[after] in " \t":
                after += 1
            if after < length and chars[after] == ":" and not chars.startswith("::", after):
                spans.append((index, end, LABEL, (DECLARATION,)))
                index = after + 1
                continue
            spans.append((index, end, DIRECTIVE if word.startswith(".") else INSTRUCTION, ()))
            at_start = word.lower() in prefixes
            index = end
            continue
        kind = _operand_kind(word, registers, labels) or (WORD if words else None)
        if kind is not None:
            spans.append((index, end, kind, ()))
        index = end
    return spans


def _operand_kind(word: str, registers: set[str], labels: set[str]) -> str | None:
    if word in registers or word.lower() in registers:
        return REGISTER
    if _LOCAL_LABEL_REF.fullmatch(word) or word in labels:
        return LABEL
    if _NUMBER.fullmatch(word):
        return NUMBER
    return None


def _defined_labels(chars: str, line_comments: tuple[str, ...], separators: str) -> set[str]:
    """Names defined as ``name:`` at the start of a statement (a rough first pass)."""
    labels = set()
    for line in re.split("[" + re.escape(separators) + "]", chars):
        match = re.match(r"\s*([A-Za-z0-9_.$]+)\s*:(?!:)", line)
        if match and not any(match.group(1).startswith(m) for m in line_comments):
            labels.add(match.group(1))
    return labels


def _skip_string(chars: str, index: int) -> int:
    index += 1
    while index < len(chars) and chars[index] not in '"\n':
        index += 2 if chars[index] == "\\" else 1
    return min(index + 1, len(chars))


def _byte_runs(source: SourceFile, origin: list[tuple[int, int] | None], first: int, last: int) -> list[tuple[int, int]]:
    """The source bytes of characters ``first:last``: contiguous runs, one per source line."""
    runs: list[tuple[int, int]] = []
    current: list[int] | None = None
    for index in range(first, min(last, len(origin))):
        span = origin[index]
        if span is None:
            current = None
            continue
        if current is not None and span[0] == current[1]:
            current[1] = span[1]
        else:
            current = [span[0], span[1]]
            runs.append(current)          # type: ignore[arg-type]
    out: list[tuple[int, int]] = []
    for start, end in runs:
        line = source.line_of(start)
        while True:
            line_start, line_end = source.line_span(line)
            piece_end = min(end, line_end)
            if piece_end > start:
                out.append((start, piece_end))
            if end <= line_end or line + 1 >= source.line_count:
                break
            line += 1
            start = source.line_span(line)[0]
            if start >= end:
                break
    return out
