"""Properties of the operand parser: any token sequence inside ``asm!(...)`` gives a model or diagnostics, never an
exception; what it reports stays inside the call, and a parse error stops the block as rustc's parser does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from asm_ls.analysis import Settings, analyze
from asm_ls.syntax.source import SourceFile
from bounds import bounded
from fuzz import check_ranges

KEYWORDS = ["in", "out", "inout", "lateout", "inlateout", "const", "sym", "label", "options", "clobber_abi", "reg",
            "reg_abcd", "xmm_reg", "nomem", "pure", "readonly", "nostack", "noreturn", "att_syntax", "raw",
            "may_unwind", "preserves_flags", "_", "x", "y", "main", "true", "cfg", "target_arch", "not", "mut", "r#in"]
LITERALS = ['"nop"', '"{}"', '"{0}"', '"{x}"', '"{x:e}"', '"{:q}"', '"{{}}"', '"{"', '"}"', '"{5}"', '"rax"', '"C"',
            '"x86_64"', 'r#"{}"#', 'b"nop"', "'c'", "1", "0x10", "1.5", "1u8", '"\\u{1F600}{}"', '"\\n"', '"a\\\n  b"']
PUNCT = [",", "=", "=>", ":", "::", "#", "!", "$", ";", "&", "*", "-", "+", "..", ".", "->", "<", ">", "?", "@", "|"]
LEAF = st.sampled_from(KEYWORDS + LITERALS + PUNCT)


def _group(children: list[str], delimiters: str) -> str:
    return delimiters[0] + " ".join(children) + delimiters[1]


TOKEN_TREE = st.recursive(
    LEAF, lambda inner: st.builds(_group, st.lists(inner, max_size=6), st.sampled_from(["()", "[]", "{}"])),
    max_leaves=30)
# Operand-shaped pieces, so that deeper parser paths are reached more often than by chance.
PIECES = st.sampled_from([
    '"nop"', '"{}"', '"{x}"', "in(reg) x", "out(reg) _", 'inout("rax") x => y', "lateout(reg) y", "const 5",
    "sym main", "label { }", "options(nomem, nostack)", "options(pure)", 'clobber_abi("C")', "x = in(reg) x",
    '#[cfg(target_arch = "x86_64")] in(reg) x', "in(xmm_reg) x", "out(\"xmm0\") _", "options()"])
TEMPLATES = st.lists(st.sampled_from(LITERALS[:11] + ['"mov {0}, {1}"', '"{x:e} {y}"', '"add {}, 1"']), min_size=1,
                     max_size=3)
# Mostly well-formed arguments (a template, operand-shaped pieces, commas) with noise: the parser's deep paths.
NOISE = st.one_of(TOKEN_TREE, st.builds(" ".join, st.lists(LEAF, max_size=4)))
ARGUMENTS = st.builds(
    lambda templates, rest, noise, where: ", ".join(templates + rest[:where] + noise + rest[where:]),
    st.one_of(TEMPLATES, TEMPLATES, st.lists(TOKEN_TREE, max_size=2)), st.lists(PIECES, max_size=8),
    st.lists(NOISE, max_size=1), st.integers(0, 8))

HEAD = "use std::arch::asm;\npub unsafe fn f(x: u64, mut y: u64) {\n    "
TAIL = ";\n}\n"


def _analyze(text: str):
    source = SourceFile.from_text(text)
    return source, analyze(source, Settings())


@given(ARGUMENTS, st.sampled_from(["asm", "global_asm", "naked_asm"]))
@bounded(400)
def test_any_balanced_arguments_give_a_model_and_diagnostics_inside_the_call(arguments, macro):
    text = HEAD + f"{macro}!({arguments})" + TAIL
    source, result = _analyze(text)
    call_start = len(HEAD)
    call_end = call_start + len(f"{macro}!({arguments})".encode())
    assert [(call.start, call.end) for call in result.model.calls] == [(call_start, call_end)]
    assert [resolved.arch for resolved in result.model.blocks] == ["x86_64"]
    check_ranges(source, result.diagnostics)
    for diagnostic in result.diagnostics:
        if diagnostic.code in ("naked-asm-outside-naked-fn", "asm-in-naked-function"):
            continue        # about the function around the call
        assert call_start <= diagnostic.start <= diagnostic.end <= call_end, diagnostic
    syntax = [d for d in result.diagnostics if d.code == "asm-syntax-error"]
    if syntax:      # rustc's parser stops at its first error: nothing else about this block
        assert [d.code for d in result.diagnostics if d.code != "naked-asm-outside-naked-fn"] == ["asm-syntax-error"]
    # the analysis is a function of the text
    assert _analyze(text)[1].diagnostics == result.diagnostics


RAW_TOKENS = st.lists(st.one_of(LEAF, st.sampled_from(["(", ")", "[", "]", "{", "}", '"', "r#\"", "'", "/*", "//",
                                                         "\n", "\\", "\U0001F600", "é"])), max_size=30)


@given(RAW_TOKENS, st.sampled_from(["", ")", ");", ") }"]))
@bounded(300)
def test_unbalanced_arguments_never_raise(tokens, closing):
    text = HEAD + "asm!(" + " ".join(tokens) + closing + TAIL
    source, result = _analyze(text)
    check_ranges(source, result.diagnostics)
    assert len(result.model.calls) <= 1
