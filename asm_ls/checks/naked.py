"""Where inline assembly may stand: rustc's naked-function rules and non-constant `const` operands."""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.cfg_eval import CfgValues, evaluate_all
from asm_ls.model.args import parse_args
from asm_ls.model.functions import (ITEM_NODES, Attribute, attributes_of, binding_names, item_names,
                                    parameters_of, visible_bindings)
from asm_ls.syntax.cfg import Cfg, cfg_of_attribute
from asm_ls.syntax.finder import Contexts, MacroCall, attribute_group_of, context_cfgs, outer_attribute_items
from asm_ls.syntax.treesitter import deeper_than, find_nodes, parse

NAKED = "`#[unsafe(naked)]`"
_NAKED_WORD = b"naked"

# Built-in attributes rustc rejects next to `#[unsafe(naked)]` (checked against rustc 1.95).
INCOMPATIBLE = frozenset("""
inline track_caller expect optimize coverage used link_name automatically_derived non_exhaustive macro_use
no_link path no_builtins link debugger_visualizer collapse_debuginfo proc_macro proc_macro_attribute
proc_macro_derive no_std no_core no_main recursion_limit crate_type crate_name type_length_limit
windows_subsystem sanitize patchable_function_entry thread_local must_not_suspend no_implicit_prelude
""".split())
# Built-in attributes that may stand on a function (the others may be attribute macros).
_BUILTIN = INCOMPATIBLE | frozenset("""
allow warn deny forbid deprecated must_use doc cfg cfg_attr cold no_mangle export_name link_section linkage
naked unsafe instruction_set repr rustc_std_internal_symbol target_feature test bench ignore should_panic
""".split())
_TOOLS = ("rustfmt", "clippy", "diagnostic", "rust_analyzer")
_TESTING = ("test", "bench")

# What an attribute stands on, for "`#[naked]` attribute cannot be used on ...".
_TARGETS = {
    "struct_item": "structs", "enum_item": "enums", "union_item": "unions", "static_item": "statics",
    "mod_item": "modules", "trait_item": "traits", "type_item": "type aliases", "use_declaration": "use statements",
    "macro_definition": "macro defs", "extern_crate_declaration": "extern crates",
    "foreign_mod_item": "foreign modules", "field_declaration": "struct fields", "enum_variant": "enum variants",
    "let_declaration": "statements", "match_arm": "match arms", "type_parameter": "type parameters",
    "associated_type": "associated types",
}


# -- the entry points ---------------------------------------------------------------------------

def check_functions(tree: tree_sitter.Tree, data: bytes, calls: list[MacroCall], fatal: set[int],
                    architectures: list[str], file_cfgs: list[Cfg] | None = None,
                    contexts: Contexts | None = None, values: CfgValues | None = None) -> list[Diagnostic]:
    """rustc's rules for naked functions and for where ``#[naked]`` may stand.

    ``calls``: the file's inline-assembly calls (:func:`asm_ls.syntax.finder.find_calls`);
    ``fatal``: the start offsets of calls whose expansion failed (rustc replaces them by an
    error expression); ``architectures``: those of the targets the file is built for, for ``#[cfg]``s (with the
    ``--cfg`` ``values``); ``contexts``: the tree's :class:`~asm_ls.syntax.finder.Contexts`, when the caller keeps
    one."""
    if _NAKED_WORD not in data:
        return []       # every rule here is about an attribute named `naked`
    contexts = contexts or Contexts(data)
    by_start = {call.start: call for call in calls if not call.in_macro}
    found: dict[tuple, Diagnostic] = {}
    nodes = _nodes(tree.root_node, ("function_item",) + _ATTRIBUTE_ITEMS)      # one walk for both
    for node in (node for node in nodes if node.type == "function_item"):
        for arch in architectures or [None]:
            for diagnostic in _check_function(node, data, by_start, fatal, arch, file_cfgs or [], contexts,
                                              values or CfgValues()):
                found.setdefault((diagnostic.code, diagnostic.message, diagnostic.start, diagnostic.end), diagnostic)
    for diagnostic in _misplaced_naked([node for node in nodes if node.type in _ATTRIBUTE_ITEMS], data):
        found.setdefault((diagnostic.code, diagnostic.message, diagnostic.start, diagnostic.end), diagnostic)
    return sorted(found.values(), key=Diagnostic.sort_key)


