"""Facts about functions read off the syntax tree: attributes, parameters, local bindings."""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field

import tree_sitter

from asm_ls.syntax.cfg import Cfg, parse_predicate
from asm_ls.syntax.tokens import GROUP, IDENT, Token, group_from_node, split_top_level
from asm_ls.syntax.treesitter import language

# Nodes that start a new item: names bound outside them are not visible inside.
ITEM_NODES = frozenset({
    "function_item", "function_signature_item", "const_item", "static_item", "struct_item", "enum_item",
    "union_item", "trait_item", "impl_item", "mod_item", "type_item", "use_declaration", "macro_definition",
    "extern_crate_declaration", "foreign_mod_item", "associated_type",
})
_NAMED_ITEMS = ("const_item", "static_item", "function_item", "struct_item", "enum_item", "union_item",
                "mod_item", "extern_crate_declaration")


@dataclass
class Attribute:
    """One attribute as rustc sees it after ``cfg_attr``/``unsafe(..)`` unwrapping."""

    name: str                  # its path as written, without spaces: "inline", "rustfmt::skip", "::a"
    path_start: int            # rustc's span of the path
    path_end: int
    start: int                 # the whole ``#[...]`` it was written in
    end: int
    cfgs: list[Cfg] = field(default_factory=list)   # the ``cfg_attr`` predicates it stands under
    inner: bool = False        # ``#![...]``
    unknown: bool = False      # its shape could not be read (metavariables, odd tokens)


def attributes_of(attribute_item: tree_sitter.Node, data: bytes) -> list[Attribute]:
    """The attributes an ``attribute_item`` (or ``inner_attribute_item``) stands for."""
    attribute = next((child for child in attribute_item.children if child.type == "attribute"), None)
    if attribute is None or not attribute.children:
        return []
    inner = attribute_item.type == "inner_attribute_item"
    head = attribute.children[0]
    name = re.sub(r"\s+", "", data[head.start_byte:head.end_byte].decode("utf-8", "replace"))
    arguments = attribute.child_by_field_name("arguments")
    base = Attribute(name, head.start_byte, head.end_byte, attribute_item.start_byte, attribute_item.end_byte,
                     inner=inner)
    if name in ("unsafe", "cfg_attr") and arguments is not None:
        group = group_from_node(arguments, data)
        return _from_tokens(name, group.children, base)
    return [base]


def _from_tokens(wrapper: str, tokens: list[Token], base: Attribute) -> list[Attribute]:
    if wrapper == "unsafe":
        return _token_attribute(tokens, base, base.cfgs)
    parts = [part for part in split_top_level(tokens)]
    if len(parts) < 2:
        return [Attribute(base.name, base.path_start, base.path_end, base.start, base.end, list(base.cfgs),
                          base.inner, unknown=True)]
    cfgs = base.cfgs + [parse_predicate(parts[0])]
    out: list[Attribute] = []
    for part in parts[1:]:
        if part:
            out.extend(_token_attribute(part, base, cfgs))
    return out


def _token_attribute(tokens: list[Token], base: Attribute, cfgs: list[Cfg]) -> list[Attribute]:
    path: list[Token] = []
    for token in tokens:
        if token.kind == IDENT or token.is_punct("::"):
            path.append(token)
        else:
            break
    if not path:
        return [Attribute(base.name, base.path_start, base.path_end, base.start, base.end, list(cfgs), base.inner,
                          unknown=True)]
    name = "".join(token.text for token in path)
    rest = tokens[len(path):]
    attribute = Attribute(name, path[0].start, path[-1].end, base.start, base.end, list(cfgs), base.inner)
    if name in ("unsafe", "cfg_attr") and rest and rest[0].kind == GROUP:
        return _from_tokens(name, rest[0].children, attribute)
    return [attribute]


# -- parameters ---------------------------------------------------------------------------------

@dataclass
class Param:
    start: int                  # rustc's span of the pattern (parentheses dropped)
    end: int
    simple: bool                # a plain name, `_` or `self`/`&self`: not a pattern for naked functions
    names: list[str] = field(default_factory=list)


