"""Client faults: malformed JSON-RPC, cancelled requests, requests for closed and unknown documents, shutdown while
the assembler runs, and edits at positions pygls would misplace.  The server answers what it can, survives what it
cannot, never leaves a process behind, and exits cleanly."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading
import time

import pytest
from lsprotocol import types

from asm_ls.server.documents import LspTextDocument
from lsp_harness import (ROOT, SERVER_COMMAND, close_document, open_document, server_env, session, uri_of,
                         wait_for_publication, wait_until)
from lsp_requests import all_requests
from rustc_stand_in import fake_rustc, hanging_body, process_state

HEAD = "use std::arch::asm;\n\n"
BROKEN = HEAD + 'pub unsafe fn f() {\n    asm!("{}");\n}\n'


# ---- edits: LSP positions, not pygls's ------------------------------------------------------------------------------

def _edited(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    document = LspTextDocument("file:///x.rs", text, sync_kind=types.TextDocumentSyncKind.Incremental)
    document.apply_change(types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=new))
    return document.source


@pytest.mark.parametrize("text, start, end, new, result", [
    # form feed, U+2028, NEL, VT and FS do not end lines in LSP (pygls's splitlines says they do)
    ("a\x0cb\nc", (1, 0), (1, 1), "X", "a\x0cb\nX"),
    ("a\u2028b\nc", (1, 0), (1, 0), "X", "a\u2028b\nXc"),
    ("a\x85\x0b\x1cb\nc", (1, 1), (1, 1), "X", "a\x85\x0b\x1cb\ncX"),
    # \r, \r\n and \n do
    ("a\rb\r\nc\nd", (3, 0), (3, 1), "X", "a\rb\r\nc\nX"),
    # a column past the end of a line means its end, never past its line break
    ("u\nse", (0, 0), (0, 2), "", "\nse"),
    ("ab\r\ncd", (0, 1), (0, 9), "X", "aX\r\ncd"),
    ("ab", (0, 9), (0, 9), "X", "abX"),
    # UTF-16 columns; lines past the end are the end of the text
    ("a\U0001F600b\nc", (0, 3), (0, 4), "X", "a\U0001F600X\nc"),
    ("ab\n", (7, 0), (7, 3), "X", "ab\nX"),
    ("ab\n", (1, 0), (1, 0), "X", "ab\nX"),
    # an end before the start deletes nothing
    ("abc", (0, 2), (0, 1), "X", "abXc"),
])
def test_incremental_edits_follow_the_lsp_specification(text, start, end, new, result):
    assert _edited(text, start, end, new) == result


def test_document_lines_split_only_at_lsp_line_ends():
    document = LspTextDocument("file:///x.rs", "a\x0cb\r\nc\rd\u2028e\n", sync_kind=types.TextDocumentSyncKind.Incremental)
    assert document.lines == ("a\x0cb\r\n", "c\r", "d\u2028e\n")


# ---- raw JSON-RPC -------------------------------------------------------------------------------------------------

class RawClient:
    """The server on stdio, spoken to byte by byte."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=server_env(ASM_LS_DEBOUNCE_MS="0"),
                                        cwd=str(ROOT))
        self.inbox: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length)))

    def raw(self, body: bytes, header: bytes | None = None) -> None:
        self.process.stdin.write((header if header is not None else b"Content-Length: %d\r\n\r\n" % len(body)) + body)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        self.raw(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def wait(self, predicate, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        for message in self.seen:
            if predicate(message):
                return message
        while True:
            try:
                message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("the server did not answer") from None
            self.seen.append(message)
            if predicate(message):
                return message

    def response(self, request_id) -> dict:
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m)

    def request(self, request_id, method: str, params) -> dict:
        self.send({"id": request_id, "method": method, "params": params})
        return self.response(request_id)

    def initialize(self) -> None:
        result = self.request(0, "initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                                "initializationOptions": {"assemble": False}})
        assert result["result"]["serverInfo"]["name"] == "asm-ls"
        self.send({"method": "initialized", "params": {}})

    def finish(self) -> int:
        assert self.request("bye", "shutdown", None)["result"] is None
        self.send({"method": "exit"})
        return self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def raw_client():
    client = RawClient()
    yield client
    client.close()


def _publication(uri: str, version: int):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and m["params"].get("version") == version)


def _hover(client: RawClient, request_id, uri: str, line: int, character: int) -> dict:
    return client.request(request_id, "textDocument/hover",
                          {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})


def test_malformed_messages_are_survived(raw_client):
    client = raw_client
    client.initialize()
    for body in [b"{oops", b"[1, 2]", b'"text"', b"null", b"{}", b'{"jsonrpc": "2.0"}', b"\xff\xfe{}",
                 b'{"jsonrpc": "2.0", "method": 5}', b'{"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"}']:
        client.raw(body)
    client.raw(b"{}", header=b"X-Nothing: 1\r\nContent-Length: 2\r\n\r\n")
    # notifications with missing or wrong parameters, and for documents never opened
    client.send({"method": "textDocument/didOpen", "params": {}})
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": 5}})
    client.send({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": "file:///never.rs", "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                            "text": "x"}]}})
    client.send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": "file:///never.rs"}}})
    client.send({"method": "asm/unknownNotification", "params": {}})
    # requests: an unknown method, missing and mistyped parameters
    assert client.request("u", "asm/unknown", {})["error"]["code"] == -32601
    assert "error" in client.request("p1", "textDocument/hover", {"textDocument": {"uri": "file:///x.rs"}})
    assert "error" in client.request("p2", "textDocument/hover", 5)
    assert "error" in client.request("p3", "textDocument/completion", {"position": {"line": "a"}})
    # still serving: a document with a lone surrogate (JSON allows it) and a non-BMP character before a finding
    uri = "file:///virtual/surrogate.rs"
    text = "// \ud800 \U0001F600\n" + BROKEN
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "rust", "version": 1, "text": text}}})
    published = client.wait(_publication(uri, 1))["params"]["diagnostics"]
    assert [(d["code"], d["range"]) for d in published] == [
        ("invalid-argument-index", {"start": {"line": 4, "character": 10}, "end": {"line": 4, "character": 12}})]
    hover = _hover(client, "ok", uri, 4, 10)
    assert "error" not in hover and hover["result"] is not None
    assert client.finish() == 0