def check_const_operands(resolved: ResolvedBlock, tree: tree_sitter.Tree, data: bytes) -> list[Diagnostic]:
    """E0435: a ``const`` operand naming a local variable or a parameter of the enclosing function."""
    call = resolved.block.call
    if call.in_macro or call.in_macro_definition or call.function is None or call.function.macro_attributes:
        return []
    operands = [arg.value for arg in resolved.args if arg.kind == "operand" and id(arg) not in resolved.uncertain
                and arg.value.kind == "const" and arg.value.expr is not None and arg.value.expr.known]
    if not operands:
        return []
    node = tree.root_node.descendant_for_byte_range(call.start, call.end)
    while node is not None and not (node.type == "macro_invocation" and node.start_byte == call.start):
        node = node.parent
    if node is None:
        return []
    locals_ = visible_bindings(node, data)
    if not locals_:
        return []
    used = [(name, start, end) for operand in operands
            for name, start, end in _expression_names(data, operand.expr.start, operand.expr.end)
            if name in locals_ and name != "self"]
    if not used:
        return []       # (the file's item names, read from the whole tree, are not needed)
    items = item_names(tree.root_node, data)
    return [Diagnostic("non-constant-in-const-operand", "attempt to use a non-constant value in a constant", start, end)
            for name, start, end in used if name not in items]


# -- one function ----------------------------------------------------------------------------

@dataclass
class _Body:
    items: list[tuple[str, int, int]] = field(default_factory=list)   # (kind, start, end)
    unknown: bool = False


def _check_function(node: tree_sitter.Node, data: bytes, calls: dict[int, MacroCall], fatal: set[int],
                    arch: str | None, file_cfgs: list[Cfg], contexts: Contexts,
                    values: CfgValues) -> list[Diagnostic]:
    if node.has_error or _under_macro_attribute(node, data):
        return []
    cfgs = file_cfgs + values.apply_all(context_cfgs(node, data, contexts))
    if arch is not None and evaluate_all(cfgs, arch) is False:
        return []
    attributes = [attribute for item in outer_attribute_items(node) for attribute in attributes_of(item, data)]
    if any(_is_macro_attribute(attribute) for attribute in attributes):
        return []
    active: list[Attribute] = []
    for attribute in attributes:
        state = _active(values.apply_all(attribute.cfgs), arch)
        if state is None:
            if attribute.name == "naked" or attribute.unknown:
                return []
            continue
        if state:
            active.append(attribute)
    naked = [attribute for attribute in active if attribute.name == "naked"]
    if not naked:
        return []
    out: list[Diagnostic] = []
    for attribute in active:
        if attribute.name in INCOMPATIBLE:
            out.append(Diagnostic("naked-attribute-incompatible", f"attribute incompatible with {NAKED}",
                                  attribute.path_start, attribute.path_end))
    if any(attribute.name in _TESTING and not attribute.cfgs for attribute in active):
        first = next((attribute for attribute in naked if not attribute.cfgs), None)
        if first is not None:
            out.append(Diagnostic("naked-test-attribute", f"cannot use {NAKED} with testing attributes",
                                  first.start, first.end))
    params = parameters_of(node, data)
    if params is not None:
        for param in params:
            if not param.simple:
                out.append(Diagnostic("naked-function-pattern", "patterns not allowed in naked function parameters",
                                      param.start, param.end))
    body = node.child_by_field_name("body")
    if body is None:
        return out
    summary = _Body()
    _block(body, data, calls, fatal, arch, summary)
    out.extend(_body_diagnostics(node, body, summary))
    if params is not None:
        names = {name for param in params for name in param.names}
        if not deeper_than(body, _MAX_WALKED_DEPTH):      # else the uses are not known: nothing is said
            walker = _ParamUses(data, names, calls, fatal, arch)
            walker.block(body, frozenset())
            out.extend(walker.found)
    return out


def _active(cfgs: list[Cfg], arch: str | None) -> bool | None:
    if not cfgs:
        return True
    if arch is None:
        return None
    return evaluate_all(cfgs, arch)


def _is_macro_attribute(attribute: Attribute) -> bool:
    if attribute.unknown:
        return False
    if "::" in attribute.name:
        return attribute.name.split("::")[0] not in _TOOLS
    return attribute.name not in _BUILTIN


def _under_macro_attribute(node: tree_sitter.Node, data: bytes) -> bool:
    """An enclosing item (impl, trait, module) carries an attribute macro."""
    current = node.parent
    while current is not None:
        if current.type in ("impl_item", "trait_item", "mod_item", "function_item"):
            for item in outer_attribute_items(current):
                if any(_is_macro_attribute(attribute) for attribute in attributes_of(item, data)):
                    return True
        current = current.parent
    return False


