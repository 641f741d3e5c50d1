"""Navigation and structure features end to end: definition, references, highlights, rename,
document symbols, semantic tokens, inlay hints and quick fixes through the real server process.
One server process for the module; every test uses its own document.  Every request on a
document that is not open, at a position outside the text or on half-typed text answers the
empty value."""

from __future__ import annotations

import json

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import default_converter

from lsp_harness import RecordingClient, change_document, config, initialize_params, open_document, opened, \
    uri_of, wait_for_publication

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPTIONS = {"targets": ["x86_64-unknown-linux-gnu"]}
HEAD = "use std::arch::asm;\n\n"
# 'é' is one UTF-16 unit (two bytes), '𝄞' two units (four bytes): columns below are UTF-16
TEXT = HEAD + '''pub unsafe fn f(x: u64) -> u64 {
    let y: u64;
    asm!(
        "/* é𝄞 */ mov {y}, {x}",
        "add {y}, {\\x78}; add {y}, {}",
        in(reg) 1,
        x = in(reg) x,
        y = out(reg) y,
    );
    y
}
'''


_CONVERTER = default_converter()


def js(value):
    """The JSON the value travels as (sequences compare equal whether lists or tuples)."""
    return json.loads(json.dumps(_CONVERTER.unstructure(value)))


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def rng(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(start=pos(line, start), end=pos(end_line, end))


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


@pytest_lsp.fixture(scope="module", config=config())
async def client(lsp_client: RecordingClient):
    lsp_client.initialize_result = await lsp_client.initialize_session(initialize_params(OPTIONS))
    yield
    await lsp_client.shutdown_session()


async def test_capabilities(client: RecordingClient):
    capabilities = client.initialize_result.capabilities
    assert capabilities.definition_provider and capabilities.references_provider
    assert capabilities.document_highlight_provider and capabilities.document_symbol_provider
    assert capabilities.rename_provider and capabilities.inlay_hint_provider
    assert list(capabilities.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    legend = capabilities.semantic_tokens_provider.legend
    assert list(legend.token_types) == ["keyword", "variable", "parameter", "label", "macro", "comment", "number"]
    assert list(legend.token_modifiers) == ["declaration"]
    assert capabilities.semantic_tokens_provider.full


async def test_definition(client: RecordingClient):
    uri = await opened(client, "nav_definition.rs", TEXT)
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=pos(5, 30)))       # inside {x}
    assert found == [types.Location(uri=uri, range=rng(8, 8, 8, 9))]
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=pos(6, 35)))       # {}
    assert found == [types.Location(uri=uri, range=rng(7, 8, 7, 17))]
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=pos(5, 12)))       # in a comment
    assert found is None


async def test_references_and_highlights(client: RecordingClient):
    uri = await opened(client, "nav_references.rs", TEXT)
    params = types.ReferenceParams(text_document=doc(uri), position=pos(8, 8),
                                   context=types.ReferenceContext(include_declaration=True))
    found = await client.text_document_references_async(params)
    assert [(l.range.start.line, l.range.start.character, l.range.end.character) for l in found] == \
        [(5, 28, 31), (6, 18, 24), (8, 8, 9)]
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=pos(6, 14)))     # {y}
    assert js(highlights) == js([
        types.DocumentHighlight(range=rng(5, 23, 5, 26), kind=types.DocumentHighlightKind.Read),
        types.DocumentHighlight(range=rng(6, 13, 6, 16), kind=types.DocumentHighlightKind.Read),
        types.DocumentHighlight(range=rng(6, 30, 6, 33), kind=types.DocumentHighlightKind.Read),
        types.DocumentHighlight(range=rng(9, 8, 9, 9), kind=types.DocumentHighlightKind.Write),
    ])


