"""Definition, references, highlights and rename of operands (asm_ls.ide.navigation)."""

from __future__ import annotations

from ide_helpers import HEAD, analyzed, apply, at, spans

from asm_ls.ide import navigation

BLOCK = HEAD + '''pub unsafe fn f(x: u64) -> u64 {
    let y: u64;
    asm!(
        "mov {y}, {x} // copy",
        r"add {y}, {0:e}",
        "xor {\\x78 :e}, {}",
        in(reg) 5,
        x = in(reg) x,
        y = out(reg) y,
    );
    y
}
'''


def model(text=BLOCK, *triples):
    return analyzed(text, *triples)


def test_definition_from_named_placeholder():
    source, result = model()
    assert spans(source, navigation.definition(result.model, at(BLOCK, "{x}", 1))) == [("x", [9, 8, 9, 9])]


def test_definition_at_either_end_of_the_placeholder():
    source, result = model()
    assert spans(source, navigation.definition(result.model, at(BLOCK, "{x}"))) == [("x", [9, 8, 9, 9])]
    assert spans(source, navigation.definition(result.model, at(BLOCK, "{x}", 3))) == [("x", [9, 8, 9, 9])]


def test_definition_through_an_escape():
    source, result = model()
    assert spans(source, navigation.definition(result.model, at(BLOCK, "\\x78", 2))) == [("x", [9, 8, 9, 9])]


def test_definition_of_positional_placeholders_is_the_whole_operand():
    source, result = model()
    assert spans(source, navigation.definition(result.model, at(BLOCK, "{0:e}", 4))) == \
        [("in(reg) 5", [8, 8, 8, 17])]
    assert spans(source, navigation.definition(result.model, at(BLOCK, "{}", 1))) == \
        [("in(reg) 5", [8, 8, 8, 17])]


def test_no_definition_outside_placeholders():
    _, result = model()
    for offset in (0, at(BLOCK, "mov"), at(BLOCK, "x = in"), at(BLOCK, "let y"), len(BLOCK.encode()), 10 ** 6, -5):
        assert navigation.definition(result.model, offset) == []


def test_references_of_a_named_operand_from_anywhere():
    source, result = model()
    expected = [("{x}", [5, 18, 5, 21]), ("{\\x78 :e}", [7, 13, 7, 22]), ("x", [9, 8, 9, 9])]
    assert spans(source, navigation.references(result.model, at(BLOCK, "{x}", 1))) == expected
    assert spans(source, navigation.references(result.model, at(BLOCK, "x = in"))) == expected
    assert spans(source, navigation.references(result.model, at(BLOCK, "x = in"), False)) == expected[:2]


def test_references_of_a_positional_operand():
    source, result = model()
    assert spans(source, navigation.references(result.model, at(BLOCK, "in(reg) 5"))) == [
        ("{0:e}", [6, 19, 6, 24]), ("{}", [7, 24, 7, 26]), ("in(reg) 5", [8, 8, 8, 17])]


def test_highlights_mark_the_definition_as_written():
    source, result = model()
    found = navigation.highlights(result.model, at(BLOCK, "{y}", 1, occurrence=1))
    assert [(source.text(h.start, h.end), h.kind) for h in found] == \
        [("{y}", "read"), ("{y}", "read"), ("y", "write")]


def test_prepare_rename_from_placeholder_and_definition():
    source, result = model()
    target = navigation.prepare_rename(result.model, at(BLOCK, "{\\x78", 3))
    assert (target.name, source.text(target.start, target.end)) == ("x", "\\x78")
    assert spans(source, target.edits) == [("x", [5, 19, 5, 20]), ("\\x78", [7, 14, 7, 18]), ("x", [9, 8, 9, 9])]
    target = navigation.prepare_rename(result.model, at(BLOCK, "x = in", 1))
    assert source.text(target.start, target.end) == "x"


def test_rename_edits_every_piece_exactly():
    _, result = model()
    edits = navigation.rename(result.model, at(BLOCK, "{x}", 1), "input")
    assert apply(BLOCK, edits) == BLOCK.replace("{x}", "{input}").replace("{\\x78 :e}", "{input :e}") \
        .replace("x = in(reg) x", "input = in(reg) x")


def test_rename_in_raw_strings_keeps_the_modifier():
    text = HEAD + 'pub unsafe fn f(a: u32) {\n    asm!(r#"mov {a:e}, "{a}""#, a = in(reg) a);\n}\n'
    _, result = model(text)
    edits = navigation.rename(result.model, at(text, "a = in"), "b")
    assert apply(text, edits) == text.replace("{a:e}", "{b:e}").replace("{a}", "{b}").replace("a = in", "b = in")


