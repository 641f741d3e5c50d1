"""textDocument/formatting and textDocument/rangeFormatting through the real server process: the exact edits,
nothing for a block that does not assemble (the reason in the log), and the empty answer for documents that are
not open.  One server process for the module."""

from __future__ import annotations

import shutil

import pytest
import pytest_lsp
from lsprotocol import types

from lsp_harness import RecordingClient, config, initialize_params, opened, uri_of, wait_until

pytestmark = [pytest.mark.asyncio(loop_scope="module"),
              pytest.mark.skipif(shutil.which("rustc") is None, reason="no rustc on PATH")]

OPTIONS = {"targets": ["x86_64-unknown-linux-gnu"]}
# 'é' is one UTF-16 unit (two bytes): the columns below are UTF-16
TEXT = '''use std::arch::asm;

pub unsafe fn f(x: u64) -> u64 {
    let y: u64; /* é */ asm!("mov   {0},{1}\\n  add {0} , 1", out(reg) y, in(reg) x);
    asm!(
        "2:",
        "dec  {0}",
        "jnz   2b",
        inout(reg) x => _,
    );
    asm!("bogus  rax,rbx");
    y
}
'''


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def rng(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(start=pos(line, start), end=pos(end_line, end))


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


OPTIONS_FORMAT = types.FormattingOptions(tab_size=4, insert_spaces=True)


@pytest_lsp.fixture(scope="module", config=config())
async def client(lsp_client: RecordingClient):
    lsp_client.initialize_result = await lsp_client.initialize_session(initialize_params(OPTIONS))
    yield
    await lsp_client.shutdown_session()


async def test_capabilities(client: RecordingClient):
    capabilities = client.initialize_result.capabilities
    assert capabilities.document_formatting_provider
    assert capabilities.document_range_formatting_provider


async def test_formatting_edits(client: RecordingClient):
    uri = await opened(client, "format_document.rs", TEXT)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=OPTIONS_FORMAT))
    assert list(edits) == [
        types.TextEdit(range=rng(3, 29, 3, 59), new_text='"mov {0}, {1}",\n                             "add {0}, 1"'),
        types.TextEdit(range=rng(6, 8, 6, 18), new_text='"dec {0}"'),
        types.TextEdit(range=rng(7, 8, 7, 18), new_text='"jnz 2b"'),
    ]
    await wait_until(lambda: any("`asm!` at line 11 left as written: it does not assemble (invalid instruction "
                                 "mnemonic 'bogus')" in message.message for message in client.log_messages))


async def test_range_formatting(client: RecordingClient):
    uri = await opened(client, "format_range.rs", TEXT)
    edits = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(text_document=doc(uri), range=rng(6, 0, 6, 3), options=OPTIONS_FORMAT))
    assert list(edits) == [
        types.TextEdit(range=rng(6, 8, 6, 18), new_text='"dec {0}"'),
        types.TextEdit(range=rng(7, 8, 7, 18), new_text='"jnz 2b"'),
    ]


async def test_formatted_document_has_no_edits(client: RecordingClient):
    uri = await opened(client, "format_done.rs", 'pub fn f() { unsafe { std::arch::asm!("nop", "mov eax, 1", '
                                                 'out("eax") _) } }\n')
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=OPTIONS_FORMAT))
    assert list(edits) == []


async def test_document_not_open(client: RecordingClient):
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri_of("format_not_open.rs")), options=OPTIONS_FORMAT))
    assert list(edits) == []
