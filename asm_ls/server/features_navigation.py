"""LSP handlers for navigation and structure: definition, references, document highlight, rename,
document symbols, semantic tokens, inlay hints and quick fixes.

Every handler is the same shape: take the open document's snapshot, get its analysis (off the
event loop, cached per text and settings), ask one pure function of ``asm_ls.ide`` in byte
offsets, convert through the one source map.  A request on a closed, unknown or non-Rust
document, at any position, answers the empty value; a failure is logged, never raised.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from lsprotocol import types

from asm_ls.analysis import FileResult, Settings, analyze
from asm_ls.diagnostics import Diagnostic
from asm_ls.ide import actions, inlay, navigation, symbols, tokens
from asm_ls.server.convert import SOURCE, Positions, log_message
from asm_ls.server.documents import Snapshot, is_rust, open_document, snapshot
from asm_ls.syntax.source import Position, SourceFile

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

SEMANTIC_TOKENS_LEGEND = types.SemanticTokensLegend(token_types=list(tokens.TOKEN_TYPES),
                                                    token_modifiers=list(tokens.TOKEN_MODIFIERS))
_TOKEN_INDEX = {name: index for index, name in enumerate(tokens.TOKEN_TYPES)}
_MODIFIER_BIT = {name: 1 << index for index, name in enumerate(tokens.TOKEN_MODIFIERS)}
_SYMBOL_KIND = {"function": types.SymbolKind.Function, "event": types.SymbolKind.Event,
                "variable": types.SymbolKind.Variable}
_HIGHLIGHT_KIND = {"write": types.DocumentHighlightKind.Write, "read": types.DocumentHighlightKind.Read}


@dataclass
class Analysis:
    """A document as the features see it: its text, its analysis, and the position mapping in
    the negotiated encoding."""

    uri: str
    source: SourceFile
    result: FileResult
    positions: Positions

    @property
    def model(self):
        return self.result.model

    def offset(self, position: types.Position) -> int:
        return offset_of(self.source, position, self.positions.encoding)

    def range(self, start: int, end: int) -> types.Range:
        return self.positions.range(start, end)

    def location(self, start: int, end: int) -> types.Location:
        return types.Location(uri=self.uri, range=self.range(start, end))


def offset_of(source: SourceFile, position: types.Position, encoding: str) -> int:
    """The byte offset of an LSP position (clamped), the inverse of :class:`Positions`."""
    if encoding not in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32):
        return source.offset(Position(position.line, position.character))
    if position.line < 0:
        return 0
    if position.line >= source.line_count:
        return len(source.data)
    start, end = source.line_span(position.line)
    character = max(0, position.character)
    if encoding == types.PositionEncodingKind.Utf8:
        return start + min(character, end - start)
    text = source.data[start:end].decode("utf-8", "surrogatepass")
    return start + len(text[:character].encode("utf-8", "surrogatepass"))


class _Cache:
    """The last few analyses, keyed by document text and settings."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[tuple, FileResult]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, snap: Snapshot, settings: Settings, source: SourceFile) -> FileResult:
        key = (snap.version, snap.text, id(settings))
        with self._lock:
            entry = self._entries.get(snap.uri)
            if entry is not None and entry[0] == key:
                self._entries.move_to_end(snap.uri)
                return entry[1]
        result = analyze(source, settings, _context_for(snap.uri, source))
        with self._lock:
            self._entries[snap.uri] = (key, result)
            self._entries.move_to_end(snap.uri)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return result


_CACHE = _Cache()


def _context_for(uri: str, source: SourceFile):
    """The same file context the diagnostics run uses (module cfgs, crate features, edition)."""
    from asm_ls.server import publisher
    path = publisher._path_of(uri)
    if path is None:
        return None
    publisher._PROJECT.add(path, source)
    return publisher._PROJECT.context_for(path)


def _analysis(snap: Snapshot, settings: Settings, encoding: str) -> Analysis:
    source = snap.source_file()
    return Analysis(snap.uri, source, _CACHE.get(snap, settings, source), Positions(source, encoding))


async def answer(ls: AsmLanguageServer, uri: str, default: Any, feature: Callable[[Analysis], Any]) -> Any:
    """Run ``feature`` on the document's analysis in a worker thread; ``default`` for documents
    that are not open Rust files and when anything fails (the failure is logged)."""
    try:
        document = open_document(ls.workspace, uri)
        if document is None or not is_rust(document):
            return default
        snap = snapshot(document, uri)
        settings = ls.analysis_settings
        encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16

        def run() -> Any:
            result = feature(_analysis(snap, settings, encoding))
            return default if result is None else result

        return await asyncio.get_running_loop().run_in_executor(ls.thread_pool, run)
    except Exception:
        try:
            ls.window_log_message(log_message(f"asm-ls: request on {uri} failed:\n{traceback.format_exc()}",
                                              error=True))
        except Exception:
            pass
        return default


# --- the features, in LSP terms ------------------------------------------------------------------

def definition(analysis: Analysis, position: types.Position) -> list[types.Location] | None:
    spans = navigation.definition(analysis.model, analysis.offset(position))
    return [analysis.location(start, end) for start, end in spans] or None


def references(analysis: Analysis, position: types.Position, include_declaration: bool) -> list[types.Location]:
    spans = navigation.references(analysis.model, analysis.offset(position), include_declaration)
    return [analysis.location(start, end) for start, end in spans]


