"""The language server object and its LSP handlers, one thin handler per feature."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from asm_ls import __version__
from asm_ls.config import ConfigFile, find_workspace_root, load_config_file
from asm_ls.config.globs import IgnoreRules
from asm_ls.config.workspace import CONFIG_NAME, MANIFEST
from asm_ls.machine import backend
from asm_ls.server import generated_code, memory
from asm_ls.server.convert import log_message, warning_message
from asm_ls.server.documents import is_rust, open_document, path_of, use_lsp_positions
from asm_ls.server.features_formatting import register as register_formatting
from asm_ls.server.features_hover import register as register_hover
from asm_ls.server.features_machine_code import register as register_machine_code
from asm_ls.server.features_navigation import register as register_navigation
from asm_ls.server.publisher import Publisher
from asm_ls.server.session import Session
from asm_ls.server.settings import KEYS, SECTION, ServerSettings, layered, parse_settings

if TYPE_CHECKING:
    from asm_ls.analysis import Settings

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
        self.client_settings = ServerSettings()
        self.settings_file: ConfigFile | None = None      # the workspace's asm-ls.toml or Cargo metadata
        self.settings = ServerSettings()                  # the client's over the file's
        self._analysis_settings: Settings | None = None   # made from ``settings`` when first asked for
        self.exclude_rules: IgnoreRules | None = None     # the settings' `exclude`, relative to the workspace root
        self.publisher = Publisher(self, _debounce_seconds() if debounce is None else debounce,
                                   adaptive=debounce is None and DEBOUNCE_ENV not in os.environ)
        self.session = Session()      # what is kept between requests (analyses, trees, block results...)

    @property
    def analysis_settings(self) -> Settings:
        """The analysis settings of the current ``settings`` (one object until they change: runs compare it by
        identity); made on first use, which loads the analysis, so that ``initialize`` does not wait for it."""
        if self._analysis_settings is None:
            self._analysis_settings = self.settings.to_analysis()
        return self._analysis_settings

    def shutdown(self) -> None:
        """Stop serving.  The assembler runs under way are killed first: a worker thread waiting for rustc would hold
        the thread pool's shutdown, and so the exit, until rustc's time limit."""
        backend.stop_all()
        super().shutdown()

    def apply_settings(self, raw: Any, origin: str) -> None:
        """Validated client settings replace the current ones; problems are shown, never raised."""
        settings, problems = parse_settings(raw)
        if problems:
            self.window_show_message(warning_message(
                f"asm-ls: invalid settings in {origin} (defaults used for these): " + "; ".join(problems)))
        self.client_settings = settings
        self._settings_changed()

    def configuration_changed(self, raw: Any) -> None:
        """The client's configuration changed: ``raw`` (``None``: nothing for asm-ls) replaces
        the client settings, the settings file is read again, open documents are checked again."""
        if raw is not None:
            self.apply_settings(raw, "workspace configuration")
        if self.settings_file is not None:
            self.load_settings_file(self.settings_file.root)
        self.publisher.schedule_all()

    def load_settings_file(self, folder: Path | None) -> None:
        """(Re)read the settings file of the workspace ``folder`` lies in; its problems are
        logged and shown, never raised."""
        root = find_workspace_root(folder) if folder is not None else None
        self.settings_file = load_config_file(root) if root is not None else None
        if self.settings_file is not None and self.settings_file.problems:
            message = "asm-ls: invalid settings file (defaults used for these): " + "; ".join(self.settings_file.problems)
            self.window_log_message(log_message(message, error=True))
            self.window_show_message(warning_message(message))
        self._settings_changed()

    def is_settings_file(self, uri: str) -> bool:
        path = path_of(uri)
        return (path is not None and self.settings_file is not None and path.name in (CONFIG_NAME, MANIFEST)
                and path.parent.resolve() == self.settings_file.root)

    def excluded(self, uri: str) -> bool:
        """Whether the settings' ``exclude`` patterns (relative to the workspace root) match the document."""
        path = path_of(uri)
        return path is not None and self.exclude_rules is not None and self.exclude_rules.excludes(path.resolve())

    def _settings_changed(self) -> None:
        self.settings = layered(self.settings_file.config if self.settings_file else None, self.client_settings)
        self._analysis_settings = None
        self.session.settings_changed()
        self.exclude_rules = IgnoreRules(self.settings_file.root, self.settings.exclude) \
            if self.settings_file is not None and self.settings.exclude else None

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


def _workspace_folder(params: types.InitializeParams) -> Path | None:
    """The folder the client opened: its first workspace folder, else its root."""
    uris = [folder.uri for folder in params.workspace_folders or []] + [params.root_uri or ""]
    for uri in uris:
        path = path_of(uri) if uri else None
        if path is not None:
            return path
    return Path(params.root_path) if params.root_path else None


async def _pull_configuration(ls: AsmLanguageServer) -> None:
    pulled = await ls.workspace_configuration_async(
        types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
    ls.configuration_changed(pulled[0] if pulled else None)


def _addressed_to_asm_ls(raw: Any) -> bool:
    """Whether pushed configuration is meant for asm-ls: an object with an ``asm-ls`` section or
    asm-ls's own keys at the top level (clients that configure several servers send every
    server's sections, or ``{}``, to each), or anything else that is not an object, which
    validation then reports."""
    if raw is None:
        return False
    return not isinstance(raw, dict) or SECTION in raw or any(key in KEYS for key in raw)


def create_server(debounce: float | None = None) -> AsmLanguageServer:
    server = AsmLanguageServer(debounce)

    @server.feature(types.INITIALIZE)
    def initialize(ls: AsmLanguageServer, params: types.InitializeParams) -> None:
        use_lsp_positions(ls.workspace)
        ls.load_settings_file(_workspace_folder(params))
        ls.apply_settings(params.initialization_options, "initializationOptions")

    @server.feature(types.INITIALIZED)
    def initialized(ls: AsmLanguageServer, params: types.InitializedParams) -> None:
        generated_code.save()       # the start is over: what it compiled is kept for the next one
        memory.limit_arenas()       # before the worker threads start

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AsmLanguageServer, params: None) -> None:
        backend.stop_all()      # no more work after `shutdown`: the assembler runs under way end now
        generated_code.save()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: AsmLanguageServer, params: types.DidChangeConfigurationParams) -> None:
        # Pushed settings apply before the next message is handled (a didOpen right behind
        # them is checked with them); only pulling them from the client waits.
        if _addressed_to_asm_ls(params.settings):
            ls.configuration_changed(params.settings)
        elif ls.supports_configuration_pull():
            asyncio.ensure_future(_pull_configuration(ls))
        else:                        # nothing for asm-ls (`{}`, other servers' sections): settings kept
            ls.configuration_changed(None)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AsmLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AsmLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.check(params.text_document.uri, debounced=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AsmLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.is_settings_file(params.text_document.uri):
            ls.load_settings_file(ls.settings_file.root)
            ls.publisher.schedule_all()
        ls.check(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AsmLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.publisher.clear(params.text_document.uri)

    register_navigation(server)
    register_hover(server)
    register_machine_code(server)
    register_formatting(server)
    return server
