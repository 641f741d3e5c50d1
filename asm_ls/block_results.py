"""Each block's check results, kept between analyses of one document and reused while nothing they
depend on changed.

A block's front-end findings (``analysis.check_block``) depend on:

- the file's environment: the settings (one object until they change) and the file's context
  (``FileContext``: module cfgs, crate features and lint levels, edition, project targets); another
  environment empties the store (:meth:`BlockResults.enter`);
- the text (a digest of it) of the block's *anchor*, the outermost function item around the call (its signature,
  attributes and whole body: the bindings the type checks read, ``#[target_feature]``, ``unsafe``,
  ``#[naked]``, the items of the enclosing blocks), or, for a call outside any function, the
  top-level item holding it; and where the call starts in that anchor;
- the file's *skeleton*: its text without the bodies of the functions of its item lists (top level,
  modules, impls, traits) and without the calls outside functions (what is left: the module's items,
  ``use`` declarations, impl headers, cfgs and lint attributes of the enclosing modules,
  ``#![feature]``s); an edit inside one function body leaves every other function's blocks alone;
- for a call with ``sym`` or ``const`` operands, the names of every item of the file (any scope: the
  E0435 and ``sym`` checks read them);
- what the scan says of the call (kind, cfgs, function, ``unsafe``, lint levels, inside a macro).

The findings are kept relative to the anchor's start and moved to where the anchor is now (spans,
related spans and the offsets of the fix data, ``OFFSET_DATA``).  A block whose findings reach
outside its anchor is not kept.  The store is bounded: what the last two analyses did not use goes, and at most
``SIZE`` blocks are kept (least recently used first)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

import tree_sitter

from asm_ls.diagnostics import Diagnostic, Related
from asm_ls.model.functions import item_entries, items_by_kind
from asm_ls.syntax.finder import MacroCall

SIZE = 4096
# Fix-data keys whose values are byte offsets (a pair, or a list of pairs): moved with the findings.
OFFSET_DATA = ("remove", "placeholders")


@dataclass
class Kept:
    """One call's results, relative to its anchor: per resolved block, the findings of every configuration
    (``None`` arch) and those of its architecture, and whether the block's expansion was fatal."""
    blocks: list[tuple[list[Diagnostic], list[Diagnostic], bool]]


