"""Finds every ``asm!``, ``global_asm!`` and ``naked_asm!`` call in a parsed file.

Calls are found in the syntax tree and, token by token, inside other macros' token trees
(``macro_rules!`` bodies, ``cfg_if!``, user macros).  For each call it records the syntactic
context the model needs: enclosing ``#[cfg]`` predicates, the enclosing function and whether the
call sits in an ``unsafe`` block.  Nothing here knows about architectures.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

import tree_sitter

from asm_ls.syntax.cfg import UNKNOWN, Cfg, cfg_of_attribute, parse_predicate
from asm_ls.syntax.tokens import GROUP, IDENT, METAVAR, Token, group_from_node, tokens_of

MACRO_KINDS = ("asm", "global_asm", "naked_asm")

_USE_RENAME = re.compile(r"\b(asm|global_asm|naked_asm)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)")
_ITEM_MACROS = ("cfg_if", "cfg_select")
# Macros whose arguments are a token template for generated code (``#name`` and ``#(..)*`` stand for
# interpolated tokens), not code compiled as written: nothing inside them is looked at.
_TEMPLATE_MACROS = frozenset({"quote", "quote_spanned", "parse_quote", "parse_quote_spanned"})


@dataclass
class FunctionInfo:
    name: str
    is_unsafe: bool = False
    is_naked: bool = False
    target_features: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    macro_attributes: tuple[str, ...] = ()   # attribute macros: their output cannot be known


@dataclass
class MacroCall:
    """One call of an inline-assembly macro, as found in the source."""

    kind: str                 # "asm" | "global_asm" | "naked_asm"
    start: int                # byte offset of the macro path
    end: int                  # byte offset after the closing delimiter
    args: Token               # the argument group
    cfgs: list[Cfg] = field(default_factory=list)
    function: FunctionInfo | None = None
    unsafe: bool | None = None          # None: cannot be known (inside another macro)
    lint_levels: dict[str, str] = field(default_factory=dict)   # from enclosing #[allow]/#[warn]/...
    in_macro: bool = False              # inside another macro's token tree
    in_macro_definition: bool = False   # inside a macro_rules! body

    @property
    def name_end(self) -> int:
        """Where the macro's path and `!` end (a note about the whole call points at `core::arch::asm!`)."""
        return self.args.start


def find_calls(tree: tree_sitter.Tree, data: bytes) -> list[MacroCall]:
    return scan_file(tree, data)[0]


def scan_file(tree: tree_sitter.Tree, data: bytes, contexts: "Contexts | None" = None,
              within: tuple[int, int] | None = None,
              names: dict[str, str] | None = None) -> tuple[list[MacroCall], list["TokenModule"]]:
    """Every inline-assembly call, and the ``mod name;`` declarations inside macro calls.
    ``contexts``: the tree's :class:`Contexts`, when the caller keeps one.  ``within``: only those of the
    outermost macro calls where a name occurs in that byte range.  ``names``: :func:`macro_names`, when known."""
    names = names if names is not None else macro_names(tree.root_node, data)
    calls: list[MacroCall] = []
    modules: list[TokenModule] = []
    _walk(tree.root_node, data, _Names(names), calls, modules, contexts or Contexts(data), within)
    calls.sort(key=lambda call: call.start)
    return calls, modules


# Where an inner attribute (``#![..]``) may start: `#`, whitespace (ASCII, or any non-ASCII byte for
# Unicode's), then `!` or a comment before it.  A superset: strings, comments, a shebang match too.
INNER_ATTRIBUTE_START = re.compile(rb"#[\s\x80-\xff]*[!/]")


def may_have_inner_attributes(data: bytes) -> bool:
    """False when the text holds no ``#![..]`` (the test is a cheap superset)."""
    return INNER_ATTRIBUTE_START.search(data) is not None


def macro_names(root: tree_sitter.Node, data: bytes) -> dict[str, str]:
    """The names the macros go by: their own and the ``use`` renames of the file's top level."""
    names = {kind: kind for kind in MACRO_KINDS}
    if b"asm" not in data:
        return names        # no `use` can rename a macro the text does not name
    for node in top_level(root, "use_declaration"):
        text = data[node.start_byte:node.end_byte].decode("utf-8", "replace")
        if "arch" in text:
            for kind, alias in _USE_RENAME.findall(text):
                names[alias] = kind
    return names


