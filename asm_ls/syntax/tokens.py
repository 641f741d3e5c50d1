"""Token trees: the macro-argument view of Rust source.

Tree-sitter gives the arguments of every macro call as an untyped token tree.  This module turns
such a node into :class:`Token` objects with byte offsets: leaves (identifiers, punctuation,
literals, macro metavariables) and groups (a delimited sub-tree with its children).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from asm_ls.syntax.literals import decode

IDENT = "ident"
PUNCT = "punct"
STRING = "string"        # "...", r#"..."#
BYTE_STRING = "bytes"    # b"...", br"...", c"..."
CHAR = "char"
INT = "int"
FLOAT = "float"
LIFETIME = "lifetime"
METAVAR = "metavar"      # $x, $($x),* (a repetition keeps the tokens it repeats as its children)
GROUP = "group"
ERROR = "error"

_LITERALS = {
    "integer_literal": INT,
    "float_literal": FLOAT,
    "char_literal": CHAR,
}
_SKIPPED = {"line_comment", "block_comment"}


@dataclass(eq=False, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    children: list["Token"] = field(default_factory=list)
    delimiter: str = ""
    closed: bool = True

    def is_punct(self, text: str) -> bool:
        return self.kind == PUNCT and self.text == text

    def is_ident(self, text: str | None = None) -> bool:
        return self.kind == IDENT and (text is None or self.text == text)

    def is_group(self, delimiter: str | None = None) -> bool:
        return self.kind == GROUP and (delimiter is None or self.delimiter == delimiter)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        if self.kind == GROUP:
            return f"Group{self.delimiter}{self.children!r}"
        return f"{self.kind}:{self.text}"


# Groups nested deeper than this are kept as one opaque token of the METAVAR kind: like a macro metavariable, what
# it holds is unknown to the model and the checks that depend on it stay silent.  Everything that walks token trees
# recurses, and real code never nests a hundred deep: the limit keeps 10,000 nested brackets from exhausting
# Python's recursion limit.
MAX_DEPTH = 100


def group_from_node(node: tree_sitter.Node, data: bytes, depth: int = 0) -> Token:
    """Convert a tree-sitter ``token_tree`` (or token-tree-like) node to a group token."""
    children = node.children
    delimiter = ""
    closed = False
    if children and children[0].type in _CLOSING:
        delimiter = children[0].type
        children = children[1:]
        if children and children[-1].type == _CLOSING[delimiter] and not children[-1].is_missing:
            closed = True
            children = children[:-1]
    leaves: list[Token] = []
    _append_all(children, data, leaves, depth + 1)
    return Token(GROUP, "", node.start_byte, node.end_byte, _folded(leaves, data, node), delimiter, closed)


_CLOSING = {"(": ")", "[": "]", "{": "}"}


def tokens_of(node: tree_sitter.Node, data: bytes) -> list[Token]:
    """Any syntax node as a flat token list (its leaves; nested token trees as groups)."""
    out: list[Token] = []
    _append_all((node,), data, out, 0)
    return _folded(out, data, node)


def _folded(tokens: list[Token], data: bytes, node: tree_sitter.Node) -> list[Token]:
    """:func:`_fold_metavariables`, skipped when the node's text has neither ``$`` nor ``'``."""
    start, end = node.start_byte, node.end_byte
    if data.find(b"$", start, end) < 0 and data.find(b"'", start, end) < 0:
        return tokens
    return _fold_metavariables(tokens)


# The node kinds that become one token whatever they hold: kind -> the token's kind (GROUP: a nested group).
_WHOLE = {
    "token_tree": GROUP, "token_tree_pattern": GROUP,
    "token_repetition": METAVAR, "token_repetition_pattern": METAVAR,
    "string_literal": STRING, "raw_string_literal": STRING,
    "metavariable": METAVAR, "token_binding_pattern": METAVAR,
    **_LITERALS,
}


def _append_all(nodes, data: bytes, out: list[Token], depth: int) -> None:
    """Append the tokens of ``nodes`` (siblings at ``depth``) to ``out``: each leaf a token, comments and missing
    nodes skipped, the kinds of ``_WHOLE`` one token each, an ``ERROR`` node one token (a string when it is a whole
    valid string literal, else an error), any other node its children's tokens.  (The loop handles a whole sibling list, reading each node's attributes once: it runs for
    every token of every macro call.)"""
    for node in nodes:
        kind = node.type
        if kind in _SKIPPED or node.is_missing:
            continue
        start = node.start_byte
        end = node.end_byte
        count = node.child_count
        if count and depth > MAX_DEPTH:
            out.append(Token(METAVAR, data[start:end].decode("utf-8", "replace"), start, end))
            continue
        whole = _WHOLE.get(kind)
        if whole is not None:
            if kind == "token_repetition":
                out.append(_repetition(node, data, depth))
                continue
            if whole == GROUP:
                out.append(group_from_node(node, data, depth))
                continue
            text = data[start:end].decode("utf-8", "replace")
            if whole == STRING:
                prefix = text[: len(text) - len(text.lstrip("bcr"))]
                whole = BYTE_STRING if ("b" in prefix or "c" in prefix) else STRING
            out.append(Token(whole, text, start, end))
            continue
        if kind == "ERROR":
            text = data[start:end].decode("utf-8", "replace")
            out.append(Token(STRING if _is_plain_string(text) else ERROR, text, start, end))
        elif count:
            _append_all(node.children, data, out, depth + 1)
        else:
            text = data[start:end].decode("utf-8", "replace")
            out.append(Token(IDENT if text.isidentifier() or text.startswith("r#") else PUNCT, text, start, end))


def _repetition(node: tree_sitter.Node, data: bytes, depth: int) -> Token:
    """A ``$( .. ) sep? op`` repetition: one metavariable token whose children are the repeated tokens."""
    children = node.children
    closing = max((index for index, child in enumerate(children) if child.type == ")"), default=len(children))
    inner: list[Token] = []
    _append_all(children[2:closing], data, inner, depth + 1)
    text = data[node.start_byte:node.end_byte].decode("utf-8", "replace")
    return Token(METAVAR, text, node.start_byte, node.end_byte, _fold_metavariables(inner))


def _is_plain_string(text: str) -> bool:
    """Whether an ERROR node's text is a whole, valid ``"..."`` literal: tree-sitter-rust rejects
    some escapes Rust accepts (``\\u{e_9}``, underscores in a unicode escape)."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return False
    index = 1
    while index < len(text) - 1:
        if text[index] == '"':
            return False
        index += 2 if text[index] == "\\" else 1
    if index != len(text) - 1:         # the closing quote was escaped
        return False
    decoded = decode(text, 0)
    return decoded is not None and not decoded.errors


