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


def reparse(old_data: bytes, old_tree: tree_sitter.Tree, data: bytes) -> tree_sitter.Tree:
    """Parse ``data`` reusing the tree of an earlier text ``old_data`` (tree-sitter's incremental parsing): the
    two texts differ in one range, found from their common start and end, which ``Tree.edit`` is told about (on
    a copy: the old tree may still be read elsewhere).  Gives the same tree as :func:`parse`."""
    return reparse_with_changes(old_data, old_tree, data)[0]


def reparse_with_changes(old_data: bytes, old_tree: tree_sitter.Tree, data: bytes
                         ) -> tuple[tree_sitter.Tree, tuple[int, int]]:
    """:func:`reparse`, and the byte range of the new text that holds both the edited bytes and every range whose
    syntax changed (tree-sitter's ``changed_ranges``)."""
    start = _common_prefix(old_data, data)
    tail = _common_prefix(old_data[start:][::-1], data[start:][::-1])
    old_end, new_end = len(old_data) - tail, len(data) - tail
    tree = old_tree.copy()
    tree.edit(start_byte=start, old_end_byte=old_end, new_end_byte=new_end, start_point=_point(data, start),
              old_end_point=_point(old_data, old_end), new_end_point=_point(data, new_end))
    new_tree = tree_sitter.Parser(language()).parse(data, tree)
    low, high = start, new_end
    for changed in tree.changed_ranges(new_tree):
        low, high = min(low, changed.start_byte), max(high, changed.end_byte)
    return new_tree, (low, high)


def _common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common start of ``a`` and ``b`` (halving: each step one comparison in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _point(data: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter's (row, byte column) of ``offset``."""
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


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
