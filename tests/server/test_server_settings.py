"""Settings through the protocol: initializationOptions, workspace/didChangeConfiguration (push
and pull), and invalid settings (a warning and defaults).  Each test starts its own server.

The target-dependent example is a template placeholder whose only operand is
``#[cfg(target_arch = "x86_64")]``: rustc accepts it for x86_64 and rejects it for aarch64 with
"invalid reference to argument at index 0" on the ``{}`` (oracle, ``--emit metadata``)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from asm_ls import __version__
from lsp_harness import (analysis_summary, open_document, session, summary, uri_of,
                         wait_for_publication, wait_until)

pytestmark = pytest.mark.asyncio

HEAD = "use std::arch::asm;\n\n"
CFG_OPERAND = HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("/* {} */", #[cfg(target_arch = "x86_64")] in(reg) x);\n}\n'
CFG_OPERAND_ERROR = ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 13, 3, 15])
BROKEN = HEAD + 'pub unsafe fn f() {\n    asm!("{}");\n}\n'
NOT_UNSAFE = HEAD + 'pub fn f() {\n    asm!("nop");\n}\n'
ATT = HEAD + 'pub unsafe fn f() {\n    asm!("nop", options(att_syntax));\n}\n'

X86 = {"targets": ["x86_64-unknown-linux-gnu"]}
AARCH64 = {"targets": ["aarch64-unknown-linux-gnu"]}


async def open_and_wait(client, name: str, text: str) -> list[tuple]:
    uri = uri_of(name)
    open_document(client, uri, text)
    return summary((await wait_for_publication(client, uri, version=1)).diagnostics)


def change_configuration(client, settings) -> int:
    before = len(client.publications)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    return before


async def test_initialize_result():
    async with session() as client:
        result = client.initialize_result
        assert (result.server_info.name, result.server_info.version) == ("asm-ls", __version__)
        sync = result.capabilities.text_document_sync
        assert sync.change == types.TextDocumentSyncKind.Incremental
        assert sync.open_close and sync.save is not None


@pytest.mark.parametrize("options, expected", [(X86, []), (AARCH64, [CFG_OPERAND_ERROR]),
                                               ({"targets": ["aarch64"]}, [CFG_OPERAND_ERROR])])
async def test_targets_from_initialization_options(options, expected):
    async with session(options) as client:
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == expected
        assert client.messages == []


async def test_att_syntax_only_on_x86():
    from asm_ls.analysis import Settings
    from asm_ls.model.target import parse_target

    if not analysis_summary(ATT, Settings(targets=[parse_target("aarch64-unknown-linux-gnu")])):
        pytest.skip("the analysis does not report att_syntax off x86 yet")
    async with session(AARCH64) as client:
        assert await open_and_wait(client, "att.rs", ATT) == [
            ("att-syntax-not-x86", "the `att_syntax` option is only supported on x86 (target: aarch64)", "error", [3, 4, 3, 36])]
    async with session(X86) as client:
        assert await open_and_wait(client, "att.rs", ATT) == []


async def test_did_change_configuration_republishes_open_documents():
    async with session(X86) as client:
        uri = uri_of("cfg_operand.rs")
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == []
        before = change_configuration(client, AARCH64)
        published = await wait_for_publication(client, uri, after=before)
        assert summary(published.diagnostics) == [CFG_OPERAND_ERROR]
        assert published.version == 1
        # a whole client configuration with an "asm-ls" section is unwrapped
        before = change_configuration(client, {"asm-ls": X86})
        published = await wait_for_publication(client, uri, after=before)
        assert summary(published.diagnostics) == []
        assert client.messages == []


async def test_configuration_for_other_servers_keeps_the_settings():
    """Eglot sends ``{}`` when it has no configuration, and multiplexers send every server's
    sections to each server: neither resets asm-ls's settings nor earns a warning."""
    async with session(AARCH64) as client:
        uri = uri_of("cfg_operand.rs")
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == [CFG_OPERAND_ERROR]
        for settings in ({}, {"rust-analyzer": {"checkOnSave": True}}):
            before = change_configuration(client, settings)
            published = await wait_for_publication(client, uri, after=before)
            assert summary(published.diagnostics) == [CFG_OPERAND_ERROR]
        assert client.messages == []


