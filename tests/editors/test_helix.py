"""The Helix integration files in editors/helix: the languages.toml fragment (asm-ls beside
rust-analyzer, settings valid for the server) and the tree-sitter injection query that marks
asm!/global_asm!/naked_asm! template strings as assembly.

Helix itself is not packaged for Debian 12 and cannot be built here (crates.io is unreachable),
so the query is compiled and run with the tree-sitter and tree-sitter-rust libraries that asm-ls
itself uses (tree_sitter_injections.py): the same query language and Rust grammar Helix loads.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
from tree_sitter_injections import SAMPLE, TEMPLATES, injections

from asm_ls.server.settings import parse_settings

ROOT = Path(__file__).resolve().parents[2]
HELIX = ROOT / "editors" / "helix"
QUERY = HELIX / "queries" / "rust" / "injections.scm"
LANGUAGES = HELIX / "languages.toml"
SCHEMA = ROOT / "schemas" / "config.schema.json"

def _injections(source: str) -> list[tuple[int, int, int, str, str]]:
    return injections(QUERY, source)


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
