"""rustc's label lints on template text: ``named_asm_labels`` (a label with a name, which LLVM
may duplicate when it duplicates the block) and ``binary_asm_labels`` (a label made only of the
digits 0 and 1, which LLVM's x86 Intel-syntax parser confuses with a binary literal in ``0b``).

rustc's rules, mirrored here:

- Each template argument is scanned on its own, as its decoded text (placeholders are not
  substituted).  The text is split into statements at every newline and ``;``; in each
  statement everything from the first ``//`` is dropped.
- A statement begins with zero or more labels: each ``:`` ends a candidate, the text since the
  previous label (trimmed).  A candidate is a label when it starts with an ASCII letter, ``.``
  or ``_`` and continues with ASCII letters, digits, ``_`` or ``$`` (named), or starts with
  ``0``/``1`` and continues with ``0``/``1`` (binary).  Without ``options(raw)`` a ``{...}``
  placeholder may stand anywhere in it (and makes it a named label).  The first candidate that
  is not a label ends the statement's labels.
- The diagnostic's span is found by searching the template expression's *source text* for the
  label's text: from the first occurrence up to the next ``:`` after it (so an earlier mention
  of the same name, or text spelt with escapes, moves or widens it; not found: the whole
  template expression).
- ``global_asm!`` is never linted; ``naked_asm!`` only in generic functions (which the model
  cannot tell, so it is not linted here); binary labels only on the architectures below and
  without ``options(att_syntax)``.
"""

from __future__ import annotations

import re

from asm_ls.diagnostics import Diagnostic, fix
from asm_ls.model.arch import arch_data
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.cfg_eval import evaluate_all
from asm_ls.model.target import Target
from asm_ls.syntax.tokens import GROUP, Token

NAMED_MESSAGE = "avoid using named labels in inline assembly"
BINARY_MESSAGE = "avoid using labels containing only the digits `0` and `1` in inline assembly"

# rustc hard-codes these per architecture (by its InlineAsmArch, i.e. the `name` of our arch
# data files) in the lint itself rather than in its target description:
# - binary labels are linted only for x86 / x86_64 (an LLVM x86 Intel-syntax parser bug);
_BINARY_LABEL_FAMILIES = frozenset({"x86"})
# - `r1:0`-style register pairs are not labels on Hexagon.
_REGISTER_PAIR_FAMILIES = frozenset({"hexagon"})

# Rust's `char::is_whitespace` (Unicode White_Space), which `str::trim` uses; Python's
# `str.isspace` also counts U+001C..U+001F.
_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

NAMED, FORMAT_ARG, BINARY = "named", "format_arg", "binary"


def check_labels(resolved: ResolvedBlock, target: Target) -> list[Diagnostic]:
    block = resolved.block
    if block.kind != "asm":
        # global_asm! is not an expression; naked_asm! is exempt unless its function is generic.
        return []
    data = arch_data(target.arch)
    family = data.data.get("name") if data is not None else None
    options = block.option_names
    # A metavariable standing for whole arguments (or an undecidable cfg) may hide or add
    # `options(raw)` / `options(att_syntax)`: keep only what holds either way.
    raw_choices = (False, True) if block.unknown_args else (("raw" in options),)
    binary_linted = family in _BINARY_LABEL_FAMILIES and "att_syntax" not in options and not block.unknown_args
    register_pairs = family in _REGISTER_PAIR_FAMILIES
    template_args = [arg for arg in resolved.args if arg.kind == "template"]
    out: list[Diagnostic] = []
    for index, piece in enumerate(block.templates):
        if piece.decoded is None:
            continue
        cfgs = template_args[index].cfgs if index < len(template_args) else []
        if cfgs and (resolved.arch is None or evaluate_all(cfgs, resolved.arch, resolved.target) is not True):
            continue
        found = [set(find_labels(piece.decoded.value, raw, register_pairs)) for raw in raw_choices]
        certain = set.intersection(*found)
        snippet = _snippet(block.call.args, piece.start, piece.end)
        seen: set[tuple[str, int, int]] = set()
        for label, kind in find_labels(piece.decoded.value, raw_choices[0], register_pairs):
            if (label, kind) not in certain:
                continue
            if kind == BINARY and not binary_linted:
                continue
            start, end = _label_span(snippet, label, piece.start, piece.end)
            code, message = ("binary-asm-labels", BINARY_MESSAGE) if kind == BINARY \
                else ("named-asm-labels", NAMED_MESSAGE)
            if (code, start, end) in seen:
                continue
            seen.add((code, start, end))
            out.append(Diagnostic(code, message, start, end, data={"label": label},
                                  fix=fix.RenameLabel(label) if kind != BINARY else None))
    return out


