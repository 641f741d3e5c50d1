"""A Rust source file as bytes, with the one mapping between byte offsets and LSP positions.

Every position that leaves asm-ls is produced here: 0-based line, UTF-16 code-unit column.
Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as in the LSP specification.
:func:`read_regular_file` reads a project's files without ever blocking on a FIFO or a device;
:func:`read_source` reads a Rust file as rustc does.
"""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import re
import stat
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
        # Whether each line is ASCII (its columns are byte counts), found on first use.  Without it every position
        # copied its line's prefix: quadratic for the thousands of positions on one long line.
        self._ascii_lines: dict[int, bool] = {}

    @cached_property
    def _line_starts(self) -> list[int]:
        return _starts_of_lines(self.data)

    @cached_property
    def _all_ascii(self) -> bool:
        return self.data.isascii()

    def ascii_line(self, line: int) -> bool:
        """Whether the line holds ASCII only (its columns in every encoding are byte counts)."""
        if self._all_ascii:
            return True
        found = self._ascii_lines.get(line)
        if found is None:
            start, end = self.line_span(line)
            found = self._ascii_lines[line] = self.data[start:end].isascii()
        return found

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
        if self.ascii_line(line):
            return Position(line, offset - start)
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
        if self.ascii_line(position.line):
            return start + max(0, min(position.character, end - start))
        line = self.data[start:end]
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
    if b"\r" in data:
        return [0] + [match.end() for match in _LINE_END.finditer(data)]
    # (only `\n`: the lines' lengths, split in C, are faster to add up than a regular expression's matches)
    return [0, *itertools.accumulate(len(line) + 1 for line in data.split(b"\n")[:-1])]


BOM = b"\xef\xbb\xbf"


def read_source(path: str | os.PathLike) -> SourceFile:
    """A Rust file from disk as rustc reads it: a regular file (:func:`read_regular_file`), UTF-8
    (else UnicodeDecodeError), without a leading byte order mark (rustc and editors do not count
    it in the first line's columns)."""
    data = read_regular_file(path)
    data.decode("utf-8")
    return SourceFile(data.removeprefix(BOM), str(path))


def read_regular_file(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file.  Anything else (a FIFO, a device, a socket, a directory) raises OSError ("not a
    regular file") without being read: a FIFO would block the reader forever and ``/dev/zero`` never ends.  Symbolic
    links are followed: which links may be followed is the caller's decision."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb") as file:
            descriptor = -1
            return file.read()
    finally:
        if descriptor >= 0:
            os.close(descriptor)
