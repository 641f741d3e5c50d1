"""The scan of a new text from an earlier text's (``parsed.py``): only the top-level items an edit touched are
scanned again.

After an edit, the earlier text and the new one are equal outside one range (the edited bytes and every range whose
syntax changed: ``treesitter.reparse_with_changes``).  A call (or a ``mod`` declaration inside a macro call) in a
top-level item outside that range is what the scan of the earlier text found, moved by the length the edit added
when it comes after it: what the scan records of a call is read off the call and the items around it (its tokens,
cfgs, function, ``unsafe``, lint levels), and beyond its top-level item only off the file's inner attributes and the
``use`` declarations that rename the macros, which must then be unchanged too.  The calls of the items in the range
are scanned as the whole file would be.  The result equals :func:`finder.scan_file` of the new text
(``tests/robustness/test_properties_incremental.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import tree_sitter

from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.finder import Contexts, MacroCall, TokenModule, macro_names, scan_file, top_level
from asm_ls.syntax.tokens import Token


@dataclass
class Scanned:
    """One text's scan as it was found (later changes to the calls, such as ``build_file`` applying ``--cfg``
    values to their cfgs, are not in ``cfgs``), with what every call's record depends on beyond its item."""
    data: bytes
    calls: list[MacroCall]
    cfgs: list[list[Cfg]]           # each call's cfgs as scanned
    modules: list[TokenModule]
    file_facts: tuple               # the macros' names and the file's inner attributes (``file_facts``)


def file_facts(root: tree_sitter.Node, data: bytes) -> tuple:
    """What the scan of any call reads outside its top-level item: the names the macros go by and the text of the
    file's inner attributes."""
    inner = tuple(data[node.start_byte:node.end_byte] for node in top_level(root, "inner_attribute_item"))
    return tuple(sorted(macro_names(root, data).items())), inner


def scan(data: bytes, tree: tree_sitter.Tree, contexts: Contexts, earlier: Scanned | None = None,
         changed: tuple[int, int] | None = None, in_body: bool = False
         ) -> tuple[list[MacroCall], list[TokenModule], Scanned]:
    """The scan of ``data`` (parsed as ``tree``) and its record for the next text: from ``earlier`` when it is the
    scan of the same text or of one that differs from it only in the range ``changed`` of the new text (and the
    file's names and inner attributes are the same), else of the whole file.  ``in_body``: that range lies inside
    one function body (the file's top level is then ``earlier``'s)."""
    same = earlier is not None and (earlier.data == data or in_body and changed is not None)
    facts = earlier.file_facts if same else file_facts(tree.root_node, data)
    found = None
    if earlier is not None and earlier.file_facts == facts:
        if earlier.data == data:
            found = [_moved_call(call, cfgs, 0) for call, cfgs in zip(earlier.calls, earlier.cfgs)], \
                [_moved_module(module, 0) for module in earlier.modules]
        elif changed is not None:
            found = _rescan(earlier, data, tree, changed, contexts)
    calls, modules = found if found is not None else scan_file(tree, data, contexts, names=dict(facts[0]))
    return calls, modules, Scanned(data, calls, [list(call.cfgs) for call in calls], modules, facts)


def _rescan(earlier: Scanned, data: bytes, tree: tree_sitter.Tree, changed: tuple[int, int], contexts: Contexts
            ) -> tuple[list[MacroCall], list[TokenModule]]:
    root = tree.root_node
    delta = len(data) - len(earlier.data)
    first, last = _touched(root, changed)
    calls, modules = scan_file(tree, data, contexts, (first, last), dict(earlier.file_facts[0]))
    before = [(call, cfgs) for call, cfgs in zip(earlier.calls, earlier.cfgs) if call.end <= first]
    after = [(call, cfgs) for call, cfgs in zip(earlier.calls, earlier.cfgs) if call.start >= last - delta]
    calls = [_moved_call(call, cfgs, 0) for call, cfgs in before] + calls \
        + [_moved_call(call, cfgs, delta) for call, cfgs in after]
    modules = [module for module in earlier.modules if module.start < first] + modules \
        + [_moved_module(module, delta) for module in earlier.modules if module.start >= last - delta]
    return calls, modules


def _touched(root: tree_sitter.Node, changed: tuple[int, int]) -> tuple[int, int]:
    """The byte range of the new text that holds ``changed``, every top-level item that meets it, and the item after
    the last of them (with the attributes and comments before it: an attribute touched is that item's)."""
    low, high = changed
    child = _child_at(root, changed[0])
    if child is not None and child.prev_sibling is not None and child.prev_sibling.end_byte >= changed[0]:
        child = child.prev_sibling
    following = False
    while child is not None:
        if child.end_byte >= changed[0] and child.start_byte <= changed[1]:
            low, high = min(low, child.start_byte), max(high, child.end_byte)
            following = True
        elif following and child.start_byte > changed[1]:
            high = max(high, child.end_byte)
            if child.type not in _BEFORE_ITEMS:
                break
        child = child.next_sibling
    return low, high


def _child_at(root: tree_sitter.Node, offset: int) -> tree_sitter.Node | None:
    """The first child of ``root`` that ends at or after ``offset`` (None: none does)."""
    if not root.child_count:
        return None
    last = root.child(root.child_count - 1)
    if last.end_byte <= offset:       # (``first_child_for_byte`` must not be asked past the last child's end)
        return last if last.end_byte == offset else None
    node = root.first_child_for_byte(offset)      # the first that ends after ``offset``
    while node.prev_sibling is not None and node.prev_sibling.end_byte >= offset:
        node = node.prev_sibling
    return node


_BEFORE_ITEMS = ("attribute_item", "line_comment", "block_comment")


def _moved_call(call: MacroCall, cfgs: list[Cfg], delta: int) -> MacroCall:
    function = call.function
    if function is not None:
        function = replace(function, start=function.start + delta, end=function.end + delta)
    return replace(call, start=call.start + delta, end=call.end + delta, args=_moved_token(call.args, delta),
                   cfgs=list(cfgs), function=function, lint_levels=dict(call.lint_levels))


def scan_item(tree: tree_sitter.Tree, data: bytes, contexts: Contexts, offset: int,
              names: dict[str, str] | None = None) -> list[MacroCall]:
    """The calls of the top-level item holding ``offset``, as the scan of the whole file finds them (``names``: the
    macros' names, when known)."""
    item = _child_at(tree.root_node, offset)
    if item is None or item.start_byte > offset:
        return []
    return scan_file(tree, data, contexts, (item.start_byte, item.end_byte), names)[0]


def copied(call: MacroCall, cfgs: list[Cfg]) -> MacroCall:
    """A copy of a call as scanned (``cfgs``), which an analysis may change."""
    return _moved_call(call, cfgs, 0)


def _moved_module(module: TokenModule, delta: int) -> TokenModule:
    return replace(module, start=module.start + delta, cfgs=list(module.cfgs),
                   attributes=[_moved_token(token, delta) for token in module.attributes])


def _moved_token(token: Token, delta: int) -> Token:
    if not delta:
        return token
    return Token(token.kind, token.text, token.start + delta, token.end + delta,
                 [_moved_token(child, delta) for child in token.children], token.delimiter, token.closed)
