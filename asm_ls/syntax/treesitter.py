"""The one tree-sitter parser for Rust, created lazily and shared."""

from __future__ import annotations

import functools

import tree_sitter
import tree_sitter_rust


@functools.lru_cache(maxsize=1)
def language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_rust.language())


def parse(data: bytes) -> tree_sitter.Tree:
    """Parse Rust source bytes; tree-sitter never fails, it marks errors in the tree."""
    return tree_sitter.Parser(language()).parse(data)


def find_nodes(root: tree_sitter.Node, kinds: tuple[str, ...] | frozenset[str],
               opaque: tuple[str, ...] | frozenset[str] = ()) -> list[tree_sitter.Node]:
    """The nodes of ``kinds`` in ``root`` (``root`` included) in pre-order (source order, an
    enclosing node before the nodes inside it), not looking inside nodes of the ``opaque``
    kinds (themselves found when of ``kinds``)."""
    found: list[tree_sitter.Node] = []
    cursor = root.walk()
    while True:
        node = cursor.node
        kind = node.type
        if kind in kinds:
            found.append(node)
        if kind not in opaque and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found


def deeper_than(node: tree_sitter.Node, limit: int) -> bool:
    """Whether the subtree under ``node`` is more than ``limit`` levels deep (without recursion: a recursive walk
    of such a subtree would exhaust Python's recursion limit)."""
    cursor = node.walk()
    depth = 0
    while True:
        if cursor.goto_first_child():
            depth += 1
            if depth > limit:
                return True
            continue
        while depth > 0 and not cursor.goto_next_sibling():
            cursor.goto_parent()
            depth -= 1
        if depth == 0:
            return False
