"""Where a Rust type ends in a token list (after ``as``, a closure's ``->``, a generic argument).

Like :mod:`asm_ls.model.expr`, a recogniser only: it follows Rust's grammar for types far enough
to find their end (references, raw pointers, tuples and arrays, ``fn`` pointers, ``impl``/``dyn``
bounds, paths with generic arguments, ``<T as Trait>::X`` qualified paths, macro calls).
"""

from __future__ import annotations

from asm_ls.syntax.tokens import GROUP, IDENT, LIFETIME, METAVAR, STRING, Token

# Path segments that are keywords.
PATH_KEYWORDS = frozenset({"self", "Self", "super", "crate"})

# What each angle-bracket token does to the nesting depth of generic arguments.
_ANGLES = {"<": 1, "<<": 2, ">": -1, ">>": -2, "->": 0}


def skip_angles(tokens: list[Token], index: int) -> int:
    """Index after the ``<...>`` that opens at ``index`` (generic arguments, a qualified path's
    ``<T as Trait>``); the end of the list when it is never closed."""
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind not in (GROUP, STRING):
            depth += _ANGLES.get(token.text, 0)
        index += 1
        if depth <= 0:
            break
    return index


def _at(tokens: list[Token], index: int, text: str) -> bool:
    return index < len(tokens) and tokens[index].kind not in (GROUP, STRING) and tokens[index].text == text


def opens_angles(tokens: list[Token], index: int) -> bool:
    """``<`` at ``index``, or ``<<`` (generic arguments that begin with a qualified path)."""
    return _at(tokens, index, "<") or _at(tokens, index, "<<")


def turbofish_at(tokens: list[Token], index: int) -> bool:
    """``::<`` at ``index``."""
    return _at(tokens, index, "::") and opens_angles(tokens, index + 1)


def type_end(tokens: list[Token], index: int) -> int:
    """Index after the type that starts at ``index`` (``index`` itself when none does)."""
    return type_shape(tokens, index)[0]


def type_shape(tokens: list[Token], index: int) -> tuple[int, str]:
    """Index after the type that starts at ``index``, and how it ends (what may still follow it):
    "path" (a path segment), "generic" (generic arguments), "qualified" (a segment after
    ``<T as Trait>::``), "closed" (a bracketed type, ``_``, ``!``), "fn" (an ``fn(..)`` pointer
    without return type), "" (bounds, or no type)."""
    if index >= len(tokens):
        return index, ""
    token = tokens[index]
    if _at(tokens, index, "&") or _at(tokens, index, "&&"):
        index += 1
        if index < len(tokens) and tokens[index].kind == LIFETIME:
            index += 1
        if _at(tokens, index, "mut"):
            index += 1
        return type_shape(tokens, index)
    if _at(tokens, index, "*"):
        if _at(tokens, index + 1, "const") or _at(tokens, index + 1, "mut"):
            return type_shape(tokens, index + 2)
        return index, ""
    if token.is_group("(") or token.is_group("[") or _at(tokens, index, "!") or token.is_ident("_"):
        return index + 1, "closed"
    if token.is_ident("impl") or token.is_ident("dyn"):
        return _bounds_end(tokens, index + 1), ""
    if token.is_ident("for") and opens_angles(tokens, index + 1):
        return type_shape(tokens, skip_angles(tokens, index + 1))
    function = _fn_pointer_shape(tokens, index)
    if function is not None:
        return function
    return _path_type_shape(tokens, index)


def _fn_pointer_shape(tokens: list[Token], index: int) -> tuple[int, str] | None:
    """``[unsafe] [extern ["C"]] fn(args) [-> type]``; None when no fn pointer type starts here."""
    position = index
    while position < len(tokens) and (tokens[position].is_ident("unsafe") or tokens[position].is_ident("extern")
                                      or tokens[position].kind == STRING):
        position += 1
    if position + 1 < len(tokens) and tokens[position].is_ident("fn") and tokens[position + 1].is_group("("):
        position += 2
        if _at(tokens, position, "->"):
            return type_shape(tokens, position + 1)
        return position, "fn"
    return None


def _bounds_end(tokens: list[Token], index: int) -> int:
    """``Trait + 'a + ?Sized + (Trait)``: bounds joined by ``+``."""
    while index < len(tokens):
        if tokens[index].kind == LIFETIME or tokens[index].is_group("("):
            index += 1
        else:
            if _at(tokens, index, "?"):
                index += 1
            if tokens[index:index + 1] and tokens[index].is_ident("for") and opens_angles(tokens, index + 1):
                index = skip_angles(tokens, index + 1)
            end = _path_type_shape(tokens, index)[0]
            if end == index:
                return index
            index = end
        if not _at(tokens, index, "+"):
            return index
        index += 1
    return index


def _path_type_shape(tokens: list[Token], index: int) -> tuple[int, str]:
    """A type path: ``[::]a::b<T>::C``, ``Fn(A) -> B``, ``<T as Trait>::X``, ``$t``, ``m!(..)``."""
    shape = "path"
    if opens_angles(tokens, index):
        index = skip_angles(tokens, index)
        if not _at(tokens, index, "::"):
            return index, ""
        index += 1
        shape = "qualified"
    elif _at(tokens, index, "::"):
        index += 1
    start = index
    while index < len(tokens) and (tokens[index].kind == METAVAR or tokens[index].kind == IDENT):
        if tokens[index].kind == METAVAR:
            shape = ""          # `$t`: what may follow depends on what it stands for
        index += 1
        if turbofish_at(tokens, index):
            index += 1
        if opens_angles(tokens, index):
            index = skip_angles(tokens, index)
            shape = "generic"
        elif tokens[index:index + 1] and tokens[index].is_group("("):     # Fn(A, B) -> C
            index += 1
            if _at(tokens, index, "->"):
                return type_shape(tokens, index + 1)
            shape = ""
        if not _at(tokens, index, "::"):
            break
        index += 1
        shape = shape if shape in ("qualified", "") else "path"
    if index == start:
        return start, ""
    if _at(tokens, index, "!") and index + 1 < len(tokens) and tokens[index + 1].kind == GROUP:
        return index + 2, ""
    return index, shape
