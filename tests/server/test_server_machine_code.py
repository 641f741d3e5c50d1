"""The machine-code view through the real server: `asm-ls.showMachineCode` (listed in executeCommandProvider) answers
the exact document for an x86_64 and an aarch64 block, the assembler's error for a block that does not assemble, and
an error response for arguments it cannot use; a code lens above each call runs it.  The bytes are rustc's own
(tests/ide/test_machine_code_bytes.py checks them against the oracle's object)."""

from __future__ import annotations

import shutil

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from lsp_harness import open_document, session, uri_of

pytestmark = [pytest.mark.asyncio, pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")]

COMMAND = "asm-ls.showMachineCode"

X86_64 = '''#[no_mangle]
pub extern "C" fn cycles() -> u64 {
    let t: u64;
    unsafe {
        core::arch::asm!(
            "rdtsc",
            "shl rdx, 32",
            "or rax, rdx",
            "mov {t}, rax",
            t = out(reg) t,
            out("rax") _,
            out("rdx") _,
            options(nomem, nostack),
        );
    }
    t
}

#[no_mangle]
pub extern "C" fn broken() {
    unsafe { core::arch::asm!("movq 1, 2") };
}
'''

X86_64_DOCUMENT = '''\
; asm! at tests/server/virtual/cycles.rs:5 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): t = rcx.
; Addresses are offsets from the block's first byte.

; line  address  bytes        instruction    reads     writes
     6  0000     0f 31        rdtsc                    rax, rdx
     7  0002     48 c1 e2 20  shl rdx, 0x20  rdx       rdx, flags(CF PF AF ZF SF OF)
     8  0006     48 09 d0     or rax, rdx    rax, rdx  rax, flags(CF PF AF ZF SF OF)
     9  0009     48 89 c1     mov rcx, rax   rax       rcx
'''

BROKEN_DOCUMENT = '''\
; asm! at tests/server/virtual/cycles.rs:21 in fn `broken`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The block does not assemble:
;   line 21, column 32: invalid operand for instruction
'''

AARCH64 = '''#[no_mangle]
pub extern "C" fn counter(x: u64) -> u64 {
    let t: u64;
    unsafe {
        asm!(
            "mrs {t}, cntvct_el0",
            "adds {t}, {t}, {x}",
            "isb",
            t = out(reg) t,
            x = in(reg) x,
            options(nomem, nostack),
        );
    }
    t
}
'''

AARCH64_DOCUMENT = '''\
; asm! at tests/server/virtual/counter.rs:5 in fn `counter`: machine code for aarch64-unknown-linux-gnu (aarch64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): t = x0, x = x1.
; Addresses are offsets from the block's first byte.

; line  address  bytes        instruction         reads   writes
     6  0000     40 e0 3b d5  mrs x0, cntvct_el0          x0
     7  0004     00 00 01 ab  adds x0, x0, x1     x0, x1  x0, NZCV
     8  0008     df 3f 03 d5  isb
'''


def _argument(uri: str, line: int, character: int) -> dict:
    return {"uri": uri, "position": {"line": line, "character": character}}


async def _show(client, *arguments):
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(command=COMMAND,
                                                                                  arguments=list(arguments)))


async def test_the_command_is_announced_with_code_lenses():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        capabilities = client.initialize_result.capabilities
        assert COMMAND in capabilities.execute_command_provider.commands
        assert capabilities.code_lens_provider == types.CodeLensOptions(resolve_provider=False)


async def test_x86_64_block_and_a_block_that_does_not_assemble():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("cycles.rs")
        open_document(client, uri, X86_64)
        # Anywhere in the call: the macro path, a template, an operand.
        for line, character in ((4, 8), (8, 14), (12, 20)):
            assert await _show(client, _argument(uri, line, character)) == {
                "title": "asm! at cycles.rs:5 (x86_64)", "language": "asm", "content": X86_64_DOCUMENT}
        assert await _show(client, _argument(uri, 20, 30)) == {
            "title": "asm! at cycles.rs:21 (x86_64)", "language": "asm", "content": BROKEN_DOCUMENT}


async def test_aarch64_block():
    async with session({"targets": ["aarch64-unknown-linux-gnu"]}) as client:
        uri = uri_of("counter.rs")
        open_document(client, uri, AARCH64)
        assert await _show(client, _argument(uri, 5, 12)) == {
            "title": "asm! at counter.rs:5 (aarch64)", "language": "asm", "content": AARCH64_DOCUMENT}


async def test_code_lens_above_each_call_runs_the_command():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("lenses.rs")
        open_document(client, uri, X86_64)
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        # At each call's macro path (`core::arch::asm!`), resolved already.
        assert [(lens.range, lens.command.title, lens.command.command, list(lens.command.arguments))
                for lens in lenses] == [
            (types.Range(start=types.Position(line=line, character=character),
                         end=types.Position(line=line, character=character)),
             "Show machine code (x86_64)", COMMAND, [_argument(uri, line, character)])
            for line, character in ((4, 8), (20, 13))]
        found = await _show(client, *lenses[0].command.arguments)
        assert found["content"] == X86_64_DOCUMENT.replace("virtual/cycles.rs", "virtual/lenses.rs")


async def test_no_code_lens_without_the_assembler():
    async with session({"targets": ["x86_64-unknown-linux-gnu"], "assemble": False}) as client:
        uri = uri_of("no_lenses.rs")
        open_document(client, uri, X86_64)
        assert await client.text_document_code_lens_async(types.CodeLensParams(
            text_document=types.TextDocumentIdentifier(uri=uri))) in ([], ())
        found = await _show(client, _argument(uri, 4, 8))
        assert found["content"] == (
            "; asm! at tests/server/virtual/no_lenses.rs:5 in fn `cycles`: machine code for x86_64-unknown-linux-gnu"
            " (x86_64)\n; The assembler is off (the `assemble` setting): asm-ls shows no machine code.\n")


async def test_what_the_command_cannot_show_answers_why():
    async with session({"targets": ["x86_64-unknown-linux-gnu"]}) as client:
        uri = uri_of("refused.rs")
        open_document(client, uri, X86_64)
        for arguments, message in [
            ((_argument(uri, 0, 0),), "no asm!, global_asm! or naked_asm! call at line 1"),
            ((_argument(uri_of("closed.rs"), 4, 8),), f"{uri_of('closed.rs')} is not an open Rust document"),
            ((), f"{COMMAND} takes one argument: {{uri, position: {{line, character}}}}"),
            (({"uri": uri},), f"{COMMAND} takes one argument: {{uri, position: {{line, character}}}}"),
        ]:
            with pytest.raises(JsonRpcException) as raised:
                await _show(client, *arguments)
            assert raised.value.message == message
