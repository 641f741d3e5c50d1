"""A server with no rustc on PATH says so once per session (a warning naming the `rustc` setting)
and publishes no per-file `assembler-unavailable` diagnostic."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from lsp_harness import open_document, session, summary, uri_of, wait_for_publication, wait_until

pytestmark = pytest.mark.asyncio

TEXT = '''pub fn add_five(x: u64) -> u64 {
    let mut y = x;
    unsafe { core::arch::asm!("addd {0}, 5", inout(reg) y) };
    y
}
'''


async def test_no_rustc_is_said_once_per_session(tmp_path):
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}, PATH=str(tmp_path)) as client:
        uris = [uri_of("no_rustc_one.rs"), uri_of("no_rustc_two.rs")]
        for uri in uris:
            open_document(client, uri, TEXT)
            first = await wait_for_publication(client, uri, version=1)
            assert summary(first.diagnostics) == []
        await wait_until(lambda: bool(client.messages))
        await asyncio.sleep(1.0)        # long enough for both assembler runs to have ended
        assert [(m.type, m.message) for m in client.messages] == [(
            types.MessageType.Warning,
            "asm-ls: templates were not assembled: `rustc` was not found; the checks that need the assembler are "
            "off (set `rustc` in the asm-ls settings to the rustc to use)")]
        assert [summary(p.diagnostics) for p in client.publications if p.uri in uris] == [[], []]
