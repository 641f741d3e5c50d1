"""In-process tests of the server's pure parts: settings validation against
schemas/config.schema.json, and the LSP conversion (position encodings)."""

from __future__ import annotations

from pathlib import Path

import asyncio
import json

import jsonschema
import pytest
from lsprotocol import types

from asm_ls.diagnostics import Diagnostic, Related
from asm_ls.diagnostics.codes import registry
from asm_ls.model.target import host_target, parse_target
from asm_ls.server.convert import Positions, markup_content, to_lsp_diagnostic
from asm_ls.server.main import parse_address
from asm_ls.server.settings import EDITIONS, KEYS, SEVERITY_LEVELS, ServerSettings, parse_settings
from asm_ls.syntax.source import SourceFile
from lsp_harness import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

VALID = [
    {},
    {"targets": ["aarch64-unknown-linux-gnu", "x86_64"]},
    {"targets": []},
    {"severity": {"invalid-argument-index": "warning", "unused-argument": "off"}},
    {"disabled": ["asm-requires-unsafe"]},
    {"edition": "2024"},
    {"$schema": "https://asm-ls.invalid/schemas/config.schema.json", "edition": "2015"},
]
STRUCTURALLY_INVALID = [
    {"targets": "x86_64"},
    {"targets": [1]},
    {"severity": {"invalid-argument-index": "loud"}},
    {"severity": ["invalid-argument-index"]},
    {"disabled": "asm-requires-unsafe"},
    {"edition": 2021},
    {"edition": "2030"},
    {"colour": True},
]
# valid JSON shapes that only the server can reject
SEMANTICALLY_INVALID = [
    {"targets": ["not-a-target"]},
    {"severity": {"no-such-code": "error"}},
    {"disabled": ["no-such-code"]},
]


def test_schema_is_valid_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_and_parser_agree_on_names():
    assert set(SCHEMA["properties"]) == set(KEYS)
    assert SCHEMA["properties"]["edition"]["enum"] == list(EDITIONS)
    assert SCHEMA["properties"]["severity"]["additionalProperties"]["enum"] == list(SEVERITY_LEVELS)
    for code in registry():
        VALIDATOR.validate({"disabled": [code], "severity": {code: "hint"}})


@pytest.mark.parametrize("raw", VALID)
def test_valid_settings(raw):
    VALIDATOR.validate(raw)
    assert parse_settings(raw)[1] == []
    assert parse_settings({"asm-ls": raw})[1] == []


@pytest.mark.parametrize("raw", STRUCTURALLY_INVALID)
def test_structurally_invalid_settings(raw):
    assert list(VALIDATOR.iter_errors(raw))
    settings, problems = parse_settings(raw)
    assert problems
    assert settings == ServerSettings()


@pytest.mark.parametrize("raw", SEMANTICALLY_INVALID)
def test_semantically_invalid_settings(raw):
    VALIDATOR.validate(raw)
    settings, problems = parse_settings(raw)
    assert problems
    assert settings == ServerSettings()


@pytest.mark.parametrize("raw", [None, "x86_64", ["x86_64"], 3])
def test_non_object_settings(raw):
    settings, problems = parse_settings(raw)
    assert settings == ServerSettings()
    assert bool(problems) == (raw is not None)


def test_valid_parts_survive_invalid_ones():
    settings, problems = parse_settings({"targets": ["aarch64", "bogus"], "edition": "2024", "disabled": 3})
    assert len(problems) == 2
    assert settings.edition == "2024"
    assert [t.arch for t in settings.targets] == ["aarch64"]


def test_mapping_to_analysis_settings():
    settings, _ = parse_settings({"targets": ["aarch64-unknown-linux-gnu"], "edition": "2018",
                                  "severity": {"unused-argument": "warning"}, "disabled": ["asm-requires-unsafe"]})
    analysis = settings.to_analysis()
    assert analysis.targets == [parse_target("aarch64-unknown-linux-gnu")]
    assert analysis.edition == "2018"
    assert analysis.severities == {"unused-argument": "warning"}
    assert analysis.disabled == frozenset({"asm-requires-unsafe"})
    assert ServerSettings().to_analysis().targets == [host_target()]


