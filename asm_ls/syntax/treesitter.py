"""The one tree-sitter parser for Rust, created lazily and shared."""

from __future__ import annotations

import functools

import tree_sitter
import tree_sitter_rust


@functools.lru_cache(maxsize=1)
def _language() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_rust.language())


def parse(data: bytes) -> tree_sitter.Tree:
    """Parse Rust source bytes; tree-sitter never fails, it marks errors in the tree."""
    return tree_sitter.Parser(_language()).parse(data)