def top_level(root: tree_sitter.Node, kind: str) -> list[tree_sitter.Node]:
    """The children of ``root`` of one kind, in source order."""
    return [child for child in root.children if child.type == kind]


class _Names(dict):
    """The names the inline-assembly macros go by in a file (name -> macro kind), and the words
    a token tree must contain for a call or a ``mod`` declaration to be found in it: each name
    and ``mod``, as a whole identifier (a token is never part of a longer one, such as "model")."""

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__(names)
        self.words = sorted({name.encode() for name in names} | {b"mod"})

    def occurrences(self, data: bytes, start: int, end: int) -> list[tuple[int, int]]:
        """Where the words occur in ``data[start:end]``, in order: (first byte, byte after)."""
        return sorted(self._whole_words(data, start, end))

    def may_occur(self, data: bytes, start: int, end: int) -> bool:
        """Whether ``data[start:end]`` may hold a call or a ``mod`` declaration (its tokens then
        include one of the names or ``mod``); False means it holds neither."""
        return next(self._whole_words(data, start, end), None) is not None

    def _whole_words(self, data: bytes, start: int, end: int):
        for word in self.words:
            position = data.find(word, start, end)
            while position != -1:
                last = position + len(word)
                if _whole(data, position, last, start, end):
                    yield position, last
                position = data.find(word, position + 1, end)


_IDENTIFIER_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _whole(data: bytes, first: int, last: int, start: int, end: int) -> bool:
    """Whether ``data[first:last]`` is not part of a longer identifier (the ends of the range
    ``start``..``end`` count as boundaries)."""
    return (first == start or data[first - 1] not in _IDENTIFIER_BYTES) \
        and (last >= end or data[last] not in _IDENTIFIER_BYTES)


def _walk(node: tree_sitter.Node, data: bytes, names: _Names, calls: list[MacroCall],
          modules: list["TokenModule"], contexts: "Contexts", within: tuple[int, int] | None = None) -> None:
    for current in _macro_nodes(node, data, names, within):
        if current.type == "macro_invocation":
            modules.extend(_visit_invocation(current, data, names, calls, contexts))
            continue
        if not names.may_occur(data, current.start_byte, current.end_byte):
            continue
        outer = contexts.of_node(current)
        for rule in current.children:
            if rule.type == "macro_rule":
                for part in rule.children:
                    if part.type == "token_tree":
                        group = group_from_node(part, data)
                        _scan_tokens(group.children, data, names, calls, outer, definition=True)


_MACROS = ("macro_invocation", "macro_definition")


def _macro_nodes(root: tree_sitter.Node, data: bytes, names: _Names,
                 within: tuple[int, int] | None = None) -> list[tree_sitter.Node]:
    """The outermost macro invocations and definitions in ``root`` (not inside another one) where
    one of the names' words occurs (in the range ``within``, when given), in source order.  The walk skips every
    other one (it can hold neither a call nor a ``mod`` declaration), so only the places where a word occurs are
    looked at: for each occurrence, the nodes above it, instead of every node of the tree."""
    found: list[tree_sitter.Node] = []
    covered = root.start_byte       # occurrences before this lie in a node already found
    start, end = within or (root.start_byte, root.end_byte)
    for first, last in names.occurrences(data, max(start, root.start_byte), min(end, root.end_byte)):
        if first < covered:
            continue
        outermost = None
        current = root.descendant_for_byte_range(first, last)
        while current is not None:
            if current.type in _MACROS:
                outermost = current
            if current == root:
                break
            current = current.parent
        if outermost is not None:
            found.append(outermost)
            covered = outermost.end_byte
    return found


