"""textDocument/hover and textDocument/completion: thin handlers.

Each request: the open document -> its model (``analyze``, cached per document version and
settings) -> the pure function in ``asm_ls/ide`` -> LSP objects.  A request on a closed, unknown
or non-Rust document, or at a position outside every inline-assembly call, answers None; a
failure is logged and answers None, never an error response.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from typing import TYPE_CHECKING, Callable, TypeVar

from lsprotocol import types

from asm_ls.analysis import Settings, analyze
from asm_ls.ide.completion import Completions, complete_source
from asm_ls.ide.hover import Hover, hover
from asm_ls.model.build import FileModel
from asm_ls.server import publisher
from asm_ls.server.convert import Positions, log_message
from asm_ls.server.documents import Snapshot, is_rust, open_document, snapshot
from asm_ls.syntax.source import Position, SourceFile

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

TRIGGER_CHARACTERS = ["{", ":", ".", '"', "("]

_T = TypeVar("_T")


def register(server: "AsmLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: "AsmLanguageServer", params: types.HoverParams) -> types.Hover | None:
        markup = _markup(ls, "hover")
        return await _answer(ls, params.text_document.uri, params.position,
                             lambda *args: _hover(*args, markup=markup))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))
    async def on_completion(ls: "AsmLanguageServer", params: types.CompletionParams) -> types.CompletionList | None:
        markup = _markup(ls, "completion")
        return await _answer(ls, params.text_document.uri, params.position,
                             lambda *args: _completion(*args, markup=markup))


def _markup(ls: "AsmLanguageServer", feature: str) -> types.MarkupKind:
    """Markdown when the client says it renders it (hover contentFormat, completion
    documentationFormat), else plain text (the same text: it reads well unrendered)."""
    try:
        text_document = ls.client_capabilities.text_document
        if feature == "hover":
            formats = text_document.hover.content_format
        else:
            formats = text_document.completion.completion_item.documentation_format
    except AttributeError:
        formats = None
    return types.MarkupKind.Markdown if formats and types.MarkupKind.Markdown in formats \
        else types.MarkupKind.PlainText


# -- the uniform request path ---------------------------------------------------------------

async def _answer(ls: "AsmLanguageServer", uri: str, position: types.Position,
                  feature: Callable[[SourceFile, FileModel | None, int, Settings, Positions], _T]) -> _T | None:
    try:
        document = open_document(ls.workspace, uri)
        if document is None or not is_rust(document):
            return None
        snap = snapshot(document, uri)
        settings = ls.analysis_settings
        encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(ls.thread_pool, _run, snap, settings, encoding, position, feature)
    except Exception:
        ls.window_log_message(log_message(f"asm-ls: request on {uri} failed:\n{traceback.format_exc()}", error=True))
        return None


def _run(snap: Snapshot, settings: Settings, encoding: str, position: types.Position, feature):
    source = snap.source_file()
    if b"asm" not in source.data:
        return None     # no inline-assembly macro can be named without these letters
    offset = position_offset(source, position, encoding)
    model = _model(snap, source, settings)
    return feature(source, model, offset, settings, Positions(source, encoding))


_CACHE: dict[str, tuple[tuple, FileModel]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16


def _model(snap: Snapshot, source: SourceFile, settings: Settings) -> FileModel:
    """The document's model, as the diagnostics run builds it (same project context)."""
    key = (snap.version, snap.text, id(settings))
    with _CACHE_LOCK:
        cached = _CACHE.get(snap.uri)
        if cached is not None and cached[0][0] == key[0] and cached[0][1] is key[1] and cached[0][2] == key[2]:
            return cached[1]
    context = None
    path = publisher._path_of(snap.uri)
    if path is not None:
        publisher._PROJECT.add(path, source)
        context = publisher._PROJECT.context_for(path)
    model = analyze(source, settings, context).model
    with _CACHE_LOCK:
        _CACHE.pop(snap.uri, None)
        _CACHE[snap.uri] = (key, model)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
    return model


def position_offset(source: SourceFile, position: types.Position, encoding: str) -> int:
    """The byte offset of an LSP position in the negotiated encoding (UTF-16 through the source
    map; UTF-8 and UTF-32 columns are first turned into UTF-16 columns on the same line)."""
    line, character = max(0, position.line), max(0, position.character)
    if encoding in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32) \
            and line < source.line_count:
        start, end = source.line_span(line)
        text = source.data[start:end]
        if encoding == types.PositionEncodingKind.Utf8:
            prefix = text[:character].decode("utf-8", "ignore")
        else:
            prefix = text.decode("utf-8", "replace")[:character]
        character = len(prefix.encode("utf-16-le", "surrogatepass")) // 2
    return source.offset(Position(line, character))


# -- hover ----------------------------------------------------------------------------------

def _hover(source: SourceFile, model: FileModel, offset: int, settings: Settings, positions: Positions,
           markup: str = types.MarkupKind.Markdown) -> types.Hover | None:
    found = hover(model, offset, settings)
    return to_lsp_hover(found, positions, markup) if found is not None else None


def to_lsp_hover(found: Hover, positions: Positions, markup: str = types.MarkupKind.Markdown) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=markup, value=found.markdown),
                       range=positions.range(found.start, found.end))


# -- completion -----------------------------------------------------------------------------

def _completion(source: SourceFile, model: FileModel, offset: int, settings: Settings, positions: Positions,
                markup: str = types.MarkupKind.Markdown) -> types.CompletionList | None:
    found = complete_source(source, offset, settings, model)
    if found is None or not found.items:
        return None
    return to_lsp_completions(found, positions, markup)


_KINDS = {
    "register_class": types.CompletionItemKind.Class,
    "register": types.CompletionItemKind.Variable,
    "option": types.CompletionItemKind.Property,
    "abi": types.CompletionItemKind.EnumMember,
    "operand": types.CompletionItemKind.Field,
    "modifier": types.CompletionItemKind.TypeParameter,
    "directive": types.CompletionItemKind.Keyword,
    "keyword": types.CompletionItemKind.Keyword,
}


def to_lsp_completions(found: Completions, positions: Positions,
                       markup: str = types.MarkupKind.Markdown) -> types.CompletionList:
    edit_range = positions.range(found.start, found.end)
    items = []
    for index, candidate in enumerate(found.items):
        items.append(types.CompletionItem(
            label=candidate.label,
            kind=_KINDS.get(candidate.kind, types.CompletionItemKind.Text),
            detail=candidate.detail or None,
            documentation=types.MarkupContent(kind=markup, value=candidate.documentation)
            if candidate.documentation else None,
            sort_text=f"{candidate.sort_group}{index:05d}",
            filter_text=candidate.filter_text,
            text_edit=types.TextEdit(range=edit_range, new_text=candidate.text)))
    return types.CompletionList(is_incomplete=False, items=items)
