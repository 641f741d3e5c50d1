"""Navigation on labels and sym operands, and symbols named by their function
(asm_ls.ide.labels, sym_items, navigation, symbols)."""

from __future__ import annotations

from ide_helpers import apply, analyzed, at, spans

from asm_ls.ide import navigation, symbols

TEXT = '''use std::arch::{asm, global_asm, naked_asm};

global_asm!(
    ".globl my_entry",
    "my_entry:",
    "    call helper",
    "    ret",
);
global_asm!("helper: ret");

extern "C" fn target() {}

mod inner {
    pub extern "C" fn callee() {}
    std::arch::global_asm!("1: jmp 1b");
}

pub fn count(n: u64) {
    unsafe {
        asm!(
            "2:",
            "dec {n}",
            "jnz 2b",
            "jmp 2f",
            "2: call {t}",
            "call helper",
            "call {c}",
            n = inout(reg) n => _,
            t = sym target,
            c = sym inner::callee,
        );
    }
}

#[unsafe(naked)]
pub extern "C" fn start() {
    naked_asm!("loop_top:", "jmp loop_top", "call my_entry")
}
'''


def model():
    return analyzed(TEXT)


def test_numeric_label_references_resolve_backwards_and_forwards():
    source, result = model()
    backward = at(TEXT, "2b")
    assert spans(source, navigation.definition(result.model, backward)) == [("2", [20, 13, 20, 14])]
    assert spans(source, navigation.definition(result.model, at(TEXT, "2f", 1))) == [("2", [24, 13, 24, 14])]
    assert spans(source, navigation.references(result.model, backward)) == \
        [("2", [20, 13, 20, 14]), ("2b", [22, 17, 22, 19])]
    assert spans(source, navigation.references(result.model, at(TEXT, "2: call"))) == \
        [("2f", [23, 17, 23, 19]), ("2", [24, 13, 24, 14])]
    assert spans(source, navigation.references(result.model, at(TEXT, "2: call"), False)) == [("2f", [23, 17, 23, 19])]
    assert [(source.text(h.start, h.end), h.kind) for h in navigation.highlights(result.model, backward)] == \
        [("2", "write"), ("2b", "read")]


def test_numeric_labels_are_local_to_their_block():
    source, result = model()
    assert spans(source, navigation.references(result.model, at(TEXT, "1b"))) == \
        [("1", [14, 28, 14, 29]), ("1b", [14, 35, 14, 37])]


def test_named_labels_of_global_asm_reach_across_calls_and_from_asm():
    source, result = model()
    expected = [("helper", [5, 14, 5, 20]), ("helper", [8, 13, 8, 19]), ("helper", [25, 18, 25, 24])]
    for offset in (at(TEXT, "helper"), at(TEXT, "helper:", 3), at(TEXT, "call helper\",\n", 5, 1)):
        assert spans(source, navigation.references(result.model, offset)) == expected
        assert spans(source, navigation.definition(result.model, offset)) == [("helper", [8, 13, 8, 19])]
    assert spans(source, navigation.references(result.model, at(TEXT, "call my_entry", 6))) == \
        [("my_entry", [3, 12, 3, 20]), ("my_entry", [4, 5, 4, 13]), ("my_entry", [36, 50, 36, 58])]


def test_named_labels_of_naked_asm():
    source, result = model()
    assert [(source.text(h.start, h.end), h.kind)
            for h in navigation.highlights(result.model, at(TEXT, "jmp loop_top", 5))] == \
        [("loop_top", "write"), ("loop_top", "read")]


def test_rename_a_numeric_label():
    _, result = model()
    offset = at(TEXT, "2b")
    target = navigation.prepare_rename(result.model, offset)
    assert (target.name, target.label) == ("2", True)
    edits = navigation.rename(result.model, offset, "3")
    assert apply(TEXT, edits).count('"3:",') == 1 and '"jnz 3b"' in apply(TEXT, edits)
    assert '"jmp 2f"' in apply(TEXT, edits)
    assert navigation.rename_problem(result.model, offset, "2") is None
    assert navigation.rename_problem(result.model, offset, "x") == \
        "`x` is not a numeric label (a local label is renamed to another number)"
    assert navigation.rename(result.model, offset, "x") is None