def _visit_invocation(node: tree_sitter.Node, data: bytes, names: _Names,
                      calls: list[MacroCall], contexts: "Contexts") -> list["TokenModule"]:
    path_node = node.child_by_field_name("macro")
    args_node = next((child for child in node.children if child.type == "token_tree"), None)
    if path_node is None or args_node is None:
        return []
    path = re.sub(r"\s+", "", data[path_node.start_byte:path_node.end_byte].decode("utf-8", "replace"))
    kind = _kind_of_path(path.split("::"), names)
    if kind is None and (path.split("::")[-1] in _TEMPLATE_MACROS
                         or not names.may_occur(data, args_node.start_byte, args_node.end_byte)):
        return []       # nothing to find in its tokens, or a token template
    context = contexts.of_node(node)
    group = group_from_node(args_node, data)
    if kind is not None:
        calls.append(MacroCall(kind, node.start_byte, node.end_byte, group, list(context.cfgs),
                               context.function, context.unsafe, lint_levels=dict(context.lint_levels)))
        return []
    return _scan_tokens(group.children, data, names, calls, context, definition=False,
                        item_macro=_item_macro(path.split("::")[-1]))


def _item_macro(name: str) -> str:
    """``cfg_if``/``cfg_select`` (and local wrappers such as ``cfg_select_nofmt``), else ""."""
    return next((macro for macro in _ITEM_MACROS if name.startswith(macro)), "")


def _kind_of_path(segments: list[str], names: dict[str, str]) -> str | None:
    """``asm``, a ``use`` rename, ``[..::]arch::asm``, or ``$crate::..::asm`` (in a macro body: the
    crate's re-export of the macro)."""
    last = segments[-1]
    if len(segments) == 1:
        return names.get(last)
    if last in MACRO_KINDS and (segments[-2] == "arch" or segments[0] == "$crate"):
        return last
    return None


@dataclass
class _Context:
    cfgs: list[Cfg]
    function: FunctionInfo | None
    unsafe: bool | None
    lint_levels: dict[str, str] = field(default_factory=dict)


@dataclass
class _Own:
    """What one node contributes to the context of the nodes inside it (read, never changed)."""
    cfgs: list[Cfg]
    levels: dict[str, str]              # the nearest attribute's level first
    unsafe_block: bool
    function: FunctionInfo | None       # the node is a function item


class Contexts:
    """The syntactic context of nodes of one parsed file (enclosing ``#[cfg]``s, lint levels,
    function and ``unsafe``).  What each enclosing node contributes (its attributes, the file's
    inner attributes) is read once per node and kept: make one per tree, never share one
    between trees (node ids are only unique within a tree)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._own: dict[int, _Own] = {}
        self._inner_starts: list[int] | None = None

    def _may_hold_inner_attribute(self, node: tree_sitter.Node) -> bool:
        """False when no inner attribute can start inside the node (most nodes)."""
        if self._inner_starts is None:
            self._inner_starts = [match.start() for match in INNER_ATTRIBUTE_START.finditer(self.data)]
        index = bisect.bisect_left(self._inner_starts, node.start_byte)
        return index < len(self._inner_starts) and self._inner_starts[index] < node.end_byte

    def of_node(self, node: tree_sitter.Node) -> _Context:
        cfgs: list[Cfg] = []
        function: FunctionInfo | None = None
        unsafe: bool | None = None
        levels: dict[str, str] = {}
        current: tree_sitter.Node | None = node
        while current is not None:
            own = self._own.get(current.id)
            if own is None:
                own = self._own[current.id] = _own_context(current, self.data,
                                                           self._may_hold_inner_attribute(current))
            cfgs.extend(own.cfgs)
            for lint, level in own.levels.items():
                levels.setdefault(lint, level)      # the innermost attribute wins
            if own.unsafe_block and unsafe is None and function is None:
                unsafe = True
            if own.function is not None and function is None:
                function = replace(own.function)
                if unsafe is None:
                    unsafe = function.is_unsafe
            current = current.parent
        return _Context(cfgs, function, unsafe, levels)


def _own_context(node: tree_sitter.Node, data: bytes, inner: bool = True) -> _Own:
    """``inner`` False: the node holds no inner attribute (its children need not be looked at)."""
    kind = node.type
    # Nearest attribute first: with ``setdefault`` below, the innermost lint level wins.
    attributes = outer_attribute_items(node)[::-1]
    if inner:
        attributes += [child for child in node.children if child.type == "inner_attribute_item"]
    if not attributes and kind != "function_item":
        return _UNSAFE_BLOCK if kind == "unsafe_block" else _NOTHING      # most nodes
    cfgs: list[Cfg] = []
    levels: dict[str, str] = {}
    for attribute in attributes:
        group = _attribute_group(attribute, data)
        if group is None:
            continue
        cfg = cfg_of_attribute(group)
        if cfg is not None:
            cfgs.append(cfg)
        for lint, level in lint_levels_of(group).items():
            levels.setdefault(lint, level)
    function = _function_info(node, data) if kind == "function_item" else None
    return _Own(cfgs, levels, kind == "unsafe_block", function)


# What a node without attributes contributes (shared: an ``_Own`` is never changed).
_NOTHING = _Own([], {}, False, None)
_UNSAFE_BLOCK = _Own([], {}, True, None)


_LINT_LEVELS = {"allow": "allow", "expect": "allow", "warn": "warn", "deny": "deny", "forbid": "deny"}


def lint_levels_of(group: Token) -> dict[str, str]:
    """``[allow(a, b)]`` -> {"a": "allow", "b": "allow"}; tool lints (``clippy::x``) are skipped."""
    children = group.children
    if len(children) != 2 or children[0].kind != IDENT or children[0].text not in _LINT_LEVELS \
            or not children[1].is_group("("):
        return {}
    level = _LINT_LEVELS[children[0].text]
    levels = {}
    for part in _split_commas(children[1].children):
        if len(part) == 1 and part[0].kind == IDENT:
            levels[part[0].text] = level
    return levels


def _split_commas(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.is_punct(","):
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def outer_attribute_items(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The ``#[...]`` items written before a node, in source order."""
    items = []
    sibling = node.prev_sibling
    while sibling is not None and sibling.type in ("attribute_item", "line_comment", "block_comment"):
        if sibling.type == "attribute_item":
            items.append(sibling)
        sibling = sibling.prev_sibling
    return list(reversed(items))


