"""The Rust item a ``sym`` operand names, when this file declares it: a function or a static, by
the operand's path read from where the block is (``f``, ``self::m::f``, ``crate::m::f``,
``m::f``, ``Self::f``, ``Type::f``; generic arguments ignored).

A path through another file, an import or a macro is not followed: the answer is then nothing,
never a guess at a same-named item elsewhere.
"""

from __future__ import annotations

import re

import tree_sitter

from asm_ls.model.item_index import ItemIndex

ITEM_KINDS = ("function_item", "static_item", "function_signature_item")
_GENERICS = re.compile(r"::\s*<.*$|<.*$", re.S)
_SEGMENT = re.compile(r"(?:r#)?[A-Za-z_][A-Za-z0-9_]*")


def path_segments(text: str) -> list[str] | None:
    """``a::b::<T>`` -> ["a", "b"]; None for what is not a plain path."""
    text = _GENERICS.sub("", text.strip()).strip()
    if text.startswith("::"):
        return None
    segments = [segment.strip() for segment in text.split("::")]
    if not segments or not all(_SEGMENT.fullmatch(segment) for segment in segments):
        return None
    return [segment.removeprefix("r#") for segment in segments]


def item_name_span(tree: tree_sitter.Tree, data: bytes, offset: int, path: str) -> tuple[int, int] | None:
    """The name of the item ``path`` names from the code at ``offset``."""
    segments = path_segments(path)
    if not segments:
        return None
    scope = tree.root_node.descendant_for_byte_range(offset, offset)
    if scope is None:
        return None
    found = _resolve(tree, data, scope, segments)
    if found is None:
        return None
    name = found.child_by_field_name("name")
    return (name.start_byte, name.end_byte) if name is not None else None


def _resolve(tree: tree_sitter.Tree, data: bytes, scope: tree_sitter.Node, segments: list[str]) -> tree_sitter.Node | None:
    *modules, last = segments
    if not modules:
        return ItemIndex(data).item(last, scope, ITEM_KINDS)
    head = modules[0]
    if head in ("Self",) or head[:1].isupper():
        return _associated(data, tree.root_node, scope, head, last) if len(modules) == 1 else None
    if head == "crate":
        container, modules = tree.root_node, modules[1:]
    elif head == "self":
        container, modules = _module_of(scope), modules[1:]
    elif head == "super":
        container = _module_of(_module_of(scope).parent or tree.root_node)
        modules = modules[1:]
        while modules and modules[0] == "super":
            container, modules = _module_of(container.parent or tree.root_node), modules[1:]
    else:
        container = _module_of(scope)
    for module in modules:
        container = _child_module(data, container, module)
        if container is None:
            return None
    for child in container.named_children:
        name = child.child_by_field_name("name")
        if child.type in ITEM_KINDS and name is not None and _text(data, name) == last:
            return child
    return None


def _module_of(node: tree_sitter.Node) -> tree_sitter.Node:
    """The item list of the module ``node`` is in (its ``declaration_list``, or the file)."""
    current: tree_sitter.Node | None = node
    while current is not None:
        if current.type == "source_file" or (current.type == "declaration_list" and current.parent is not None
                                             and current.parent.type == "mod_item"):
            return current
        current = current.parent
    return node


def _child_module(data: bytes, container: tree_sitter.Node, name: str) -> tree_sitter.Node | None:
    for child in container.named_children:
        if child.type == "mod_item":
            found = child.child_by_field_name("name")
            body = child.child_by_field_name("body")
            if found is not None and body is not None and _text(data, found) == name:
                return body
    return None


def _associated(data: bytes, root: tree_sitter.Node, scope: tree_sitter.Node, type_name: str,
                name: str) -> tree_sitter.Node | None:
    """``Self::f`` (the impl around ``scope``) or ``Type::f`` (an inherent impl of ``Type`` in
    the same module); only when exactly one such function exists."""
    if type_name == "Self":
        impl = scope
        while impl is not None and impl.type != "impl_item":
            impl = impl.parent
        impls = [impl] if impl is not None else []
    else:
        module = _module_of(scope)
        impls = [child for child in module.named_children if child.type == "impl_item"
                 and child.child_by_field_name("trait") is None
                 and _type_name(data, child) == type_name]
    found = []
    for impl in impls:
        body = impl.child_by_field_name("body")
        for child in body.named_children if body is not None else ():
            item_name = child.child_by_field_name("name")
            if child.type == "function_item" and item_name is not None and _text(data, item_name) == name:
                found.append(child)
    return found[0] if len(found) == 1 else None


def _type_name(data: bytes, impl: tree_sitter.Node) -> str | None:
    node = impl.child_by_field_name("type")
    if node is None:
        return None
    if node.type == "generic_type":
        node = node.child_by_field_name("type") or node
    return _text(data, node)


def _text(data: bytes, node: tree_sitter.Node) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")
