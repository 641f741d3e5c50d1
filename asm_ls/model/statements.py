"""A block's template as assembly text: the template strings joined by newlines (as rustc
joins them), split into statements, each statement's characters mapped to their source bytes.

Placeholders stay in the text as written (``{0}``, ``{x:e}``); comments (``/* */`` and
``//``, plus the architecture's own line-comment characters) are blanked out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asm_ls.model.block import AsmBlock


@dataclass
class Statement:
    text: str                   # the statement with comments removed, stripped
    origin: list[tuple[int, int]]   # per character of `text`: its source byte range

    def span(self, first: int = 0, last: int | None = None) -> tuple[int, int]:
        last = len(self.text) if last is None else last
        if not self.origin:
            return 0, 0
        first = max(0, min(first, len(self.origin) - 1))
        last = max(first + 1, min(last, len(self.origin)))
        return self.origin[first][0], self.origin[last - 1][1]

    @property
    def first_word(self) -> str:
        return self.text.split(None, 1)[0] if self.text else ""


def block_statements(block: AsmBlock, line_comments: tuple[str, ...] = ()) -> list[Statement] | None:
    """The statements of a block's templates; None when some template text is unknown."""
    if block.unknown_template or any(piece.decoded is None for piece in block.templates):
        return None
    values: list[str] = []
    origin: list[tuple[int, int]] = []      # for each character of the text, the bytes it comes from
    for index, piece in enumerate(block.templates):
        if index:
            origin.append((piece.start, piece.start))       # the line break between two templates
        decoded = piece.decoded
        values.append(decoded.value)
        length = len(decoded.value)
        if piece.form == "string":
            origin.extend(zip(decoded.starts[:length], decoded.ends[:length]))
        else:
            origin.extend([(piece.start, piece.end)] * length)
    text = _blank_comments("\n".join(values), line_comments)
    return _split(text, origin)


def comment_end(text: str, index: int, line_comments: tuple[str, ...]) -> int | None:
    """Where the comment that starts at ``index`` ends: after its ``*/`` for ``/* */`` (the end
    of the text when unclosed), at the end of the line for ``//`` and the architecture's
    line-comment markers; None when no comment starts there."""
    if text.startswith("/*", index):
        end = text.find("*/", index + 2)
        return len(text) if end < 0 else end + 2
    if text.startswith("//", index) or any(text.startswith(marker, index) for marker in line_comments):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    return None


def _blank_comments(text: str, line_comments: tuple[str, ...]) -> str:
    if "" in line_comments:
        starters = None             # every position starts a comment: look at each
    else:
        starters = {"/"} | {marker[0] for marker in line_comments}
    out = list(text)
    index = 0
    while index < len(text):
        if starters is not None:
            # Only a starter character can begin a comment: jump to the next one.
            found = [position for position in (text.find(char, index) for char in starters) if position >= 0]
            if not found:
                break
            index = min(found)
        end = comment_end(text, index, line_comments)
        if end is None:
            index += 1
            continue
        for position in range(index, end):
            if out[position] != "\n":
                out[position] = " "
        index = end
    return "".join(out)


def _split(text: str, origin: list[tuple[int, int]]) -> list[Statement]:
    statements: list[Statement] = []
    start = 0
    for index in [match.start() for match in _SEPARATOR.finditer(text)] + [len(text)]:
        raw = text[start:index]
        body = raw.strip()
        if body:
            first = start + len(raw) - len(raw.lstrip())
            statements.append(Statement(body, origin[first:first + len(body)]))
        start = index + 1
    return statements


_SEPARATOR = re.compile(r"[\n;]")


_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")


def split_label(statement: Statement) -> tuple[str | None, Statement]:
    """``name: rest`` -> ("name", rest); labels are identifiers, ``.L`` names or numbers, and may be built from
    placeholders (``.Lloop_{}:``, ``{0}:``: the operand's text becomes part of the name)."""
    text = statement.text
    colon = text.find(":")
    if colon > 0:
        name = text[:colon].strip()
        spelled = _PLACEHOLDER.sub("", name)
        if name and all(char.isalnum() or char in "._$" for char in spelled):
            rest = text[colon + 1:]
            offset = colon + 1 + (len(rest) - len(rest.lstrip()))
            return name, Statement(rest.strip(), statement.origin[offset:offset + len(rest.strip())])
    return None, statement
