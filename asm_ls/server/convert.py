"""Conversion of asm-ls records to LSP types: the only place the server builds lsprotocol objects
from analysis results."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.pages import link
from asm_ls.ide import legend
from asm_ls.syntax.source import Position, SourceFile

if TYPE_CHECKING:       # the features themselves load on first use
    from asm_ls.ide import actions, inlay, navigation, symbols, tokens
    from asm_ls.ide.completion import Completions
    from asm_ls.ide.hover import Hover

SOURCE = "asm-ls"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


class Positions:
    """Byte offsets to LSP positions in the negotiated encoding, and back.  UTF-16 (the LSP
    default) goes through the one source map; UTF-8 and UTF-32 columns are counted on the same
    line split."""

    def __init__(self, source: SourceFile, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.source = source
        self.encoding = encoding

    def position(self, offset: int) -> types.Position:
        utf16 = self.source.position(offset)
        if self.encoding not in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32):
            return types.Position(line=utf16.line, character=utf16.character)
        offset = max(0, min(offset, len(self.source.data)))
        line_start, _ = self.source.line_span(utf16.line)
        if self.encoding == types.PositionEncodingKind.Utf8 or self.source.ascii_line(utf16.line):
            return types.Position(line=utf16.line, character=offset - line_start)
        prefix = self.source.data[line_start:offset]
        return types.Position(line=utf16.line, character=len(prefix.decode("utf-8", "surrogatepass")))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def location(self, uri: str, start: int, end: int) -> types.Location:
        return types.Location(uri=uri, range=self.range(start, end))

    def offset(self, position: types.Position) -> int:
        """The byte offset of an LSP position, the inverse of :meth:`position`.  Out-of-range
        positions are clamped (to the line's end, to the file's end); a UTF-8 column inside a
        character stands for the start of that character."""
        if self.encoding not in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32):
            return self.source.offset(Position(position.line, position.character))
        if position.line < 0:
            return 0
        if position.line >= self.source.line_count:
            return len(self.source.data)
        start, end = self.source.line_span(position.line)
        character = max(0, position.character)
        if self.encoding == types.PositionEncodingKind.Utf8:
            offset = start + min(character, end - start)
            while start < offset < end and self.source.data[offset] & 0xC0 == 0x80:
                offset -= 1     # a continuation byte
            return offset
        if self.source.ascii_line(position.line):
            return start + min(character, end - start)
        text = self.source.data[start:end].decode("utf-8", "surrogatepass")
        return start + len(text[:character].encode("utf-8", "surrogatepass"))


def to_lsp_diagnostics(diagnostics: list[Diagnostic], positions: Positions, uri: str) -> list[types.Diagnostic]:
    return [to_lsp_diagnostic(diagnostic, positions, uri) for diagnostic in diagnostics]


def lsp_message(diagnostic: Diagnostic) -> str:
    """The message the client shows: the target it holds for, when it depends on the target."""
    return f"{diagnostic.message} (target: {diagnostic.target})" if diagnostic.target else diagnostic.message


def to_lsp_diagnostic(diagnostic: Diagnostic, positions: Positions, uri: str) -> types.Diagnostic:
    """``message`` is the exact (rustc) message, followed by the configurations it holds for when it depends on the
    target (``(target: aarch64)``, as the command line prints it); spanless notes become related information at the
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
        message=lsp_message(diagnostic),
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=href) if (href := link(diagnostic.code)) else None,
        source=SOURCE,
        related_information=related or None,
        data=diagnostic.data or None,
    )


def from_lsp_diagnostic(reported: types.Diagnostic, ours: list[Diagnostic], positions: Positions) -> Diagnostic | None:
    """asm-ls's own diagnostic (byte offsets, data) for one the client sends back: same code, same
    range, same message (two findings of one instruction share code and range: a `syscall`
    writes `rcx` and `r11`)."""
    for diagnostic in ours:
        if diagnostic.code == reported.code and positions.range(diagnostic.start, diagnostic.end) == reported.range \
                and lsp_message(diagnostic) == reported.message:
            return diagnostic
    return None