def _fold_metavariables(tokens: list[Token]) -> list[Token]:
    """Merge ``$ name`` into one metavariable token, ``$ (..) sep? op`` into one repetition,
    and ``' name`` into a lifetime."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.is_punct("$") and following is not None:
            if following.kind == IDENT:
                out.append(Token(METAVAR, "$" + following.text, token.start, following.end))
                index += 2
                continue
            if following.is_group("("):
                end = index + 2
                if end < len(tokens) and _is_repeat_op(tokens[end]):
                    end += 1
                elif end + 1 < len(tokens) and tokens[end].kind != GROUP and _is_repeat_op(tokens[end + 1]):
                    end += 2
                out.append(Token(METAVAR, "$(...)", token.start, tokens[end - 1].end, following.children))
                index = end
                continue
        if token.is_punct("'") and following is not None and following.kind == IDENT and following.start == token.end:
            out.append(Token(LIFETIME, "'" + following.text, token.start, following.end))
            index += 2
            continue
        out.append(token)
        index += 1
    return out


def _is_repeat_op(token: Token) -> bool:
    return token.kind == PUNCT and token.text in ("*", "+", "?")


def split_top_level(tokens: list[Token], separator: str = ",") -> list[list[Token]]:
    """Split a token list at top-level separators, treating ``::<...>`` generics as nested."""
    parts: list[list[Token]] = [[]]
    angle = 0
    previous: Token | None = None
    for token in tokens:
        if token.kind == PUNCT:
            if token.text == "<" and previous is not None and previous.is_punct("::"):
                angle += 1
            elif token.text == ">" and angle:
                angle -= 1
            elif token.text == ">>" and angle:
                angle = max(0, angle - 2)
            elif token.text == separator and not angle:
                parts.append([])
                previous = token
                continue
        parts[-1].append(token)
        previous = token
    return parts
