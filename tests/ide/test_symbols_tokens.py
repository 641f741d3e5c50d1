"""Document symbols, semantic tokens and inlay hints (asm_ls.ide.symbols, tokens, inlay)."""

from __future__ import annotations

from ide_helpers import HEAD, analyzed, at

from asm_ls.ide import inlay, symbols, tokens

SYMBOLS = HEAD + '''core::arch::global_asm!(".globl f", "f: ret");

pub unsafe fn f(a: u64) -> u64 {
    let b: u64;
    std::arch::asm!("mov {b}, {a}", a = in(reg) a, b = out(reg) b, in("eax") 1);
    b
}
'''


def outline(source, found):
    return [(s.name, s.kind, s.detail, source.text(s.start, s.end)[:20], source.text(s.selection_start, s.selection_end),
             outline(source, s.children)) for s in found]


def test_one_symbol_per_call_with_named_operands():
    source, result = analyzed(SYMBOLS)
    assert outline(source, symbols.document_symbols(result.model)) == [
        ("global_asm! (file)", "function", "x86_64", 'core::arch::global_a', "core::arch::global_asm!", [
            ("f", "constant", "label", "f", "f", []),
        ]),
        ("f › asm!", "event", "x86_64", "std::arch::asm!(\"mov", "std::arch::asm!", [
            ("a", "variable", "in(reg)", "a = in(reg) a", "a", []),
            ("b", "variable", "out(reg)", "b = out(reg) b", "b", []),
        ]),
    ]


def test_symbol_names_list_the_architectures():
    source, result = analyzed(SYMBOLS, "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    found = symbols.document_symbols(result.model)
    assert [(s.name, s.detail) for s in found] == [("global_asm! (file)", "x86_64, aarch64"),
                                                   ("f › asm!", "x86_64, aarch64")]
    assert [c.name for c in found[1].children] == ["a", "b"]


def test_symbols_of_a_broken_call():
    text = HEAD + 'pub unsafe fn f() {\n    asm!("nop", x = in(reg));\n}\n'
    source, result = analyzed(text)
    assert outline(source, symbols.document_symbols(result.model)) == \
        [("f › asm!", "event", "x86_64", 'asm!("nop", x = in(r', "asm!", [])]


TOKENS = HEAD + '''pub unsafe fn f(p: *mut u64) {
    asm!(
        "2: lock xadd qword ptr [{p} + 8], {v}  # add",
        ".Lloop: dec rcx; jnz .Lloop /* x */ ; jne 2b",
        "movl $0x10, %eax",
        "{{}} \\x6eop",
        r#".ascii "a;b # c""#,
        "mov \\
           rax, rbx",
        concat!("nop", "nop"),
        p = in(reg) p, v = inout(reg) 1 => _,
    );
}
'''


def token_list(text, *triples):
    source, result = analyzed(text, *triples)
    return [(t.type, source.text(t.start, t.end), source.range(t.start, t.end).as_list()[:2], t.modifiers)
            for t in tokens.semantic_tokens(result.model)]


def test_tokens_of_x86_templates():
    assert token_list(TOKENS) == [
        ("label", "2", [4, 9], ("declaration",)),
        ("keyword", "lock", [4, 12], ()),
        ("keyword", "xadd", [4, 17], ()),
        ("parameter", "{p}", [4, 33], ()),
        ("number", "8", [4, 39], ()),
        ("parameter", "{v}", [4, 43], ()),
        ("comment", "# add", [4, 48], ()),
        ("label", ".Lloop", [5, 9], ("declaration",)),
        ("keyword", "dec", [5, 17], ()),
        ("variable", "rcx", [5, 21], ()),
        ("keyword", "jnz", [5, 26], ()),
        ("label", ".Lloop", [5, 30], ()),
        ("comment", "/* x */", [5, 37], ()),
        ("keyword", "jne", [5, 47], ()),
        ("label", "2b", [5, 51], ()),
        ("keyword", "movl", [6, 9], ()),
        ("number", "$0x10", [6, 14], ()),
        ("variable", "%eax", [6, 21], ()),
        ("keyword", "\\x6eop", [7, 14], ()),
        ("macro", ".ascii", [8, 11], ()),
        ("keyword", "mov", [9, 9], ()),
        ("variable", "rax", [10, 11], ()),
        ("variable", "rbx", [10, 16], ()),
    ]


def test_tokens_of_aarch64_templates():
    text = HEAD + 'pub unsafe fn f() {\n    asm!("ldr x0, [x1, #8] // c", "b.eq 1f", "1:", "add w0, w0, {x:w}", x = in(reg) 0);\n}\n'
    assert token_list(text, "aarch64-unknown-linux-gnu") == [
        ("keyword", "ldr", [3, 10], ()),
        ("variable", "x0", [3, 14], ()),
        ("variable", "x1", [3, 19], ()),
        ("number", "8", [3, 24], ()),
        ("comment", "// c", [3, 27], ()),
        ("keyword", "b.eq", [3, 35], ()),
        ("label", "1f", [3, 40], ()),
        ("label", "1", [3, 46], ("declaration",)),
        ("keyword", "add", [3, 52], ()),
        ("variable", "w0", [3, 56], ()),
        ("variable", "w0", [3, 60], ()),
        ("parameter", "{x:w}", [3, 64], ()),
    ]


def test_tokens_are_single_line_sorted_and_disjoint():
    text = HEAD + 'pub unsafe fn f() {\n    asm!(r"/* a\nb */ nop", "nop");\n}\n'
    source, result = analyzed(text, "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    found = tokens.semantic_tokens(result.model)
    assert [(t.type, source.text(t.start, t.end)) for t in found] == \
        [("comment", "/* a"), ("comment", "b */"), ("keyword", "nop"), ("keyword", "nop")]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_no_tokens_without_calls_or_with_unknown_text():
    assert token_list("fn main() {}\n") == []
    text = HEAD + 'macro_rules! m {\n    ($t:expr) => { asm!($t, "nop") };\n}\n'
    assert token_list(text) == [("keyword", "nop", [3, 29], ())]


INLAY = HEAD + '''pub unsafe fn f(value: u64) {
    asm!("mov {}, {1:e}; add {0}, {x}; {2}", in(reg) value, out(reg) _, inout(reg) some_long_expression(1, 2) => _,
         x = in(reg) 1);
}
'''


def test_inlay_hints_after_positional_placeholders():
    source, result = analyzed(INLAY)
    found = inlay.inlay_hints(result.model)
    assert [(h.label, h.tooltip, source.position(h.offset).character) for h in found] == [
        (": value", "in(reg) value", 16),
        (": reg", "out(reg) _", 23),
        (": value", "in(reg) value", 32),
        (": reg", "inout(reg) some_long_expression(1, 2) => _", 42),
    ]


def test_inlay_hints_in_a_range():
    source, result = analyzed(INLAY)
    found = inlay.inlay_hints(result.model, at(INLAY, "{1:e}"), at(INLAY, "{0}", 3))
    assert [h.label for h in found] == [": reg", ": value"]
