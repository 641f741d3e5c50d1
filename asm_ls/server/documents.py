"""Open documents as the analysis sees them: which ones are Rust, a versioned snapshot of the
text as a SourceFile, and incremental edits applied as the LSP specification defines positions."""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from asm_ls.syntax.source import SourceFile


def path_of(uri: str) -> Path | None:
    """The file a ``file:`` URI names; None for other schemes (untitled buffers...)."""
    if not uri.startswith("file:"):
        return None
    parsed = urlparse(uri)
    return Path(unquote(parsed.path))


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int | None
    text: str
    path: str

    def source_file(self) -> SourceFile:
        """The text as a :class:`SourceFile`, one per text (the publisher and the requests of one text share it and
        its line index: a large file's takes tens of milliseconds)."""
        key = self.path
        with _SOURCES_LOCK:
            found = _SOURCES.get(key)
            if found is not None and found[0] is self.text:
                _SOURCES.move_to_end(key)
                return found[1]
        source = SourceFile.from_text(self.text, self.path)
        with _SOURCES_LOCK:
            _SOURCES[key] = (self.text, source)     # (the document's earlier text goes)
            while len(_SOURCES) > _SOURCES_KEPT:
                _SOURCES.popitem(last=False)
        return source


# The last text's source file of the last documents: path -> (the text, its SourceFile).
_SOURCES: OrderedDict[str, tuple[str, SourceFile]] = OrderedDict()
_SOURCES_KEPT = 8
_SOURCES_LOCK = threading.Lock()


def open_document(workspace: Workspace, uri: str) -> TextDocument | None:
    """The open document, or None (never reads from disk, unlike ``get_text_document``)."""
    return workspace.text_documents.get(unquote(uri))


def is_rust(document: TextDocument) -> bool:
    return document.language_id == "rust" or unquote(document.uri).split("?", 1)[0].endswith(".rs")


def snapshot(document: TextDocument, uri: str) -> Snapshot:
    return Snapshot(uri, document.version, document.source, document.path or uri)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_LINE_END = re.compile(r"\r\n|\r|\n")


class LspTextDocument(TextDocument):
    """pygls's document with the specification's positions: lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only
    (pygls splits at form feeds, ``\\x85``, ``\\u2028``... too, and then applies edits after one at the wrong
    place), and a column past a line's end means its end (pygls counts the line break as part of the line)."""

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(_LINE.findall(self.source))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        text = self.source
        start = self._index(text, change.range.start)
        end = max(start, self._index(text, change.range.end))
        self._source = text[:start] + change.text + text[end:]

    def _index(self, text: str, position: types.Position) -> int:
        """The string index of an LSP position (in the negotiated encoding), clamped to its line and the text."""
        if position.line < 0:
            return 0
        line_start = 0
        if position.line > 0:
            previous = next(itertools.islice(_LINE_END.finditer(text), position.line - 1, None), None)
            if previous is None:
                return len(text)
            line_start = previous.end()
        found = _LINE_END.search(text, line_start)
        line_end = found.start() if found is not None else len(text)
        units = self.position_codec.impl.code_units_for_char
        index, counted = line_start, 0
        while index < line_end and counted < position.character:
            counted += units(text[index])
            index += 1
        return index


class LspWorkspace(Workspace):
    """The workspace whose documents are :class:`LspTextDocument`."""

    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=self._sync_kind, position_codec=self._position_codec)


def use_lsp_positions(workspace: Workspace) -> None:
    """Make the workspace pygls created at ``initialize`` create :class:`LspTextDocument` documents (it adds
    behaviour only, no state)."""
    workspace.__class__ = LspWorkspace
