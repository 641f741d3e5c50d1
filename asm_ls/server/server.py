"""The language server object and its LSP handlers, one thin handler per feature."""

from __future__ import annotations

import os
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from asm_ls import __version__
from asm_ls.analysis import Settings
from asm_ls.machine import backend
from asm_ls.server.convert import warning_message
from asm_ls.server.documents import is_rust, open_document, use_lsp_positions
from asm_ls.server.features_hover import register as register_hover
from asm_ls.server.features_navigation import register as register_navigation
from asm_ls.server.publisher import Publisher
from asm_ls.server.settings import SECTION, ServerSettings, parse_settings

DEFAULT_DEBOUNCE_MS = 150
DEBOUNCE_ENV = "ASM_LS_DEBOUNCE_MS"     # tests and debugging only


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, answering a request whose parameters do not deserialize with the error (pygls logs it and
    never answers: the client would wait forever)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            request_id = data.get("id")
            if isinstance(data.get("method"), str) and isinstance(request_id, (int, str)) \
                    and not isinstance(request_id, bool):
                self._send_response(request_id, error=error.to_response_error())
            raise


class AsmLanguageServer(LanguageServer):
    def __init__(self, debounce: float | None = None) -> None:
        super().__init__("asm-ls", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.settings = ServerSettings()
        self.analysis_settings: Settings = self.settings.to_analysis()
        self.publisher = Publisher(self, _debounce_seconds() if debounce is None else debounce)

    def shutdown(self) -> None:
        """Stop serving.  The assembler runs under way are killed first: a worker thread waiting for rustc would hold
        the thread pool's shutdown, and so the exit, until rustc's time limit."""
        backend.stop_all()
        super().shutdown()

    def apply_settings(self, raw: Any, origin: str) -> None:
        """Validated settings replace the current ones; problems are shown, never raised."""
        settings, problems = parse_settings(raw)
        if problems:
            self.window_show_message(warning_message(
                f"asm-ls: invalid settings in {origin} (defaults used for these): " + "; ".join(problems)))
        self.settings = settings
        self.analysis_settings = settings.to_analysis()

    def is_rust_uri(self, uri: str) -> bool:
        document = open_document(self.workspace, uri)
        return document is not None and is_rust(document)

    def check(self, uri: str, debounced: bool = False) -> None:
        """Schedule a diagnostics run for an open Rust document (after the debounce delay for
        edits); other documents are ignored."""
        if self.is_rust_uri(uri):
            if debounced:
                self.publisher.schedule_debounced(uri)
            else:
                self.publisher.schedule(uri)

    def supports_configuration_pull(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.configuration)


def _debounce_seconds() -> float:
    try:
        return max(0, int(os.environ.get(DEBOUNCE_ENV, DEFAULT_DEBOUNCE_MS))) / 1000
    except ValueError:
        return DEFAULT_DEBOUNCE_MS / 1000


def create_server(debounce: float | None = None) -> AsmLanguageServer:
    server = AsmLanguageServer(debounce)

    @server.feature(types.INITIALIZE)
    def initialize(ls: AsmLanguageServer, params: types.InitializeParams) -> None:
        use_lsp_positions(ls.workspace)
        ls.apply_settings(params.initialization_options, "initializationOptions")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AsmLanguageServer, params: None) -> None:
        backend.stop_all()      # no more work after `shutdown`: the assembler runs under way end now

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: AsmLanguageServer, params: types.DidChangeConfigurationParams) -> None:
        raw = params.settings
        if raw is None and ls.supports_configuration_pull():
            pulled = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
            raw = pulled[0] if pulled else None
        ls.apply_settings(raw, "workspace configuration")
        ls.publisher.schedule_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AsmLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AsmLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.check(params.text_document.uri, debounced=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AsmLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AsmLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.publisher.clear(params.text_document.uri)

    register_navigation(server)
    register_hover(server)
    return server
