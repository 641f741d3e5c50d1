"""One parse of one text, shared by everything that reads that text during one analysis.

The module index (``model/modules.py``) and the analysis (``analysis.py``) both need the file's
syntax tree and its scan (the inline-assembly calls and the ``mod`` declarations inside macro
calls, :func:`asm_ls.syntax.finder.scan_file`).  The language server makes one ``ParsedFile`` per
analysed version and gives it to both, so the file is parsed and scanned once.

Everything is computed on first use and kept only as long as the object: nothing here outlives
the text it was made for.  The calls belong to one analysis (``build_file`` applies ``--cfg``
values to them in place): use a ``ParsedFile`` for one analysis, not several.
"""

from __future__ import annotations

from functools import cached_property

import tree_sitter

from asm_ls.syntax.finder import Contexts, MacroCall, TokenModule
from asm_ls.syntax.rescan import Scanned, copied, scan
from asm_ls.syntax.treesitter import parse, reparse_with_changes


class ParsedFile:
    """``previous``: an earlier text and its tree, which the parse of this one reuses (``reparse``)."""

    def __init__(self, data: bytes, tree: tree_sitter.Tree | None = None,
                 previous: tuple[bytes, tree_sitter.Tree] | None = None, earlier_scan: Scanned | None = None) -> None:
        self.data = data
        self._previous = previous
        self._earlier_scan = earlier_scan       # the scan of ``previous`` (or of this same text): ``rescan.py``
        self.scanned: Scanned | None = None     # this text's, once made (for the next text's)
        self.reparsed = previous is not None      # the tree is (to be) made from an earlier text's
        self.previous_data: bytes | None = None     # the earlier text the tree was made from (``changed``)
        self.changed: tuple[int, int] | None = None     # what differs from it, edit and syntax (``reparse``)
        if tree is not None:
            self.__dict__["tree"] = tree

    @cached_property
    def tree(self) -> tree_sitter.Tree:
        previous, self._previous = self._previous, None
        if previous is None:
            return parse(self.data)
        tree, self.changed = reparse_with_changes(previous[0], previous[1], self.data)
        self.previous_data = previous[0]
        return tree

    def changed_body(self) -> tuple[int, int] | None:
        """The byte range of the function body that holds everything that changed since the earlier text (the
        edit and the ranges whose syntax changed), when there is one: an edit inside a body changes nothing
        outside it; None when the tree was not made from an earlier text or the change reaches outside a body."""
        tree = self.tree
        if self.changed is None:
            return None
        node = tree.root_node.descendant_for_byte_range(*self.changed)
        while node is not None:
            if node.type == "block" and node.parent is not None and node.parent.type == "function_item" \
                    and node.start_byte < self.changed[0] and self.changed[1] < node.end_byte:
                return node.start_byte, node.end_byte
            node = node.parent
        return None

    @property
    def parsed(self) -> bool:
        """Whether the tree has been made."""
        return "tree" in self.__dict__

    @cached_property
    def contexts(self) -> Contexts:
        """The tree's node contexts (enclosing cfgs, lint levels, function, unsafe)."""
        return Contexts(self.data)

    @cached_property
    def _scan(self) -> tuple[list[MacroCall], list[TokenModule]]:
        tree = self.tree
        earlier, self._earlier_scan = self._earlier_scan, None
        if earlier is not None and earlier.data != self.data and earlier.data != self.previous_data:
            earlier = None
        in_body = earlier is not None and self.changed is not None and self.changed_body() is not None
        calls, modules, self.scanned = scan(self.data, tree, self.contexts, earlier, self.changed, in_body)
        return calls, modules

    def calls_at(self, offset: int) -> list[MacroCall]:
        """Copies of the calls that hold ``offset``, as scanned (this parse's own calls stay for one analysis)."""
        self._scan
        return [copied(call, cfgs) for call, cfgs in zip(self.scanned.calls, self.scanned.cfgs)
                if call.start <= offset <= call.end]

    @property
    def calls(self) -> list[MacroCall]:
        return self._scan[0]

    @property
    def modules(self) -> list[TokenModule]:
        return self._scan[1]

    def describes(self, data: bytes) -> bool:
        """Whether this is the parse of ``data``."""
        return self.data is data or self.data == data
