"""Published diagnostics over the document lifecycle: open, incremental change, rapid edits,
save-independent debouncing, close, and which documents are checked.  One server process for the
module; every test uses its own document.

Expected messages and ranges are rustc's (checked with tests/oracle/rustc_oracle.py,
``--emit metadata``, host target), and match ``asm_ls.analysis.analyze`` on the same text."""

from __future__ import annotations

from pathlib import Path

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types

from lsp_harness import (RecordingClient, change_document, close_document, config, initialize_params,
                         open_document, summary, analysis_summary, uri_of, wait_for_publication)

pytestmark = pytest.mark.asyncio(loop_scope="module")

HEAD = "use std::arch::asm;\n\n"
BROKEN = HEAD + 'pub unsafe fn f() {\n    asm!("{}");\n}\n'
VALID = HEAD + 'pub unsafe fn f() {\n    asm!("nop");\n}\n'
NOT_UNSAFE = HEAD + 'pub fn f() {\n    asm!("nop");\n}\n'
DUPLICATE_NAME = HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("/* {a} */", a = in(reg) x, a = in(reg) x);\n}\n'
DUPLICATE_OPTION = HEAD + 'pub unsafe fn f() {\n    asm!("nop", options(nomem, nomem));\n}\n'

INVALID_INDEX = ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 10, 3, 12])


@pytest_lsp.fixture(scope="module", config=config())
async def client(lsp_client: RecordingClient):
    await lsp_client.initialize_session(initialize_params())
    yield
    await lsp_client.shutdown_session()


async def test_broken_block_is_reported_exactly(client: RecordingClient):
    uri = uri_of("broken.rs")
    open_document(client, uri, BROKEN)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [INVALID_INDEX]
    diagnostic = published.diagnostics[0]
    assert diagnostic.source == "asm-ls"
    # the code's section of the page installed with the package (this checkout's), at its heading
    page = Path(__file__).resolve().parents[2] / "asm_ls" / "diagnostics" / "diagnostics.md"
    heading = page.read_text(encoding="utf-8").splitlines().index("### `invalid-argument-index`") + 1
    assert diagnostic.code_description == types.CodeDescription(href=f"{page.as_uri()}#L{heading}")
    assert diagnostic.data is None


async def test_valid_document_gets_empty_list(client: RecordingClient):
    uri = uri_of("valid.rs")
    open_document(client, uri, VALID)
    published = await wait_for_publication(client, uri, version=1)
    assert list(published.diagnostics) == []


async def test_missing_unsafe_with_note(client: RecordingClient):
    uri = uri_of("not_unsafe.rs")
    open_document(client, uri, NOT_UNSAFE)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [
        ("asm-requires-unsafe", "use of inline assembly is unsafe and requires unsafe function or block", "error",
         [3, 4, 3, 15])]
    primary = published.diagnostics[0].range
    assert list(published.diagnostics[0].related_information) == [types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=primary),
        message="note: inline assembly is entirely unchecked and can cause undefined behavior")]


async def test_related_information_and_data(client: RecordingClient):
    uri = uri_of("related.rs")
    open_document(client, uri, DUPLICATE_NAME)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [
        ("duplicate-operand-name", "duplicate argument named `a`", "error", [3, 37, 3, 50]),
        ("unused-argument", "argument never used", "error", [3, 37, 3, 50]),
    ]
    previous = types.Range(start=types.Position(3, 22), end=types.Position(3, 35))
    assert list(published.diagnostics[0].related_information) == [types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=previous), message="previously here")]

    uri = uri_of("data.rs")
    open_document(client, uri, DUPLICATE_OPTION)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [
        ("duplicate-option", "the `nomem` option was already provided", "error", [3, 31, 3, 36])]
    # the fix is typed data the server keeps (matched back by code, range and message): none is sent
    assert published.diagnostics[0].data is None


async def test_incremental_fix_clears_error(client: RecordingClient):
    uri = uri_of("fixed.rs")
    open_document(client, uri, BROKEN)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [INVALID_INDEX]
    change_document(client, uri, 2, (3, 10), (3, 12), "nop")
    published = await wait_for_publication(client, uri, version=2)
    assert list(published.diagnostics) == []