def _body_diagnostics(function: tree_sitter.Node, body: tree_sitter.Node, summary: _Body) -> list[Diagnostic]:
    items = summary.items
    if len(items) == 1 and items[0][0] in ("naked_asm", "error") and not summary.unknown:
        return []
    out = [Diagnostic("asm-in-naked-function", "the `asm!` macro is not allowed in naked functions", start, end)
           for kind, start, end in items if kind == "asm"]
    naked_count = sum(1 for kind, _, _ in items if kind == "naked_asm")
    must_show = naked_count > 1 or any(kind == "other" for kind, _, _ in items)
    has_error = any(kind in ("asm", "error") for kind, _, _ in items)
    if must_show or (not summary.unknown and not has_error):
        out.append(Diagnostic("naked-function-body",
                              "naked functions must contain a single `naked_asm!` invocation",
                              function.start_byte, _signature_end(function, body)))
    return out


def _signature_end(function: tree_sitter.Node, body: tree_sitter.Node) -> int:
    previous = body.prev_sibling
    while previous is not None and previous.type in ("line_comment", "block_comment"):
        previous = previous.prev_sibling
    return previous.end_byte if previous is not None else body.start_byte


def _statement_state(statement: tree_sitter.Node, data: bytes, arch: str | None) -> bool | None:
    """Whether a statement's own ``#[cfg]``s keep it (None: cannot be known)."""
    cfgs: list[Cfg] = []
    for item in outer_attribute_items(statement):
        for attribute in attributes_of(item, data):
            if attribute.unknown:
                return None
            if attribute.name == "cfg":
                group = attribute_group_of(item, data)
                cfg = cfg_of_attribute(group) if group is not None else None
                if cfg is None:
                    return None
                cfgs.append(cfg)
    if not cfgs:
        return True
    return evaluate_all(cfgs, arch) if arch is not None else None


def _statements(block: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in block.named_children
            if child.type not in ("attribute_item", "inner_attribute_item", "line_comment", "block_comment", "label")]


def _block(block: tree_sitter.Node, data: bytes, calls: dict[int, MacroCall], fatal: set[int], arch: str | None,
           summary: _Body, depth: int = 0) -> None:
    """rustc's walk of a naked function's body: blocks are entered, everything else is one item.  The walk recurses
    for each nested block: blocks nested deeper than ``_MAX_WALKED_DEPTH`` are not walked (what they hold is
    unknown)."""
    if depth > _MAX_WALKED_DEPTH:
        summary.unknown = True
        return
    if any(child.type == "inner_attribute_item" for child in block.named_children):
        summary.unknown = True
    for statement in _statements(block):
        state = _statement_state(statement, data, arch)
        if state is False:
            continue
        if state is None:
            summary.unknown = True
            continue
        kind = statement.type
        if kind in ITEM_NODES or kind == "empty_statement":
            continue
        if kind == "let_declaration":
            summary.items.append(("other", statement.start_byte, statement.end_byte))
            continue
        if kind == "expression_statement":
            inner = statement.named_children
            if not inner:
                continue
            _expression(inner[0], data, calls, fatal, arch, summary, depth)
            continue
        _expression(statement, data, calls, fatal, arch, summary, depth)


def _expression(node: tree_sitter.Node, data: bytes, calls: dict[int, MacroCall], fatal: set[int], arch: str | None,
                summary: _Body, depth: int) -> None:
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    kind = node.type
    if kind == "block":
        _block(node, data, calls, fatal, arch, summary, depth + 1)
    elif kind == "unsafe_block":
        inner = next((child for child in node.named_children if child.type == "block"), None)
        if inner is not None:
            _block(inner, data, calls, fatal, arch, summary, depth + 1)
    elif kind == "macro_invocation":
        call = calls.get(node.start_byte)
        if call is not None and call.kind in ("asm", "naked_asm"):
            item = "error" if call.start in fatal else call.kind
            summary.items.append((item, call.start, call.end))
        elif call is not None:      # global_asm! in a body is an item
            return
        elif _macro_name(node, data) == "compile_error":
            summary.items.append(("error", node.start_byte, node.end_byte))
        else:
            summary.unknown = True
    elif kind == "ERROR" or node.has_error:
        summary.unknown = True
    else:
        summary.items.append(("other", node.start_byte, node.end_byte))


def _macro_name(node: tree_sitter.Node, data: bytes) -> str:
    path = node.child_by_field_name("macro")
    if path is None:
        return ""
    return data[path.start_byte:path.end_byte].decode("utf-8", "replace").split("::")[-1].strip()


# -- parameter uses ------------------------------------------------------------------------------

# The walker below recurses, a few frames per syntax level: a body nested deeper than this is not walked.
_MAX_WALKED_DEPTH = 150