async def test_pushed_settings_apply_to_a_document_opened_right_after():
    async with session(X86) as client:
        change_configuration(client, AARCH64)
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == [CFG_OPERAND_ERROR]


async def test_did_change_configuration_pull():
    async with session(X86, configuration_pull=True) as client:
        uri = uri_of("cfg_operand.rs")
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == []
        client.set_configuration(AARCH64, section="asm-ls")
        before = change_configuration(client, None)
        published = await wait_for_publication(client, uri, after=before)
        assert summary(published.diagnostics) == [CFG_OPERAND_ERROR]


async def test_edition_changes_the_unsafe_message():
    async with session({"edition": "2024"}) as client:
        assert await open_and_wait(client, "not_unsafe.rs", NOT_UNSAFE) == [
            ("asm-requires-unsafe", "use of inline assembly is unsafe and requires unsafe block", "error",
             [3, 4, 3, 15])]


async def test_severity_and_disabled():
    options = {"severity": {"invalid-argument-index": "warning"}}
    async with session(options) as client:
        assert await open_and_wait(client, "broken.rs", BROKEN) == [
            ("invalid-argument-index", "invalid reference to argument at index 0", "warning", [3, 10, 3, 12])]
        uri = uri_of("broken.rs")
        for settings in ({"severity": {"invalid-argument-index": "off"}}, {"disabled": ["invalid-argument-index"]}):
            before = change_configuration(client, settings)
            published = await wait_for_publication(client, uri, after=before)
            assert summary(published.diagnostics) == []


async def test_invalid_settings_warn_and_use_defaults():
    options = {"targets": ["not-a-target"], "edition": 2030, "severity": {"invalid-argument-index": "loud"},
               "colour": True}
    async with session(options) as client:
        await wait_until(lambda: len(client.messages) == 1)
        message = client.messages[0]
        assert message.type == types.MessageType.Warning
        for fragment in ("not-a-target", "`edition`", "loud", "unknown setting `colour`"):
            assert fragment in message.message
        # defaults: edition 2021, default severity
        assert await open_and_wait(client, "not_unsafe.rs", NOT_UNSAFE) == [
            ("asm-requires-unsafe", "use of inline assembly is unsafe and requires unsafe function or block", "error",
             [3, 4, 3, 15])]
        assert await open_and_wait(client, "broken.rs", BROKEN) == [
            ("invalid-argument-index", "invalid reference to argument at index 0", "error", [3, 10, 3, 12])]


async def test_invalid_configuration_change_warns_and_keeps_serving():
    async with session(AARCH64) as client:
        uri = uri_of("cfg_operand.rs")
        assert await open_and_wait(client, "cfg_operand.rs", CFG_OPERAND) == [CFG_OPERAND_ERROR]
        before = change_configuration(client, ["not", "an", "object"])
        await wait_until(lambda: len(client.messages) == 1)
        assert client.messages[0].type == types.MessageType.Warning
        published = await wait_for_publication(client, uri, after=before)
        assert summary(published.diagnostics) == analysis_summary(CFG_OPERAND)   # host default


async def test_the_log_says_which_targets_a_document_is_checked_for():
    async with session(AARCH64) as client:
        await open_and_wait(client, "targets.rs", BROKEN)
        uri = uri_of("targets.rs")
        await wait_until(lambda: any("is checked for" in m.message for m in client.log_messages))
        assert [m.message for m in client.log_messages if "is checked for" in m.message] == \
            [f"asm-ls: {uri} is checked for aarch64-unknown-linux-gnu (settings)"]
