"""textDocument/hover and textDocument/completion through the real server process: capabilities,
Markdown hovers with exact ranges, completion edits, half-typed text, and requests that must
answer None (closed, unknown, non-Rust documents, positions out of range).  One server process
for the module; every test uses its own document."""

from __future__ import annotations

import shutil

import pytest
import pytest_lsp
from lsprotocol import types

from asm_ls.server.features_hover import position_offset
from asm_ls.syntax.source import SourceFile
from lsp_harness import RecordingClient, change_document, config, initialize_params, open_document, opened, \
    session, uri_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

HEAD = "use std::arch::asm;\n\n"
BLOCK = HEAD + ('pub unsafe fn f(x: u64) -> u64 {\n'
                '    let y: u64;\n'
                '    asm!("mov {y:e}, {0}", in(reg) x, y = out(reg) y, out("eax") _, options(nomem));\n'
                '    y\n'
                '}\n')
LINE = 4      # the asm! line of BLOCK


def markdown_params() -> types.InitializeParams:
    """The harness's parameters, plus a client that renders Markdown in hovers and completions."""
    params = initialize_params()
    params.capabilities.text_document.hover = types.HoverClientCapabilities(
        content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText])
    params.capabilities.text_document.completion = types.CompletionClientCapabilities(
        completion_item=types.ClientCompletionItemOptions(
            documentation_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]))
    return params


@pytest_lsp.fixture(scope="module", config=config())
async def client(lsp_client: RecordingClient):
    lsp_client.initialize_result = await lsp_client.initialize_session(markdown_params())
    yield
    await lsp_client.shutdown_session()


def column(text: str, needle: str, delta: int = 0) -> int:
    return text.splitlines()[LINE].index(needle) + delta


async def hover_at(client: RecordingClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))


async def complete_at(client: RecordingClient, uri: str, line: int, character: int):
    return await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))


async def test_capabilities(client: RecordingClient):
    capabilities = client.initialize_result.capabilities
    assert capabilities.hover_provider
    assert set(capabilities.completion_provider.trigger_characters) >= {"{", ":", ".", '"', "("}


async def test_hover_on_register_literal(client: RecordingClient):
    uri = await opened(client, "hover_register.rs", BLOCK)
    result = await hover_at(client, uri, LINE, column(BLOCK, '"eax"', 2))
    assert result.contents.kind == types.MarkupKind.Markdown
    assert result.contents.value.startswith("**register `eax`** (x86_64), rustc's `ax`")
    start = column(BLOCK, '"eax"', 1)
    assert result.range == types.Range(start=types.Position(LINE, start), end=types.Position(LINE, start + 3))


async def test_hover_on_placeholder_option_and_class(client: RecordingClient):
    uri = await opened(client, "hover_kinds.rs", BLOCK)
    placeholder = await hover_at(client, uri, LINE, column(BLOCK, "{y:e}", 3))
    assert "Modifier `e`: the register is printed like `eax` (32-bit view)." in placeholder.contents.value
    option = await hover_at(client, uri, LINE, column(BLOCK, "nomem", 1))
    assert option.contents.value.startswith("**option `nomem`**")
    klass = await hover_at(client, uri, LINE, column(BLOCK, "in(reg)", 4))
    assert klass.contents.value.startswith("**register class `reg`** (x86_64)")


async def test_hover_outside_assembly_is_none(client: RecordingClient):
    uri = await opened(client, "hover_outside.rs", BLOCK)
    assert await hover_at(client, uri, 0, 2) is None
    assert await hover_at(client, uri, LINE + 1, 4) is None


async def test_requests_that_answer_none(client: RecordingClient):
    unknown = uri_of("never_opened.rs")
    assert await hover_at(client, unknown, 0, 0) is None
    assert await complete_at(client, unknown, 0, 0) is None
    uri = await opened(client, "out_of_range.rs", BLOCK)
    assert await hover_at(client, uri, 999, 999) is None
    assert await complete_at(client, uri, 999, 0) is None
    assert await hover_at(client, uri, LINE, 999) is None
    text_uri = uri_of("notes.txt")
    open_document(client, text_uri, BLOCK, language_id="plaintext")
    assert await hover_at(client, text_uri, LINE, column(BLOCK, '"eax"', 2)) is None


