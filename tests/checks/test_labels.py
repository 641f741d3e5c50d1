"""The label lints' scanner and the cases the fixtures cannot show (rustc reports there, asm-ls
stays silent because the block's text or options are not certain)."""

from __future__ import annotations

import pytest

from asm_ls.checks.labels import BINARY, FORMAT_ARG, NAMED, check_labels, find_labels
from asm_ls.model.build import build_file
from asm_ls.model.target import Target
from asm_ls.syntax.source import SourceFile


def labels(text: str, arch: str = "x86_64") -> list[tuple[str, str]]:
    source = SourceFile.from_text(text)
    out = []
    for resolved in build_file(source, [arch]).blocks:
        for diagnostic in check_labels(resolved, Target(arch=arch)):
            out.append((diagnostic.code, source.text(diagnostic.start, diagnostic.end)))
    return out


@pytest.mark.parametrize("text, expected", [
    ("foo: bar: nop", [("foo", NAMED), ("bar", NAMED)]),
    ("nop; a:\nb: nop // c: nop", [("a", NAMED), ("b", NAMED)]),
    ("1bar: blah:", []),
    ("blah1: 2bar: x:", [("blah1", NAMED)]),
    ("10: 2:", [("10", BINARY)]),
    ("{}x: nop", [("{}x", FORMAT_ARG)]),
    ("1{0}: nop", [("1{0}", FORMAT_ARG)]),
    ("{a{b}: nop", []),
    ("{{x}}: nop", []),
    ("Ù: nop", []),
    (".L1: .L1.x: nop", [(".L1", NAMED)]),
    ("\u001ffoo: nop", []),     # not whitespace for Rust's trim
    ("\u3000foo: nop", [("foo", NAMED)]),
])
def test_find_labels(text: str, expected: list) -> None:
    assert find_labels(text) == expected


def test_raw_templates_have_no_placeholders() -> None:
    assert find_labels("{}x: nop", raw=True) == []
    assert find_labels("x: {}", raw=True) == [("x", NAMED)]


def test_hexagon_register_pairs() -> None:
    assert find_labels("r1:0 = r3:2", register_pairs=True) == []
    assert find_labels("r1:0 = r3:2") == [("r1", NAMED)]


def test_macro_kinds() -> None:
    text = '''
use std::arch::{global_asm, naked_asm};
global_asm!("g: nop");
#[unsafe(naked)] extern "C" fn n() { naked_asm!("n: ret") }
'''
    assert labels(text) == []


def test_binary_labels_only_on_x86_without_att_syntax() -> None:
    text = 'fn f() { unsafe { asm!("0: jmp 0b"); asm!("1: jmp 1b", options(att_syntax)); } }'
    assert labels(text) == [("binary-asm-labels", "0")]
    assert labels(text, "x86") == [("binary-asm-labels", "0")]
    assert labels('fn f() { unsafe { asm!("0: b 0b"); } }', "aarch64") == []


def test_hidden_options_silence_what_they_could_change() -> None:
    text = '''
macro_rules! m { ($($t:tt)*) => { asm!("0: lbl: nop", "{}x: nop", $($t)*) } }
'''
    # `$($t)*` may hold `options(raw)` (then `{}x` is no label) or `options(att_syntax)`.
    assert labels(text) == [("named-asm-labels", "lbl")]


def test_unknown_templates_are_skipped() -> None:
    text = '''
macro_rules! t { ($s:literal) => { asm!($s, "known: nop") } }
fn f() { unsafe { asm!(include_str!("x.s"), "k2: nop"); } }
'''
    assert labels(text) == [("named-asm-labels", "known"), ("named-asm-labels", "k2")]


def test_cfg_on_templates() -> None:
    text = '''
fn f() { unsafe { asm!("nop", #[cfg(target_arch = "x86_64")] "yes: nop",
                  #[cfg(target_arch = "aarch64")] "no: nop", #[cfg(feature = "x")] "maybe: nop"); } }
'''
    assert labels(text) == [("named-asm-labels", "yes")]


def test_spans_search_the_template_source() -> None:
    text = r'fn f() { unsafe { asm!(concat!("jmp x\n", "x", ": nop")); asm!("\x61b: nop"); } }'
    # From the first occurrence of the label's text to the next `:`; not found: the whole template.
    assert labels(text) == [("named-asm-labels", 'x\\n", "x", "'), ("named-asm-labels", '"\\x61b: nop"')]