# Subtrees rustc's visitor does not enter (nested bodies, types) or that hold no expressions.
_SKIPPED = frozenset({
    "closure_expression", "const_block", "async_block", "gen_block", "label", "lifetime", "scoped_identifier",
    "type_arguments", "line_comment", "block_comment", "attribute_item", "inner_attribute_item",
}) | ITEM_NODES
_TYPE_FIELDS = ("type", "return_type", "length")


class _ParamUses:
    """Walks a naked function's body (not closures, consts or nested items) for paths that name a
    parameter, following ``let`` shadowing."""

    def __init__(self, data: bytes, params: set[str], calls: dict[int, MacroCall], fatal: set[int],
                 arch: str | None) -> None:
        self.data = data
        self.params = params
        self.calls = calls
        self.fatal = fatal
        self.arch = arch
        self.found: list[Diagnostic] = []

    def report(self, start: int, end: int) -> None:
        self.found.append(Diagnostic("naked-function-parameter-use",
                                     "referencing function parameters is not allowed in naked functions",
                                     start, end))

    def block(self, block: tree_sitter.Node, shadowed: frozenset[str]) -> None:
        for statement in _statements(block):
            if _statement_state(statement, self.data, self.arch) is not True:
                continue
            if statement.type == "let_declaration":
                for name in ("value", "alternative"):
                    part = statement.child_by_field_name(name)
                    if part is not None:
                        self.node(part, shadowed)
                pattern = statement.child_by_field_name("pattern")
                if pattern is not None:
                    shadowed = shadowed | frozenset(binding_names(pattern, self.data))
                continue
            self.node(statement, shadowed)

    def node(self, node: tree_sitter.Node, shadowed: frozenset[str]) -> None:
        kind = node.type
        if kind in _SKIPPED or kind.endswith("_type") or kind.endswith("_pattern"):
            return
        if kind == "identifier" or kind == "self":
            name = self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")
            if name in self.params and name not in shadowed:
                self.report(node.start_byte, node.end_byte)
            return
        if kind == "block":
            self.block(node, shadowed)
            return
        if kind == "macro_invocation":
            self.macro(node, shadowed)
            return
        if kind == "match_arm":
            pattern = node.child_by_field_name("pattern")
            inner = shadowed
            if pattern is not None:
                inner = shadowed | frozenset(binding_names(pattern, self.data))
                condition = pattern.child_by_field_name("condition")
                if condition is not None:
                    self.node(condition, inner)
            value = node.child_by_field_name("value")
            if value is not None:
                self.node(value, inner)
            return
        if kind in ("if_expression", "while_expression"):
            condition = node.child_by_field_name("condition")
            inner = shadowed
            if condition is not None:
                inner = self.condition(condition, shadowed)
            body = node.child_by_field_name("consequence" if kind == "if_expression" else "body")
            if body is not None:
                self.node(body, inner)
            alternative = node.child_by_field_name("alternative")
            if alternative is not None:
                self.node(alternative, shadowed)
            return
        if kind == "for_expression":
            value = node.child_by_field_name("value")
            if value is not None:
                self.node(value, shadowed)
            pattern = node.child_by_field_name("pattern")
            body = node.child_by_field_name("body")
            if body is not None:
                names = frozenset(binding_names(pattern, self.data)) if pattern is not None else frozenset()
                self.node(body, shadowed | names)
            return
        for index, child in enumerate(node.children):
            if node.field_name_for_child(index) in _TYPE_FIELDS:
                continue
            if kind in ("field_expression", "field_initializer") and node.field_name_for_child(index) == "field":
                continue
            self.node(child, shadowed)

    def condition(self, condition: tree_sitter.Node, shadowed: frozenset[str]) -> frozenset[str]:
        if condition.type == "let_condition":
            value = condition.child_by_field_name("value")
            if value is not None:
                self.node(value, shadowed)
            pattern = condition.child_by_field_name("pattern")
            return shadowed | frozenset(binding_names(pattern, self.data)) if pattern is not None else shadowed
        if condition.type == "let_chain":
            for part in condition.named_children:
                shadowed = self.condition(part, shadowed)
            return shadowed
        self.node(condition, shadowed)
        return shadowed

    def macro(self, node: tree_sitter.Node, shadowed: frozenset[str]) -> None:
        """``asm!`` operands are expressions of the function; other macros cannot be known."""
        call = self.calls.get(node.start_byte)
        if call is None or call.kind != "asm" or call.start in self.fatal:
            return
        parsed = parse_args(call)
        if parsed.error is not None or parsed.unknown:
            return
        for arg in parsed.args:
            if arg.kind != "operand" or arg.cfgs:
                continue
            operand = arg.value
            if operand.kind not in ("in", "out", "lateout", "inout", "inlateout"):
                continue
            for expr in (operand.expr, operand.out_expr):
                if expr is None or not expr.known:
                    continue
                for name, start, end in _expression_names(self.data, expr.start, expr.end):
                    if name in self.params and name not in shadowed:
                        self.report(start, end)


