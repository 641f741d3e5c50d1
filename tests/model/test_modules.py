"""The module index: the cfgs of the `mod` declarations that include a file, as files are
added, added again with new text (the server's edits) and merged from workers."""

from __future__ import annotations

from pathlib import Path

from asm_ls.model.modules import ModuleIndex
from asm_ls.syntax.source import SourceFile

AARCH64_MOD = '#[cfg(target_arch = "aarch64")]\nmod arm;\n'
PLAIN_MOD = "mod arm;\n"


def _index(root: Path, *texts: str) -> ModuleIndex:
    index = ModuleIndex()
    for text in texts:
        index.add(root / "lib.rs", SourceFile.from_text(text))
    return index


def _cfg_texts(index: ModuleIndex, path: Path) -> list[str]:
    return [str(cfg) for cfg in index.cfgs_of(path)]


def test_a_declaration_gives_its_cfg(tmp_path):
    index = _index(tmp_path, AARCH64_MOD)
    assert len(index.cfgs_of(tmp_path / "arm.rs")) == 1
    assert "aarch64" in _cfg_texts(index, tmp_path / "arm.rs")[0]


def test_adding_a_file_again_replaces_its_declarations(tmp_path):
    once = _index(tmp_path, AARCH64_MOD)
    again = _index(tmp_path, AARCH64_MOD, AARCH64_MOD)
    assert _cfg_texts(again, tmp_path / "arm.rs") == _cfg_texts(once, tmp_path / "arm.rs")
    # the cfg removed in the new text no longer applies; a removed `mod` no longer declares
    assert _index(tmp_path, AARCH64_MOD, PLAIN_MOD).cfgs_of(tmp_path / "arm.rs") == []
    assert _index(tmp_path, AARCH64_MOD, "").cfgs_of(tmp_path / "arm.rs") == \
        ModuleIndex().cfgs_of(tmp_path / "arm.rs")


def test_merge_replaces_what_the_merged_files_declared(tmp_path):
    index = _index(tmp_path, PLAIN_MOD)
    index.merge(_index(tmp_path, AARCH64_MOD))
    assert _cfg_texts(index, tmp_path / "arm.rs") == _cfg_texts(_index(tmp_path, AARCH64_MOD), tmp_path / "arm.rs")
