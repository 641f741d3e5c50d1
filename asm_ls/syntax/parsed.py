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
from asm_ls.syntax.rescan import Scanned, copied, scan, scan_item
from asm_ls.syntax.treesitter import parse, reparse_with_changes


class ParsedFile:
    """``previous``: an earlier text and its tree, which the parse of this one reuses (``reparse``)."""

    def __init__(self, data: bytes, tree: tree_sitter.Tree | None = None,
                 previous: tuple[bytes, tree_sitter.Tree] | None = None, earlier_scan: Scanned | None = None,
                 changes: tuple[bytes, tuple[int, int]] | None = None) -> None:
        """``earlier_scan``: the scan of ``previous``'s text or of this same one; ``changes``: with a ``tree`` made
        from an earlier text, that text and what changed since (``handover``)."""
        self.data = data
        self._previous = previous
        self._earlier_scan = earlier_scan       # the scan of ``previous`` (or of this same text): ``rescan.py``
        self.scanned: Scanned | None = None     # this text's, once made (for the next text's)
        self.reparsed = previous is not None or changes is not None    # the tree is (to be) made from an earlier's
        self.previous_data: bytes | None = None     # the earlier text the tree was made from (``changed``)
        self.changed: tuple[int, int] | None = None     # what differs from it, edit and syntax (``reparse``)
        if changes is not None:
            self.previous_data, self.changed = changes
        if tree is not None:
            self.__dict__["tree"] = tree

    def handover(self) -> tuple | None:
        """What the next parse of this text or of a later one starts from (``Session.remember_tree``): the text, its
        tree, its scan, or, when it was not scanned, the earlier text's scan and what changed since; None before the
        tree is made."""
        if not self.parsed:
            return None
        if self.scanned is not None or self._earlier_scan is None or self.changed is None:
            return self.data, self.tree, self.scanned, None
        return self.data, self.tree, self._earlier_scan, (self.previous_data, self.changed)

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
        """The calls that hold ``offset``: copies of the scanned ones when the text was scanned, else found by a scan
        of the top-level item holding ``offset`` alone (this parse's own calls stay for one analysis)."""
        if self.scanned is not None:
            return [copied(call, cfgs) for call, cfgs in zip(self.scanned.calls, self.scanned.cfgs)
                    if call.start <= offset <= call.end]
        earlier = self._earlier_scan
        names = dict(earlier.file_facts[0]) if earlier is not None and earlier.data == self.previous_data \
            and self.changed_body() is not None else None
        return [call for call in scan_item(self.tree, self.data, self.contexts, offset, names)
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
