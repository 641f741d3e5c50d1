"""Parses the arguments of an inline-assembly macro call, following rustc's argument grammar.

The result lists the arguments in source order (templates, operands, ``options``,
``clobber_abi``) with their ``#[cfg]`` attributes.  A syntax error ends parsing, as it does in
rustc: the call then carries exactly one ``asm-syntax-error``-family diagnostic and nothing
else is checked for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.expr import UNKNOWN_ENDING, MissingOperand, describe, expected_message, expression_end
from asm_ls.model.block import OPTION_NAMES, SUPPORTED_OPTIONS, AsmOption, ClobberAbiArg, Expr, Operand, OptionsArg, RegSpec, TemplatePiece
from asm_ls.syntax.cfg import Cfg, UNKNOWN, cfg_of_attribute, parse_predicate
from asm_ls.syntax.finder import MacroCall
from asm_ls.syntax.literals import DecodedString, decode
from asm_ls.syntax.tokens import BYTE_STRING, GROUP, IDENT, METAVAR, STRING, Token, split_top_level

REGISTER_OPERANDS = ("in", "out", "lateout", "inout", "inlateout")
OPERAND_KEYWORDS = REGISTER_OPERANDS + ("label", "const", "sym")


@dataclass
class Arg:
    """One argument: ``kind`` is template, operand, options or clobber_abi."""

    kind: str
    start: int
    end: int
    value: TemplatePiece | Operand | OptionsArg | ClobberAbiArg
    cfgs: list[Cfg] = field(default_factory=list)
    bad_attributes: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ParsedArgs:
    args: list[Arg] = field(default_factory=list)
    error: Diagnostic | None = None
    unknown: bool = False      # a metavariable stands where whole arguments are


class _Unrecognised(Exception):
    """Tokens rustc rejects after an expression whose "expected one of" list is not known here:
    the arguments stay unknown from there on, and nothing is reported."""


class _SyntaxError(Exception):
    def __init__(self, code: str, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(code, message, start, end)


_describe = describe


class _Parser:
    def __init__(self, call: MacroCall) -> None:
        self.call = call
        self.tokens = call.args.children
        self.pos = 0
        # rustc reports "end of macro arguments" zero-width right after the last token.
        last = self.tokens[-1].end if self.tokens else call.args.start + 1
        self.eof_span = (last, last)

    # -- cursor -------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def at_eof(self) -> bool:
        return self.pos >= len(self.tokens)

    def span_here(self) -> tuple[int, int]:
        token = self.peek()
        return self.eof_span if token is None else _token_span(token)

    def prev_end(self) -> int:
        return self.tokens[self.pos - 1].end if self.pos else self.call.args.start + 1

    def fail(self, message: str, span: tuple[int, int] | None = None, code: str = "asm-syntax-error") -> None:
        start, end = span if span is not None else self.span_here()
        raise _SyntaxError(code, message, start, end)

    def expected(self, what: str) -> None:
        self.fail(f"expected {what}, found {_describe(self.peek())}")

    def eat_punct(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.is_punct(text):
            self.pos += 1
            return True
        return False

    def eat_ident(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.is_ident(text):
            self.pos += 1
            return True
        return False

    def parenthesized(self) -> Token:
        """Takes the ``(...)`` group that must come next."""
        token = self.peek()
        if token is None or not token.is_group("("):
            self.expected("`(`")
        self.pos += 1
        return token

    # -- pieces -------------------------------------------------------------------------------
    def attributes(self) -> tuple[list[Cfg], list[tuple[int, int]]]:
        cfgs: list[Cfg] = []
        bad: list[tuple[int, int]] = []
        while True:
            token, following = self.peek(), self.peek(1)
            if token is not None and token.is_punct("#") and following is not None and following.is_punct("!"):
                third = self.peek(2)
                end = third.end if third is not None else following.end
                self.fail("an inner attribute is not permitted in this context", (token.start, end))
            if token is None or not token.is_punct("#") or following is None or not following.is_group("["):
                return cfgs, bad
            self.pos += 2
            cfg = cfg_of_attribute(following)
            if cfg is not None:
                cfgs.append(cfg)
            elif following.children and following.children[0].is_ident("cfg_attr"):
                cfgs.append(_cfg_attr_as_cfg(following.children))
            else:
                bad.append((token.start, following.end))

    def skip_argument(self) -> None:
        """Past the tokens up to the next top-level `,` (an argument that cannot be known)."""
        while not self.at_eof() and not self.peek().is_punct(","):
            self.pos += 1

    def expression(self, fat_arrow: bool = False, trailing: bool = True) -> Expr:
        """One expression, as rustc's expression parser would take it.  With ``trailing``,
        leftover tokens before the next `,` are reported with rustc's "expected one of" list."""
        start = self.pos
        try:
            end, ending = expression_end(self.tokens, start)
        except MissingOperand as missing:
            self.pos = missing.index
            self.expected("expression")
        if end == start:
            self.expected("expression")
        self.pos = end
        following = self.peek()
        tokens = self.tokens[start:end]
        if following is not None and following.kind == METAVAR:
            # `x $(, in("a3") $y)?`, `x $op y`: what the metavariable stands for may end the expression or continue
            # it; the arguments parse it next.
            return Expr(tokens, tokens[0].start, tokens[-1].end)
        if trailing and following is not None and not following.is_punct(",") \
                and not (fat_arrow and following.is_punct("=>")):
            if ending == UNKNOWN_ENDING:
                raise _Unrecognised
            self.fail(expected_message(ending, following, fat_arrow))
        return Expr(tokens, tokens[0].start, tokens[-1].end)

    def operand_expression(self, fat_arrow: bool = False) -> Expr:
        """An operand's expression; its value is not known when a metavariable follows it, which may continue it
        (`x $op y`): the metavariable is kept in its tokens."""
        expr = self.expression(fat_arrow=fat_arrow)
        following = self.peek()
        if following is not None and following.kind == METAVAR:
            return Expr(expr.tokens + [following], expr.start, expr.end)
        return expr

    def register(self) -> RegSpec:
        token = self.parenthesized()
        inner = token.children
        if not inner:
            raise _SyntaxError("asm-syntax-error", "expected register class or explicit register",
                               token.end - 1, token.end)
        first = inner[0]
        if first.kind == IDENT and not first.text.startswith("r#"):
            reg = RegSpec("class", first.text, first.start, first.end)
        elif first.kind == STRING and not first.text.startswith("r"):
            literal = decode(first.text, first.start)
            reg = RegSpec("explicit", literal.value if literal else first.text.strip('"'), first.start, first.end)
        elif first.kind == METAVAR:
            reg = RegSpec("unknown", first.text, first.start, first.end)
        else:
            raise _SyntaxError("asm-syntax-error", "expected register class or explicit register",
                               *_token_span(first))
        if len(inner) > 1:
            extra = inner[1]
            raise _SyntaxError("asm-syntax-error", f"expected `)`, found {_describe(extra)}", *_token_span(extra))
        return reg

    def underscore_input(self) -> None:
        underscore = self.peek()
        if self.eat_ident("_"):
            # rustc points at the token after `_`, or at `_` when nothing follows it.
            span = (underscore.start, underscore.end) if self.at_eof() else None
            self.fail("_ cannot be used for input operands", span, code="underscore-input")

    def operand(self, keyword: Token) -> Operand:
        kind = keyword.text
        operand = Operand(0, kind, keyword.start, keyword.end, keyword_start=keyword.start, keyword_end=keyword.end)
        if kind in REGISTER_OPERANDS:
            operand.reg = self.register()
            if kind == "in" or kind.startswith("in"):
                self.underscore_input()
            if kind in ("out", "lateout"):
                if self.eat_ident("_"):
                    operand.discard = True
                else:
                    operand.expr = self.operand_expression()
                return operand
            operand.expr = self.operand_expression(fat_arrow=kind != "in")
            if kind != "in" and self.eat_punct("=>"):
                operand.split = True
                if self.eat_ident("_"):
                    operand.discard = True
                else:
                    operand.out_expr = self.operand_expression()
            return operand
        if kind == "label":
            token = self.peek()
            if token is None:
                self.fail("expected `{`, found `<eof>`", (keyword.start, keyword.end))
            if not token.is_group("{"):
                self.expected("`{`")
            self.pos += 1
            operand.expr = Expr([token], token.start, token.end)
            return operand
        operand.expr = self.operand_expression()
        if kind == "sym" and operand.expr.known and not _is_path(operand.expr.tokens):
            raise _SyntaxError("asm-syntax-error", "expected a path for argument to `sym`",
                               operand.expr.start, operand.expr.end)
        return operand

    def options(self, keyword: Token) -> OptionsArg:
        token = self.parenthesized()
        supported = SUPPORTED_OPTIONS[self.call.kind]
        result = OptionsArg(keyword.start, token.end, [])
        for item, comma in _comma_separated(token.children):
            if item.kind != IDENT or item.text not in OPTION_NAMES:
                names = sorted(name for name in OPTION_NAMES if name in supported)
                raise _SyntaxError("asm-syntax-error",
                                   "expected one of " + _one_of(["`)`"] + [f"`{n}`" for n in names])
                                   + f", found {_describe(item)}", *_token_span(item))
            result.options.append(AsmOption(item.text, item.start, item.end, comma.end if comma else item.end))
        return result

    def clobber_abi(self, keyword: Token) -> ClobberAbiArg:
        token = self.parenthesized()
        result = ClobberAbiArg(keyword.start, token.end, [])
        inner = token.children
        if not inner:
            raise _SyntaxError("asm-syntax-error",
                               "at least one abi must be provided as an argument to `clobber_abi`",
                               token.end - 1, token.end)
        for item, _ in _comma_separated(inner, metavariable_with_comma=True, whole_group_separator=True):
            literal = decode(item.text, item.start) if item.kind == STRING else None
            if literal is None:
                raise _SyntaxError("asm-syntax-error", "expected string literal", *_token_span(item))
            result.abis.append((literal.value, item.start, item.end))
        return result

    def template(self) -> TemplatePiece:
        expr = self.expression(trailing=False)
        tokens = expr.tokens
        piece = TemplatePiece(expr.start, expr.end, None, form="other")
        if len(tokens) == 1 and tokens[0].kind == STRING:
            piece.form = "string"
            piece.decoded = decode(tokens[0].text, tokens[0].start)
            if piece.decoded is not None and piece.decoded.errors:
                piece.decoded = None
        elif len(tokens) == 1 and tokens[0].kind == METAVAR:
            piece.form = "metavar"
        elif len(tokens) >= 3 and tokens[-1].kind == GROUP and tokens[-2].is_punct("!"):
            piece.decoded = _concat(tokens)
            piece.form = "concat" if piece.decoded is not None else "macro"
            if piece.decoded is None and tokens[-3].kind == IDENT and tokens[-3].text in _NON_LITERAL_MACROS \
                    and (len(tokens) == 3 or tokens[-4].is_punct("::")):
                piece.form = "nonliteral"      # a macro expanding to something other than a literal
        return piece


