"""The formatted text of one block's template strings (pure; whether a format is applied is
``formatting.py``'s decision, after the assembler compared the bytes).

Rules: one template line per string literal (a literal whose text holds line breaks becomes one literal
per non-blank line, each on its own source line, indented like the block's first literal); every line starts
at the literal's first column (labels, directives and instructions alike); one space after each label,
after the mnemonic and after each top-level comma, none before it.  Only the template characters change:
each kept character is copied from its own source bytes (escapes, raw strings and their hashes stay as
written), so the Rust around the strings is untouched.  Comments, quoted assembler strings, placeholders and
bracketed operands are kept as written; a piece that is not a plain string literal (``concat!``, a macro, a
metavariable, one with a ``#[cfg]``) is left alone, and a block with text the model does not know is left
as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from asm_ls.model.block import AsmBlock, TemplatePiece

# What a formatted line is made of: a range of the decoded template (kept, copied from its source) or a
# string put in (a single space).
Segment = tuple[int, int] | str

_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$")
_OPEN, _CLOSE = "([", ")]"


@dataclass(frozen=True)
class Edit:
    """Replace source bytes ``start``..``end`` by ``text``."""

    start: int
    end: int
    text: str


@dataclass
class _Scan:
    """What a line's scan carries to the next one: inside an unclosed ``/* */`` comment."""

    in_comment: bool = False


def template_edits(pieces: list[TemplatePiece], data: bytes, line_comments: tuple[str, ...], raw: bool,
                   fixed: frozenset[tuple[int, int]] = frozenset()) -> list[Edit] | str:
    """The edits that format ``pieces`` (one block's template arguments in source order), or why the block
    cannot be formatted when some piece would change.  ``raw``: ``options(raw)`` (braces are not placeholders);
    ``fixed``: the source ranges of pieces that are left as written (those with attributes: a ``#[cfg]`` on a
    literal would not follow its lines into new literals)."""
    newline = "\r\n" if b"\r\n" in data else "\n"
    scan = _Scan()
    indent = _indent(data, pieces[0].start) if pieces else ""
    edits: list[Edit] = []
    unknown = None
    for piece in pieces:
        if piece.decoded is None or piece.decoded.errors:
            unknown = "some template text is not known here (a macro argument or another macro's output)" \
                if piece.decoded is None else "a template string has an escape that does not decode"
            scan = _Scan()          # what follows it is taken as outside a comment
            continue
        text = piece.decoded.value
        lines = _lines(text)
        formatted = [_format_line(text, first, last, line_comments, raw, scan) for first, last in lines]
        if piece.form != "string" or piece.cfgs or (piece.start, piece.end) in fixed:
            continue        # left alone; its text still says where comments are
        if not _placeholders_closed(text, lines, raw):
            unknown = "a placeholder spans two lines"
            continue
        kept = [segments for segments in formatted if segments]
        if not kept:
            continue        # a blank template: an argument of its own, left as written
        literals = [_literal(piece, data, segments) for segments in kept]
        replacement = ("," + newline + indent).join(literals)
        if replacement != data[piece.start:piece.end].decode("utf-8", "surrogatepass"):
            edits.append(Edit(piece.start, piece.end, replacement))
    return unknown if edits and unknown is not None else edits


def block_pieces(blocks: list[AsmBlock]) -> list[TemplatePiece]:
    """The template arguments of one call under all its configurations, in source order (a piece with a
    ``#[cfg]`` may be in some configurations only)."""
    found: dict[tuple[int, int], TemplatePiece] = {}
    for block in blocks:
        for piece in block.templates:
            found.setdefault((piece.start, piece.end), piece)
    return [found[key] for key in sorted(found)]


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            out.append((start, len(text)))
            return out
        out.append((start, end))
        start = end + 1


def _placeholders_closed(text: str, lines: list[tuple[int, int]], raw: bool) -> bool:
    """Whether every ``{...}`` placeholder closes on its own line (``{0\\n}`` cannot be split)."""
    if raw:
        return True
    for first, last in lines:
        index = first
        while index < last:
            if text[index] in "{}" and text[index + 1:index + 2] == text[index] and index + 1 < last:
                index += 2
                continue
            if text[index] == "{":
                close = text.find("}", index, last)
                if close < 0:
                    return False
                index = close
            index += 1
    return True


def _format_line(text: str, first: int, last: int, line_comments: tuple[str, ...], raw: bool,
                 scan: _Scan) -> list[Segment]:
    """One template line formatted; [] for a blank line."""
    if scan.in_comment:
        # Inside a comment that an earlier line opened: kept as written.
        close = text.find("*/", first, last)
        scan.in_comment = close < 0 or _opens_comment(text, close + 2, last, line_comments)
        return [(first, last)] if text[first:last].strip() else []
    start = first
    while start < last and text[start].isspace():
        start += 1
    code_end, comment = _code_end(text, start, last, line_comments)
    if comment is not None:
        scan.in_comment = _opens_comment(text, comment, last, line_comments)
    end = code_end
    while end > start and text[end - 1].isspace():
        end -= 1
    segments = _statements(text, start, end, raw)
    if comment is not None:
        tail = last
        while tail > comment and text[tail - 1].isspace():
            tail -= 1
        segments.append((end, tail) if segments else (comment, tail))
    return segments