def test_positions_in_each_encoding():
    source = SourceFile.from_text("a\n\"é𝄞 {}\"\r\nz")
    offset = source.data.index(b"{")
    expected = {types.PositionEncodingKind.Utf16: 5, types.PositionEncodingKind.Utf8: 8,
                types.PositionEncodingKind.Utf32: 4}
    for encoding, character in expected.items():
        assert Positions(source, encoding).position(offset) == types.Position(1, character)
    end = len(source.data)
    assert Positions(source, types.PositionEncodingKind.Utf8).position(end + 5) == types.Position(2, 1)


def _section_link(code: str) -> str:
    """The packaged page of this checkout, at the line of the code's heading."""
    page = Path(__file__).resolve().parents[2] / "asm_ls" / "diagnostics" / "diagnostics.md"
    return f"{page.as_uri()}#L{page.read_text(encoding='utf-8').splitlines().index(f'### `{code}`') + 1}"


def test_conversion_of_a_full_diagnostic():
    source = SourceFile.from_text("abc def\n")
    diagnostic = Diagnostic("duplicate-option", "msg", 4, 7, severity="hint", related=(Related(0, 3, "here"),),
                            notes=("a note",), data={"remove": [4, 7]})
    lsp = to_lsp_diagnostic(diagnostic, Positions(source), "file:///x.rs")
    whole = types.Range(start=types.Position(0, 4), end=types.Position(0, 7))
    assert lsp == types.Diagnostic(
        range=whole, message="msg", severity=types.DiagnosticSeverity.Hint, code="duplicate-option",
        code_description=types.CodeDescription(href=_section_link("duplicate-option")),
        source="asm-ls",
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location("file:///x.rs", types.Range(types.Position(0, 0), types.Position(0, 3))),
                message="here"),
            types.DiagnosticRelatedInformation(location=types.Location("file:///x.rs", whole), message="note: a note"),
        ],
        data={"remove": [4, 7]})


@pytest.mark.parametrize("text, address", [("127.0.0.1:2087", ("127.0.0.1", 2087)), ("2087", ("127.0.0.1", 2087)),
                                           (":2087", ("127.0.0.1", 2087)), ("[::1]:2087", ("::1", 2087)),
                                           ("host:0", None), ("host:http", None), ("host:99999", None)])
def test_tcp_address(text, address):
    assert parse_address(text) == address


@pytest.mark.asyncio
async def test_result_for_an_outdated_version_is_dropped(monkeypatch):
    """Even a run that is not cancelled publishes nothing once its document has moved on."""
    import threading

    from pygls.workspace import Workspace

    from asm_ls.server import publisher as publisher_module
    from asm_ls.server.server import create_server

    server = create_server(debounce=0)
    server.protocol._workspace = Workspace(None)
    published: list[types.PublishDiagnosticsParams] = []
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)
    started, release = threading.Event(), threading.Event()
    real = publisher_module.analyze

    def slow_analyze(source, settings, *args):
        started.set()
        release.wait(5)
        return real(source, settings, *args)

    monkeypatch.setattr(publisher_module, "analyze", slow_analyze)
    uri = "file:///virtual/outdated.rs"
    server.workspace.put_text_document(types.TextDocumentItem(uri=uri, language_id="rust", version=1, text='fn f() { asm!("{}"); }'))
    server.publisher.schedule(uri)
    task = server.publisher._tasks[uri]
    while not started.is_set():
        await asyncio.sleep(0.005)
    server.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(version=2, uri=uri), types.TextDocumentContentChangeWholeDocument("fn f() {}"))
    release.set()
    await task
    assert published == []
    server.publisher.schedule(uri)
    await server.publisher._tasks[uri]
    assert [(p.version, list(p.diagnostics)) for p in published] == [(2, [])]
    server.thread_pool.shutdown()


def test_plain_text_markup_keeps_code_and_writes_links_out():
    markdown = "**option `nomem`** (x86): *reads* `*mut u8`\n```asm\nmov rax, [rsp*2]\n```\n[Reference](https://example.invalid/a_b)"
    assert markup_content(markdown, types.MarkupKind.Markdown).value == markdown
    plain = markup_content(markdown, types.MarkupKind.PlainText)
    assert (plain.kind, plain.value) == (types.MarkupKind.PlainText,
                                         "option nomem (x86): reads *mut u8\nmov rax, [rsp*2]\n"
                                         "Reference <https://example.invalid/a_b>")