def test_cancelled_requests(raw_client):
    client = raw_client
    client.initialize()
    uri = "file:///virtual/big.rs"
    body = "".join(f'pub unsafe fn f{i}(x: u64) {{\n    asm!("/* {{}} */ nop", in(reg) x);\n}}\n' for i in range(400))
    client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "rust", "version": 1, "text": HEAD + body}}})
    answers = []
    for index in range(5):
        client.send({"id": f"c{index}", "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 3 + 3 * index, "character": 13}}})
        client.send({"method": "$/cancelRequest", "params": {"id": f"c{index}"}})
        answers.append(client.response(f"c{index}"))
    # each cancelled request gets an answer: its result when it had run, else RequestCancelled
    for answer in answers:
        assert "result" in answer or answer["error"]["code"] == -32800, answer
    client.send({"method": "$/cancelRequest", "params": {"id": "never-sent"}})
    hover = _hover(client, "after", uri, 3, 13)         # on the placeholder `{}`
    assert "placeholder" in hover["result"]["contents"]["value"].lower(), hover
    assert client.finish() == 0


# ---- through pytest-lsp -------------------------------------------------------------------------------------------

pytestmark_async = pytest.mark.asyncio


EMPTY = [None, None, None, [], [], None, None, [], [], [], []]


def _plain(answer):
    """Empty answers as lists (the client's converter gives tuples), semantic tokens as their data."""
    if isinstance(answer, types.SemanticTokens):
        answer = answer.data
    return list(answer) if isinstance(answer, tuple) else answer


@pytestmark_async
async def test_requests_for_closed_and_unknown_documents():
    async with session({"assemble": False}) as client:
        uri = uri_of("closed.rs")
        open_document(client, uri, BROKEN)
        await wait_for_publication(client, uri, version=1)
        close_document(client, uri)
        await wait_until(lambda: client.published(uri)[-1].version is None)
        assert list(client.published(uri)[-1].diagnostics) == []
        count = len(client.published(uri))
        for target in (uri, uri_of("never_opened.rs")):
            answers = await asyncio.wait_for(asyncio.gather(*all_requests(client, target)), 10)
            assert [_plain(answer) for answer in answers] == EMPTY
        # an edit for the closed document changes nothing and publishes nothing
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=BROKEN + "// x\n")]))
        await asyncio.sleep(0.3)
        assert len(client.published(uri)) == count


@pytestmark_async
async def test_shutdown_while_the_assembler_runs(tmp_path):
    pids = tmp_path / "pids"
    rustc = fake_rustc(tmp_path, hanging_body(pids))
    async with session({"assemble": True, "rustc": rustc}) as client:
        uri = uri_of("assembling.rs")
        open_document(client, uri, HEAD + 'pub unsafe fn f() {\n    asm!("nop");\n}\n')
        await wait_for_publication(client, uri, version=1)
        await wait_until(lambda: pids.exists() and len(pids.read_text().split()) == 3)
        started = time.monotonic()
    # the session sent shutdown and exit and waited for the process: well within rustc's 30 s time limit
    assert time.monotonic() - started < 10
    assert client._server.returncode == 0
    await asyncio.sleep(0.2)
    assert {process_state(int(pid)) for pid in pids.read_text().split()} <= {"gone", "Z", "X"}