def find_labels(text: str, raw: bool = False, register_pairs: bool = False) -> list[tuple[str, str]]:
    """The labels rustc's lint finds in one template's text: (label text, kind) in order."""
    labels: list[tuple[str, str]] = []
    for statement in _split_statements(text):
        comment = statement.find("//")
        if comment >= 0:
            statement = statement[:comment]
        start_idx = 0
        for idx in _colons(statement):
            candidate = statement[start_idx:idx].strip(_WHITESPACE)
            kind = _label_kind(candidate, raw)
            if kind is None:
                break
            if register_pairs and _is_register_pair(candidate, statement, idx):
                break
            labels.append((candidate, kind))
            start_idx = idx + 1
    return labels


def _split_statements(text: str) -> list[str]:
    return re.split(r"[\n;]", text)


def _colons(statement: str) -> list[int]:
    """The indexes of the colons in ``statement``."""
    found: list[int] = []
    index = statement.find(":")
    while index >= 0:
        found.append(index)
        index = statement.find(":", index + 1)
    return found


def _is_ascii_alpha(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _label_kind(candidate: str, raw: bool) -> str | None:
    if not candidate:
        return None
    first = candidate[0]
    in_bracket = False
    if not raw and first == "{":
        in_bracket, kind = True, FORMAT_ARG
    elif first in "01":
        kind = BINARY
    elif _is_ascii_alpha(first) or first in "._":
        kind = NAMED
    else:
        return None
    for char in candidate[1:]:
        if not raw and in_bracket:
            if char == "{":
                return None
            if char == "}":
                in_bracket = False
        elif not raw and char == "{":
            in_bracket, kind = True, FORMAT_ARG
        elif kind == BINARY:
            if char not in "01":
                return None
        elif not (_is_ascii_alnum(char) or char in "_$"):
            return None
    return kind


def _is_register_pair(candidate: str, statement: str, colon: int) -> bool:
    """Hexagon's `r1:0` / `V5:4.w` register pairs: a letter and digits, `:`, digits."""
    after = ""
    for char in statement[colon + 1:]:
        if not (_is_ascii_alnum(char) or char == "."):
            break
        after += char
    if len(candidate) < 2 or not after or not _is_ascii_alpha(candidate[0]):
        return False
    if not all(char.isascii() and char.isdigit() for char in candidate[1:]):
        return False
    return after[0].isascii() and after[0].isdigit()


def _label_span(snippet: bytes, label: str, start: int, end: int) -> tuple[int, int]:
    needle = label.encode("utf-8")
    position = snippet.find(needle)
    if position < 0:
        return start, end
    colon = snippet.find(b":", position)
    stop = colon if colon >= 0 else len(snippet) - 1
    return start + position, start + stop


def _snippet(args: Token, start: int, end: int) -> bytes:
    """The source text of ``start..end`` rebuilt from the call's tokens: exact for a string
    literal; inside a macro call the text between tokens (spaces, comments) becomes spaces."""
    text = bytearray(b" " * (end - start))

    def place(offset: int, data: bytes) -> None:
        if start <= offset and offset + len(data) <= end:
            text[offset - start:offset - start + len(data)] = data

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.end <= start or token.start >= end:
                continue
            if token.kind == GROUP:
                if token.delimiter:
                    place(token.start, token.delimiter.encode())
                    if token.closed:
                        place(token.end - 1, {"(": b")", "[": b"]", "{": b"}"}[token.delimiter])
                walk(token.children)
            else:
                place(token.start, token.text.encode("utf-8"))

    walk(args.children)
    return bytes(text)
