"""Where a Rust expression ends in a token list, and what rustc expects after it.

rustc parses each operand as one expression; tokens left over before the next ``,`` are a
syntax error whose "expected one of ..." list depends on how the expression ended.  This is a
small recogniser for that purpose only: it does not build expressions.  It follows Rust's
expression grammar (paths with turbofish, method calls, casts to any type, closures, blocks,
``if``/``match``/loops, labeled blocks, struct literals, ranges, ``&raw const``), so that what
rustc accepts is never taken for leftover tokens.
"""

from __future__ import annotations

from asm_ls.model.type_syntax import PATH_KEYWORDS, opens_angles, skip_angles, turbofish_at, type_end, type_shape
from asm_ls.syntax.tokens import CHAR, FLOAT, GROUP, IDENT, INT, LIFETIME, METAVAR, PUNCT, STRING, BYTE_STRING, Token

KEYWORDS = frozenset("""as break const continue crate else enum extern false fn for if impl in let loop match mod
move mut pub ref return self Self static struct super trait true type unsafe use where while async await dyn
abstract become box do final macro override priv typeof unsized virtual yield try""".split())

_BINARY = frozenset("+ - * / % ^ & | && || << >> == != < > <= >= = += -= *= /= %= ^= &= |= <<= >>=".split())
_RANGE = frozenset(("..", "..="))


