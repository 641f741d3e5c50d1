"""The server under stress and failure: a failing analysis is logged and harms no other document,
overlapping analyses never publish stale results, didSave analyses at once, and the TCP mode."""

from __future__ import annotations

import asyncio
import socket
import sys

import pytest
from lsprotocol import types

from lsp_harness import (FAULTY_SERVER_COMMAND, ROOT, analysis_summary, change_document, initialize_params,
                         make_client, open_document, server_env, session, summary, uri_of, wait_for_publication,
                         wait_until)

pytestmark = pytest.mark.asyncio

HEAD = "use std::arch::asm;\n\n"
BROKEN = HEAD + 'pub unsafe fn f() {\n    asm!("{}");\n}\n'
INVALID_INDEX = ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 10, 3, 12])


async def test_failing_analysis_is_logged_and_isolated():
    async with session(command=FAULTY_SERVER_COMMAND) as client:
        good = uri_of("good.rs")
        open_document(client, good, BROKEN)
        assert summary((await wait_for_publication(client, good, version=1)).diagnostics) == [INVALID_INDEX]

        bad = uri_of("bad.rs")
        open_document(client, bad, BROKEN + "// INJECTED_FAILURE\n")
        published = await wait_for_publication(client, bad, version=1)
        assert list(published.diagnostics) == []
        await wait_until(lambda: any("injected analysis failure" in m.message for m in client.log_messages))
        logged = next(m for m in client.log_messages if "injected analysis failure" in m.message)
        assert logged.type == types.MessageType.Error
        assert bad in logged.message

        # the other document keeps its result and the server keeps answering
        assert summary(client.diagnostics[good]) == [INVALID_INDEX]
        change_document(client, good, 2, (3, 10), (3, 12), "nop")
        assert list((await wait_for_publication(client, good, version=2)).diagnostics) == []
        change_document(client, bad, 2, (5, 0), (6, 0), "")
        published = await wait_for_publication(client, bad, version=2)
        assert summary(published.diagnostics) == [INVALID_INDEX]


def _big_document(blocks: int) -> str:
    body = "".join(f'pub unsafe fn f{i}(x: u64) {{\n    asm!("/* {{}} */ nop", in(reg) x, options(nomem, nostack));\n}}\n'
                   for i in range(blocks))
    return HEAD + body


async def test_overlapping_analyses_never_publish_stale_results():
    # No debounce: every edit starts an analysis while the previous ones may still be running.
    async with session(ASM_LS_DEBOUNCE_MS="0") as client:
        uri = uri_of("big.rs")
        text = _big_document(300)
        open_document(client, uri, text)
        await wait_for_publication(client, uri, version=1)
        before = len(client.publications)
        # edit the first block's template: "/* {} */ nop" -> "/* {} */ nop {5}" ... one character at a time
        line, column = 3, len('    asm!("/* {} */ nop')
        typed = " {5}"
        for version, char in enumerate(typed, start=2):
            change_document(client, uri, version, (line, column), (line, column), char)
            column += 1
            await asyncio.sleep(0.005)
        final_version = 1 + len(typed)
        final_text = text.replace('nop"', 'nop {5}"', 1)
        published = await wait_for_publication(client, uri, version=final_version, after=before)
        await asyncio.sleep(0.5)
        versions = [p.version for p in client.publications[before:] if p.uri == uri]
        assert versions == sorted(versions) and versions[-1] == final_version
        assert summary(published.diagnostics) == analysis_summary(final_text) == [
            ("invalid-argument-index", "invalid reference to argument at index 5", "error", [3, 23, 3, 26])]


async def test_save_analyses_without_waiting_for_the_debounce():
    async with session(ASM_LS_DEBOUNCE_MS="60000") as client:
        uri = uri_of("saved.rs")
        open_document(client, uri, BROKEN)
        await wait_for_publication(client, uri, version=1)
        change_document(client, uri, 2, (3, 10), (3, 12), "nop")
        await asyncio.sleep(0.3)
        assert [p.version for p in client.published(uri)] == [1]
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        published = await wait_for_publication(client, uri, version=2)
        assert list(published.diagnostics) == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_tcp_mode():
    port = _free_port()
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "asm_ls", "--tcp", f"127.0.0.1:{port}",
                                                   env=server_env(), cwd=str(ROOT))
    client = make_client()
    try:
        for _ in range(200):
            try:
                await client.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the TCP server did not start")
        result = await asyncio.wait_for(client.initialize_session(initialize_params()), 10)
        assert result.server_info.name == "asm-ls"
        uri = uri_of("tcp.rs")
        open_document(client, uri, BROKEN)
        assert summary((await wait_for_publication(client, uri, version=1)).diagnostics) == [INVALID_INDEX]
        await asyncio.wait_for(client.shutdown_session(), 10)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await client.stop()


async def test_bad_tcp_address_is_a_usage_error():
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "asm_ls", "--tcp", "localhost:http",
                                                   env=server_env(), stderr=asyncio.subprocess.PIPE)
    _, stderr = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 2
    assert b"HOST:PORT" in stderr