class Anchors:
    """Where each call of one parsed text is anchored, and the fingerprints its key holds (computed on first use)."""

    def __init__(self, tree: tree_sitter.Tree, data: bytes, calls: list[MacroCall], earlier: Anchors | None = None,
                 body: tuple[int, int] | None = None) -> None:
        """``earlier``: the anchors of an earlier text that differs from this one only inside the function body
        ``body`` (its byte range here): its skeleton and item names serve this text when that body is cut from the
        skeleton and declares the same items."""
        self.tree = tree
        self.data = data
        self.calls = calls
        self._anchors: dict[int, tuple[int, int, bool] | None] = {}
        self._digests: dict[int, tuple[int, bytes]] = {}
        self._skeleton: bytes | None = None
        self._items: bytes | None = None
        if earlier is not None and body is not None:        # (read now: no earlier text is kept alive)
            if earlier._skeleton is not None and _cut_body(tree.root_node, body):
                self._skeleton = earlier._skeleton
            shift = len(data) - len(earlier.data)
            if earlier._items is not None and sorted(item_entries(tree.root_node, data, True, body)) \
                    == sorted(item_entries(earlier.tree.root_node, earlier.data, True, (body[0], body[1] - shift))):
                self._items = earlier._items

    def key(self, call: MacroCall, configurations: tuple, names_read: bool) -> tuple[tuple, int, int] | None:
        """The call's key and its anchor's start and end; None when the call cannot be anchored.  ``names_read``:
        the block's checks read the file's item names (it has ``sym`` or ``const`` operands)."""
        anchor = self._anchor(call)
        if anchor is None:
            return None
        start, end, _ = anchor
        names = self.item_names() if names_read else b""
        return (self._digest(start, end), call.start - start, self.skeleton(), names, configurations,
                call_facts(call, start)), start, end

    def types_key(self, call: MacroCall) -> tuple | None:
        """What the types of the call's operands (``model/types.py``) are a function of: its anchor's text, where the
        call is in it, the skeleton; None when the call cannot be anchored."""
        anchor = self._anchor(call)
        if anchor is None:
            return None
        start, end, _ = anchor
        return self._digest(start, end), call.start - start, self.skeleton()

    def _digest(self, start: int, end: int) -> bytes:
        found = self._digests.get(start)
        if found is None or found[0] != end:
            found = self._digests[start] = (end, hashlib.blake2b(self.data[start:end], digest_size=16).digest())
        return found[1]

    def _anchor(self, call: MacroCall) -> tuple[int, int, bool] | None:
        """The call's anchor: its outermost function item, else its top-level item; and whether it is a function."""
        if call.start not in self._anchors:
            self._anchors[call.start] = self._find_anchor(call)
        return self._anchors[call.start]

    def _find_anchor(self, call: MacroCall) -> tuple[int, int, bool] | None:
        top = node = _child_holding(self.tree.root_node, call)
        while node is not None and node.type != "function_item":
            node = _child_holding(node, call)
        if node is not None:
            return node.start_byte, node.end_byte, True
        return (top.start_byte, top.end_byte, False) if top is not None else None

    def skeleton(self) -> bytes:
        """A digest of the text without the bodies of the outermost functions and the calls outside functions."""
        if self._skeleton is None:
            cuts = [(body.start_byte, body.end_byte) for function in _item_functions(self.tree.root_node)
                    if (body := function.child_by_field_name("body")) is not None]
            for call in self.calls:
                anchor = self._anchor(call)
                if anchor is not None and not anchor[2]:
                    cuts.append((call.start, call.end))
            digest = hashlib.blake2b(digest_size=16)
            at = 0
            for start, end in sorted(cuts):
                if start < at:
                    continue
                digest.update(self.data[at:start])
                digest.update(b"\0{}\0")
                at = end
            digest.update(self.data[at:])
            self._skeleton = digest.digest()
        return self._skeleton

    def item_names(self) -> bytes:
        """A digest of every item name of the file, by kind, and of the words of its ``use`` declarations."""
        if self._items is None:
            # (with the ``use`` words: a superset of what the checks read without them)
            parts = [(kind, sorted(names))
                     for kind, names in sorted(items_by_kind(self.tree.root_node, self.data, with_uses=True).items())]
            self._items = hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()
        return self._items


def _child_holding(node: tree_sitter.Node, call: MacroCall) -> tree_sitter.Node | None:
    """The child of ``node`` that holds the whole call, if any."""
    child = node.first_child_for_byte(call.start)
    while child is not None and child.end_byte <= call.start:        # (an empty node ending there)
        child = child.next_sibling
    return child if child is not None and child.start_byte <= call.start and call.end <= child.end_byte else None


_ITEM_CONTAINERS = ("mod_item", "impl_item", "trait_item", "foreign_mod_item", "declaration_list")


def _cut_body(root: tree_sitter.Node, body: tuple[int, int]) -> bool:
    """Whether the byte range ``body`` lies inside the body of a function of the file's item lists (which the
    skeleton leaves out)."""
    node = root.descendant_for_byte_range(*body)
    while node is not None:
        if node.type == "function_item" and _in_item_lists(node, root):
            inner = node.child_by_field_name("body")
            return inner is not None and inner.start_byte <= body[0] and body[1] <= inner.end_byte
        node = node.parent
    return False


def _in_item_lists(node: tree_sitter.Node, root: tree_sitter.Node) -> bool:
    """Whether ``node`` is an item of the file's item lists (its ancestors up to the root are item containers)."""
    parent = node.parent
    while parent is not None and parent != root:
        if parent.type not in _ITEM_CONTAINERS:
            return False
        parent = parent.parent
    return parent is not None


