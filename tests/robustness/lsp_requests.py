"""Every document request the language server answers, sent through a pytest-lsp client."""

from __future__ import annotations

from lsprotocol import types


def all_requests(client, uri: str) -> list:
    """The eleven requests (hover, completion, definition, references, highlights, prepare rename, rename, symbols,
    semantic tokens, inlay hints, code actions) on ``uri``, as awaitables."""
    doc = types.TextDocumentIdentifier(uri=uri)
    at = types.Position(line=3, character=10)
    everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=9, character=0))
    return [
        client.text_document_hover_async(types.HoverParams(doc, at)),
        client.text_document_completion_async(types.CompletionParams(doc, at)),
        client.text_document_definition_async(types.DefinitionParams(doc, at)),
        client.text_document_references_async(types.ReferenceParams(types.ReferenceContext(True), doc, at)),
        client.text_document_document_highlight_async(types.DocumentHighlightParams(doc, at)),
        client.text_document_prepare_rename_async(types.PrepareRenameParams(doc, at)),
        client.text_document_rename_async(types.RenameParams(doc, at, "y")),
        client.text_document_document_symbol_async(types.DocumentSymbolParams(doc)),
        client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(doc)),
        client.text_document_inlay_hint_async(types.InlayHintParams(doc, everything)),
        client.text_document_code_action_async(types.CodeActionParams(doc, everything, types.CodeActionContext([]))),
    ]