def attribute_group_of(attribute_item: tree_sitter.Node, data: bytes) -> Token | None:
    """An ``attribute_item``/``inner_attribute_item`` node as its ``[...]`` token group."""
    return _attribute_group(attribute_item, data)


def _attribute_group(attribute_item: tree_sitter.Node, data: bytes) -> Token | None:
    for child in attribute_item.children:
        if child.type == "attribute":
            return Token(GROUP, "", child.start_byte, child.end_byte, tokens_of(child, data), "[")
    return None


def _attribute_cfg(attribute_item: tree_sitter.Node, data: bytes) -> Cfg | None:
    group = _attribute_group(attribute_item, data)
    return cfg_of_attribute(group) if group is not None else None


def _function_info(node: tree_sitter.Node, data: bytes) -> FunctionInfo:
    name_node = node.child_by_field_name("name")
    name = data[name_node.start_byte:name_node.end_byte].decode("utf-8", "replace") if name_node else ""
    info = FunctionInfo(name, start=node.start_byte, end=node.end_byte)
    for child in node.children:
        if child.type == "function_modifiers":
            info.is_unsafe = "unsafe" in data[child.start_byte:child.end_byte].decode("utf-8", "replace").split()
    features: list[str] = []
    for attribute in reversed(outer_attribute_items(node)):
        group = _attribute_group(attribute, data)
        if group is None:
            continue
        _describe_attribute(group.children, info, features)
    info.target_features = tuple(features)
    return info


_BUILTIN_ATTRIBUTES = frozenset("""
allow warn deny forbid expect deprecated must_use doc cfg cfg_attr inline cold no_mangle export_name instruction_set
link_section link_name target_feature naked unsafe track_caller instruction_set optimize coverage
test ignore should_panic bench repr used no_builtins rustc_std_internal_symbol linkage
unstable stable rustc_const_stable rustc_const_unstable allow_internal_unstable
""".split())