# -- names in an expression ------------------------------------------------------------------------

_PREFIX = b"fn _asm_ls_expr() { ("
_SUFFIX = b"); }"


def _expression_names(data: bytes, start: int, end: int) -> list[tuple[str, int, int]]:
    """The single-segment paths an expression uses as values, with their byte ranges in ``data``.
    Parts whose names cannot be told apart from bindings (closures, blocks, ``match``) are
    skipped."""
    text = data[start:end]
    tree = parse(_PREFIX + text + _SUFFIX)
    if tree.root_node.has_error:
        return []
    shift = start - len(_PREFIX)
    out: list[tuple[str, int, int]] = []
    body = tree.root_node.named_children[0].child_by_field_name("body")
    stack = list(body.named_children) if body is not None else []
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in _SKIPPED or kind.endswith("_type") or kind.endswith("_pattern") or kind in (
                "block", "match_expression", "if_expression", "while_expression", "for_expression",
                "macro_invocation", "let_condition"):
            continue
        if kind == "identifier":
            out.append((_text(node, _PREFIX + text + _SUFFIX), node.start_byte + shift, node.end_byte + shift))
            continue
        for index, child in enumerate(node.children):
            field_name = node.field_name_for_child(index)
            if field_name in _TYPE_FIELDS:
                continue
            if kind in ("field_expression", "field_initializer") and field_name == "field":
                continue
            stack.append(child)
    out.sort(key=lambda entry: entry[1])
    return out


def _text(node: tree_sitter.Node, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")


# -- `#[naked]` where it cannot stand --------------------------------------------------------------

_ATTRIBUTE_ITEMS = ("attribute_item", "inner_attribute_item")


def _misplaced_naked(items: list[tree_sitter.Node], data: bytes) -> list[Diagnostic]:
    """``items``: the file's attribute items (outside macros), in source order."""
    out: list[Diagnostic] = []
    for item in items:
        attributes = attributes_of(item, data)
        if not any(attribute.name == "naked" and not attribute.cfgs for attribute in attributes):
            continue
        target = _target_of(item, data)
        if target is not None:
            out.append(Diagnostic("naked-attribute-misplaced", f"`#[naked]` attribute cannot be used on {target}",
                                  item.start_byte, item.end_byte))
    return out


def _target_of(item: tree_sitter.Node, data: bytes) -> str | None:
    """The kind of thing an attribute stands on, as rustc names it; None for functions and
    anything unsure."""
    if item.type == "inner_attribute_item":
        return "crates" if item.parent is not None and item.parent.type == "source_file" else None
    node = item.next_sibling
    while node is not None and node.type in ("attribute_item", "line_comment", "block_comment"):
        node = node.next_sibling
    if node is None:
        parent = item.parent
        # tree-sitter puts a match arm's attributes inside the arm
        if parent is not None and parent.type == "match_arm":
            return "match arms"
        return None
    kind = node.type
    container = item.parent.type if item.parent is not None else ""
    in_trait_or_impl = container == "declaration_list" and item.parent.parent is not None \
        and item.parent.parent.type in ("trait_item", "impl_item")
    if kind == "const_item":
        return "associated consts" if in_trait_or_impl else "constants"
    if kind == "type_item" and in_trait_or_impl:
        return "associated types"
    if kind == "impl_item":
        return "trait impl blocks" if node.child_by_field_name("trait") is not None else "inherent impl blocks"
    if kind == "function_signature_item":
        if container == "declaration_list" and item.parent.parent is not None:
            owner = item.parent.parent.type
            if owner == "trait_item":
                return "required trait methods"
            if owner == "foreign_mod_item":
                return "foreign functions"
        return None
    if kind == "expression_statement":
        inner = node.named_children[0] if node.named_children else None
        if inner is None or inner.type == "macro_invocation":
            return None
        return "closures" if inner.type == "closure_expression" else "expressions"
    return _TARGETS.get(kind)


def _nodes(root: tree_sitter.Node, kinds: tuple[str, ...]) -> list[tree_sitter.Node]:
    """The nodes of ``kinds`` in source order, not looking inside macro calls and definitions."""
    return find_nodes(root, kinds, ("macro_invocation", "macro_definition", "token_tree"))


__all__ = ["check_functions", "check_const_operands"]