async def test_prepare_rename_and_rename(client: RecordingClient):
    uri = await opened(client, "nav_rename.rs", TEXT)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(uri), position=pos(6, 20)))     # in \x78
    assert prepared == types.PrepareRenamePlaceholder(range=rng(6, 19, 6, 23), placeholder="x")
    refused = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc(uri), position=pos(6, 35)))     # {}
    assert refused is None
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=pos(5, 29), new_name="input"))
    assert js(edit) == js(types.WorkspaceEdit(changes={uri: [
        types.TextEdit(range=rng(5, 29, 5, 30), new_text="input"),
        types.TextEdit(range=rng(6, 19, 6, 23), new_text="input"),
        types.TextEdit(range=rng(8, 8, 8, 9), new_text="input"),
    ]}))
    with pytest.raises(JsonRpcException) as clash:
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=pos(5, 29), new_name="y"))
    assert (clash.value.code, clash.value.message) == (-32803, "cannot rename: an operand named `y` already exists")
    with pytest.raises(JsonRpcException) as invalid:
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=pos(6, 20), new_name="9bad"))
    assert (invalid.value.code, invalid.value.message) == (-32803, "cannot rename: `9bad` is not a valid operand name")


async def test_document_symbols(client: RecordingClient):
    uri = await opened(client, "nav_symbols.rs", TEXT)
    found = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert js(found) == js([types.DocumentSymbol(
        name="f › asm!", kind=types.SymbolKind.Event, detail="x86_64",
        range=rng(4, 4, 10, 5), selection_range=rng(4, 4, 4, 8),
        children=[
            types.DocumentSymbol(name="x", kind=types.SymbolKind.Variable, detail="in(reg)",
                                 range=rng(8, 8, 8, 21), selection_range=rng(8, 8, 8, 9)),
            types.DocumentSymbol(name="y", kind=types.SymbolKind.Variable, detail="out(reg)",
                                 range=rng(9, 8, 9, 22), selection_range=rng(9, 8, 9, 9)),
        ])])


LABELS = HEAD + '''std::arch::global_asm!("helper: ret");
extern "C" fn target() {}
pub fn count(n: u64) {
    unsafe {
        asm!(
            "2: dec {n}",
            "jnz 2b",
            "call helper",
            "call {t}",
            n = inout(reg) n => _,
            t = sym target,
        );
    }
}
'''


async def test_labels_and_sym(client: RecordingClient):
    uri = await opened(client, "nav_labels.rs", LABELS)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=pos(8, 18)))
    assert js(definition) == js([types.Location(uri=uri, range=rng(7, 13, 7, 14))])
    references = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(uri), position=pos(9, 19), context=types.ReferenceContext(include_declaration=True)))
    assert js(references) == js([types.Location(uri=uri, range=rng(2, 24, 2, 30)),
                                 types.Location(uri=uri, range=rng(9, 18, 9, 24))])
    highlights = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=pos(7, 13)))
    assert js(highlights) == js([
        types.DocumentHighlight(range=rng(7, 13, 7, 14), kind=types.DocumentHighlightKind.Write),
        types.DocumentHighlight(range=rng(8, 17, 8, 19), kind=types.DocumentHighlightKind.Read)])
    renamed = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=pos(2, 25), new_name="helper2"))
    assert js(renamed) == js(types.WorkspaceEdit(changes={uri: [
        types.TextEdit(range=rng(2, 24, 2, 30), new_text="helper2"),
        types.TextEdit(range=rng(9, 18, 9, 24), new_text="helper2")]}))
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc(uri), position=pos(8, 17), new_name="x"))
    assert refused.value.message == \
        "cannot rename: `x` is not a numeric label (a local label is renamed to another number)"
    item = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=pos(12, 21)))
    assert js(item) == js([types.Location(uri=uri, range=rng(3, 14, 3, 20))])
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert [(s.name, s.detail, [(c.name, c.kind) for c in s.children or ()]) for s in symbols] == [
        ("global_asm! (nav_labels.rs)", "x86_64", [("helper", types.SymbolKind.Constant)]),
        ("count › asm!", "x86_64", [("2", types.SymbolKind.Constant), ("n", types.SymbolKind.Variable),
                                    ("t", types.SymbolKind.Variable)])]
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="cnt›asm"))
    assert js(found) == js([types.WorkspaceSymbol(name="count › asm!", kind=types.SymbolKind.Event,
                                                  location=types.Location(uri=uri, range=rng(6, 8, 6, 12)))])