def _token_span(token: Token) -> tuple[int, int]:
    """rustc's span for an unexpected token: a group is reported at its opening delimiter."""
    return (token.start, token.start + 1) if token.kind == GROUP else (token.start, token.end)


def _comma_separated(inner: list[Token], metavariable_with_comma: bool = False,
                     whole_group_separator: bool = False) -> Iterator[tuple[Token, Token | None]]:
    """The items of a comma-separated list inside a group (``options(..)``, ``clobber_abi(..)``),
    each with the comma after it (None when there is none).  The token after an item must be a
    comma or the end of the group; that is checked once the caller has taken the item, so a bad
    item is reported before a bad separator, as rustc does.

    Metavariables are skipped wherever they stand; with ``metavariable_with_comma`` one may stand
    only for an item, and takes the token after it along unchecked.  ``whole_group_separator``
    reports a group in separator position over its whole span instead of its opening delimiter.
    """
    index = 0
    while index < len(inner):
        item = inner[index]
        if item.kind == METAVAR:
            index += 2 if metavariable_with_comma else 1
            continue
        index += 1
        following = inner[index] if index < len(inner) else None
        yield item, following if following is not None and following.is_punct(",") else None
        if following is None or (following.kind == METAVAR and not metavariable_with_comma):
            continue
        if not following.is_punct(","):
            start, end = (following.start, following.end) if whole_group_separator else _token_span(following)
            raise _SyntaxError("asm-syntax-error", f"expected one of `)` or `,`, found {_describe(following)}",
                               start, end)
        index += 1


