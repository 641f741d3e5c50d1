"""The items that the blocks and modules of one parsed file declare, looked up by name.

Resolving a name (a ``const``, a ``static``, a struct...) walks up from where the name is used
and reads the items of each enclosing block, then of the module. The file's top level can hold
thousands of items, so each container's items are indexed by name the first time a lookup
reaches it. One index serves one tree: make one per analysis and never share it between trees
(node ids are only unique within one tree).
"""

from __future__ import annotations

import re

import tree_sitter

_WORD = re.compile(r"[A-Za-z0-9_]+")


class _Container:
    """A block's or module's named items, and the words of its ``use`` declarations."""

    def __init__(self, node: tree_sitter.Node, data: bytes) -> None:
        self.items: dict[str, list[tree_sitter.Node]] = {}     # name -> items, in source order
        self.use_texts: list[str] = []
        for child in node.named_children:
            if child.type == "use_declaration":
                self.use_texts.append(_text(child, data))
                continue
            name = child.child_by_field_name("name")
            if name is not None:
                self.items.setdefault(_text(name, data), []).append(child)
        self.use_words = {word for text in self.use_texts for word in _WORD.findall(text)}

    def imports(self, name: str) -> bool:
        """Whether a ``use`` declaration mentions ``name`` as a whole word."""
        if _WORD.fullmatch(name):
            return name in self.use_words
        word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
        return any(word.search(text) for text in self.use_texts)


class ItemIndex:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self._containers: dict[int, _Container] = {}

    def item(self, name: str, scope: tree_sitter.Node, kinds: tuple[str, ...]) -> tree_sitter.Node | None:
        """The item ``name`` (of one of ``kinds``) visible from ``scope``: items of the enclosing
        blocks, then of the enclosing module; None when absent or imported by name."""
        node = scope
        while node is not None:
            container = node.type in ("block", "source_file") or (
                node.type == "declaration_list" and node.parent is not None and node.parent.type == "mod_item")
            if container:
                found = self._containers.get(node.id)
                if found is None:
                    found = self._containers[node.id] = _Container(node, self.data)
                if found.imports(name):
                    return None
                for item in found.items.get(name, ()):
                    if item.type in kinds:
                        return item
                if node.type != "block":
                    return None
            node = node.parent
        return None


def _text(node: tree_sitter.Node, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")
