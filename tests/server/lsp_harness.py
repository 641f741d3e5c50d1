"""Drives the real ``python -m asm_ls`` process with pytest-lsp: starting sessions, sending
document events, and waiting for the diagnostics the server publishes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

ROOT = Path(__file__).resolve().parents[2]
SERVER_COMMAND = [sys.executable, "-m", "asm_ls"]
FAULTY_SERVER_COMMAND = [sys.executable, str(Path(__file__).with_name("faulty_server.py"))]
TIMEOUT = 10.0


class RecordingClient(LanguageClient):
    """The pytest-lsp client, also keeping every publication in arrival order."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.publications: list[types.PublishDiagnosticsParams] = []
        self.initialize_result: types.InitializeResult | None = None

    def published(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [p for p in self.publications if p.uri == uri]


def _record(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.publications.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def make_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record})
    return client


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def config(command: list[str] | None = None, **env: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=command or SERVER_COMMAND, client_factory=make_client,
                              server_env=server_env(**env))


def initialize_params(options: Any = None, configuration_pull: bool = False,
                      root: Path | None = None) -> types.InitializeParams:
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(configuration=configuration_pull),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True, version_support=True, code_description_support=True,
                data_support=True)))
    return types.InitializeParams(capabilities=capabilities, initialization_options=options,
                                  root_uri=(root or ROOT).as_uri())


@contextlib.asynccontextmanager
async def session(options: Any = None, command: list[str] | None = None, configuration_pull: bool = False,
                  root: Path | None = None, **env: str) -> AsyncIterator[RecordingClient]:
    """An initialized client connected to a fresh server process (``root``: the folder opened,
    by default the repository)."""
    client = await config(command, **env).start()
    try:
        client.initialize_result = await asyncio.wait_for(
            client.initialize_session(initialize_params(options, configuration_pull, root)), TIMEOUT)
        yield client
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    except BaseException:
        # a failed test never sends `exit`: end the process, or stop() waits for it forever
        process = client._server
        if process is not None and process.returncode is None:
            process.kill()
        raise
    finally:
        await client.stop()


def uri_of(name: str) -> str:
    return (ROOT / "tests" / "server" / "virtual" / name).as_uri()


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1, language_id: str = "rust") -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))


async def opened(client: RecordingClient, name: str, text: str) -> str:
    """Opens the document ``name`` (see :func:`uri_of`) with ``text`` and waits for its first
    publication; returns its URI."""
    uri = uri_of(name)
    open_document(client, uri, text)
    await wait_for_publication(client, uri, version=1)
    return uri


def change_document(client: LanguageClient, uri: str, version: int, start: tuple[int, int], end: tuple[int, int],
                    text: str) -> None:
    """One incremental edit: replace the range start..end ((line, character) pairs) with text."""
    edit_range = types.Range(start=types.Position(*start), end=types.Position(*end))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=edit_range, text=text)]))


def close_document(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def wait_until(predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.01)


async def wait_for_publication(client: RecordingClient, uri: str, version: int | None = None,
                               after: int = 0) -> types.PublishDiagnosticsParams:
    """The first publication for ``uri`` (with ``version``, when given) among those received after
    the first ``after`` publications."""
    def found() -> types.PublishDiagnosticsParams | None:
        for params in client.publications[after:]:
            if params.uri == uri and (version is None or params.version == version):
                return params
        return None

    await wait_until(lambda: found() is not None)
    return found()


def summary(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    """(code, message, severity name, [line, char, end line, end char]) per diagnostic."""
    return [(d.code, d.message, types.DiagnosticSeverity(d.severity).name.lower() if d.severity else None,
             [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character])
            for d in diagnostics]


def analysis_summary(text: str, settings=None) -> list[tuple]:
    """What ``asm_ls.analysis.analyze`` says about ``text``, in the shape of :func:`summary`."""
    from asm_ls.analysis import Settings, analyze
    from asm_ls.syntax.source import SourceFile

    source = SourceFile.from_text(text)
    result = analyze(source, settings or Settings())
    return [(d.code, d.message, d.severity, source.range(d.start, d.end).as_list()) for d in result.diagnostics]
