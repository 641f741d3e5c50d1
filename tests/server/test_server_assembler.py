"""The language server delivers assembler findings after the front end's, for the same text, and
`assemble: false` turns them off."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from lsprotocol import types
from pygls.protocol import default_converter

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


SYSCALL = '''pub unsafe fn getpid(code: u64) {
    core::arch::asm!("syscall", inlateout("rax") 39u64 => _, in("rdi") code, options(nostack));
}
'''
_CONVERTER = default_converter()
OPTIONS_AT = SYSCALL.split("\n")[1].index("options(")


def _quick_fix(title: str, preferred: bool, uri: str, new_text: str, reported) -> types.CodeAction:
    at = types.Position(line=1, character=OPTIONS_AT)
    return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[reported],
                            is_preferred=preferred or None, edit=types.WorkspaceEdit(changes={uri: [
                                types.TextEdit(range=types.Range(start=at, end=at), new_text=new_text)]}))


async def test_quick_fixes_of_two_findings_of_one_instruction():
    """`syscall` writes `rcx` and `r11`: each finding gets its own fix (code and range alike), and
    one more adds both."""
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("syscall.rs")
        second = await _assembled_publication(client, uri, SYSCALL)
        assert summary(second.diagnostics) == [
            ("undeclared-clobber", f"`syscall` writes `{name}`, which is not declared as an output or clobber "
                                   "(target: x86_64)", "error", [1, 22, 1, 29]) for name in ("r11", "rcx")]
        found = []
        for reported in second.diagnostics:
            found.append(await client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri), range=reported.range,
                context=types.CodeActionContext(diagnostics=[reported]))))
        r11, rcx = second.diagnostics
        assert _CONVERTER.unstructure(found) == _CONVERTER.unstructure([
            [_quick_fix('Add `lateout("r11") _`', True, uri, 'lateout("r11") _, ', r11),
             _quick_fix("Add all missing clobbers of the block (2)", False, uri,
                        'lateout("r11") _, lateout("rcx") _, ', r11)],
            [_quick_fix('Add `lateout("rcx") _`', True, uri, 'lateout("rcx") _, ', rcx),
             _quick_fix("Add all missing clobbers of the block (2)", False, uri,
                        'lateout("r11") _, lateout("rcx") _, ', rcx)]])


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
            ("undeclared-clobber", "`rdtsc` writes `rdx`, which is not declared as an output or clobber (target: x86_64)",
             "error", [2, 22, 2, 27])]
        hovers = {}
        for line, character in ((2, 47), (8, 23)):       # `or` and `vpaddd`
            found = await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))
            hovers[line] = found.contents.value.splitlines()[0]
        # plain text: the client asks for no Markdown
        assert hovers == {2: "instruction or rax, rdx (x86_64): Logical Inclusive OR",
                          8: "instruction vpaddd ymm1, ymm1, ymm1 (x86_64): Add Packed Doubleword Integers"}
    runs = [line for line in log.read_text().splitlines() if "--emit=obj" in line]
    assert len(runs) == 1
