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

from asm_ls.syntax.finder import Contexts, MacroCall, TokenModule, scan_file
from asm_ls.syntax.treesitter import parse, reparse


class ParsedFile:
    """``previous``: an earlier text and its tree, which the parse of this one reuses (``reparse``)."""

    def __init__(self, data: bytes, tree: tree_sitter.Tree | None = None,
                 previous: tuple[bytes, tree_sitter.Tree] | None = None) -> None:
        self.data = data
        self._previous = previous
        if tree is not None:
            self.__dict__["tree"] = tree

    @cached_property
    def tree(self) -> tree_sitter.Tree:
        previous, self._previous = self._previous, None
        return reparse(previous[0], previous[1], self.data) if previous is not None else parse(self.data)

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
        return scan_file(self.tree, self.data, self.contexts)

    @property
    def calls(self) -> list[MacroCall]:
        return self._scan[0]

    @property
    def modules(self) -> list[TokenModule]:
        return self._scan[1]

    def describes(self, data: bytes) -> bool:
        """Whether this is the parse of ``data``."""
        return self.data is data or self.data == data
