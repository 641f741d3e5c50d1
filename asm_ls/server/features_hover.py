"""textDocument/hover and textDocument/completion: thin handlers.

Each request, like the navigation ones (:func:`asm_ls.server.analyses.handle`): the open
document's shared analysis -> the pure function in ``asm_ls/ide`` -> LSP objects (``convert``).
A request on a closed, unknown or non-Rust document, or at a position outside every
inline-assembly call, answers None; a failure is logged and answers None, never an error response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from asm_ls.lazy import LazyModule
from asm_ls.server.analyses import Analysis, handle
from asm_ls.server.convert import Positions, to_lsp_completions, to_lsp_hover
from asm_ls.syntax.source import SourceFile

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

# loaded by the first request (instruction hover brings in capstone)
completion = LazyModule("asm_ls.ide.completion")
hovers = LazyModule("asm_ls.ide.hover")
decoded_instructions = LazyModule("asm_ls.machine.instructions")

TRIGGER_CHARACTERS = ["{", ":", ".", '"', "("]


def register(server: "AsmLanguageServer") -> None:
    handle(server, types.TEXT_DOCUMENT_HOVER, None,
           lambda analysis, params: _hover(analysis, params, _markup(server, "hover"),
                                           decoded_instructions.block_instructions if server.settings.assemble else None))
    handle(server, types.TEXT_DOCUMENT_COMPLETION, None,
           lambda analysis, params: _completion(analysis, params, _markup(server, "completion"), _snippets(server)),
           types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS))


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


def _snippets(ls: "AsmLanguageServer") -> bool:
    """Whether the client inserts completion snippets (``completionItem.snippetSupport``)."""
    try:
        return bool(ls.client_capabilities.text_document.completion.completion_item.snippet_support)
    except AttributeError:
        return False


def position_offset(source: SourceFile, position: types.Position, encoding: str) -> int:
    """The byte offset of an LSP position in the negotiated encoding: :meth:`Positions.offset`."""
    return Positions(source, encoding).offset(position)


def _mentions_asm(analysis: Analysis) -> bool:
    """No inline-assembly macro can be named without these letters (and then nothing is analysed)."""
    return b"asm" in analysis.source.data


def _hover(analysis: Analysis, params: types.HoverParams, markup: str, instructions=None) -> types.Hover | None:
    """``instructions``: the machine layer's decoded blocks for instruction hovers (None: ``assemble`` is off); it
    may run rustc, which is fine here: handlers run in a worker thread."""
    if not _mentions_asm(analysis):
        return None
    offset = analysis.offset(params.position)
    found = hovers.hover(analysis.model_at(offset), offset, analysis.settings, instructions)
    return to_lsp_hover(found, analysis.positions, markup) if found is not None else None


def _completion(analysis: Analysis, params: types.CompletionParams, markup: str,
                snippets: bool = False) -> types.CompletionList | None:
    if not _mentions_asm(analysis):
        return None
    offset = analysis.offset(params.position)
    found = completion.complete_source(analysis.source, offset, analysis.settings, analysis.model, analysis.tree)
    return to_lsp_completions(found, analysis.positions, markup, snippets) if found is not None and found.items \
        else None
