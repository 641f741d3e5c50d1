"""Running an editor's tree-sitter injection query for Rust (Helix's, Neovim's) over Rust source
with the tree-sitter and tree-sitter-rust libraries asm-ls itself uses: the same query language
and Rust grammar the editors load."""

from __future__ import annotations

import functools
from pathlib import Path

import tree_sitter
import tree_sitter_rust

LANGUAGE = tree_sitter.Language(tree_sitter_rust.language())

# A sample for the editors' asm injection queries: every template string of asm!, core::arch::asm!,
# ::std::arch::asm!, global_asm! and naked_asm!, raw strings and escapes included, beside strings
# that are not templates (operands, other macros).
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


@functools.cache
def _query(path: Path) -> tree_sitter.Query:
    # Compiled once per file and kept: with tree-sitter 0.26.1, compiling a query whose pattern
    # has both #any-of? and #set! again after the first such Query was freed crashes Python.
    return tree_sitter.Query(LANGUAGE, path.read_text(encoding="utf-8"))


def injections(query_path: Path, source: str) -> list[tuple[int, int, int, str, str]]:
    """(line, start column, end column, text, injected language) of every @injection.content
    capture, 0-based, end exclusive, in source order."""
    query = _query(query_path)
    tree = tree_sitter.Parser(LANGUAGE).parse(source.encode())
    found = []
    for pattern, captures in tree_sitter.QueryCursor(query).matches(tree.root_node):
        injected = query.pattern_settings(pattern)["injection.language"]
        for node in captures["injection.content"]:
            assert node.start_point.row == node.end_point.row, "a template string spans lines"
            found.append((node.start_point.row, node.start_point.column, node.end_point.column,
                          node.text.decode(), injected))
    return sorted(found)