# -- hover and completion -------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_CODE_SPAN = re.compile(r"`([^`]*)`")
_EMPHASIS = re.compile(r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")


def markup_content(markdown: str, markup: str) -> types.MarkupContent:
    """``markdown`` as the client renders it: unchanged, or as plain text for clients without
    Markdown (links written out; emphasis, code-span backticks and fences dropped; code kept
    verbatim)."""
    if markup == types.MarkupKind.Markdown:
        return types.MarkupContent(kind=markup, value=markdown)
    text = "\n".join(line for line in markdown.split("\n") if not line.startswith("```"))
    pieces = _CODE_SPAN.split(_LINK.sub(lambda match: f"{match[1]} <{match[2]}>", text))
    plain = "".join(piece if index % 2 else _EMPHASIS.sub("", piece) for index, piece in enumerate(pieces))
    return types.MarkupContent(kind=types.MarkupKind.PlainText, value=plain)


def to_lsp_hover(found: Hover, positions: Positions, markup: str = types.MarkupKind.Markdown) -> types.Hover:
    return types.Hover(contents=markup_content(found.markdown, markup), range=positions.range(found.start, found.end))


_COMPLETION_KINDS = {
    "register_class": types.CompletionItemKind.Class,
    "register": types.CompletionItemKind.Variable,
    "option": types.CompletionItemKind.Property,
    "abi": types.CompletionItemKind.EnumMember,
    "operand": types.CompletionItemKind.Field,
    "modifier": types.CompletionItemKind.TypeParameter,
    "directive": types.CompletionItemKind.Keyword,
    "keyword": types.CompletionItemKind.Keyword,
    "mnemonic": types.CompletionItemKind.Function,
    "placeholder": types.CompletionItemKind.Variable,
}


def to_lsp_completions(found: Completions, positions: Positions,
                       markup: str = types.MarkupKind.Markdown, snippets: bool = False) -> types.CompletionList:
    """``snippets``: the client supports snippet syntax (a candidate's snippet is then inserted)."""
    edit_range = positions.range(found.start, found.end)
    items = []
    for index, candidate in enumerate(found.items):
        snippet = candidate.snippet if snippets else None
        items.append(types.CompletionItem(
            label=candidate.label,
            kind=_COMPLETION_KINDS.get(candidate.kind, types.CompletionItemKind.Text),
            detail=candidate.detail or None,
            documentation=markup_content(candidate.documentation, markup) if candidate.documentation else None,
            sort_text=f"{candidate.sort_group}{index:05d}",
            filter_text=candidate.filter_text,
            insert_text_format=types.InsertTextFormat.Snippet if snippet else None,
            text_edit=types.TextEdit(range=edit_range, new_text=snippet or candidate.text)))
    return types.CompletionList(is_incomplete=found.incomplete, items=items)


# -- navigation and structure ---------------------------------------------------------------

SEMANTIC_TOKENS_LEGEND = types.SemanticTokensLegend(token_types=list(legend.TOKEN_TYPES),
                                                    token_modifiers=list(legend.TOKEN_MODIFIERS))
_TOKEN_INDEX = {name: index for index, name in enumerate(legend.TOKEN_TYPES)}
_MODIFIER_BIT = {name: 1 << index for index, name in enumerate(legend.TOKEN_MODIFIERS)}
_SYMBOL_KIND = {"function": types.SymbolKind.Function, "event": types.SymbolKind.Event,
                "variable": types.SymbolKind.Variable, "constant": types.SymbolKind.Constant}
_HIGHLIGHT_KIND = {"write": types.DocumentHighlightKind.Write, "read": types.DocumentHighlightKind.Read}


def to_lsp_locations(spans: list[tuple[int, int]], positions: Positions, uri: str) -> list[types.Location]:
    return [positions.location(uri, start, end) for start, end in spans]


def to_lsp_highlights(highlights: list[navigation.Highlight], positions: Positions) -> list[types.DocumentHighlight]:
    return [types.DocumentHighlight(range=positions.range(h.start, h.end), kind=_HIGHLIGHT_KIND[h.kind])
            for h in highlights]


def to_lsp_prepare_rename(target: navigation.RenameTarget, positions: Positions) -> types.PrepareRenamePlaceholder:
    return types.PrepareRenamePlaceholder(range=positions.range(target.start, target.end), placeholder=target.name)


def to_lsp_workspace_edit(edits, positions: Positions, uri: str) -> types.WorkspaceEdit:
    """Edits (``start``, ``end``, ``text``) of the one document."""
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=positions.range(edit.start, edit.end),
                                                             new_text=edit.text) for edit in edits]})