def _describe_attribute(tokens: list[Token], info: FunctionInfo, features: list[str]) -> None:
    if not tokens or tokens[0].kind != IDENT:
        return
    name = tokens[0].text
    is_path = len(tokens) > 1 and tokens[1].is_punct("::")
    if is_path and name not in ("rustfmt", "clippy", "diagnostic"):
        info.macro_attributes += (name,)
    elif not is_path and name not in _BUILTIN_ATTRIBUTES:
        info.macro_attributes += (name,)
    if name == "naked":
        info.is_naked = True
    elif name == "unsafe" and len(tokens) > 1 and tokens[1].is_group("("):
        _describe_attribute(tokens[1].children, info, features)
    elif name == "instruction_set" and len(tokens) > 1 and tokens[1].is_group("("):
        # #[instruction_set(arm::t32)] compiles the function as Thumb code.
        if any(token.is_ident("t32") for token in tokens[1].children):
            features.append("thumb-mode")
    elif name == "target_feature" and len(tokens) > 1 and tokens[1].is_group("("):
        for token in tokens[1].children:
            if token.kind == "string":
                features.extend(part.strip() for part in token.text.strip('"').split(","))


def context_cfgs(node: tree_sitter.Node, data: bytes, contexts: Contexts | None = None) -> list[Cfg]:
    """The ``#[cfg]`` predicates that apply to ``node``: its own outer attributes and those of
    every enclosing item, statement, block and the file.  ``contexts``: the tree's
    :class:`Contexts`, to reuse what the enclosing nodes contribute."""
    return (contexts or Contexts(data)).of_node(node).cfgs


def attribute_groups(node: tree_sitter.Node, data: bytes) -> list[Token]:
    """The outer attributes of an item as ``[...]`` groups."""
    groups = []
    for attribute in reversed(outer_attribute_items(node)):
        group = _attribute_group(attribute, data)
        if group is not None:
            groups.append(group)
    return groups


# -- inside token trees ---------------------------------------------------------------------

@dataclass
class TokenModule:
    """A ``mod name;`` declaration found inside a macro's token tree (``cfg_if!`` bodies)."""

    name: str
    cfgs: list[Cfg]
    attributes: list[Token]
    start: int = 0          # byte offset of the `mod` keyword (the inline modules around it give its directory)


@dataclass
class _Scan:
    data: bytes
    names: dict[str, str]
    calls: list[MacroCall]
    outer: _Context
    definition: bool
    modules: list[TokenModule] = field(default_factory=list)


def _scan_tokens(tokens: list[Token], data: bytes, names: dict[str, str], calls: list[MacroCall],
                 outer: _Context, definition: bool, item_macro: bool | str = False,
                 cfgs: tuple[Cfg, ...] = ()) -> list[TokenModule]:
    scan = _Scan(data, names, calls, outer, definition)
    _scan(scan, tokens, item_macro if isinstance(item_macro, str) else "", cfgs)
    return scan.modules


def _scan(scan: _Scan, tokens: list[Token], macro: str, cfgs: tuple[Cfg, ...]) -> None:
    arms = _cfg_select_arms(tokens) if macro == "cfg_select" else {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.kind == IDENT and index + 2 < len(tokens) and tokens[index + 1].is_punct("!")
                and tokens[index + 2].kind == GROUP):
            path, start = _token_path(tokens, index)
            kind = _kind_of_path(path, scan.names)
            group = tokens[index + 2]
            if kind is not None:
                scan.calls.append(MacroCall(kind, start, group.end, group, list(scan.outer.cfgs) + list(cfgs),
                                            None, None, in_macro=True, in_macro_definition=scan.definition,
                                            lint_levels=dict(scan.outer.lint_levels)))
            elif path[-1] not in _TEMPLATE_MACROS:
                _scan(scan, group.children, _item_macro(path[-1]), cfgs)
            index += 3
            continue
        if token.is_ident("mod") and index + 2 < len(tokens) and tokens[index + 1].kind == IDENT \
                and tokens[index + 2].is_punct(";"):
            own, _ = _preceding_attributes(tokens, index)
            attributes = _attribute_run(tokens, index)
            scan.modules.append(TokenModule(tokens[index + 1].text, list(scan.outer.cfgs) + list(cfgs) + own,
                                            attributes, token.start))
            index += 3
            continue
        if token.kind == METAVAR and token.children:
            _scan(scan, token.children, "", cfgs)        # the tokens a `$( .. )*` repeats
        if token.kind == GROUP:
            if index in arms:
                inner = cfgs + tuple(arms[index])
            else:
                inner = cfgs + tuple(_token_cfgs(tokens, index, macro == "cfg_if"))
            _scan(scan, token.children, "", inner)
        index += 1


