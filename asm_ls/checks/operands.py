"""What an operand's expression must be: outputs are places, ``sym`` names a function or a
static.  Decided from the syntax tree only; names that cannot be resolved in the file say
nothing."""

from __future__ import annotations

import functools

import tree_sitter

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.block import Expr
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.functions import item_names, items_by_kind, visible_bindings
from asm_ls.syntax.treesitter import parse

# Expressions that are never places (rustc: "invalid asm output").
_NOT_PLACES = frozenset({"integer_literal", "float_literal", "string_literal", "raw_string_literal", "char_literal",
                         "boolean_literal", "binary_expression", "call_expression", "reference_expression",
                         "closure_expression", "tuple_expression", "array_expression", "range_expression"})


def check_operand_expressions(resolved: ResolvedBlock, tree: tree_sitter.Tree, data: bytes) -> list[Diagnostic]:
    call = resolved.block.call
    if call.in_macro or call.in_macro_definition or (call.function is not None and call.function.macro_attributes):
        return []
    out: list[Diagnostic] = []
    for operand in resolved.block.operands:
        for expr in _output_expressions(operand):
            if _expression_kind(expr, data) in _NOT_PLACES:
                out.append(Diagnostic("invalid-asm-output", "invalid asm output", expr.start, expr.end))
    syms = [operand for operand in resolved.block.operands
            if operand.kind == "sym" and operand.expr is not None and operand.expr.known
            and len(operand.expr.tokens) == 1 and operand.expr.tokens[0].kind == "ident"]
    if syms:
        out += _sym_operands(resolved, syms, tree, data)
    return out


def _output_expressions(operand) -> list[Expr]:
    if operand.kind in ("out", "lateout") and operand.expr is not None and not operand.discard:
        return [operand.expr]
    if operand.kind in ("inout", "inlateout"):
        if operand.split:
            return [operand.out_expr] if operand.out_expr is not None else []
        return [operand.expr] if operand.expr is not None else []
    return []


def _expression_kind(expr: Expr, data: bytes) -> str | None:
    if not expr.known:
        return None
    return _kind_of_expression(data[expr.start:expr.end])


@functools.lru_cache(maxsize=2048)
def _kind_of_expression(expression: bytes) -> str | None:
    text = b"fn f() { (" + expression + b"); }"
    tree = parse(text)
    node = tree.root_node.descendant_for_byte_range(10, 10)
    while node is not None and node.parent is not None and node.parent.type != "parenthesized_expression":
        node = node.parent
    if node is None or node.has_error or node.end_byte != len(text) - len(b"); }"):
        return None
    return node.type


def _sym_operands(resolved: ResolvedBlock, syms, tree: tree_sitter.Tree, data: bytes) -> list[Diagnostic]:
    """A ``sym`` naming a local variable (span: the name) or a ``const`` item (span: the
    operand) is rejected; functions and statics are fine."""
    call = resolved.block.call
    node = tree.root_node.descendant_for_byte_range(call.start, call.end)
    while node is not None and not (node.type == "macro_invocation" and node.start_byte == call.start):
        node = node.parent
    if node is None:
        return []
    kinds = items_by_kind(tree.root_node, data)
    locals_ = (visible_bindings(node, data) or set()) - item_names(tree.root_node, data)
    others = set().union(*(names for kind, names in kinds.items() if kind != "const_item"))
    out = []
    for operand in syms:
        name = operand.expr.tokens[0].text
        if name in locals_:
            out.append(Diagnostic("invalid-sym-operand", "invalid `sym` operand", operand.expr.start, operand.expr.end,
                                  notes=("`sym` operands must refer to either a function or a static",)))
        elif name in kinds.get("const_item", set()) and name not in others:
            out.append(Diagnostic("invalid-sym-operand", "invalid `sym` operand", operand.start, operand.end,
                                  notes=("`sym` operands must refer to either a function or a static",)))
    return out
