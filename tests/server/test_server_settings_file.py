"""The workspace's settings file in the language server: read at initialization from the
workspace root above the opened folder, under the client's settings, re-read when saved;
``exclude``d files get no diagnostics; an invalid file is shown, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from lsp_harness import open_document, session, summary, wait_for_publication, wait_until

pytestmark = pytest.mark.asyncio

R = 'pub unsafe fn f(x: u64) {\n    core::arch::asm!("mov {0}, {0}", in(reg) x, in("x29") x);\n}\n'
AARCH64 = ("reserved-register", "invalid register `x29`: the frame pointer cannot be used as an operand for inline asm (target: aarch64)",
           "error", [1, 48, 1, 59])
X86_64 = ("unknown-register", "invalid register `x29`: unknown register (target: x86_64)", "error", [1, 48, 1, 59])


async def diagnostics_of(client, path: Path, version: int = 1, after: int = 0) -> list[tuple]:
    open_document(client, path.as_uri(), path.read_text(encoding="utf-8"), version)
    return summary((await wait_for_publication(client, path.as_uri(), version=version, after=after)).diagnostics)


def workspace(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["a"]\n\n[workspace.metadata.asm-ls]\n' + settings)
    (tmp_path / "a" / "src").mkdir(parents=True)
    (tmp_path / "a" / "Cargo.toml").write_text('[package]\nname = "a"\nversion = "0.1.0"\nedition = "2021"\n')
    file = tmp_path / "a" / "src" / "lib.rs"
    file.write_text(R)
    return file


async def test_file_settings_under_client_settings(tmp_path: Path):
    file = workspace(tmp_path, 'targets = ["aarch64"]\nassemble = false\n')
    async with session(root=tmp_path / "a") as client:       # a member folder opened: the root is found
        assert await diagnostics_of(client, file) == [AARCH64]
        assert client.messages == []
    async with session({"targets": ["x86_64"]}, root=tmp_path) as client:
        assert await diagnostics_of(client, file) == [X86_64]


async def test_saving_the_settings_file_rereads_it(tmp_path: Path):
    file = workspace(tmp_path, 'targets = ["aarch64"]\nassemble = false\n')
    async with session(root=tmp_path) as client:
        assert await diagnostics_of(client, file) == [AARCH64]
        asm_ls_toml = tmp_path / "asm-ls.toml"
        asm_ls_toml.write_text('targets = ["x86_64"]\nassemble = false\n')
        before = len(client.publications)
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=(tmp_path / "Cargo.toml").as_uri())))
        published = await wait_for_publication(client, file.as_uri(), after=before)
        assert summary(published.diagnostics) == [X86_64]


async def test_excluded_files_get_no_diagnostics(tmp_path: Path):
    file = workspace(tmp_path, 'targets = ["aarch64"]\nassemble = false\nexclude = ["a/src/*.rs"]\n')
    async with session(root=tmp_path) as client:
        assert await diagnostics_of(client, file) == []


async def test_an_invalid_settings_file_is_shown(tmp_path: Path):
    file = workspace(tmp_path, 'targets = ["aarch64"]\nassemble = false\ncolour = "red"\n')
    async with session(root=tmp_path) as client:
        assert await diagnostics_of(client, file) == [AARCH64]     # the valid settings still apply
        await wait_until(lambda: client.messages)
        [message] = client.messages
        assert message.type == types.MessageType.Warning
        assert message.message == ("asm-ls: invalid settings file (defaults used for these): "
                                   f"{tmp_path.resolve() / 'Cargo.toml'}: unknown setting "
                                   "`workspace.metadata.asm-ls.colour`")
