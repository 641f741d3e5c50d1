"""Inline suppression: ``// asm-ls: allow(code, ...)`` comments.

A comment after code on a line allows the codes for diagnostics that start on that line.  A
comment on a line of its own (with, below it, only other comment or attribute lines) allows
them for the code that starts on the next line: the whole of an ``asm!``, ``global_asm!`` or
``naked_asm!`` call that starts there, otherwise that line.

Reported here: ``invalid-suppression`` for a comment that does not follow the grammar or names
an unknown code, ``unused-suppression`` for an allowed code that suppressed nothing.  Whether a
code is judged unused is the caller's decision (a code whose diagnostics come from a later pass
is judged after that pass)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import tree_sitter

from asm_ls.diagnostics.codes import registry
from asm_ls.diagnostics.diagnostic import Diagnostic

MARKER = b"asm-ls:"
# the groups of codes reported from the assembled machine code (asm_ls/machine), after the front end
MACHINE_GROUPS = frozenset({"assembler", "contract"})
CONTRACT_GROUP = "contract"
_ALLOW = re.compile(rb"[ \t]*allow[ \t]*\(([^()\n]*)\)[ \t]*")
_CODE = re.compile(rb"[^\s,]+")
_OWN_LINE = re.compile(rb"[ \t]*(//|#!?\[)")      # a comment or attribute line above the code


@dataclass(frozen=True)
class Allowance:
    """One allowed code: where it is written, and the bytes whose diagnostics it covers
    (those starting in ``scope``)."""

    code: str
    start: int
    end: int
    scope: tuple[int, int]


@dataclass
class Suppressions:
    allowances: list[Allowance] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)     # invalid-suppression

    def apply(self, diagnostics: Iterable[Diagnostic],
              judged: Callable[[Allowance], bool]) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """The diagnostics no allowance covers, and an ``unused-suppression`` for every
        ``judged`` allowance that covered none of ``diagnostics``."""
        kept: list[Diagnostic] = []
        used: set[Allowance] = set()
        for diagnostic in diagnostics:
            covering = [allowance for allowance in self.allowances if allowance.code == diagnostic.code
                        and allowance.scope[0] <= diagnostic.start < allowance.scope[1]]
            used.update(covering)
            if not covering:
                kept.append(diagnostic)
        unused = [Diagnostic("unused-suppression", f"unused suppression: nothing here is reported as `{a.code}`",
                             a.start, a.end)
                  for a in self.allowances if a not in used and judged(a)]
        return kept, unused


def covers_any(allowance: Allowance, diagnostics: Iterable[Diagnostic]) -> bool:
    return any(allowance.scope[0] <= diagnostic.start < allowance.scope[1] for diagnostic in diagnostics)


def needs_machine_code(code: str) -> bool:
    """Whether the code comes from the analysis of assembled code (none where assembly failed)."""
    entry = registry().get(code)
    return entry is not None and entry.group == CONTRACT_GROUP


def is_machine_code(code: str) -> bool:
    """Whether the code is reported from the assembled machine code, after the front end."""
    entry = registry().get(code)
    return entry is not None and entry.group in MACHINE_GROUPS


def find_suppressions(data: bytes, tree: tree_sitter.Tree, call_spans: list[tuple[int, int]]) -> Suppressions:
    """The suppression comments of a file; ``call_spans``: its inline-assembly calls."""
    found = Suppressions()
    position = data.find(MARKER)
    while position != -1:
        comment = _comment_at(tree, position)
        if comment is not None:
            _read_comment(data, comment, position + len(MARKER), call_spans, found)
        position = data.find(MARKER, position + 1)
    return found


def _comment_at(tree: tree_sitter.Tree, offset: int) -> tuple[int, int] | None:
    """The ``//`` comment holding ``offset`` with nothing but blanks between ``//`` and it."""
    node = tree.root_node.descendant_for_byte_range(offset, offset + len(MARKER))
    while node is not None and node.type != "line_comment":
        node = node.parent if node.type in ("//", "doc_comment") else None
    if node is None:
        return None
    text = node.text or b""
    if text[2:3] in (b"/", b"!") or text[2:].lstrip(b" \t")[:len(MARKER)] != MARKER:
        return None
    return node.start_byte, node.end_byte


def _read_comment(data: bytes, comment: tuple[int, int], after: int, call_spans: list[tuple[int, int]],
                  found: Suppressions) -> None:
    end = comment[1]
    while end > after and data[end - 1:end] in (b"\n", b"\r"):
        end -= 1
    match = _ALLOW.fullmatch(data, after, end)
    if match is None or not _CODE.search(match.group(1)):
        found.problems.append(Diagnostic(
            "invalid-suppression", "expected `allow(code, ...)` after `asm-ls:`", comment[0], end))
        return
    scope = _scope(data, comment[0], call_spans)
    known = registry()
    for code_match in _CODE.finditer(data, match.start(1), match.end(1)):
        code = code_match.group().decode("utf-8", "replace")
        if code in known:
            found.allowances.append(Allowance(code, code_match.start(), code_match.end(), scope))
        else:
            found.problems.append(Diagnostic("invalid-suppression", f"unknown diagnostic code `{code}`",
                                             code_match.start(), code_match.end()))


def _scope(data: bytes, comment_start: int, call_spans: list[tuple[int, int]]) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, comment_start) + 1
    if data[line_start:comment_start].strip():
        return line_start, _line_end(data, line_start)          # a trailing comment: its line
    line = _line_end(data, line_start) + 1
    while line < len(data) and _OWN_LINE.match(data, line):
        line = _line_end(data, line) + 1
    for start, end in call_spans:
        if line <= start < _line_end(data, line):
            return start, end
    return line, _line_end(data, line)


def _line_end(data: bytes, start: int) -> int:
    end = data.find(b"\n", start)
    return len(data) if end == -1 else end