async def test_completion_of_options(client: RecordingClient):
    text = HEAD + 'pub unsafe fn f() {\n    asm!("nop", options(nomem, no));\n}\n'
    uri = await opened(client, "complete_options.rs", text)
    character = text.splitlines()[3].index("no)") + 2
    result = await complete_at(client, uri, 3, character)
    labels = [item.label for item in result.items]
    # not `readonly`: rustc rejects it together with `nomem`
    assert labels == ["pure", "preserves_flags", "noreturn", "nostack", "may_unwind", "att_syntax", "raw"]
    edit = result.items[0].text_edit
    assert edit.range == types.Range(start=types.Position(3, character - 2), end=types.Position(3, character))
    assert edit.new_text == "pure"
    assert result.items[0].kind == types.CompletionItemKind.Property
    assert result.items[0].documentation.kind == types.MarkupKind.Markdown


async def test_completion_while_typing(client: RecordingClient):
    text = HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("mov {}", in());\n}\n'
    uri = await opened(client, "complete_typing.rs", text)
    # type `"ra` between the parentheses: the string is still open
    character = text.splitlines()[3].index("in(") + 3
    change_document(client, uri, 2, (3, character), (3, character), '"ra')
    result = await complete_at(client, uri, 3, character + 3)
    labels = [item.label for item in result.items]
    assert "rax" in labels and "reg" not in labels
    edit = next(item for item in result.items if item.label == "rax").text_edit
    assert edit.range == types.Range(start=types.Position(3, character + 1), end=types.Position(3, character + 3))


async def test_completion_of_modifiers_and_names(client: RecordingClient):
    text = HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("mov {a:}, {}", a = in(reg) x, in(xmm_reg) x);\n}\n'
    uri = await opened(client, "complete_placeholder.rs", text)
    line = text.splitlines()[3]
    modifiers = await complete_at(client, uri, 3, line.index("{a:") + 3)
    assert [item.label for item in modifiers.items] == ["l", "x", "e", "r"]
    names = await complete_at(client, uri, 3, line.index("{}") + 1)
    assert [item.label for item in names.items] == ["a", "1"]


async def test_completion_outside_assembly_is_none(client: RecordingClient):
    uri = await opened(client, "complete_outside.rs", BLOCK)
    assert await complete_at(client, uri, 0, 4) is None


async def test_plain_text_for_clients_without_markdown():
    async with session() as plain:
        uri = await opened(plain, "plain.rs", BLOCK)
        result = await hover_at(plain, uri, LINE, column(BLOCK, "nomem", 1))
        assert result.contents.kind == types.MarkupKind.PlainText
        # the Markdown is turned into plain text: no emphasis, no backticks
        assert result.contents.value.startswith("option nomem")
        assert "*" not in result.contents.value.split("\n")[0] and "`" not in result.contents.value