def _attribute_run(tokens: list[Token], index: int) -> list[Token]:
    """The ``[...]`` groups of the attributes written before the item at ``index``."""
    groups = []
    position = index - 1
    while position >= 0 and not tokens[position].is_punct(";") and not tokens[position].is_group("{"):
        if tokens[position].is_group("[") and position >= 1 and tokens[position - 1].is_punct("#"):
            groups.append(tokens[position])
            position -= 2
            continue
        position -= 1
    return groups


def _cfg_select_arms(tokens: list[Token]) -> dict[int, list[Cfg]]:
    """``cfg_select! { pred => { .. } _ => { .. } }``: body index -> the cfgs it is under."""
    arms: dict[int, list[Cfg]] = {}
    earlier: list[Cfg] = []
    start = 0
    index = 0
    while index < len(tokens):
        if tokens[index].is_punct("=>") and index + 1 < len(tokens):
            predicate_tokens = tokens[start:index]
            if len(predicate_tokens) == 1 and predicate_tokens[0].is_ident("_"):
                predicate = Cfg("all", ())
            else:
                predicate = parse_predicate(predicate_tokens)
            conditions = [predicate]
            if earlier:
                conditions.append(Cfg("not", (Cfg("any", tuple(earlier)),)))
            earlier.append(predicate)
            # The arm's body: a `{ .. }` group, or an expression (`unsafe { .. }`) up to the next `,`.
            index += 1
            braced = tokens[index].is_group("{")
            while index < len(tokens) and not tokens[index].is_punct(","):
                arms[index] = conditions
                index += 1
                if braced:
                    break
            if index < len(tokens) and tokens[index].is_punct(","):
                index += 1
            start = index
            continue
        index += 1
    return arms


def _token_path(tokens: list[Token], index: int) -> tuple[list[str], int]:
    path = [tokens[index].text]
    start = tokens[index].start
    position = index - 1
    while position >= 1 and tokens[position].is_punct("::") and (tokens[position - 1].kind == IDENT
                                                              or tokens[position - 1].text == "$crate"):
        path.insert(0, tokens[position - 1].text)
        start = tokens[position - 1].start
        position -= 2
    if position >= 0 and tokens[position].is_punct("::"):
        start = tokens[position].start
    return path, start


def _preceding_attributes(tokens: list[Token], index: int) -> tuple[list[Cfg], int]:
    """Cfgs of the attributes that belong to the item or branch whose body is ``tokens[index]``,
    and the index where that item starts."""
    cfgs: list[Cfg] = []
    position = index - 1
    while position >= 0:
        token = tokens[position]
        if token.is_group("[") and position >= 1 and tokens[position - 1].is_punct("#"):
            cfg = cfg_of_attribute(token)
            if cfg is not None:
                cfgs.append(cfg)
            position -= 2
            continue
        if token.is_punct(";") or token.is_punct(",") or token.is_group("{") or token.is_punct("=>"):
            break
        if token.is_ident("else"):
            break
        position -= 1
    return cfgs, position + 1


def _token_cfgs(tokens: list[Token], index: int, item_macro: bool) -> list[Cfg]:
    """Cfgs that apply to the group ``tokens[index]``, including ``cfg_if!`` else-chains."""
    cfgs, start = _preceding_attributes(tokens, index)
    if not item_macro:
        return cfgs
    earlier: list[Cfg] = []
    position = start - 1
    while position >= 0 and tokens[position].is_ident("if"):
        position -= 1
    while position >= 0 and tokens[position].is_ident("else") and position >= 1 and tokens[position - 1].is_group("{"):
        branch_cfgs, branch_start = _preceding_attributes(tokens, position - 1)
        earlier.extend(branch_cfgs)
        position = branch_start - 1
        while position >= 0 and tokens[position].is_ident("if"):
            position -= 1
    if earlier:
        cfgs.append(Cfg("not", (Cfg("any", tuple(earlier)),)))
    return cfgs


__all__ = ["MacroCall", "FunctionInfo", "find_calls", "MACRO_KINDS", "UNKNOWN", "parse_predicate"]
