"""The language server delivers assembler findings after the front end's, for the same text, and
`assemble: false` turns them off."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from lsp_harness import open_document, session, summary, uri_of, wait_for_publication

pytestmark = [pytest.mark.asyncio, pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")]

TEXT = '''pub fn add_five(x: u64) -> u64 {
    let mut y = x;
    unsafe { core::arch::asm!("addd {0}, 5", inout(reg) y) };
    y
}
'''
ADDD = ("assembler-error", "invalid instruction mnemonic 'addd'", "error", [2, 31, 2, 35])


async def test_assembler_findings_follow_the_front_end():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("assembled.rs")
        open_document(client, uri, TEXT)
        first = await wait_for_publication(client, uri, version=1)
        assert summary(first.diagnostics) == []
        second = await wait_for_publication(client, uri, version=1, after=client.publications.index(first) + 1)
        assert summary(second.diagnostics) == [ADDD]


async def test_assembler_can_be_turned_off():
    async with session({"targets": ["x86_64-unknown-linux-gnu"], "assemble": False}) as client:
        uri = uri_of("not_assembled.rs")
        open_document(client, uri, TEXT)
        first = await wait_for_publication(client, uri, version=1)
        assert summary(first.diagnostics) == []
        await asyncio.sleep(1.5)     # long enough for an assembler run to have published
        assert [p for p in client.publications if p.uri == uri] == [first]
