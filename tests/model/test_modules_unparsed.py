"""The module index leaves unparsed the texts that can hold neither a `mod` declaration nor an inner
attribute, and still reads every declaration and crate attribute of the others, however they are spelt."""

from __future__ import annotations

from asm_ls.model.modules import ModuleIndex
from asm_ls.project import Project
from asm_ls.syntax.finder import may_have_inner_attributes
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import SourceFile


def _add(index: ModuleIndex, path, text: str) -> ParsedFile:
    source = SourceFile.from_text(text)
    parsed = ParsedFile(source.data)
    index.add(path, source, parsed=parsed)
    return parsed


def test_a_text_without_mod_or_inner_attributes_is_not_parsed(tmp_path):
    index = ModuleIndex()
    parsed = _add(index, tmp_path / "leaf.rs", "//! A module.\n#[derive(Debug)]\npub struct Model { modes: u8 }\n")
    assert "tree" not in parsed.__dict__
    assert index.crate_features(tmp_path / "leaf.rs") == {}
    assert index.crate_lint_levels(tmp_path / "leaf.rs") == {}


def test_declarations_and_crate_attributes_in_any_spelling_are_still_read(tmp_path):
    index = ModuleIndex()
    text = ('# /* a comment */ ! [feature(asm_experimental_arch)]\n#\n  ![allow(named_asm_labels)]\n'
            'mod /* between */ arm /* and */ ;\n')
    parsed = _add(index, tmp_path / "lib.rs", text)
    assert "tree" in parsed.__dict__
    assert set(index.crate_features(tmp_path / "lib.rs")) == {"asm_experimental_arch"}
    assert index.crate_lint_levels(tmp_path / "lib.rs") == {"named_asm_labels": "allow"}
    assert (tmp_path / "arm.rs") in index._declared


def test_a_declaration_inside_a_macro_is_read(tmp_path):
    index = ModuleIndex()
    _add(index, tmp_path / "lib.rs", 'cfg_if::cfg_if! { if #[cfg(target_arch = "arm")] { mod arm; } }\n')
    assert [str(cfg) for cfg in index.cfgs_of(tmp_path / "arm.rs")] == \
        ["Cfg(op='eq', args=(), key='target_arch', value='arm')"]


def test_the_inner_attribute_test_is_a_superset():
    assert may_have_inner_attributes(b"#![no_std]")
    assert may_have_inner_attributes(b"# \n\t ![no_std]")
    assert may_have_inner_attributes(b"#/* c */![no_std]")
    assert may_have_inner_attributes("#\u2028![no_std]".encode())
    assert not may_have_inner_attributes(b"#[derive(Debug)] struct S; // #[test]")


def test_the_project_registers_an_unparsed_file(tmp_path):
    project = Project()
    source = SourceFile.from_text("pub fn f() {}\n")
    parsed = ParsedFile(source.data)
    project.add(tmp_path / "f.rs", source, parsed)
    assert "tree" not in parsed.__dict__
    assert project.context_for(tmp_path / "f.rs", load_parents=False).cfgs == []
