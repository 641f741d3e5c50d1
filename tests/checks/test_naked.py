"""Naked-function rules and non-constant `const` operands: the cases where asm-ls must stay silent."""

from __future__ import annotations

from asm_ls.checks.expansion import check_expansion
from asm_ls.checks.naked import check_const_operands, check_functions
from asm_ls.model.build import build_file
from asm_ls.syntax.finder import find_calls
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.treesitter import parse

HEADER = "use std::arch::{asm, naked_asm};\n"


def _functions(text: str, architectures=("x86_64",)) -> list[tuple[str, str]]:
    data = (HEADER + text).encode()
    tree = parse(data)
    diagnostics = check_functions(tree, data, find_calls(tree, data), set(), list(architectures))
    return [(d.code, data[d.start:d.end].decode()) for d in diagnostics]


def _consts(text: str) -> list[str]:
    data = (HEADER + text).encode()
    tree = parse(data)
    model = build_file(SourceFile(data), ["x86_64"])
    found = []
    for resolved in model.blocks:
        assert not check_expansion(resolved)
        found += [data[d.start:d.end].decode() for d in check_const_operands(resolved, tree, data)]
    return found


def test_single_naked_asm_is_clean() -> None:
    assert _functions('#[unsafe(naked)] extern "C" fn f() { unsafe { { naked_asm!("ret") } } }') == []


def test_let_and_parameter_use() -> None:
    found = _functions('#[unsafe(naked)] extern "C" fn f(a: u32) { let b = a; naked_asm!("ret") }')
    assert ("naked-function-body", 'extern "C" fn f(a: u32)') in found
    assert ("naked-function-parameter-use", "a") in found


def test_shadowed_parameter_is_not_a_use() -> None:
    found = _functions('#[unsafe(naked)] extern "C" fn f(a: u32) { let a = 1; a; naked_asm!("ret") }')
    assert [code for code, _ in found] == ["naked-function-body"]


def test_unknown_macro_says_nothing_about_the_body() -> None:
    assert _functions('#[unsafe(naked)] extern "C" fn f() { my_asm!() }') == []
    # ... unless something else already breaks the rule
    found = _functions('#[unsafe(naked)] extern "C" fn f() { my_asm!(); naked_asm!("a"); naked_asm!("b") }')
    assert [code for code, _ in found] == ["naked-function-body"]


def test_compile_error_and_failed_expansion_count_as_the_block() -> None:
    assert _functions('#[unsafe(naked)] extern "C" fn f() { compile_error!("x") }') == []
    data = (HEADER + '#[unsafe(naked)] extern "C" fn f() { naked_asm!(name) }').encode()
    tree = parse(data)
    calls = find_calls(tree, data)
    assert check_functions(tree, data, calls, {calls[0].start}, ["x86_64"]) == []


def test_undecidable_naked_or_attribute_macro() -> None:
    assert _functions('#[cfg_attr(feature = "x", unsafe(naked))] extern "C" fn f() { let a = 1; }') == []
    assert _functions('#[unsafe(naked)] #[my_macro] extern "C" fn f() { let a = 1; }') == []
    assert _functions('#[unsafe(naked)] #[cfg_attr(feature = "x", inline)] extern "C" fn f() { naked_asm!("") }') == []


def test_cfg_d_out_function_and_statement() -> None:
    text = '#[cfg(target_arch = "aarch64")] #[unsafe(naked)] extern "C" fn f() { let a = 1; }'
    assert _functions(text) == []
    text = '#[unsafe(naked)] extern "C" fn f() { #[cfg(target_arch = "aarch64")] let a = 1; naked_asm!("") }'
    assert _functions(text) == []
    text = '#[unsafe(naked)] extern "C" fn f() { #[cfg(feature = "x")] let a = 1; naked_asm!("") }'
    assert _functions(text) == []


def test_const_operand_locals() -> None:
    text = 'pub fn f(p: usize) { let x = 1usize; unsafe { asm!("/* {} {} */", const x, const p) } }'
    assert _consts(text) == ["x", "p"]


def test_const_operand_unknown_or_constant_names() -> None:
    assert _consts('pub fn f() { unsafe { asm!("/* {} */", const UNKNOWN) } }') == []
    assert _consts('const x: usize = 1; pub fn f() { let x = 2usize; unsafe { asm!("/* {} */", const x) } }') == []
    assert _consts('pub fn f() { unsafe { asm!("/* {} */", const { let y = 1usize; y }) } }') == []
    assert _consts('pub fn f() { let x = 1usize; let g = || unsafe { asm!("/* {} */", const x) }; }') == ["x"]


def test_a_body_nested_too_deep_to_walk_is_unknown() -> None:
    """The body walk recurses: a body deeper than it walks is left unknown (silent), not a RecursionError."""
    depth = 600
    body = "{ " * depth + "naked_asm!(\"ret\"); let x = 1;" + " }" * depth
    assert _functions(f'#[unsafe(naked)] extern "C" fn f() {body}') == []
