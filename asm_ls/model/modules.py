"""Module-level ``#[cfg]``: which predicates a whole file is compiled under.

A file such as ``arch/aarch64.rs`` usually carries no ``#[cfg]`` itself: its parent declares
``#[cfg(target_arch = "aarch64")] mod aarch64;``.  The index reads the ``mod`` declarations
(with ``#[path]`` and ``#[cfg_attr(.., path = ..)]``) of the files it is given and answers,
for any file, the cfgs of its declaration chain and whether that chain is known: it reaches a
crate root.  A file no declaration reaches and that is no crate root has unknown cfgs (the
configurations module may guess from its path; a guess never creates a finding).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import tree_sitter

from asm_ls.model.paths import resolved
from asm_ls.syntax.cfg import Cfg, parse_predicate
from asm_ls.syntax.finder import (attribute_group_of, attribute_groups, context_cfgs, lint_levels_of,
                                  may_have_inner_attributes)
from asm_ls.syntax.literals import decode
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.tokens import STRING, Token, split_top_level

_ROOT_NAMES = ("mod.rs", "lib.rs", "main.rs")


_ROOT_DIRS = ("examples", "tests", "benches", "bin")
# The keyword `mod` as a whole word (a superset of where a declaration can be: comments, strings...).
_MOD_WORD = re.compile(rb"(?<![A-Za-z0-9_])mod(?![A-Za-z0-9_])")
# `mod NAME {`: an inline module (its body declares nothing unless a `mod` inside it does).
_INLINE_MOD = re.compile(rb"(?<![A-Za-z0-9_])mod[ \t\r\n]+[A-Za-z_][A-Za-z0-9_]*[ \t\r\n]*\{")


def may_declare_modules(data: bytes) -> bool:
    """False when the text declares no module file: it has no word `mod`, or each one begins an inline module
    (``mod tests {``; most files that name `mod` at all).  A superset of the texts that do, for texts tree-sitter
    parses without errors; a text with a syntax error around such a `mod` could have a declaration that error
    recovery makes of ``mod NAME`` and a later `;` that this misses."""
    found = len(_MOD_WORD.findall(data))
    return found > 0 and found != len(_INLINE_MOD.findall(data))


class ModuleIndex:
    def __init__(self) -> None:
        self._declared: dict[Path, list[tuple[Path, list[Cfg]]]] = {}
        self._children: dict[Path, set[Path]] = {}       # a file -> the files its declarations name
        self._features: dict[Path, dict[str, tuple[Cfg, ...]]] = {}
        self._lint_levels: dict[Path, dict[str, str]] = {}

    def add(self, path: Path | str, source: SourceFile, tree: tree_sitter.Tree | None = None,
            parsed: ParsedFile | None = None, resolved_path: Path | None = None) -> None:
        """Index a file's declarations; ``parsed`` (or ``tree``): its parse, when the caller has it;
        ``resolved_path``: ``resolved(path)``, when the caller has it."""
        path = Path(path)
        if parsed is None or not parsed.describes(source.data):
            parsed = ParsedFile(source.data, tree)
        key = resolved_path if resolved_path is not None else resolved(path)
        self._forget_declarations_of(key)
        # A text without a `mod` that is not an inline module declares no module, one without `#!` has no inner
        # attribute: most files have neither, and then the index learns all it needs without their syntax tree (it is never parsed
        # here: ``parsed`` parses on first use).
        names_mod = may_declare_modules(source.data)
        if not may_have_inner_attributes(source.data):
            self._features[key], self._lint_levels[key] = {}, {}
        else:
            self._features[key] = crate_features_of(parsed.tree, source.data)
            self._lint_levels[key] = crate_lint_levels_of(parsed.tree, source.data)
        if not names_mod:
            return
        for module in parsed.modules:       # `mod` declarations inside macro calls
            explicit = [found for group in module.attributes for found in _path_attributes(group.children)]
            around = parsed.tree.root_node.descendant_for_byte_range(module.start, module.start)
            self._record(path, key, module.name, module.cfgs, explicit,
                         _inline_module_dirs(around, source.data) if around is not None else [])
        stack = [parsed.tree.root_node]
        while stack:
            node = stack.pop()
            if node.type == "mod_item":
                if node.child_by_field_name("body") is None:
                    self._declare(path, key, node, source.data, parsed)
                else:
                    stack.extend(node.children)
                continue
            if node.type in ("source_file", "declaration_list"):
                stack.extend(node.children)

    @property
    def files(self) -> list[Path]:
        """The files added (normalised paths)."""
        return list(self._features)

    def merge(self, other: ModuleIndex) -> None:
        """Take in what ``other`` learnt, as if its files had been added here after this index's."""
        for parent in other._children:
            self._forget_declarations_of(parent)
        for child, declarations in other._declared.items():
            self._declared.setdefault(child, []).extend(declarations)
        for parent, children in other._children.items():
            self._children.setdefault(parent, set()).update(children)
        self._features.update(other._features)
        self._lint_levels.update(other._lint_levels)

    def _forget_declarations_of(self, parent: Path) -> None:
        """Drop what an earlier text of ``parent`` declared (a file added again replaces itself)."""
        for child in self._children.pop(parent, ()):
            kept = [entry for entry in self._declared.get(child, []) if entry[0] != parent]
            if kept:
                self._declared[child] = kept
            else:
                self._declared.pop(child, None)

    def _declare(self, parent: Path, declaring: Path, node: tree_sitter.Node, data: bytes, parsed: ParsedFile) -> None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = data[name_node.start_byte:name_node.end_byte].decode("utf-8", "replace")
        explicit: list[tuple[str, list[Cfg]]] = []
        for group in attribute_groups(node, data):
            explicit.extend(_path_attributes(group.children))
        self._record(parent, declaring, name, context_cfgs(node, data, parsed.contexts), explicit,
                     _inline_module_dirs(node, data))

    def _record(self, parent: Path, declaring: Path, name: str, cfgs: list[Cfg],
                explicit: list[tuple[str, list[Cfg]]], inline_dirs: list[str]) -> None:
        """``declaring``: ``parent`` resolved (the key the declarations are recorded under)."""
        module_dir = parent.parent if parent.name in _ROOT_NAMES else parent.parent / parent.stem
        module_dir = module_dir.joinpath(*inline_dirs)
        candidates: list[tuple[Path | str, list[Cfg]]] = []
        if explicit:
            for relative, extra in explicit:
                base = parent.parent.joinpath(*inline_dirs) if inline_dirs else parent.parent
                candidates.append((base / relative, extra))
        if not explicit or any(extra for _, extra in explicit):
            directory = os.fspath(module_dir)      # a name never holds a separator: plain joins
            candidates.append((os.path.join(directory, f"{name}.rs"), []))
            candidates.append((os.path.join(directory, name, "mod.rs"), []))
        for child, extra in candidates:
            key = resolved(child)
            self._declared.setdefault(key, []).append((declaring, cfgs + extra))
            self._children.setdefault(declaring, set()).add(key)

    def context_of(self, path: Path | str) \
            -> tuple[list[Cfg], dict[str, tuple[Cfg, ...]] | None, dict[str, str], bool]:
        """(:meth:`cfgs_of`, :meth:`crate_features`, :meth:`crate_lint_levels`, whether the declaration chain is
        known) of one file, its path resolved and its crate root found once."""
        key = resolved(path)
        root = self._root_of(key)
        cfgs, known = self._cfgs(key, set())
        if root is None:
            return cfgs, None, {}, known
        return cfgs, self._features[root], dict(self._lint_levels.get(root, {})), known

    def crate_lint_levels(self, path: Path | str) -> dict[str, str]:
        """``#![allow(..)]``-style lint levels of the file's crate root (empty when unknown)."""
        root = self._root_of(resolved(path))
        return dict(self._lint_levels.get(root, {})) if root is not None else {}

    def _root_of(self, current: Path) -> Path | None:
        seen = set()
        while current not in seen:
            seen.add(current)
            declarations = self._declared.get(current)
            if not declarations:
                break
            current = declarations[0][0]
        return current if current in self._features and _is_crate_root(current) else None

    def crate_features(self, path: Path | str) -> dict[str, tuple[Cfg, ...]] | None:
        """The features of the crate root the file belongs to (see :func:`crate_features_of`);
        None when the root is not among the indexed files (feature gates cannot be known)."""
        root = self._root_of(resolved(path))
        return self._features[root] if root is not None else None

    def cfgs_of(self, path: Path | str) -> list[Cfg]:
        return self._cfgs(resolved(path), set())[0]

    def _cfgs(self, path: Path, seen: set[Path]) -> tuple[list[Cfg], bool]:
        """The cfgs of the file's declaration chains, and whether one of them reaches a crate root."""
        if path in seen:
            return [], False
        seen = seen | {path}
        declarations = self._declared.get(path)
        if not declarations:
            return [], _is_crate_root(path)
        alternatives = []
        known = False
        for parent, cfgs in declarations:
            above, reaches_root = self._cfgs(parent, seen)
            known = known or reaches_root
            alternatives.append(Cfg("all", tuple(cfgs + above)))
        if len(alternatives) == 1:
            return list(alternatives[0].args), known
        return [Cfg("any", tuple(alternatives))], known


def _inline_module_dirs(node: tree_sitter.Node, data: bytes) -> list[str]:
    names = []
    current = node.parent
    while current is not None:
        if current.type == "declaration_list" and current.parent is not None and current.parent.type == "mod_item":
            name_node = current.parent.child_by_field_name("name")
            if name_node is not None:
                names.insert(0, data[name_node.start_byte:name_node.end_byte].decode("utf-8", "replace"))
        current = current.parent
    return names


def _path_attributes(tokens: list[Token]) -> list[tuple[str, list[Cfg]]]:
    """``path = "x.rs"`` and ``cfg_attr(pred, path = "x.rs")`` inside an attribute group."""
    if len(tokens) == 3 and tokens[0].is_ident("path") and tokens[1].is_punct("=") and tokens[2].kind == STRING:
        literal = decode(tokens[2].text, tokens[2].start)
        return [(literal.value, [])] if literal else []
    if len(tokens) == 2 and tokens[0].is_ident("cfg_attr") and tokens[1].is_group("("):
        parts = [part for part in split_top_level(tokens[1].children) if part]
        if len(parts) >= 2:
            predicate = parse_predicate(parts[0])
            found = []
            for part in parts[1:]:
                for relative, extra in _path_attributes(part):
                    found.append((relative, [predicate] + extra))
            return found
    return []


def _is_crate_root(path: Path) -> bool:
    """A file rustc compiles as a crate root: lib.rs, main.rs, build.rs, a file under
    examples/, tests/, benches/ or src/bin/, or a file outside any Cargo package."""
    if path.name in ("lib.rs", "main.rs", "build.rs") or path.parent.name in _ROOT_DIRS:
        return True
    return not any((parent / "Cargo.toml").exists() for parent in path.parents)


def crate_features_of(tree: tree_sitter.Tree, data: bytes) -> dict[str, tuple[Cfg, ...]]:
    """Features a crate root enables: name -> the conditions under which it does (one
    ``all()`` for a plain ``#![feature(..)]``, the predicate of each ``#![cfg_attr(P, feature(..))]``)."""
    features: dict[str, tuple[Cfg, ...]] = {}
    if not may_have_inner_attributes(data):
        return features
    for node in tree.root_node.children:
        if node.type != "inner_attribute_item":
            continue
        group = attribute_group_of(node, data)
        if group is None:
            continue
        for name, condition in _features_in(group.children, Cfg("all", ())):
            features[name] = features.get(name, ()) + (condition,)
    return features


def _features_in(tokens: list[Token], condition: Cfg) -> list[tuple[str, Cfg]]:
    if len(tokens) == 2 and tokens[0].is_ident("feature") and tokens[1].is_group("("):
        return [(token.text, condition) for token in tokens[1].children if token.kind == "ident"]
    if len(tokens) == 2 and tokens[0].is_ident("cfg_attr") and tokens[1].is_group("("):
        parts = [part for part in split_top_level(tokens[1].children) if part]
        if len(parts) >= 2:
            inner = Cfg("all", (condition, parse_predicate(parts[0])))
            return [found for part in parts[1:] for found in _features_in(part, inner)]
    return []


def crate_lint_levels_of(tree: tree_sitter.Tree, data: bytes) -> dict[str, str]:
    """Lint levels set by the file's inner attributes (``#![allow(named_asm_labels)]``)."""
    levels: dict[str, str] = {}
    if not may_have_inner_attributes(data):
        return levels
    for node in tree.root_node.children:
        if node.type == "inner_attribute_item":
            group = attribute_group_of(node, data)
            if group is not None:
                levels.update(lint_levels_of(group))
    return levels