class MissingOperand(Exception):
    """A binary operator with nothing after it: rustc says "expected expression, found X"."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index
_PREFIX = frozenset("- ! * & &&".split())

# What rustc lists after an expression that ends in each way.
EXPECTED_AFTER = {
    "path": ["`!`", "`,`", "`.`", "`::`", "`?`", "`{`", "an operator"],
    "value": ["`,`", "`.`", "`?`", "an operator"],
    "field": ["`(`", "`,`", "`.`", "`::`", "`?`", "an operator"],
    "cast path": ["`!`", "`(`", "`,`", "`.`", "`::`", "`<`", "`?`"],
    "cast generic": ["`!`", "`,`", "`.`", "`::`", "`?`"],
    "cast qualified": ["`(`", "`,`", "`.`", "`::`", "`<`", "`?`"],
    "cast closed": ["`,`", "`.`", "`?`"],
    "cast fn": ["`,`", "`->`", "`.`", "`?`"],
}
# An ending whose list is not known here (a cast to bounds, a macro type): tokens after it are
# a syntax error whose wording cannot be given.
UNKNOWN_ENDING = "cast "


def describe(token: Token | None) -> str:
    """A token as rustc names it in "found ..." messages."""
    if token is None:
        return "end of macro arguments"
    if token.kind == GROUP:
        return f"`{token.delimiter}`"
    if token.kind == IDENT and token.text in KEYWORDS:
        return f"keyword `{token.text}`"
    return f"`{token.text}`"


def expected_message(ending: str, found: Token | None, fat_arrow: bool = False) -> str:
    items = list(EXPECTED_AFTER.get(ending, EXPECTED_AFTER["value"]))
    if fat_arrow:
        items.insert(next(i for i, item in enumerate(items) if item > "`=>`" or item == "an operator"), "`=>`")
    text = ", ".join(items[:-1]) + ", or " + items[-1]
    return f"expected one of {text}, found {describe(found)}"


def expression_end(tokens: list[Token], start: int, no_struct: bool = False) -> tuple[int, str]:
    """Index after the expression starting at ``start`` and how it ended
    (path, value, field, cast); ``start`` itself when no expression starts there.
    ``no_struct``: a condition or scrutinee, where ``path {`` ends the expression before ``{``."""
    if _punct(tokens, start) in _RANGE:          # `..`, `..end`
        return _range_end(tokens, start, no_struct)
    index, ending = _unary(tokens, start, no_struct)
    if index == start:
        return start, ""
    while index < len(tokens):
        operator = _punct(tokens, index)
        if operator in _BINARY:
            following, following_ending = _unary(tokens, index + 1, no_struct)
            if following == index + 1:
                raise MissingOperand(index + 1)
            index, ending = following, following_ending
            continue
        if operator in _RANGE:
            return _range_end(tokens, index, no_struct)
        if tokens[index].is_ident("as"):
            index, shape = type_shape(tokens, index + 1)
            ending = "cast " + shape
            continue
        break
    return index, ending


def _punct(tokens: list[Token], index: int) -> str:
    """The text of the punctuation at ``index``, "" for anything else."""
    return tokens[index].text if index < len(tokens) and tokens[index].kind == PUNCT else ""


def _range_end(tokens: list[Token], index: int, no_struct: bool) -> tuple[int, str]:
    """``..`` or ``..=`` at ``index`` and the range's end operand, if any (``a..``, ``..``)."""
    end, ending = expression_end(tokens, index + 1, no_struct)
    return (end, ending) if end > index + 1 else (index + 1, "value")


def _closure(tokens: list[Token], index: int, no_struct: bool) -> int | None:
    """End of ``[static] [async] [move] |params| body`` starting at ``index``; None when no closure starts there."""
    position = index
    while position < len(tokens) and tokens[position].kind == IDENT and tokens[position].text in ("static", "async", "move"):
        position += 1
    if position >= len(tokens):
        return None
    if tokens[position].is_punct("||"):
        position += 1
    elif tokens[position].is_punct("|"):
        position += 1
        while position < len(tokens) and not tokens[position].is_punct("|"):
            position += 1
        position += 1
    else:
        return None
    if position < len(tokens) and tokens[position].is_punct("->"):
        position = type_end(tokens, position + 1)
    end, _ = expression_end(tokens, position, no_struct)
    return end if end > position else None


def _unary(tokens: list[Token], index: int, no_struct: bool) -> tuple[int, str]:
    closure_end = _closure(tokens, index, no_struct)
    if closure_end is not None:
        return closure_end, "value"
    start = index
    while index < len(tokens):
        token = tokens[index]
        if token.kind == PUNCT and token.text in _PREFIX:
            index += 1
            if token.text in ("&", "&&"):
                index = _borrow_modifiers(tokens, index)
        elif no_struct and token.is_ident("let"):      # `if let PAT = expr`, let chains
            index = _let_pattern_end(tokens, index + 1)
        else:
            break
    end, ending = _postfix(tokens, index, no_struct)
    if end == index:
        return start, ""
    return end, ending


def _borrow_modifiers(tokens: list[Token], index: int) -> int:
    """After ``&``: ``mut``, ``raw const``, ``raw mut``."""
    if index < len(tokens) and tokens[index].is_ident("mut"):
        return index + 1
    if index + 1 < len(tokens) and tokens[index].is_ident("raw") \
            and (tokens[index + 1].is_ident("const") or tokens[index + 1].is_ident("mut")):
        return index + 2
    return index


def _let_pattern_end(tokens: list[Token], index: int) -> int:
    """Index after the ``=`` that ends a ``let`` pattern."""
    while index < len(tokens) and not tokens[index].is_punct("="):
        index += 1
    return index + 1


def _primary(tokens: list[Token], index: int, no_struct: bool) -> tuple[int, str]:
    if index >= len(tokens):
        return index, ""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if token.kind in (STRING, BYTE_STRING, CHAR, INT, FLOAT) or token.is_ident("true") or token.is_ident("false"):
        return index + 1, "value"
    if token.kind == METAVAR:
        if following is not None and (following.is_punct("::") or following.is_punct("!")):
            return _path(tokens, index, no_struct)       # `$crate::f`, `$m!(..)`
        return index + 1, "value"
    if token.kind == GROUP:
        return index + 1, "value"
    if token.kind == LIFETIME:                           # a labeled block or loop
        if following is not None and following.is_punct(":"):
            end, ending = _primary(tokens, index + 2, no_struct)
            return (end, ending) if end > index + 2 else (index, "")
        return index, ""
    if token.kind == IDENT and token.text in _BLOCK_EXPRESSIONS:
        end = _BLOCK_EXPRESSIONS[token.text](tokens, index + 1)
        return (end, "value") if end is not None else (index, "")
    if token.kind == IDENT and token.text in _JUMPS:
        return _jump_end(tokens, index + 1, no_struct), "value"
    if token.is_punct("::") or opens_angles(tokens, index) or (token.kind == IDENT and token.text not in KEYWORDS) \
            or (token.kind == IDENT and token.text in PATH_KEYWORDS):
        return _path(tokens, index, no_struct)
    return index, ""


def _block_after(tokens: list[Token], index: int) -> int | None:
    """Index after the ``{...}`` at ``index``; None when there is none."""
    return index + 1 if index < len(tokens) and tokens[index].is_group("{") else None


def _condition_then_block(tokens: list[Token], index: int) -> int | None:
    """``cond {..}`` (``while``, ``match``'s scrutinee and arms)."""
    end, _ = expression_end(tokens, index, no_struct=True)
    return _block_after(tokens, end) if end > index else None


def _if_end(tokens: list[Token], index: int) -> int | None:
    """After ``if``: ``cond {..} [else if .. | else {..}]``."""
    end = _condition_then_block(tokens, index)
    if end is None or end >= len(tokens) or not tokens[end].is_ident("else"):
        return end
    if end + 1 < len(tokens) and tokens[end + 1].is_ident("if"):
        return _if_end(tokens, end + 2)
    return _block_after(tokens, end + 1)


def _for_end(tokens: list[Token], index: int) -> int | None:
    """After ``for``: ``pattern in expr {..}``."""
    while index < len(tokens) and not tokens[index].is_ident("in"):
        index += 1
    return _condition_then_block(tokens, index + 1) if index < len(tokens) else None


def _modified_block(tokens: list[Token], index: int) -> int | None:
    """After ``unsafe``, ``const``, ``async``, ``loop``: ``[move] {..}``."""
    if index < len(tokens) and tokens[index].is_ident("move"):
        index += 1
    return _block_after(tokens, index)


# Keywords that begin an expression ending in a `{...}` block, and how to find its end.
_BLOCK_EXPRESSIONS = {
    "if": _if_end, "match": _condition_then_block, "while": _condition_then_block, "for": _for_end,
    "unsafe": _modified_block, "const": _modified_block, "async": _modified_block, "loop": _modified_block,
}
_JUMPS = frozenset(("return", "break", "continue", "yield"))


def _jump_end(tokens: list[Token], index: int, no_struct: bool) -> int:
    """After ``return``/``break``/``continue``: an optional label and an optional expression."""
    if index < len(tokens) and tokens[index].kind == LIFETIME:
        index += 1
    end, _ = expression_end(tokens, index, no_struct) if index < len(tokens) else (index, "")
    return end


def _path(tokens: list[Token], index: int, no_struct: bool) -> tuple[int, str]:
    """A path expression (turbofish generic arguments), a macro call, or a struct literal."""
    if opens_angles(tokens, index):
        index = skip_angles(tokens, index)
        if index < len(tokens) and tokens[index].is_punct("::"):
            index += 1
    elif tokens[index].is_punct("::"):
        index += 1
    while index < len(tokens):
        token = tokens[index]
        if token.kind in (IDENT, METAVAR):
            index += 1
        else:
            break
        if turbofish_at(tokens, index):
            index = skip_angles(tokens, index + 1)
        if index < len(tokens) and tokens[index].is_punct("::"):
            index += 1
            continue
        break
    if index + 1 < len(tokens) and tokens[index].is_punct("!") and tokens[index + 1].kind == GROUP:
        return index + 2, "value"
    if not no_struct and index < len(tokens) and tokens[index].is_group("{"):
        return index + 1, "value"       # a struct literal
    return index, "path"


def _postfix(tokens: list[Token], index: int, no_struct: bool) -> tuple[int, str]:
    index, ending = _primary(tokens, index, no_struct)
    if not ending:
        return index, ""
    while index < len(tokens):
        token = tokens[index]
        if token.is_group("(") or token.is_group("["):
            index += 1
            ending = "value"
        elif token.is_punct("?"):
            index += 1
            ending = "value"
        elif token.is_punct(".") and index + 1 < len(tokens) and tokens[index + 1].kind in (IDENT, INT, FLOAT):
            index += 2
            ending = "field"
            if turbofish_at(tokens, index):
                index = skip_angles(tokens, index + 1)      # `.cast::<u8>()`
            if index < len(tokens) and tokens[index].is_group("("):
                index += 1
                ending = "value"
        elif token.kind == FLOAT and token.text.startswith("."):
            index += 1
            ending = "field"
        else:
            break
    return index, ending