async def test_position_offset_in_every_encoding():
    source = SourceFile.from_text('a("é😀x")\n')
    x = source.data.index(b"x")
    assert position_offset(source, types.Position(0, 6), types.PositionEncodingKind.Utf16) == x
    assert position_offset(source, types.Position(0, 9), types.PositionEncodingKind.Utf8) == x
    assert position_offset(source, types.Position(0, 5), types.PositionEncodingKind.Utf32) == x
    assert position_offset(source, types.Position(7, 5), types.PositionEncodingKind.Utf8) == len(source.data)


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
async def test_instruction_hover_and_mnemonic_completion():
    text = HEAD + ('pub unsafe fn f(mut x: u64) -> u64 {\n'
                   '    asm!("add {0}, 5", inout(reg) x);\n'
                   '    asm!("cmovn");\n'
                   '    x\n'
                   '}\n')
    other = await config().start()
    try:
        params = markdown_params()
        params.initialization_options = {"targets": ["x86_64-unknown-linux-gnu"]}
        await other.initialize_session(params)
        uri = await opened(other, "instruction_hover.rs", text)
        line = 3
        character = text.splitlines()[line].index("add") + 1
        found = await hover_at(other, uri, line, character)
        assert found.range == types.Range(types.Position(line, character - 1), types.Position(line, character + 2))
        assert found.contents.value == (
            "**instruction `add {0}, 5`** (x86_64): Add\n\n"
            "Flags written: CF, PF, AF, ZF, SF, OF.\n\n"
            "Assembles to `add rax, 5`.\n\n"
            "The registers shown for placeholders are asm-ls's example choice; the compiler allocates its own.\n\n"
            "Encoding: `48 83 c0 05` (4 bytes).\n\n"
            "Reads `rax`; writes `rax`.\n\n"
            "[Reference](https://www.felixcloutier.com/x86/add)")
        end = text.splitlines()[4].index("cmovn") + len("cmovn")
        result = await complete_at(other, uri, 4, end)
        assert [item.label for item in result.items] == [
            "cmovna", "cmovnb", "cmovnc", "cmovne", "cmovng", "cmovnl", "cmovno", "cmovnp", "cmovns", "cmovnz",
            "cmovnae", "cmovnbe", "cmovnge", "cmovnle"]
        assert {item.kind for item in result.items} == {types.CompletionItemKind.Function}
        assert result.items[0].text_edit.range == types.Range(types.Position(4, end - 5), types.Position(4, end))
        assert result.items[0].detail == "Move if not above (CF == 1 or ZF == 1) (x86_64)"
        assert result.items[0].documentation.value == ("**Move if not above (CF == 1 or ZF == 1)**\n\n"
                                                       "[Reference](https://www.felixcloutier.com/x86/cmovcc)")
        await other.shutdown_session()
    finally:
        await other.stop()


async def test_instruction_documentation_snippets_and_operand_completion():
    """A client with snippet support, for riscv64 and x86_64: the documentation in hovers and completion items,
    pseudo-instructions offered, snippets inserted, placeholders and registers at operand positions."""
    text = HEAD + ('pub unsafe fn f(x: u64) -> u64 {\n'
                   '    asm!("csr", "cpuid", "mv {x}, ", x = inout(reg) x);\n'
                   '    asm!("nop", );\n'
                   '    x\n'
                   '}\n')
    other = await config().start()
    try:
        params = markdown_params()
        params.capabilities.text_document.completion.completion_item.snippet_support = True
        params.initialization_options = {"targets": ["riscv64gc-unknown-linux-gnu", "x86_64-unknown-linux-gnu"],
                                         "assemble": False}
        await other.initialize_session(params)
        uri = await opened(other, "instruction_docs.rs", text)
        line = text.splitlines()[3]
        found = await hover_at(other, uri, 3, line.index("cpuid") + 1)
        assert found.contents.value == (      # not a RISC-V instruction: only the x86_64 section
            "**instruction `cpuid`** (x86_64): CPU Identification\n\n"
            "Implicit operands: reads `eax`, `ecx`; writes `eax`, `ebx`, `ecx`, `edx`.\n\n"
            "[Reference](https://www.felixcloutier.com/x86/cpuid)")
        result = await complete_at(other, uri, 3, line.index('csr"') + 3)
        csrr = next(item for item in result.items if item.label == "csrr")
        assert (csrr.kind, csrr.detail, csrr.documentation.value) == (
            types.CompletionItemKind.Function, "Read CSR (riscv64)",
            "**Read CSR**\n\nPseudo-instruction for `csrrs rd, csr, x0`.\n\nExtension: `Zicsr`.\n\n"
            "[Reference](https://msyksphinz-self.github.io/riscv-isadoc/#_csrrs)")
        result = await complete_at(other, uri, 3, line.index('mv {x}, ') + 8)
        assert [(item.label, item.kind) for item in result.items[:3]] == [
            ("{x}", types.CompletionItemKind.Variable), ("x1", types.CompletionItemKind.Variable),
            ("ra", types.CompletionItemKind.Variable)]
        keyword_line = text.splitlines()[4]
        result = await complete_at(other, uri, 4, keyword_line.index(", )") + 2)
        first = result.items[0]
        assert (first.label, first.insert_text_format, first.text_edit.new_text) == (
            "in", types.InsertTextFormat.Snippet, "in(${1:reg}) ${2:x}")
        await other.shutdown_session()
    finally:
        await other.stop()
