"""Conversion of asm-ls records to LSP types: the only place the server builds lsprotocol objects
from analysis results."""

from __future__ import annotations

from lsprotocol import types

from asm_ls.diagnostics import Diagnostic
from asm_ls.syntax.source import SourceFile

SOURCE = "asm-ls"
DOCS_URL = "https://github.com/asm-ls/asm-ls/blob/main/docs/diagnostics.md#"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


class Positions:
    """Byte offsets to LSP positions in the negotiated encoding.  UTF-16 (the LSP default) comes
    from the one source map; UTF-8 and UTF-32 columns are counted on the same line split."""

    def __init__(self, source: SourceFile, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.source = source
        self.encoding = encoding

    def position(self, offset: int) -> types.Position:
        utf16 = self.source.position(offset)
        if self.encoding not in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32):
            return types.Position(line=utf16.line, character=utf16.character)
        offset = max(0, min(offset, len(self.source.data)))
        line_start, _ = self.source.line_span(utf16.line)
        prefix = self.source.data[line_start:offset]
        if self.encoding == types.PositionEncodingKind.Utf8:
            return types.Position(line=utf16.line, character=len(prefix))
        return types.Position(line=utf16.line, character=len(prefix.decode("utf-8", "surrogatepass")))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


def to_lsp_diagnostics(diagnostics: list[Diagnostic], positions: Positions, uri: str) -> list[types.Diagnostic]:
    return [to_lsp_diagnostic(diagnostic, positions, uri) for diagnostic in diagnostics]


def to_lsp_diagnostic(diagnostic: Diagnostic, positions: Positions, uri: str) -> types.Diagnostic:
    """``message`` is the exact (rustc) message; spanless notes become related information at the
    diagnostic's own range, as ``note: ...``."""
    primary = positions.range(diagnostic.start, diagnostic.end)
    related = [types.DiagnosticRelatedInformation(
                   location=types.Location(uri=uri, range=positions.range(r.start, r.end)), message=r.message)
               for r in diagnostic.related]
    related += [types.DiagnosticRelatedInformation(location=types.Location(uri=uri, range=primary),
                                                   message=f"note: {note}")
                for note in diagnostic.notes]
    return types.Diagnostic(
        range=primary,
        message=diagnostic.message,
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=DOCS_URL + diagnostic.code),
        source=SOURCE,
        related_information=related or None,
        data=diagnostic.data or None,
    )


def log_message(message: str, error: bool = False) -> types.LogMessageParams:
    return types.LogMessageParams(type=types.MessageType.Error if error else types.MessageType.Log,
                                  message=message)


def warning_message(message: str) -> types.ShowMessageParams:
    return types.ShowMessageParams(type=types.MessageType.Warning, message=message)