def test_prepare_rename_refuses():
    _, result = model()
    assert navigation.prepare_rename(result.model, at(BLOCK, "{0:e}", 1)) is None        # positional
    assert navigation.prepare_rename(result.model, at(BLOCK, "{}", 1)) is None
    assert navigation.prepare_rename(result.model, at(BLOCK, "in(reg) 5")) is None
    assert navigation.prepare_rename(result.model, at(BLOCK, "in(reg) x")) is None       # not on the name
    assert navigation.prepare_rename(result.model, at(BLOCK, "mov")) is None
    assert navigation.prepare_rename(result.model, 0) is None


def test_prepare_rename_refuses_inexact_or_unknown_blocks():
    cases = [
        'asm!(concat!("mov {x}", ", 1"), x = in(reg) 0);',           # placeholder inside concat!
        'asm!("{x} {", x = in(reg) 0);',                              # template does not parse
        'asm!("{x}", x = in("eax") 0);',                              # explicit register
        'asm!("{x}", x = in(reg) 0, x = in(reg) 1);',                 # the name is defined twice
    ]
    for call in cases:
        text = HEAD + "pub unsafe fn f() {\n    " + call + "\n}\n"
        _, result = model(text)
        assert navigation.prepare_rename(result.model, at(text, "x = in")) is None, call
    text = HEAD + "macro_rules! m {\n    ($t:tt) => { asm!(\"{x}\", x = in(reg) 0, $t) };\n}\n"
    _, result = model(text)
    assert navigation.prepare_rename(result.model, at(text, "x = in")) is None


def test_rename_problems():
    _, result = model()
    offset = at(BLOCK, "{x}", 1)
    assert navigation.rename_problem(result.model, offset, "y") == "an operand named `y` already exists"
    for bad in ("fn", "1a", "a-b", "_", "", "r#x", "a b"):
        assert navigation.rename_problem(result.model, offset, bad) == f"`{bad}` is not a valid operand name"
        assert navigation.rename(result.model, offset, bad) is None
    assert navigation.rename_problem(result.model, offset, "_x1") is None
    assert navigation.rename_problem(result.model, offset, "x") is None
    assert navigation.rename_problem(result.model, at(BLOCK, "{}", 1), "z") == "only a named operand or a label can be renamed"


def test_several_architectures_give_one_answer():
    _, single = model(BLOCK)
    source, multiple = model(BLOCK, "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    assert len(multiple.model.blocks) == 2
    offset = at(BLOCK, "{x}", 1)
    assert navigation.references(multiple.model, offset) == navigation.references(single.model, offset)
    assert apply(BLOCK, navigation.rename(multiple.model, offset, "i")) == \
        apply(BLOCK, navigation.rename(single.model, offset, "i"))


def test_placeholder_in_a_cfg_dependent_block():
    text = HEAD + '''pub unsafe fn f() {
    asm!(
        "{a}",
        #[cfg(target_arch = "x86_64")] a = in(reg) 0,
        #[cfg(target_arch = "aarch64")] a = in(reg) 1,
    );
}
'''
    source, result = model(text, "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    assert spans(source, navigation.definition(result.model, at(text, "{a}", 1))) == \
        [("a", [5, 39, 5, 40]), ("a", [6, 40, 6, 41])]
    edits = navigation.rename(result.model, at(text, "{a}", 1), "b")
    assert apply(text, edits) == text.replace("{a}", "{b}").replace("a = in", "b = in")


TRICKY = [
    BLOCK,
    HEAD + 'pub unsafe fn f() {\n    asm!("mov {x}, {", x = in(reg);\n    asm!(\n}\n',
    HEAD + 'fn f() { asm!(concat!("{a}", "{}"), a = in(reg) 0, in(reg) 1, options(raw)); }\n',
    HEAD + 'macro_rules! m { ($r:ident, $t:tt) => { asm!("{0} {r}", in($r) 0, r = $t) }; }\n',
    HEAD + 'fn f() { unsafe { asm!("é𝄞 {x:e}\\\n   {{}}", x = in("eax") 0, x = in(reg) 1, options(att_syntax, att_syntax)) } }\n',
    HEAD + 'core::arch::global_asm!(r#"{0}"#, const 1, options(nomem));\nfn g() { core::arch::naked_asm!("ret") }\n',
    "",
    "asm!",
]


def test_no_offset_raises():
    from asm_ls.ide import actions, inlay, symbols, tokens
    for text in TRICKY:
        for triples in ((), ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu")):
            source, result = analyzed(text, *triples)
            model = result.model
            symbols.document_symbols(model)
            tokens.semantic_tokens(model)
            inlay.inlay_hints(model)
            for diagnostic in result.diagnostics:
                actions.quick_fixes(model, diagnostic)
            for offset in range(-1, len(source.data) + 2):
                navigation.definition(model, offset)
                navigation.references(model, offset)
                navigation.highlights(model, offset)
                navigation.prepare_rename(model, offset)
                navigation.rename(model, offset, "renamed")