def to_lsp_symbols(found: list[symbols.Symbol], positions: Positions) -> list[types.DocumentSymbol]:
    return [_to_lsp_symbol(symbol, positions) for symbol in found]


def _to_lsp_symbol(symbol: symbols.Symbol, positions: Positions) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name, kind=_SYMBOL_KIND[symbol.kind], detail=symbol.detail,
        range=positions.range(symbol.start, symbol.end),
        selection_range=positions.range(symbol.selection_start, symbol.selection_end),
        children=to_lsp_symbols(symbol.children, positions) or None)


def to_lsp_workspace_symbols(found: list[tuple[symbols.Symbol, str | None]], positions: Positions,
                             uri: str) -> list[types.WorkspaceSymbol]:
    return [types.WorkspaceSymbol(name=symbol.name, kind=_SYMBOL_KIND[symbol.kind], container_name=container,
                                  location=positions.location(uri, symbol.selection_start, symbol.selection_end))
            for symbol, container in found]


def to_lsp_semantic_tokens(found: list[tokens.SemanticToken], positions: Positions) -> types.SemanticTokens:
    """Relative encoding against :data:`SEMANTIC_TOKENS_LEGEND`; a token that spans lines or is
    empty in the negotiated encoding is left out."""
    data: list[int] = []
    previous_line = previous_character = 0
    for token in found:
        start = positions.position(token.start)
        end = positions.position(token.end)
        length = end.character - start.character
        if end.line != start.line or length <= 0:
            continue
        delta_line = start.line - previous_line
        delta_character = start.character - previous_character if delta_line == 0 else start.character
        modifiers = sum(_MODIFIER_BIT[name] for name in token.modifiers)
        data += [delta_line, delta_character, length, _TOKEN_INDEX[token.type], modifiers]
        previous_line, previous_character = start.line, start.character
    return types.SemanticTokens(data=data)


def to_lsp_inlay_hints(hints: list[inlay.InlayHint], positions: Positions) -> list[types.InlayHint]:
    return [types.InlayHint(position=positions.position(hint.offset), label=hint.label,
                            kind=types.InlayHintKind.Parameter, tooltip=hint.tooltip, padding_left=False)
            for hint in hints]


def to_lsp_quick_fixes(fixes: list[actions.Fix], reported: types.Diagnostic, positions: Positions,
                       uri: str) -> list[types.CodeAction]:
    return [types.CodeAction(title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[reported],
                             is_preferred=fix.preferred or None,
                             edit=to_lsp_workspace_edit(fix.edits, positions, uri))
            for fix in fixes]


# -- messages -------------------------------------------------------------------------------

def log_message(message: str, error: bool = False) -> types.LogMessageParams:
    return types.LogMessageParams(type=types.MessageType.Error if error else types.MessageType.Log,
                                  message=message)


def warning_message(message: str) -> types.ShowMessageParams:
    return types.ShowMessageParams(type=types.MessageType.Warning, message=message)
