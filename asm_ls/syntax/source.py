"""A Rust source file as bytes, with the one mapping between byte offsets and LSP positions.

Every position that leaves asm-ls is produced here: 0-based line, UTF-16 code-unit column.
Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as in the LSP specification.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, order=True)
class Position:
    line: int
    character: int


@dataclass(frozen=True, order=True)
class Range:
    start: Position
    end: Position

    def as_list(self) -> list[int]:
        return [self.start.line, self.start.character, self.end.line, self.end.character]


class SourceFile:
    """Immutable file contents with a line index built once, when first needed (most files
    checked have no inline assembly and never need it)."""

    def __init__(self, data: bytes, path: str = "<memory>") -> None:
        self.path = path
        self.data = data

    @cached_property
    def _line_starts(self) -> list[int]:
        return _starts_of_lines(self.data)

    @classmethod
    def from_text(cls, text: str, path: str = "<memory>") -> "SourceFile":
        return cls(text.encode("utf-8", "surrogatepass"), path)

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def text(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset) - 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Byte range of a line's content, without its line ending."""
        start = self._line_starts[line]
        if line + 1 >= len(self._line_starts):
            return start, len(self.data)
        end = self._line_starts[line + 1] - 1
        if self.data[end] == 0x0A and end > start and self.data[end - 1] == 0x0D:
            end -= 1
        return start, end

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.data)))
        line = self.line_of(offset)
        start = self._line_starts[line]
        prefix = self.data[start:offset]
        if prefix.isascii():
            return Position(line, len(prefix))
        return Position(line, _utf16_len(prefix.decode("utf-8", "replace")))

    def range(self, start: int, end: int) -> Range:
        return Range(self.position(start), self.position(end))

    def offset(self, position: Position) -> int:
        """Byte offset of an LSP position; out-of-range positions are clamped."""
        if position.line < 0:
            return 0
        if position.line >= len(self._line_starts):
            return len(self.data)
        start, end = self.line_span(position.line)
        line = self.data[start:end]
        if line.isascii():
            return start + max(0, min(position.character, len(line)))
        units = 0
        consumed = 0
        for char in line.decode("utf-8", "replace"):
            if units >= position.character:
                return start + consumed
            units += 2 if ord(char) > 0xFFFF else 1
            consumed += len(char.encode("utf-8"))
        return end


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _starts_of_lines(data: bytes) -> list[int]:
    return [0] + [match.end() for match in _LINE_END.finditer(data)]