def _code_end(text: str, start: int, last: int, line_comments: tuple[str, ...]) -> tuple[int, int | None]:
    """Where the line's code ends and its comment (if any) starts."""
    quote = False
    index = start
    while index < last:
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            quote = char != '"'
        elif char == '"':
            quote = True
        elif _comment_starts(text, index, line_comments):
            return index, index
        index += 1
    return last, None


def _opens_comment(text: str, index: int, last: int, line_comments: tuple[str, ...]) -> bool:
    """Whether the comments from ``index`` on leave a ``/*`` open at the end of the line."""
    while index < last:
        if text.startswith("/*", index):
            close = text.find("*/", index + 2, last)
            if close < 0:
                return True
            index = close + 2
        elif _comment_starts(text, index, line_comments):
            return False        # a line comment runs to the end of the line
        else:
            index += 1
    return False


def _comment_starts(text: str, index: int, line_comments: tuple[str, ...]) -> bool:
    return text.startswith(("/*", "//"), index) or any(marker and text.startswith(marker, index)
                                                       for marker in line_comments)


def _statements(text: str, start: int, end: int, raw: bool) -> list[Segment]:
    """The code of a line: statements separated by top-level ``;``, each formatted."""
    out: list[Segment] = []
    parts = _split(text, start, end, ";", raw)
    if parts is None:
        return [(start, end)] if end > start else []
    for position, (first, last) in enumerate(parts):
        first, last = _strip(text, first, last)
        if position:
            separator = parts[position - 1][1]
            out.append((separator, separator + 1))
            if first < last:
                out.append(" ")
        out += _statement(text, first, last, raw)
    return out


def _statement(text: str, start: int, end: int, raw: bool) -> list[Segment]:
    out: list[Segment] = []
    # labels: `name:` (identifiers, `.L` names, numbers), each followed by one space
    while True:
        colon = start
        while colon < end and text[colon] in _LABEL_CHARS:
            colon += 1
        if colon == start or colon >= end or text[colon] != ":" or text[colon + 1:colon + 2] == ":":
            break
        out.append((start, colon + 1))
        start = colon + 1
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            out.append(" ")
    if start >= end:
        return out
    # the mnemonic (or directive), one space, the operands
    word = start
    while word < end and not text[word].isspace():
        word += 1
    if word == end or "'" in text[start:end]:
        return out + [(start, end)]
    rest = word
    while text[rest].isspace():
        rest += 1
    out += [(start, word), " "]
    operands = _split(text, rest, end, ",", raw)
    if operands is None or len(operands) == 1 or any(_strip(text, a, b)[0] == _strip(text, a, b)[1]
                                                      for a, b in operands):
        return out + [(rest, end)]
    for position, (first, last) in enumerate(operands):
        if position:
            out += [(first - 1, first), " "]
        out.append(_strip(text, first, last))
    return out


def _split(text: str, start: int, end: int, separator: str, raw: bool) -> list[tuple[int, int]] | None:
    """``start``..``end`` split at the ``separator``s outside quotes, brackets, braces and placeholders;
    None when a quote or bracket does not close."""
    parts = []
    depth = 0
    quote = False
    begin = index = start
    while index < end:
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            quote = char != '"'
        elif char == '"':
            quote = True
        elif char in "{}" and not raw and text[index + 1:index + 2] == char and index + 1 < end:
            depth += 1 if char == "{" else -1
            index += 2
            continue
        elif char == "{" and not raw:
            close = text.find("}", index, end)
            if close < 0:
                return None
            index = close + 1
            continue
        elif char in _OPEN or (raw and char == "{"):
            depth += 1
        elif char in _CLOSE or (raw and char == "}"):
            depth -= 1
        elif char == separator and depth == 0:
            parts.append((begin, index))
            begin = index + 1
        index += 1
    if quote or depth != 0 or index > end:
        return None
    parts.append((begin, end))
    return parts


def _strip(text: str, first: int, last: int) -> tuple[int, int]:
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    return first, last


def _literal(piece: TemplatePiece, data: bytes, segments: list[Segment]) -> str:
    """A string literal of the piece's kind (its prefix, hashes and quotes) holding ``segments``."""
    decoded = piece.decoded
    out = [data[decoded.start:decoded.content_start].decode("utf-8", "surrogatepass")]
    for segment in segments:
        if isinstance(segment, str):
            out.append(segment)
        elif segment[1] > segment[0]:
            first, last = decoded.starts[segment[0]], decoded.ends[segment[1] - 1]
            out.append(data[first:last].decode("utf-8", "surrogatepass"))
    out.append(data[decoded.content_end:decoded.end].decode("utf-8", "surrogatepass"))
    return "".join(out)


def _indent(data: bytes, offset: int) -> str:
    """Blanks as wide as the source line before ``offset`` (its tabs kept)."""
    line = data[data.rfind(b"\n", 0, offset) + 1:offset].decode("utf-8", "replace")
    return "".join(char if char in " \t" else " " for char in line)