def test_rename_a_named_label_in_every_block_of_the_file():
    _, result = model()
    edits = navigation.rename(result.model, at(TEXT, "call helper", 6), "helper2")
    renamed = apply(TEXT, edits)
    assert renamed.count("helper2") == 3 and "helper " not in renamed.replace("helper2", "")
    assert navigation.rename_problem(result.model, at(TEXT, "helper"), "my_entry") == \
        "a label named `my_entry` already exists"
    assert navigation.rename_problem(result.model, at(TEXT, "helper"), "9x") == "`9x` is not a valid label name"


def test_no_rename_of_a_label_spelt_with_an_escape():
    text = 'use std::arch::asm;\npub fn f() { unsafe { asm!("l\\x61b: jmp lab", "jmp 2f", "2:") } }\n'
    source, result = analyzed(text)
    assert spans(source, navigation.references(result.model, at(text, "jmp lab", 4))) == \
        [("l\\x61b", [1, 28, 1, 34]), ("lab", [1, 40, 1, 43])]
    assert navigation.prepare_rename(result.model, at(text, "jmp lab", 4)) is None


def test_sym_operands_go_to_the_rust_item():
    source, result = model()
    assert spans(source, navigation.definition(result.model, at(TEXT, "sym target", 5))) == \
        [("target", [10, 14, 10, 20])]
    assert spans(source, navigation.definition(result.model, at(TEXT, "inner::callee", 8))) == \
        [("callee", [13, 22, 13, 28])]
    # from the placeholder: the operand, and the operand's references
    assert spans(source, navigation.definition(result.model, at(TEXT, "{t}", 1))) == [("t", [28, 12, 28, 13])]
    assert spans(source, navigation.references(result.model, at(TEXT, "{t}", 1))) == \
        [("{t}", [24, 21, 24, 24]), ("t", [28, 12, 28, 13])]


def test_sym_paths_through_self_and_types():
    text = '''use std::arch::asm;
struct S;
impl S {
    extern "C" fn g() {}
    pub fn f() { unsafe { asm!("call {}", sym Self::g); asm!("call {}", sym S::g::<>) } }
}
mod m { pub static V: u8 = 0; pub fn f() { unsafe { std::arch::asm!("lea {}, [rip]", sym super::m::V) } } }
'''
    source, result = analyzed(text)
    assert spans(source, navigation.definition(result.model, at(text, "Self::g", 6))) == [("g", [3, 18, 3, 19])]
    assert spans(source, navigation.definition(result.model, at(text, "S::g::", 3))) == [("g", [3, 18, 3, 19])]
    assert spans(source, navigation.definition(result.model, at(text, "super::m::V", 10))) == [("V", [6, 19, 6, 20])]


def test_symbols_are_named_by_their_function_with_labels():
    source, result = model()
    outline = [(s.name, s.detail, [(c.name, c.kind) for c in s.children])
               for s in symbols.document_symbols(result.model, "/src/boot.rs")]
    assert outline == [
        ("global_asm! (boot.rs)", "x86_64", [("my_entry", "constant")]),
        ("global_asm! (boot.rs)", "x86_64", [("helper", "constant")]),
        ("global_asm! (mod inner)", "x86_64", [("1", "constant")]),
        ("count › asm!", "x86_64", [("2", "constant"), ("2", "constant"), ("n", "variable"), ("t", "variable"),
                                    ("c", "variable")]),
        ("start › naked_asm!", "x86_64", [("loop_top", "constant")]),
    ]


def test_workspace_symbol_filter():
    assert symbols.matches("cnt", "count › asm!") and symbols.matches("", "x")
    assert not symbols.matches("tc", "count")
