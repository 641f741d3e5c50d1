"""Open documents as the analysis sees them: which ones are Rust, and a versioned snapshot of the
text as a SourceFile."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from pygls.workspace import TextDocument, Workspace

from asm_ls.syntax.source import SourceFile


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int | None
    text: str
    path: str

    def source_file(self) -> SourceFile:
        return SourceFile.from_text(self.text, self.path)


def open_document(workspace: Workspace, uri: str) -> TextDocument | None:
    """The open document, or None (never reads from disk, unlike ``get_text_document``)."""
    return workspace.text_documents.get(unquote(uri))


def is_rust(document: TextDocument) -> bool:
    return document.language_id == "rust" or unquote(document.uri).split("?", 1)[0].endswith(".rs")


def snapshot(document: TextDocument, uri: str) -> Snapshot:
    return Snapshot(uri, document.version, document.source, document.path or uri)