async def test_semantic_tokens(client: RecordingClient):
    uri = await opened(client, "nav_tokens.rs", TEXT)
    found = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc(uri)))
    # legend: keyword variable parameter label macro comment number
    assert list(found.data) == [
        5, 9, 9, 5, 0,      # /* é𝄞 */ (UTF-16 length 9)
        0, 10, 3, 0, 0,     # mov
        0, 4, 3, 2, 0,      # {y}
        0, 5, 3, 2, 0,      # {x}
        1, 9, 3, 0, 0,      # add
        0, 4, 3, 2, 0,      # {y}
        0, 5, 6, 2, 0,      # {\x78}
        0, 8, 3, 0, 0,      # add
        0, 4, 3, 2, 0,      # {y}
        0, 5, 2, 2, 0,      # {}
    ]


async def test_inlay_hints(client: RecordingClient):
    uri = await opened(client, "nav_inlay.rs", TEXT)
    found = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc(uri), range=rng(0, 0, 20, 0)))
    assert [(h.position, h.label, h.tooltip) for h in found] == [(pos(6, 37), ": 1", "in(reg) 1")]


async def test_quick_fixes_from_published_diagnostics(client: RecordingClient):
    text = HEAD + 'pub fn f(x: u64) {\n    asm!("nop", in(reg) x, options(nomem, nomem));\n}\n'
    uri = uri_of("nav_actions.rs")
    open_document(client, uri, text)
    published = await wait_for_publication(client, uri, version=1)
    assert [d.code for d in published.diagnostics] == ["asm-requires-unsafe", "unused-argument", "duplicate-option"]
    found = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(uri), range=rng(3, 0, 3, 0),
        context=types.CodeActionContext(diagnostics=list(published.diagnostics))))
    assert [(a.title, a.kind, a.is_preferred, a.diagnostics[0].code, js(a.edit.changes[uri])) for a in found] == [
        ("Wrap in `unsafe { }`", types.CodeActionKind.QuickFix, True, "asm-requires-unsafe",
         js([types.TextEdit(range=rng(3, 4, 3, 4), new_text="unsafe { "),
             types.TextEdit(range=rng(3, 49, 3, 49), new_text=" }")])),
        ("Remove unused argument `in(reg) x`", types.CodeActionKind.QuickFix, True, "unused-argument",
         js([types.TextEdit(range=rng(3, 14, 3, 25), new_text="")])),
        ("Remove option `nomem`", types.CodeActionKind.QuickFix, True, "duplicate-option",
         js([types.TextEdit(range=rng(3, 40, 3, 47), new_text="")])),
    ]
    only_refactor = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(uri), range=rng(3, 0, 3, 0),
        context=types.CodeActionContext(diagnostics=list(published.diagnostics),
                                        only=[types.CodeActionKind.Refactor])))
    assert list(only_refactor) == []
    # a diagnostic the document no longer has (stale range) gets no fix
    change_document(client, uri, 2, (3, 0), (3, 0), "\n")
    stale = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(uri), range=rng(3, 0, 3, 0),
        context=types.CodeActionContext(diagnostics=list(published.diagnostics))))
    assert list(stale) == []