def _cfg_attr_as_cfg(children: list[Token]) -> Cfg:
    """``cfg_attr(P, cfg(Q))`` keeps the argument when ``not(P) or Q``; any other attribute
    under cfg_attr makes the argument's presence unknown."""
    if len(children) != 2 or not children[1].is_group("("):
        return UNKNOWN
    parts = [part for part in split_top_level(children[1].children) if part]
    if len(parts) < 2:
        return UNKNOWN
    predicate = parse_predicate(parts[0])
    inner = []
    for part in parts[1:]:
        group = Token(GROUP, "", part[0].start, part[-1].end, part, "[")
        cfg = cfg_of_attribute(group)
        if cfg is None:
            return UNKNOWN
        inner.append(cfg)
    return Cfg("any", (Cfg("not", (predicate,)), Cfg("all", tuple(inner))))


# Standard macros that never expand to a string literal.
_NON_LITERAL_MACROS = frozenset({"format", "format_args", "vec"})


def _one_of(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + ", or " + items[-1]


def _is_path(tokens: list[Token]) -> bool:
    """A path expression: `a::b`, `::a`, `a::<T>`, `<T as Tr>::f`, `Self::f`, `$crate::f`."""
    if not tokens:
        return False
    depth = 0
    expect_segment = True
    for token in tokens:
        if depth:
            if token.is_punct("<"):
                depth += 1
            elif token.is_punct(">"):
                depth -= 1
            elif token.is_punct(">>"):
                depth = max(0, depth - 2)
            continue
        if token.is_punct("<"):
            depth += 1
            expect_segment = False
            continue
        if token.is_punct("::"):
            expect_segment = True
            continue
        if expect_segment and (token.kind == IDENT or token.kind == METAVAR):
            expect_segment = False
            continue
        return False
    return not expect_segment and depth == 0


def _concat(tokens: list[Token]) -> DecodedString | None:
    """Decode ``concat!("a", "b", ...)`` of string literals; None for anything else."""
    path = [token.text for token in tokens[:-2] if token.kind == IDENT]
    if not path or path[-1] != "concat" or any(t.kind != IDENT and not t.is_punct("::") for t in tokens[:-2]):
        return None
    group = tokens[-1]
    out = DecodedString("", [], [], group.start, group.end, content_start=group.start + 1,
                        content_end=group.end - 1)
    values: list[str] = []
    for part in (p for p in split_top_level(group.children) if p):
        if len(part) != 1 or part[0].kind != STRING:
            return None
        literal = decode(part[0].text, part[0].start)
        if literal is None or literal.errors:
            return None
        values.append(literal.value)
        out.starts.extend(literal.starts)
        out.ends.extend(literal.ends)
    out.value = "".join(values)
    if out.starts:
        out.content_start = out.starts[0]
    return out


def parse_args(call: MacroCall) -> ParsedArgs:
    parser = _Parser(call)
    result = ParsedArgs()
    try:
        _parse_into(parser, result)
    except _SyntaxError as error:
        result.error = error.diagnostic
    except _Unrecognised:
        result.unknown = True
    return result


def _parse_into(parser: _Parser, result: ParsedArgs) -> None:
    call = parser.call
    if parser.at_eof():
        parser.fail("requires at least a template string argument", (call.start, call.end), code="template-missing")
    cfgs, bad = parser.attributes()
    first = parser.template()
    if first.form == "metavar":
        result.unknown = True      # `$($tokens)*` may stand for any number of arguments
    result.args.append(Arg("template", first.start, first.end, first, cfgs, bad))
    allow_templates = True
    while not parser.at_eof():
        after_metavariable = parser.pos > 0 and parser.tokens[parser.pos - 1].kind == METAVAR
        comma = parser.eat_punct(",")
        if not comma and not after_metavariable:
            # (a metavariable such as `$($args)*` may carry its own trailing comma)
            token = parser.peek()
            if token is not None and token.kind == METAVAR:
                result.unknown = True
                parser.pos += 1
                continue
            if allow_templates:
                parser.fail("expected token: `,`")
            parser.fail(f"expected `,`, found {_describe(token)}")
        if parser.at_eof():
            break
        if comma:
            allow_templates = _argument(parser, result, allow_templates)
            continue
        start = parser.pos
        try:
            allow_templates = _argument(parser, result, allow_templates)
        except _SyntaxError:
            # After a metavariable with no comma of its own, the tokens may continue what it stands for (`x $op y`).
            result.unknown = True
            parser.pos = start
            parser.skip_argument()


def _argument(parser: _Parser, result: ParsedArgs, allow_templates: bool) -> bool:
    """One argument after its separator, added to ``result``; whether templates may still follow."""
    call = parser.call
    cfgs, bad = parser.attributes()
    token = parser.peek()
    if token is None:
        parser.expected("expression")
    template_call = allow_templates and _metavariable_macro_call(parser)   # `$save!()`
    if token.kind == METAVAR and not template_call:
        # `$($ops)*`, `$op`: whole arguments that cannot be known here (`$save!()` after
        # operands: what rustc says of it depends on the macro the metavariable names).
        result.unknown = True
        parser.pos += 3 if _metavariable_macro_call(parser) else 1
        return allow_templates
    if token.kind == IDENT and token.text in ("clobber_abi", "options") \
            and (parser.peek(1) is None or not parser.peek(1).is_punct("=")):
        allow_templates = False
        parser.pos += 1
        value = parser.clobber_abi(token) if token.text == "clobber_abi" else parser.options(token)
        result.args.append(Arg(token.text, value.start, value.end, value, cfgs, bad))
        return allow_templates
    name = None
    following = parser.peek(1)
    if token.kind == IDENT and following is not None and following.is_punct("="):
        name = token
        parser.pos += 2
        allow_templates = False
    keyword = parser.peek()
    if keyword is not None and keyword.kind == IDENT and keyword.text in OPERAND_KEYWORDS:
        if call.kind != "asm" and keyword.text not in ("const", "sym"):
            parser.fail(f"the `{keyword.text}` operand cannot be used with `{call.kind}!`",
                        (keyword.start, keyword.end), code="operand-not-allowed")
        parser.pos += 1
        operand = parser.operand(keyword)
        if name is not None:
            operand.name = name.text
            operand.name_start, operand.name_end = name.start, name.end
            operand.start = name.start
        operand.end = parser.prev_end()
        allow_templates = False
        result.args.append(Arg("operand", operand.start, operand.end, operand, cfgs, bad))
        return allow_templates
    if keyword is not None and keyword.kind == METAVAR and name is None and not template_call:
        result.unknown = True      # `$kind(reg) x`: an operand whose keyword is a metavariable
        allow_templates = False
        parser.skip_argument()
        return allow_templates
    if name is not None and keyword is not None and keyword.kind == METAVAR:
        result.unknown = True
        parser.skip_argument()
        return allow_templates
    if name is not None:
        allowed = OPERAND_KEYWORDS if call.kind == "asm" else ("const", "sym")
        parser.fail("expected one of " + _one_of([f"`{k}`" for k in sorted(allowed)]) + f", found {_describe(keyword)}")
    if allow_templates:
        piece = parser.template()
        if piece.form in ("other",):
            what = "operand, clobber_abi, options, or additional template string" if call.kind == "asm" \
                else "operand, options, or additional template string"
            parser.fail(f"expected {what}", (piece.start, piece.end), code="asm-syntax-error")
        result.args.append(Arg("template", piece.start, piece.end, piece, cfgs, bad))
        return allow_templates
    _unexpected(parser, call.kind)


def _metavariable_macro_call(parser: _Parser) -> bool:
    """``$name!(..)``: a call of the macro a metavariable names, one expression (a template)."""
    following, group = parser.peek(1), parser.peek(2)
    return following is not None and following.is_punct("!") and group is not None and group.kind == GROUP


def _unexpected(parser: _Parser, kind: str) -> None:
    expected = ["#", "clobber_abi", "const", "in", "inlateout", "inout", "label", "lateout", "options", "out", "sym"]
    if kind != "asm":
        expected = ["#", "clobber_abi", "const", "options", "sym"]
    token = parser.peek()
    parser.fail("expected one of " + _one_of([f"`{e}`" for e in expected]) + f", found {_describe(token)}")


__all__ = ["Arg", "ParsedArgs", "parse_args", "OPTION_NAMES", "SUPPORTED_OPTIONS", "BYTE_STRING"]
