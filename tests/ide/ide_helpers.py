"""Shared helpers of the ide tests: a model from text, offsets from markers, edits applied."""

from __future__ import annotations

from asm_ls.analysis import FileResult, Settings, analyze
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile

HEAD = "use std::arch::asm;\n\n"


def analyzed(text: str, *triples: str) -> tuple[SourceFile, FileResult]:
    source = SourceFile.from_text(text)
    settings = Settings(targets=[parse_target(t) for t in triples]) if triples else \
        Settings(targets=[parse_target("x86_64-unknown-linux-gnu")])
    return source, analyze(source, settings)


def at(text: str, needle: str, delta: int = 0, occurrence: int = 0) -> int:
    """Byte offset of the ``occurrence``-th ``needle`` in ``text``, plus ``delta``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return len(text[:index].encode("utf-8")) + delta


def spans(source: SourceFile, found) -> list[tuple[str, list[int]]]:
    """Each byte range as (its text, [line, character, end line, end character])."""
    return [(source.text(start, end), source.range(start, end).as_list()) for start, end in found]


def apply(text: str, edits) -> str:
    data = text.encode("utf-8")
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end), reverse=True):
        data = data[:edit.start] + edit.text.encode("utf-8") + data[edit.end:]
    return data.decode("utf-8")
