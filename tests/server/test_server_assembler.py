"""The language server delivers assembler findings after the front end's, for the same text, and
`assemble: false` turns them off."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from lsprotocol import types

from lsp_harness import open_document, session, summary, uri_of, wait_for_publication

pytestmark = [pytest.mark.asyncio, pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")]

TEXT = '''pub fn add_five(x: u64) -> u64 {
    let mut y = x;
    unsafe { core::arch::asm!("addd {0}, 5", inout(reg) y) };
    y
}
'''
ADDD = ("assembler-error", "invalid instruction mnemonic 'addd' (target: x86_64)", "error", [2, 31, 2, 35])


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


async def _assembled_publication(client, uri: str, text: str):
    """Open ``text`` and return the second publication: the one after the assembler ran."""
    open_document(client, uri, text)
    first = await wait_for_publication(client, uri, version=1)
    return await wait_for_publication(client, uri, version=1, after=client.publications.index(first) + 1)


SYSCALL = '''pub unsafe fn exit(code: u64) {
    core::arch::asm!("syscall", in("rax") 60u64, in("rdi") code, out("r11") _, options(nostack));
}
'''


async def test_quick_fix_for_a_contract_finding():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("syscall.rs")
        second = await _assembled_publication(client, uri, SYSCALL)
        assert summary(second.diagnostics) == [
            ("undeclared-clobber", "`syscall` writes `rcx`, which is not declared as an output or clobber (target: x86_64)", "error",
             [1, 22, 1, 29])]
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=second.diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=second.diagnostics)))
        [action] = actions
        [edit] = action.edit.changes[uri]
        assert edit.new_text.strip(", ") == 'out("rcx") _'


TWO_FUNCTIONS = '''pub unsafe fn ticks() -> u64 {
    let low: u64;
    core::arch::asm!("rdtsc", "shl rdx, 32", "or rax, rdx", out("rax") low, options(nomem, nostack));
    low
}

#[target_feature(enable = "avx2")]
pub unsafe fn wide() {
    core::arch::asm!("vpaddd ymm1, ymm1, ymm1", out("ymm1") _, options(nomem, nostack));
}
'''


async def test_one_rustc_run_serves_the_assembler_the_contract_analysis_and_instruction_hover(tmp_path):
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "rustc"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec rustc "$@"\n')
    wrapper.chmod(0o755)
    async with session({"targets": ["x86_64-unknown-linux-gnu"], "rustc": str(wrapper)}) as client:
        uri = uri_of("one_run.rs")
        second = await _assembled_publication(client, uri, TWO_FUNCTIONS)
        assert summary(second.diagnostics) == [
            ("undeclared-clobber", "`shl` writes `rdx`, which is not declared as an output or clobber (target: x86_64)", "error",
             [2, 31, 2, 42])]
        hovers = {}
        for line, character in ((2, 47), (8, 23)):       # `or` and `vpaddd`
            found = await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))
            hovers[line] = found.contents.value.splitlines()[0]
        assert hovers == {2: "instruction or rax, rdx (x86_64)",          # plain text: the client
                          8: "instruction vpaddd ymm1, ymm1, ymm1 (x86_64)"}  # asks for no Markdown
    runs = [line for line in log.read_text().splitlines() if "--emit=obj" in line]
    assert len(runs) == 1