def parameters_of(function: tree_sitter.Node, data: bytes) -> list[Param] | None:
    """The parameters of a function item; None when they cannot be read (syntax errors)."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None or parameters.has_error:
        return None
    out: list[Param] = []
    for child in parameters.named_children:
        if child.type == "self_parameter":
            mutable = next((part for part in child.children if part.type == "mutable_specifier"), None)
            by_reference = any(part.type == "&" for part in child.children)
            start = mutable.start_byte if mutable is not None else child.start_byte
            out.append(Param(start, child.end_byte, mutable is None or by_reference, ["self"]))
        elif child.type == "parameter":
            pattern = child.child_by_field_name("pattern")
            mutable = next((part for part in child.children if part.type == "mutable_specifier"), None)
            if pattern is None:          # `_: T`
                out.append(Param(child.start_byte, child.start_byte + 1, True, []))
                continue
            names = binding_names(pattern, data)
            if mutable is not None:
                out.append(Param(mutable.start_byte, pattern.end_byte, False, names))
                continue
            pattern = unparenthesized(pattern)
            simple = pattern.type in ("identifier", "self", "_") or _is_wildcard(pattern, data)
            out.append(Param(pattern.start_byte, pattern.end_byte, simple, names))
        elif child.type in ("attribute_item", "line_comment", "block_comment"):
            continue
        else:
            return None     # variadic parameters, bare types (trait methods), unknown shapes
    return out


def unparenthesized(pattern: tree_sitter.Node) -> tree_sitter.Node:
    """``(p)`` is ``p`` (rustc drops the parentheses); ``(p,)`` is a tuple."""
    while pattern.type == "tuple_pattern" and not any(child.type == "," for child in pattern.children):
        inner = [child for child in pattern.children if child.type not in ("(", ")")]
        if len(inner) != 1:
            break
        pattern = inner[0]
    return pattern


def _is_wildcard(pattern: tree_sitter.Node, data: bytes) -> bool:
    return data[pattern.start_byte:pattern.end_byte] == b"_"


def binding_names(pattern: tree_sitter.Node, data: bytes) -> list[str]:
    """The names a pattern binds (identifiers not in path position)."""
    names: list[str] = []
    stack = [pattern]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "identifier":
            names.append(_text(node, data))
            continue
        if kind == "shorthand_field_identifier":
            names.append(_text(node, data))
            continue
        if kind in ("scoped_identifier", "type_identifier", "scoped_type_identifier", "generic_type",
                    "field_identifier"):
            continue
        for index, child in enumerate(node.children):
            field_name = node.field_name_for_child(index)
            if field_name == "type" and kind in ("tuple_struct_pattern", "struct_pattern"):
                continue
            if field_name == "name" and kind == "field_pattern":
                if child.type == "shorthand_field_identifier":
                    names.append(_text(child, data))
                continue
            if kind == "match_pattern" and field_name == "condition":
                continue
            stack.append(child)
    return names


def _text(node: tree_sitter.Node, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")


# -- what a name means at a point ---------------------------------------------------------------

def item_names(root: tree_sitter.Node, data: bytes) -> set[str]:
    """Every name the file declares as an item or imports with ``use`` (any scope)."""
    return set().union(*items_by_kind(root, data, with_uses=True).values())


def items_by_kind(root: tree_sitter.Node, data: bytes, with_uses: bool = False) -> dict[str, set[str]]:
    """Item names of the file per tree-sitter item kind (``const_item``, ``static_item``...), not
    looking inside macro calls; with ``with_uses``, every identifier of each ``use`` declaration
    too, under ``use_declaration``.  Read once per tree (the checks ask for every block of a
    file): the answer is shared, do not change it."""
    with _ITEMS_LOCK:
        for cached_root, cached_data, cached_uses, found in _ITEMS:
            if cached_data is data and cached_uses == with_uses and cached_root == root:
                return found
    found = _items_by_kind(root, data, with_uses)
    with _ITEMS_LOCK:
        _ITEMS.insert(0, (root, data, with_uses, found))
        del _ITEMS[_ITEMS_KEPT:]
    return found


# The last trees' items: (root node, the text, with_uses, items).  Holding the root keeps its tree
# alive, so a root compares equal only to a node of the same tree.
_ITEMS: list[tuple[tree_sitter.Node, bytes, bool, dict[str, set[str]]]] = []
_ITEMS_KEPT = 8
_ITEMS_LOCK = threading.Lock()


def _items_by_kind(root: tree_sitter.Node, data: bytes, with_uses: bool) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, name in item_entries(root, data, with_uses):
        found.setdefault(kind, set()).add(name)
    return found


def item_entries(root: tree_sitter.Node, data: bytes, with_uses: bool,
                 within: tuple[int, int] | None = None) -> list[tuple[str, str]]:
    """What :func:`items_by_kind` is made of: (kind, name) for each item, and for each word of each ``use``
    declaration with ``with_uses``; ``within``: only of the nodes that meet that byte range (the items around it
    included)."""
    # The tree query finds the nodes in C; those inside a macro call are left out as the walk
    # over the tree that this replaces left them out.
    cursor = tree_sitter.QueryCursor(_items_query())
    if within is not None:
        cursor.set_byte_range(*within)
    captures = cursor.captures(root)
    found: list[tuple[str, str]] = []
    for node in captures.get("item", ()):
        name = node.child_by_field_name("name")
        if name is not None and not _in_macro_call(node, root):
            found.append((node.type, _text(name, data)))
    if with_uses:
        for node in captures.get("use", ()):
            if not _in_macro_call(node, root):
                found += [(node.type, word) for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", _text(node, data))]
    return found


@functools.lru_cache(maxsize=1)
def _items_query() -> tree_sitter.Query:
    return tree_sitter.Query(language(), " ".join(f"({kind}) @item" for kind in _NAMED_ITEMS) + " (use_declaration) @use")


def _in_macro_call(node: tree_sitter.Node, root: tree_sitter.Node) -> bool:
    """Whether a macro invocation at or below ``root`` holds ``node``."""
    current = node.parent
    while current is not None:
        if current.type == "macro_invocation":
            return True
        if current == root:
            return False
        current = current.parent
    return False


def visible_bindings(node: tree_sitter.Node, data: bytes) -> set[str] | None:
    """The local variables (``let`` bindings, parameters of the enclosing function and closures,
    ``match``/``if let``/``for`` bindings) visible at ``node``; None when ``node`` is not inside
    a function body."""
    names: set[str] = set()
    child = node
    current = node.parent
    while current is not None:
        kind = current.type
        if kind == "block":
            for statement in current.named_children:
                if statement.start_byte >= child.start_byte:
                    break
                if statement.type == "let_declaration":
                    pattern = statement.child_by_field_name("pattern")
                    if pattern is not None:
                        names.update(binding_names(pattern, data))
        elif kind == "match_arm":
            pattern = current.child_by_field_name("pattern")
            if pattern is not None and child != pattern:
                names.update(binding_names(pattern, data))
        elif kind in ("if_expression", "while_expression"):
            condition = current.child_by_field_name("condition")
            if condition is not None and child != condition:
                names.update(_let_condition_names(condition, data))
        elif kind == "let_chain":
            for part in current.named_children:
                if part.start_byte >= child.start_byte:
                    break
                names.update(_let_condition_names(part, data))
        elif kind == "for_expression":
            pattern = current.child_by_field_name("pattern")
            if pattern is not None and child == current.child_by_field_name("body"):
                names.update(binding_names(pattern, data))
        elif kind == "closure_expression":
            parameters = current.child_by_field_name("parameters")
            if parameters is not None and child != parameters:
                names.update(binding_names(parameters, data))
        elif kind == "function_item":
            parameters = current.child_by_field_name("parameters")
            if parameters is None or child != current.child_by_field_name("body"):
                return None
            for part in parameters.named_children:
                if part.type == "self_parameter":
                    names.add("self")
                elif part.type == "parameter":
                    pattern = part.child_by_field_name("pattern")
                    if pattern is not None:
                        names.update(binding_names(pattern, data))
            return names
        elif kind in ITEM_NODES or kind in ("const_block", "source_file", "macro_invocation"):
            return None
        child = current
        current = current.parent
    return None


def _let_condition_names(condition: tree_sitter.Node, data: bytes) -> list[str]:
    if condition.type == "let_condition":
        pattern = condition.child_by_field_name("pattern")
        return binding_names(pattern, data) if pattern is not None else []
    if condition.type == "let_chain":
        names: list[str] = []
        for part in condition.named_children:
            names.extend(_let_condition_names(part, data))
        return names
    return []