async def test_quick_fix_of_a_placeholder_typo(client: RecordingClient):
    """`{cnt}` misspells the operand `count`: the fix corrects it; removing `count` is not offered."""
    uri = uri_of("nav_typo.rs")
    text = HEAD + 'pub unsafe fn f() -> u64 {\n    let count: u64;\n    asm!("mov {cnt}, 1", count = out(reg) count);\n' \
        '    count\n}\n'
    open_document(client, uri, text)
    published = await wait_for_publication(client, uri, version=1)
    assert [(d.code, d.message) for d in published.diagnostics] == [
        ("unknown-argument-name", "there is no argument named `cnt`"), ("unused-argument", "named argument never used")]
    found = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(uri), range=rng(4, 0, 4, 0),
        context=types.CodeActionContext(diagnostics=list(published.diagnostics))))
    assert js(found) == js([types.CodeAction(
        title="Change `{cnt}` to `{count}`", kind=types.CodeActionKind.QuickFix,
        diagnostics=[published.diagnostics[0]], is_preferred=True,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=rng(4, 15, 4, 18), new_text="count")]}))])


async def test_every_request_on_unknown_or_broken_documents_is_empty(client: RecordingClient):
    broken = HEAD + 'pub unsafe fn f() {\n    asm!("mov {x}, {", x = in(reg\n'
    broken_uri = await opened(client, "nav_broken.rs", broken)
    half = HEAD + 'pub unsafe fn f() {\n    asm!("mov {x}, {", x = in(reg);\n}\n'
    half_uri = await opened(client, "nav_half.rs", half)
    text_uri = uri_of("nav_notes.txt")
    open_document(client, text_uri, TEXT, language_id="plaintext")
    for uri in (uri_of("nav_never_opened.rs"), broken_uri, half_uri, text_uri, "untitled:nothing"):
        for position in (pos(0, 0), pos(4, 16), pos(4, 20), pos(999, 999), pos(3, 10 ** 6)):
            assert await client.text_document_definition_async(
                types.DefinitionParams(text_document=doc(uri), position=position)) is None
            assert await client.text_document_references_async(types.ReferenceParams(
                text_document=doc(uri), position=position,
                context=types.ReferenceContext(include_declaration=True))) in ([], ())
            assert await client.text_document_document_highlight_async(
                types.DocumentHighlightParams(text_document=doc(uri), position=position)) in ([], ())
            assert await client.text_document_prepare_rename_async(
                types.PrepareRenameParams(text_document=doc(uri), position=position)) is None
            assert await client.text_document_rename_async(
                types.RenameParams(text_document=doc(uri), position=position, new_name="z")) is None
        assert await client.text_document_inlay_hint_async(
            types.InlayHintParams(text_document=doc(uri), range=rng(0, 0, 999, 0))) in ([], ())
        assert await client.text_document_code_action_async(types.CodeActionParams(
            text_document=doc(uri), range=rng(0, 0, 999, 0),
            context=types.CodeActionContext(diagnostics=[]))) in ([], ())
    for uri in (uri_of("nav_never_opened.rs"), broken_uri, text_uri):
        assert await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(uri))) in ([], ())
        assert list((await client.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(text_document=doc(uri)))).data) == []
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(half_uri)))
    assert [s.name for s in symbols] == ["f › asm!"]


async def test_no_request_failed(client: RecordingClient):
    """Runs last: every request above was answered without an exception (failures are logged)."""
    assert [m.message for m in client.log_messages if m.type == types.MessageType.Error] == []


async def test_offsets_of_positions_in_every_encoding():
    from asm_ls.server.convert import Positions
    from asm_ls.server.features_navigation import offset_of
    from asm_ls.syntax.source import SourceFile

    source = SourceFile.from_text("aé𝄞b\r\nx")
    cases = {types.PositionEncodingKind.Utf16: 4, types.PositionEncodingKind.Utf8: 7,
             types.PositionEncodingKind.Utf32: 3}
    for encoding, character in cases.items():
        assert offset_of(source, pos(0, character), encoding) == 7
        assert Positions(source, encoding).position(7) == pos(0, character)
        assert offset_of(source, pos(0, 99), encoding) == 8           # clamped to the line end
        assert offset_of(source, pos(1, 1), encoding) == 11
        assert offset_of(source, pos(7, 0), encoding) == 11
