"""The Helix integration files in editors/helix: the languages.toml fragment (asm-ls beside
rust-analyzer, settings valid for the server) and the tree-sitter injection query that marks
asm!/global_asm!/naked_asm! template strings as assembly.

Helix itself is not packaged for Debian 12 and cannot be built here (crates.io is unreachable),
so the query is compiled and run with the tree-sitter and tree-sitter-rust libraries that asm-ls
itself uses: the same query language and the same Rust grammar Helix loads.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import tree_sitter
import tree_sitter_rust

from asm_ls.server.settings import parse_settings

ROOT = Path(__file__).resolve().parents[2]
HELIX = ROOT / "editors" / "helix"
QUERY = HELIX / "queries" / "rust" / "injections.scm"
LANGUAGES = HELIX / "languages.toml"
SCHEMA = ROOT / "schemas" / "config.schema.json"

SAMPLE = r'''use std::arch::{asm, global_asm, naked_asm};

global_asm!(".globl answer", "answer:", "    mov eax, 42", "    ret");

pub unsafe fn templates(x: u64) -> u64 {
    let y: u64;
    asm!("mov {0}, {1}", "add {0}, 1", out(reg) y, in(reg) x, options(nomem, nostack));
    core::arch::asm!(r"nop", in("eax") 1u32, clobber_abi("C"));
    ::std::arch::asm!("inc {x}\n", "dec {x}", x = inout(reg) x => _);
    println!("mov {0}, {1}", 1, 2);
    my_asm!("nop");
    let _ = format!("{}", "asm");
    y
}

#[unsafe(naked)]
pub extern "C" fn answer_naked() -> u32 {
    naked_asm!("mov eax, 42", "ret")
}
'''

# (line, start column, end column, text) of every injected range, 0-based, end exclusive.
TEMPLATES = [
    (2, 13, 26, ".globl answer"),
    (2, 30, 37, "answer:"),
    (2, 41, 56, "    mov eax, 42"),
    (2, 60, 67, "    ret"),
    (6, 10, 22, "mov {0}, {1}"),
    (6, 26, 36, "add {0}, 1"),
    (7, 23, 26, "nop"),                 # raw string; not "eax" nor "C" of the operands
    (8, 23, 30, "inc {x}"),             # the escape sequence `\n` is not part of the range
    (8, 36, 43, "dec {x}"),
    (17, 16, 27, "mov eax, 42"),
    (17, 31, 34, "ret"),
]


LANGUAGE = tree_sitter.Language(tree_sitter_rust.language())
# Compiled once: with tree-sitter 0.26.1, compiling a query whose pattern has both #any-of? and
# #set! again after the first such Query object was freed crashes the interpreter.
INJECTIONS = tree_sitter.Query(LANGUAGE, QUERY.read_text(encoding="utf-8"))


def _injections(source: str) -> list[tuple[int, int, int, str, str]]:
    query = INJECTIONS
    tree = tree_sitter.Parser(LANGUAGE).parse(source.encode())
    found = []
    for pattern, captures in tree_sitter.QueryCursor(query).matches(tree.root_node):
        injected = query.pattern_settings(pattern)["injection.language"]
        for node in captures["injection.content"]:
            assert node.start_point.row == node.end_point.row
            found.append((node.start_point.row, node.start_point.column, node.end_point.column,
                          node.text.decode(), injected))
    return sorted(found)


def test_injection_query_marks_exactly_the_template_strings_as_gas():
    assert _injections(SAMPLE) == [(*template, "gas") for template in TEMPLATES]


def test_injection_query_leaves_other_macros_alone():
    source = 'fn f() { println!("nop"); my::asm_like!("nop"); asm_macro!("nop"); let s = "asm!(\\"nop\\")"; }\n'
    assert _injections(source) == []


def _languages() -> dict:
    with LANGUAGES.open("rb") as file:
        return tomllib.load(file)


def test_languages_toml_adds_asm_ls_beside_rust_analyzer():
    languages = _languages()
    assert languages["language-server"]["asm-ls"]["command"] == "asm-ls"
    assert languages["language"] == [{"name": "rust", "language-servers": ["rust-analyzer", "asm-ls"]}]


def test_languages_toml_settings_are_valid_asm_ls_settings():
    config = _languages()["language-server"]["asm-ls"]["config"]
    jsonschema.validate(config, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert parse_settings(config)[1] == []
