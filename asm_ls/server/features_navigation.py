"""LSP handlers for navigation and structure: definition, references, document highlight, rename,
document symbols, semantic tokens, inlay hints and quick fixes.

Every handler is the same shape (:func:`asm_ls.server.analyses.handle`): the open document's
shared analysis, one pure function of ``asm_ls.ide`` in byte offsets, the conversion in
``convert``.  A request on a closed, unknown or non-Rust document, at any position, answers the
empty value; a failure is logged, never raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from asm_ls.lazy import LazyModule
from asm_ls.server import convert
from asm_ls.server.analyses import Analysis, answer, handle
from asm_ls.server.convert import SEMANTIC_TOKENS_LEGEND, SOURCE, Positions
from asm_ls.syntax.source import SourceFile

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

# the features themselves load with the first request
actions = LazyModule("asm_ls.ide.actions")
inlay = LazyModule("asm_ls.ide.inlay")
navigation = LazyModule("asm_ls.ide.navigation")
symbols = LazyModule("asm_ls.ide.symbols")
tokens = LazyModule("asm_ls.ide.tokens")


def offset_of(source: SourceFile, position: types.Position, encoding: str) -> int:
    """The byte offset of an LSP position (clamped): :meth:`Positions.offset`."""
    return Positions(source, encoding).offset(position)


# --- the features, in LSP terms ------------------------------------------------------------------

def definition(analysis: Analysis, params: types.DefinitionParams) -> list[types.Location] | None:
    spans = navigation.definition(analysis.model, analysis.offset(params.position))
    return convert.to_lsp_locations(spans, analysis.positions, analysis.uri) or None


def references(analysis: Analysis, params: types.ReferenceParams) -> list[types.Location]:
    spans = navigation.references(analysis.model, analysis.offset(params.position), params.context.include_declaration)
    return convert.to_lsp_locations(spans, analysis.positions, analysis.uri)


def document_highlight(analysis: Analysis, params: types.DocumentHighlightParams) -> list[types.DocumentHighlight]:
    found = navigation.highlights(analysis.model, analysis.offset(params.position))
    return convert.to_lsp_highlights(found, analysis.positions)


def prepare_rename(analysis: Analysis, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
    target = navigation.prepare_rename(analysis.model, analysis.offset(params.position))
    return convert.to_lsp_prepare_rename(target, analysis.positions) if target is not None else None


class RenameRefused(JsonRpcException):
    """A rename of a named operand or a label that cannot be done (the new name is not valid for
    it, or is taken): the error response says why."""
    CODE = types.LSPErrorCodes.RequestFailed.value


def rename(analysis: Analysis, params: types.RenameParams) -> types.WorkspaceEdit | None:
    offset = analysis.offset(params.position)
    if navigation.prepare_rename(analysis.model, offset) is not None:
        problem = navigation.rename_problem(analysis.model, offset, params.new_name)
        if problem is not None:
            raise RenameRefused(f"cannot rename: {problem}")
    edits = navigation.rename(analysis.model, offset, params.new_name)
    return convert.to_lsp_workspace_edit(edits, analysis.positions, analysis.uri) if edits else None


def document_symbols(analysis: Analysis, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    return convert.to_lsp_symbols(symbols.document_symbols(analysis.model, analysis.source.path), analysis.positions)


def _document_workspace_symbols(analysis: Analysis, query: str) -> list[types.WorkspaceSymbol]:
    found = symbols.flattened(symbols.document_symbols(analysis.model, analysis.source.path))
    return convert.to_lsp_workspace_symbols([(symbol, container) for symbol, container in found
                                             if symbols.matches(query, symbol.name)],
                                            analysis.positions, analysis.uri)


async def workspace_symbols(ls: AsmLanguageServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
    """The symbols of the open Rust documents whose names hold the query's characters in order."""
    out: list[types.WorkspaceSymbol] = []
    for uri in list(ls.workspace.text_documents):
        out += await answer(ls, uri, [], lambda analysis: _document_workspace_symbols(analysis, params.query))
    return out


def semantic_tokens(analysis: Analysis, params: types.SemanticTokensParams) -> types.SemanticTokens:
    return convert.to_lsp_semantic_tokens(tokens.semantic_tokens(analysis.model), analysis.positions)


def inlay_hints(analysis: Analysis, params: types.InlayHintParams) -> list[types.InlayHint]:
    start, end = analysis.offset(params.range.start), analysis.offset(params.range.end)
    return convert.to_lsp_inlay_hints(inlay.inlay_hints(analysis.model, start, end), analysis.positions)


def code_actions(analysis: Analysis, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = params.context.only
    if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        return []
    out: list[types.CodeAction] = []
    for reported in params.context.diagnostics:
        if reported.source not in (SOURCE, None) or reported.code not in actions.FIXABLE:
            continue
        diagnostic = convert.from_lsp_diagnostic(reported, analysis.all_diagnostics, analysis.positions)
        if diagnostic is not None:
            fixes = actions.quick_fixes(analysis.model, diagnostic, analysis.all_diagnostics)
            out += convert.to_lsp_quick_fixes(fixes, reported, analysis.positions, analysis.uri)
    return out


# --- registration --------------------------------------------------------------------------------

def register(server: AsmLanguageServer) -> None:
    handle(server, types.TEXT_DOCUMENT_DEFINITION, None, definition)
    handle(server, types.TEXT_DOCUMENT_REFERENCES, [], references)
    handle(server, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, [], document_highlight)
    handle(server, types.TEXT_DOCUMENT_PREPARE_RENAME, None, prepare_rename)
    handle(server, types.TEXT_DOCUMENT_RENAME, None, rename)
    handle(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, [], document_symbols)
    server.feature(types.WORKSPACE_SYMBOL)(workspace_symbols)
    handle(server, types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, types.SemanticTokens(data=[]), semantic_tokens,
           SEMANTIC_TOKENS_LEGEND)
    handle(server, types.TEXT_DOCUMENT_INLAY_HINT, [], inlay_hints)
    handle(server, types.TEXT_DOCUMENT_CODE_ACTION, [], code_actions,
           types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
