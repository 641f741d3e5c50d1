"""Where an operand expression ends: Rust's expression grammar, for expressions rustc's parser
accepts that cannot be operands of a compiling block (rustc rejects their types, not their
syntax; checked with the oracle: its only errors are type errors) and for the ends of
expressions inside larger ones."""

from __future__ import annotations

import pytest

from asm_ls.model.args import parse_args
from asm_ls.model.expr import expression_end
from asm_ls.syntax.finder import find_calls
from asm_ls.syntax.treesitter import parse


def _call(operand: str):
    text = f'fn f() {{ unsafe {{ core::arch::asm!("/* {{}} */", in(reg) {operand}, options(nostack)); }} }}'
    data = text.encode()
    [call] = find_calls(parse(data), data)
    return call


# Each parses as one expression in rustc (type errors only, as the oracle shows).
PARSED_BY_RUSTC = [
    "|a: u64| a + 1",
    "move || -> u64 { x }",
    "x..",
    "..x",
    "..",
    "1..=x",
    "while c { }",
    "for i in v.iter() { let _ = i; }",
    "async move { x }",
    "x as fn(u8) -> u8",
    "x as &dyn Fn(u8) -> u8",
    "if c && let Some(w) = v.first() && *w > 1 { 1 } else { 0 }",
    "match x { 0 => 1, _ => 2 }.pow(2)",
    "(x, 1).1.0",
]


@pytest.mark.parametrize("operand", PARSED_BY_RUSTC)
def test_operand_is_one_expression(operand: str) -> None:
    call = _call(operand)
    parsed = parse_args(call)
    assert parsed.error is None and not parsed.unknown
    [_, operand_arg, options] = parsed.args
    assert (operand_arg.kind, options.kind) == ("operand", "options")
    expr = operand_arg.value.expr
    assert call.args.children[0].start < expr.start
    assert expr.end == expr.tokens[-1].end


def test_condition_ends_before_its_block() -> None:
    """In a condition, `path {` is not a struct literal: the `{..}` is the block."""
    call = _call("if a == B { 1 } else { 2 }")
    tokens = call.args.children
    start = next(index for index, token in enumerate(tokens) if token.is_ident("if")) + 1
    end, ending = expression_end(tokens, start, no_struct=True)
    assert [token.text for token in tokens[start:end]] == ["a", "==", "B"] and ending == "path"
    end, ending = expression_end(tokens, start)
    assert [token.text for token in tokens[start:end - 1]] == ["a", "==", "B"] and tokens[end - 1].is_group("{")


def test_cast_to_bounds_with_leftover_tokens_is_unknown() -> None:
    """rustc rejects `x as &dyn Tr y` with a list asm-ls cannot give: nothing is reported."""
    parsed = parse_args(_call("x as &dyn Tr y"))
    assert parsed.error is None and parsed.unknown