async def test_rapid_edits_end_with_final_text(client: RecordingClient):
    uri = uri_of("rapid.rs")
    open_document(client, uri, VALID)
    await wait_for_publication(client, uri, version=1)
    before = len(client.publications)
    # `asm!("nop")` -> "nop {" -> "nop {}" -> "nop {x}" -> "nop {}"
    change_document(client, uri, 2, (3, 13), (3, 13), " {")
    change_document(client, uri, 3, (3, 15), (3, 15), "}")
    change_document(client, uri, 4, (3, 15), (3, 15), "x")
    change_document(client, uri, 5, (3, 15), (3, 16), "")
    published = await wait_for_publication(client, uri, version=5, after=before)
    assert summary(published.diagnostics) == [
        ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 14, 3, 16])]
    assert summary(published.diagnostics) == analysis_summary(VALID.replace('"nop"', '"nop {}"'))
    await asyncio.sleep(0.5)
    later = [p for p in client.publications[before:] if p.uri == uri]
    # debounced: the burst produced exactly one publication, for the final text
    assert [p.version for p in later] == [5]


async def test_each_intermediate_state_when_edits_are_spaced(client: RecordingClient):
    uri = uri_of("spaced.rs")
    open_document(client, uri, VALID)
    await wait_for_publication(client, uri, version=1)
    change_document(client, uri, 2, (3, 13), (3, 13), " {")
    published = await wait_for_publication(client, uri, version=2)
    assert summary(published.diagnostics) == [
        ("invalid-template", "invalid asm template string: expected `}` but string was terminated", "error",
         [3, 15, 3, 15])]
    change_document(client, uri, 3, (3, 15), (3, 15), "x}")
    published = await wait_for_publication(client, uri, version=3)
    assert summary(published.diagnostics) == [
        ("unknown-argument-name", "there is no argument named `x`", "error", [3, 15, 3, 16])]


async def test_close_clears(client: RecordingClient):
    uri = uri_of("closed.rs")
    open_document(client, uri, BROKEN)
    await wait_for_publication(client, uri, version=1)
    before = len(client.publications)
    close_document(client, uri)
    published = await wait_for_publication(client, uri, after=before)
    assert list(published.diagnostics) == []
    assert list(client.diagnostics[uri]) == []


async def test_close_during_pending_change_publishes_nothing_after_clear(client: RecordingClient):
    uri = uri_of("closed_pending.rs")
    open_document(client, uri, VALID)
    await wait_for_publication(client, uri, version=1)
    before = len(client.publications)
    change_document(client, uri, 2, (3, 10), (3, 13), "{}")
    close_document(client, uri)
    await wait_for_publication(client, uri, after=before)
    await asyncio.sleep(0.4)
    assert [list(p.diagnostics) for p in client.published(uri)[-1:]] == [[]]
    assert [p.version for p in client.publications[before:] if p.uri == uri] == [None]


async def test_only_rust_documents(client: RecordingClient):
    text_uri = uri_of("notes.txt")
    open_document(client, text_uri, BROKEN, language_id="plaintext")
    untitled = "untitled:Untitled-1"
    open_document(client, untitled, BROKEN, language_id="rust")
    published = await wait_for_publication(client, untitled, version=1)
    assert summary(published.diagnostics) == [INVALID_INDEX]
    suffix_uri = uri_of("by_suffix.rs")
    open_document(client, suffix_uri, BROKEN, language_id="")
    published = await wait_for_publication(client, suffix_uri, version=1)
    assert summary(published.diagnostics) == [INVALID_INDEX]
    await asyncio.sleep(0.2)
    assert client.published(text_uri) == []
    close_document(client, text_uri)
    await asyncio.sleep(0.2)
    assert client.published(text_uri) == []


async def test_invalid_content_still_answered(client: RecordingClient):
    uri = uri_of("garbage.rs")
    text = 'asm!(((( "\n fn {{{ \x00 \ufeff é 𝄞 asm!("{}", in(reg)\n'
    open_document(client, uri, text)
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == analysis_summary(text)
    empty = uri_of("empty.rs")
    open_document(client, empty, "")
    assert list((await wait_for_publication(client, empty, version=1)).diagnostics) == []


async def test_utf16_columns(client: RecordingClient):
    # 'é' is one UTF-16 unit (two bytes), '𝄞' two units (four bytes)
    uri = uri_of("unicode.rs")
    open_document(client, uri, HEAD + 'pub unsafe fn f() {\n    asm!("é𝄞 {}");\n}\n')
    published = await wait_for_publication(client, uri, version=1)
    assert summary(published.diagnostics) == [
        ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 14, 3, 16])]