def document_highlight(analysis: Analysis, position: types.Position) -> list[types.DocumentHighlight]:
    return [types.DocumentHighlight(range=analysis.range(h.start, h.end), kind=_HIGHLIGHT_KIND[h.kind])
            for h in navigation.highlights(analysis.model, analysis.offset(position))]


def prepare_rename(analysis: Analysis, position: types.Position) -> types.PrepareRenamePlaceholder | None:
    target = navigation.prepare_rename(analysis.model, analysis.offset(position))
    if target is None:
        return None
    return types.PrepareRenamePlaceholder(range=analysis.range(target.start, target.end), placeholder=target.name)


def rename(analysis: Analysis, position: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    edits = navigation.rename(analysis.model, analysis.offset(position), new_name)
    if not edits:
        return None
    return types.WorkspaceEdit(changes={analysis.uri: _text_edits(analysis, edits)})


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    return [_symbol(analysis, symbol) for symbol in symbols.document_symbols(analysis.model)]


def _symbol(analysis: Analysis, symbol: symbols.Symbol) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name, kind=_SYMBOL_KIND[symbol.kind], detail=symbol.detail,
        range=analysis.range(symbol.start, symbol.end),
        selection_range=analysis.range(symbol.selection_start, symbol.selection_end),
        children=[_symbol(analysis, child) for child in symbol.children] or None)


def semantic_tokens(analysis: Analysis) -> types.SemanticTokens:
    data: list[int] = []
    previous_line = previous_character = 0
    for token in tokens.semantic_tokens(analysis.model):
        start = analysis.positions.position(token.start)
        end = analysis.positions.position(token.end)
        length = end.character - start.character
        if end.line != start.line or length <= 0:
            continue
        delta_line = start.line - previous_line
        delta_character = start.character - previous_character if delta_line == 0 else start.character
        modifiers = sum(_MODIFIER_BIT[name] for name in token.modifiers)
        data += [delta_line, delta_character, length, _TOKEN_INDEX[token.type], modifiers]
        previous_line, previous_character = start.line, start.character
    return types.SemanticTokens(data=data)


def inlay_hints(analysis: Analysis, request_range: types.Range) -> list[types.InlayHint]:
    start = analysis.offset(request_range.start)
    end = analysis.offset(request_range.end)
    return [types.InlayHint(position=analysis.positions.position(hint.offset), label=hint.label,
                            kind=types.InlayHintKind.Parameter, tooltip=hint.tooltip, padding_left=False)
            for hint in inlay.inlay_hints(analysis.model, start, end)]


def code_actions(analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = params.context.only
    if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        return []
    ours = analysis.result.diagnostics
    out: list[types.CodeAction] = []
    for reported in params.context.diagnostics:
        if reported.source not in (SOURCE, None) or reported.code not in actions.FIXABLE:
            continue
        diagnostic = _matching(analysis, ours, reported)
        if diagnostic is None:
            continue
        for fix in actions.quick_fixes(analysis.model, diagnostic):
            out.append(types.CodeAction(
                title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[reported],
                is_preferred=fix.preferred or None,
                edit=types.WorkspaceEdit(changes={analysis.uri: _text_edits(analysis, fix.edits)})))
    return out


def _matching(analysis: Analysis, ours: list[Diagnostic], reported: types.Diagnostic) -> Diagnostic | None:
    """asm-ls's own diagnostic (byte offsets, data) for one the client sends back."""
    for diagnostic in ours:
        if diagnostic.code == reported.code and analysis.range(diagnostic.start, diagnostic.end) == reported.range:
            return diagnostic
    return None


def _text_edits(analysis: Analysis, edits) -> list[types.TextEdit]:
    return [types.TextEdit(range=analysis.range(edit.start, edit.end), new_text=edit.text) for edit in edits]


# --- registration --------------------------------------------------------------------------------

def register(server: AsmLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(ls: AsmLanguageServer, params: types.DefinitionParams):
        return await answer(ls, params.text_document.uri, None,
                            lambda a: definition(a, params.position))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def on_references(ls: AsmLanguageServer, params: types.ReferenceParams):
        return await answer(ls, params.text_document.uri, [],
                            lambda a: references(a, params.position, params.context.include_declaration))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    async def on_document_highlight(ls: AsmLanguageServer, params: types.DocumentHighlightParams):
        return await answer(ls, params.text_document.uri, [],
                            lambda a: document_highlight(a, params.position))

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def on_prepare_rename(ls: AsmLanguageServer, params: types.PrepareRenameParams):
        return await answer(ls, params.text_document.uri, None,
                            lambda a: prepare_rename(a, params.position))

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def on_rename(ls: AsmLanguageServer, params: types.RenameParams):
        return await answer(ls, params.text_document.uri, None,
                            lambda a: rename(a, params.position, params.new_name))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def on_document_symbol(ls: AsmLanguageServer, params: types.DocumentSymbolParams):
        return await answer(ls, params.text_document.uri, [], document_symbols)

    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, SEMANTIC_TOKENS_LEGEND)
    async def on_semantic_tokens(ls: AsmLanguageServer, params: types.SemanticTokensParams):
        return await answer(ls, params.text_document.uri, types.SemanticTokens(data=[]), semantic_tokens)

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    async def on_inlay_hint(ls: AsmLanguageServer, params: types.InlayHintParams):
        return await answer(ls, params.text_document.uri, [], lambda a: inlay_hints(a, params.range))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def on_code_action(ls: AsmLanguageServer, params: types.CodeActionParams):
        return await answer(ls, params.text_document.uri, [], lambda a: code_actions(a, params))