def _item_functions(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The function items of the file's item lists (top level, modules, impls, traits), not looking inside
    functions or other items (a function elsewhere keeps its body in the skeleton)."""
    found = []
    containers = [root]
    while containers:
        for child in containers.pop().named_children:
            if child.type == "function_item":
                found.append(child)
            elif child.type in _ITEM_CONTAINERS:
                containers.append(child)
    return found


def call_facts(call: MacroCall, start: int) -> str:
    """What the scan says about the call, positions relative to its anchor's ``start``."""
    function = call.function
    where = (function.start - start, function.end - start) if function is not None else None
    return repr((call.kind, call.cfgs, call.unsafe, sorted(call.lint_levels.items()), call.in_macro,
                 call.in_macro_definition, function and replace(function, start=0, end=0), where))


class BlockResults:
    """One document's kept block results (thread-safe: the server analyses in worker threads).  What the last
    two analyses did not use is forgotten when an analysis ends (:meth:`finish`): the store holds about the blocks
    of the document, not one entry per edit."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[Kept, int]] = OrderedDict()    # key -> results, analysis last used
        self._environment: tuple[Any, Any] | None = None
        self._analysis = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def enter(self, settings: Any, context: Any) -> None:
        """Start an analysis in this environment; another one than last time forgets everything."""
        with self._lock:
            self._analysis += 1
            if self._environment is None or self._environment[0] is not settings \
                    or self._environment[1] != context:
                self._entries.clear()
                self._environment = (settings, context)

    def finish(self) -> None:
        """An analysis ended: forget what neither it nor the one before used."""
        with self._lock:
            stale = [key for key, (_, used) in self._entries.items() if used < self._analysis - 1]
            for key in stale:
                del self._entries[key]

    def get(self, key: tuple, start: int) -> Kept | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            kept = found[0]
            self._entries[key] = (kept, self._analysis)
            self._entries.move_to_end(key)
            self.hits += 1
        return Kept([(moved(diagnostics, start), moved(specific, start), fatal)
                     for diagnostics, specific, fatal in kept.blocks])

    def put(self, key: tuple, start: int, end: int, blocks: list[tuple[list[Diagnostic], list[Diagnostic], bool]]
            ) -> None:
        """Keep a call's results, unless one reaches outside its anchor ``start``..``end``."""
        if not all(inside(d, start, end) for diagnostics, specific, _ in blocks for d in diagnostics + specific):
            return
        kept = Kept([(moved(diagnostics, -start), moved(specific, -start), fatal)
                     for diagnostics, specific, fatal in blocks])
        with self._lock:
            self._entries[key] = (kept, self._analysis)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def inside(diagnostic: Diagnostic, start: int, end: int) -> bool:
    spans = [(diagnostic.start, diagnostic.end), *((r.start, r.end) for r in diagnostic.related)]
    for key in OFFSET_DATA:
        spans += [tuple(pair) for pair in _pairs(diagnostic.data.get(key))]
    return all(start <= a <= b <= end for a, b in spans)


def _pairs(value: Any) -> list:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return [value]
    if isinstance(value, list):
        return [pair for item in value for pair in _pairs(item)]
    return []


def moved(diagnostics: list[Diagnostic], delta: int) -> list[Diagnostic]:
    """Copies of ``diagnostics`` ``delta`` bytes further on."""
    return [replace(d, start=d.start + delta, end=d.end + delta,
                    related=tuple(Related(r.start + delta, r.end + delta, r.message) for r in d.related),
                    data=_moved_data(d.data, delta)) for d in diagnostics]


def _moved_data(data: dict, delta: int) -> dict:
    if not delta or not any(key in data for key in OFFSET_DATA):
        return data
    return {key: _moved_value(value, delta) if key in OFFSET_DATA else value for key, value in data.items()}


def _moved_value(value: Any, delta: int) -> Any:
    if isinstance(value, list):
        return [_moved_value(item, delta) for item in value]
    return value + delta if isinstance(value, int) and not isinstance(value, bool) else value
