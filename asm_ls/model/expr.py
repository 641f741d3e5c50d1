"""Where a Rust expression ends in a token list, and what rustc expects after it.

rustc parses each operand as one expression; tokens left over before the next ``,`` are a
syntax error whose "expected one of ..." list depends on how the expression ended.  This is a
small recogniser for that purpose only: it does not build expressions.
"""

from __future__ import annotations

from asm_ls.syntax.tokens import CHAR, FLOAT, GROUP, IDENT, INT, LIFETIME, METAVAR, PUNCT, STRING, BYTE_STRING, Token

KEYWORDS = frozenset("""as break const continue crate else enum extern false fn for if impl in let loop match mod
move mut pub ref return self Self static struct super trait true type unsafe use where while async await dyn
abstract become box do final macro override priv typeof unsized virtual yield try""".split())

_BINARY = frozenset("+ - * / % ^ & | && || << >> == != < > <= >= = += -= *= /= %= ^= &= |= <<= >>= .. ..=".split())


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
    "cast": ["`!`", "`(`", "`,`", "`.`", "`::`", "`<`", "`?`"],
}


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


def expression_end(tokens: list[Token], start: int) -> tuple[int, str]:
    """Index after the expression starting at ``start`` and how it ended
    (path, value, field, cast); ``start`` itself when no expression starts there."""
    index, ending = _unary(tokens, start)
    if index == start:
        return start, ""
    while index < len(tokens):
        token = tokens[index]
        if token.kind == PUNCT and token.text in _BINARY:
            following, following_ending = _unary(tokens, index + 1)
            if following == index + 1:
                raise MissingOperand(index + 1)
            index, ending = following, following_ending
            continue
        if token.is_ident("as"):
            index = _type_end(tokens, index + 1)
            ending = "cast"
            continue
        break
    return index, ending


def _closure(tokens: list[Token], index: int) -> int | None:
    """End of ``[move] |params| body`` starting at ``index``; None when no closure starts there."""
    position = index + 1 if index < len(tokens) and tokens[index].is_ident("move") else index
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
        position = _type_end(tokens, position + 1)
    end, _ = expression_end(tokens, position)
    return end if end > position else None


def _unary(tokens: list[Token], index: int) -> tuple[int, str]:
    closure_end = _closure(tokens, index)
    if closure_end is not None:
        return closure_end, "value"
    start = index
    while index < len(tokens) and tokens[index].kind == PUNCT and tokens[index].text in _PREFIX:
        index += 1
        if index < len(tokens) and tokens[index].is_ident("mut") and tokens[index - 1].text in ("&", "&&"):
            index += 1
    end, ending = _postfix(tokens, index)
    if end == index:
        return start, ""
    return end, ending


def _primary(tokens: list[Token], index: int) -> tuple[int, str]:
    if index >= len(tokens):
        return index, ""
    token = tokens[index]
    if token.kind in (STRING, BYTE_STRING, CHAR, INT, FLOAT) or token.is_ident("true") or token.is_ident("false"):
        return index + 1, "value"
    if token.kind == METAVAR:
        return index + 1, "value"
    if token.kind == GROUP:
        return index + 1, "value"
    if token.kind == IDENT and token.text in ("unsafe", "const", "async", "loop") and index + 1 < len(tokens) \
            and tokens[index + 1].is_group("{"):
        return index + 2, "value"
    if token.kind == LIFETIME:
        return index, ""
    if token.is_punct("::") or token.is_punct("<") or (token.kind == IDENT and token.text not in KEYWORDS) \
            or token.is_ident("self") or token.is_ident("Self") or token.is_ident("crate") or token.is_ident("super"):
        return _path(tokens, index)
    return index, ""


def _path(tokens: list[Token], index: int) -> tuple[int, str]:
    if tokens[index].is_punct("<"):
        index = _skip_angles(tokens, index)
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
        if index + 1 < len(tokens) and tokens[index].is_punct("::") and tokens[index + 1].is_punct("<"):
            index = _skip_angles(tokens, index + 1)
        if index < len(tokens) and tokens[index].is_punct("::"):
            index += 1
            continue
        break
    if index + 1 < len(tokens) and tokens[index].is_punct("!") and tokens[index + 1].kind == GROUP:
        return index + 2, "value"
    return index, "path"


def _skip_angles(tokens: list[Token], index: int) -> int:
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.is_punct("<"):
            depth += 1
        elif token.is_punct(">"):
            depth -= 1
        elif token.is_punct(">>"):
            depth -= 2
        index += 1
        if depth <= 0:
            break
    return index


def _postfix(tokens: list[Token], index: int) -> tuple[int, str]:
    index, ending = _primary(tokens, index)
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
        elif token.is_punct(".") and index + 1 < len(tokens) and tokens[index + 1].kind in (IDENT, INT):
            index += 2
            ending = "field"
            if index < len(tokens) and tokens[index].is_group("("):
                index += 1
                ending = "value"
        elif token.kind == FLOAT and token.text.startswith("."):
            index += 1
            ending = "field"
        else:
            break
    return index, ending


def _type_end(tokens: list[Token], index: int) -> int:
    while index < len(tokens) and (tokens[index].is_punct("*") or tokens[index].is_punct("&")
                                   or tokens[index].is_ident("mut") or tokens[index].is_ident("const")):
        index += 1
    # function pointer types: [unsafe] [extern "C"] fn(args) [-> type]
    position = index
    while position < len(tokens) and (tokens[position].is_ident("unsafe") or tokens[position].is_ident("extern")
                                      or tokens[position].kind == STRING):
        position += 1
    if position + 1 < len(tokens) and tokens[position].is_ident("fn") and tokens[position + 1].is_group("("):
        position += 2
        if position < len(tokens) and tokens[position].is_punct("->"):
            return _type_end(tokens, position + 1)
        return position
    if index < len(tokens) and tokens[index].kind == GROUP:
        return index + 1
    end, _ = _path(tokens, index) if index < len(tokens) else (index, "")
    return end
