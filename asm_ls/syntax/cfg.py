"""``#[cfg(...)]`` predicates as data: parsed from token trees, not yet evaluated."""

from __future__ import annotations

from dataclasses import dataclass

from asm_ls.syntax.literals import decode
from asm_ls.syntax.tokens import GROUP, IDENT, STRING, Token, split_top_level


@dataclass(frozen=True)
class Cfg:
    """``op`` is ``all``/``any``/``not`` (with ``args``), ``eq`` (``key = "value"``),
    ``flag`` (a bare name such as ``unix``) or ``unknown`` (metavariables, odd syntax)."""

    op: str
    args: tuple["Cfg", ...] = ()
    key: str = ""
    value: str = ""


UNKNOWN = Cfg("unknown")


def parse_predicate(tokens: list[Token]) -> Cfg:
    """Parse the tokens between the parentheses of ``cfg(...)``."""
    if not tokens:
        return UNKNOWN
    head = tokens[0]
    if head.kind != IDENT:
        return UNKNOWN
    if len(tokens) == 1:
        return Cfg("flag", key=head.text)
    if len(tokens) == 2 and head.text in ("all", "any", "not") and tokens[1].is_group("("):
        parts = [part for part in split_top_level(tokens[1].children) if part]
        args = tuple(parse_predicate(part) for part in parts)
        if head.text == "not" and len(args) != 1:
            return UNKNOWN
        return Cfg(head.text, args)
    if len(tokens) == 3 and tokens[1].is_punct("=") and tokens[2].kind == STRING:
        literal = decode(tokens[2].text, tokens[2].start)
        if literal is None:
            return UNKNOWN
        return Cfg("eq", key=head.text, value=literal.value)
    return UNKNOWN


def cfg_of_attribute(group: Token) -> Cfg | None:
    """The predicate of an attribute group ``[cfg(...)]``; None for other attributes.

    ``cfg_attr`` is not a cfg.  Malformed ``cfg`` gives :data:`UNKNOWN`.
    """
    if group.kind != GROUP or group.delimiter != "[":
        return None
    children = group.children
    if len(children) == 2 and children[0].is_ident("cfg") and children[1].is_group("("):
        return parse_predicate(children[1].children)
    return None
