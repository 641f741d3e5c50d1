"""What is at a byte offset of a file: the inline-assembly call, and inside it the template
character, placeholder, directive, operand keyword, register or class literal, option word or
``clobber_abi`` string.

Location works from the raw argument tokens of the call (``asm_ls/syntax/finder``), not from the
parsed arguments, so it also answers inside half-typed code whose arguments do not parse
(``in()``, ``in("ea)``, ``options(no)``).  :func:`repair` closes the strings and delimiters left
open before the offset, for text so broken that the call itself is not found.  The model is then
consulted per architecture: :func:`operand_at` and :func:`placeholder_at` give the resolved
operand and placeholder of one :class:`ResolvedBlock`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from asm_ls.model.block import Operand, Placeholder
from asm_ls.model.build import FileModel, ResolvedBlock
from asm_ls.syntax.finder import MacroCall
from asm_ls.syntax.literals import DecodedString, decode
from asm_ls.syntax.source import SourceFile
from asm_ls.syntax.tokens import ERROR, GROUP, IDENT, STRING, Token

REGISTER_KEYWORDS = ("in", "out", "lateout", "inout", "inlateout")
OPERAND_KEYWORDS = REGISTER_KEYWORDS + ("const", "sym", "label")

# Site kinds
MACRO = "macro"                       # the macro path (`asm`, `std::arch::asm`)
ARGUMENT = "argument"                 # the start of an argument: a keyword or name being typed
OPERAND_NAME = "operand_name"         # `x` in `x = in(reg) v`
OPERAND_KEYWORD = "operand_keyword"   # `in`, `out`, ... `const`, `sym`, `label`
REGISTER_CLASS = "register_class"     # `reg` in `in(reg)`, or an empty `in()`
REGISTER = "register"                 # `eax` in `in("eax")` (text: the decoded name)
EXPRESSION = "expression"             # an operand's Rust expression
OPTIONS_KEYWORD = "options_keyword"
OPTION = "option"                     # a word in `options(...)`, or the empty space for one
CLOBBER_ABI_KEYWORD = "clobber_abi_keyword"
CLOBBER_ABI = "clobber_abi"           # `C` in `clobber_abi("C")` (quoted False: no string yet)
TEMPLATE = "template"                 # template text that is none of the below
PLACEHOLDER = "placeholder"           # inside `{...}`; part: "brace" | "name" | "modifier"
DIRECTIVE = "directive"               # `.globl` at the start of a statement
MNEMONIC = "mnemonic"                 # the first word of a statement
WORD = "word"                         # another word of a statement (a register, a label...)

_WORD_CHARS = re.compile(r"[A-Za-z0-9_.$]")


@dataclass
class RawOperand:
    """An operand argument as written, from its tokens (also when the arguments do not parse)."""

    position: int                 # among the operand arguments, in source order, before cfg
    keyword: str
    keyword_start: int
    name: str | None = None
    reg_kind: str | None = None   # "class" | "explicit" | None
    reg_name: str = ""


@dataclass
class RawPlaceholder:
    """A ``{...}`` in template text, from the text alone (also while it is being typed)."""

    start: int                    # byte range of the whole placeholder (to the end of the text
    end: int                      # typed so far when it is not closed)
    name: str                     # "" (implicit), a name or digits
    modifier: str | None
    name_start: int
    name_end: int
    modifier_start: int = 0
    modifier_end: int = 0
    closed: bool = True


@dataclass
class Site:
    """What is at ``offset``: ``kind`` (one of the constants above), the byte range and text of
    the thing, and the ``prefix`` of it before the offset (for completion)."""

    kind: str
    offset: int
    start: int
    end: int
    text: str
    call: MacroCall
    blocks: list[ResolvedBlock]
    prefix: str = ""
    keyword: str | None = None            # the argument's keyword (operands, options, clobber_abi)
    keyword_start: int | None = None      # identifies the operand in the model
    quoted: bool = True                   # REGISTER / CLOBBER_ABI: inside a string literal
    part: str = ""                        # PLACEHOLDER: brace | name | modifier
    placeholder: RawPlaceholder | None = None
    at_statement_start: bool = False
    operands: list[RawOperand] = field(default_factory=list)   # every operand argument of the call
    present: list[str] = field(default_factory=list)           # OPTION: options already written


def locate(model: FileModel, offset: int) -> Site | None:
    """The site at ``offset``, or None outside every inline-assembly call."""
    call = call_at(model, offset)
    if call is None:
        return None
    blocks = [resolved for resolved in model.blocks if resolved.block.call is call]
    return _locate_in_call(model.source.data, call, blocks, offset)


def call_at(model: FileModel, offset: int) -> MacroCall | None:
    """The innermost call whose text contains ``offset`` (ends included)."""
    found = None
    for call in model.calls:
        if call.start <= offset <= call.end and (found is None or call.start >= found.start):
            found = call
    return found


def operand_at(site: Site, resolved: ResolvedBlock) -> Operand | None:
    """The model's operand for the operand argument the site is in (None when the arguments
    did not parse, or the operand is cfg'd out for this architecture)."""
    if site.keyword_start is None:
        return None
    for operand in resolved.block.operands:
        if operand.keyword_start == site.keyword_start:
            return operand
    return None


def placeholder_at(site: Site, resolved: ResolvedBlock) -> Placeholder | None:
    if site.kind != PLACEHOLDER:
        return None
    for placeholder in resolved.block.placeholders:
        # (placeholders of macro-made templates span the whole macro call: only exact ones match)
        if placeholder.start <= site.offset < placeholder.end and \
                (site.placeholder is None or placeholder.start == site.placeholder.start):
            return placeholder
    return None


def bound_operand(resolved: ResolvedBlock, name: str) -> Operand | None:
    """The operand a placeholder name or index refers to, by rustc's rules (named operands by
    name, the others by position; explicit registers never)."""
    operands = resolved.block.operands
    if name.isdigit():
        index = int(name)
        if index < len(operands) and index not in resolved.named.values() and index not in resolved.explicit:
            return operands[index]
        return None
    index = resolved.named.get(name)
    return operands[index] if index is not None else None


def raw_bound_operand(operands: list[RawOperand], name: str) -> RawOperand | None:
    """:func:`bound_operand` on the raw arguments, for blocks whose arguments do not parse."""
    if name.isdigit():
        index = int(name)
        if index < len(operands) and operands[index].name is None and operands[index].reg_kind != "explicit":
            return operands[index]
        return None
    return next((operand for operand in operands if operand.name == name and operand.reg_kind != "explicit"), None)


# -- the raw arguments ----------------------------------------------------------------------

def _locate_in_call(data: bytes, call: MacroCall, blocks: list[ResolvedBlock], offset: int) -> Site | None:
    args = call.args
    inner_end = args.end - 1 if args.closed else args.end

    def site(kind: str, start: int, end: int, **extra) -> Site:
        text = extra.pop("text", None)
        if text is None:
            text = data[start:end].decode("utf-8", "replace")
        prefix = extra.pop("prefix", None)
        if prefix is None:
            prefix = data[start:max(start, min(offset, end))].decode("utf-8", "replace")
        return Site(kind, offset, start, end, text, call, blocks, prefix, **extra)

    if offset < args.start or offset > inner_end:
        if offset < args.start:
            return site(MACRO, call.start, args.start)
        return None
    if offset == args.start:
        return None
    segments = _segments(args.children, args.start + 1, inner_end)
    operands = _raw_operands(segments)
    for seg_start, seg_end, tokens in segments:
        if not seg_start <= offset <= seg_end:
            continue
        found = _in_segment(data, tokens, offset, site)
        if found is not None:
            found.operands = operands
        return found
    return None


def _segments(children: list[Token], start: int, end: int) -> list[tuple[int, int, list[Token]]]:
    """The arguments between commas: (start, end, tokens), with the gaps around the commas in
    the ranges, so every offset inside the parentheses belongs to one argument."""
    segments: list[tuple[int, int, list[Token]]] = []
    current: list[Token] = []
    seg_start = start
    for token in children:
        if token.is_punct(","):
            segments.append((seg_start, token.start, current))
            current = []
            seg_start = token.end
        else:
            current.append(token)
    segments.append((seg_start, end, current))
    return segments


def _skip_attributes(tokens: list[Token]) -> list[Token]:
    index = 0
    while index + 1 < len(tokens) and tokens[index].is_punct("#") and tokens[index + 1].is_group("["):
        index += 2
    return tokens[index:]


def _raw_operands(segments: list[tuple[int, int, list[Token]]]) -> list[RawOperand]:
    operands = []
    for _, _, tokens in segments:
        tokens = _skip_attributes(tokens)
        name = None
        if len(tokens) >= 3 and tokens[0].kind == IDENT and tokens[1].is_punct("="):
            name = tokens[0].text
            tokens = tokens[2:]
        if not tokens or tokens[0].kind != IDENT or tokens[0].text not in OPERAND_KEYWORDS:
            continue
        keyword = tokens[0]
        if keyword.text in REGISTER_KEYWORDS and (len(tokens) < 2 or not tokens[1].is_group("(")):
            continue
        operand = RawOperand(len(operands), keyword.text, keyword.start, name)
        if keyword.text in REGISTER_KEYWORDS and tokens[1].children:
            first = tokens[1].children[0]
            if first.kind == IDENT:
                operand.reg_kind, operand.reg_name = "class", first.text
            elif first.kind == STRING:
                literal = decode(first.text, first.start)
                operand.reg_kind = "explicit"
                operand.reg_name = literal.value if literal is not None else first.text.strip('"')
        operands.append(operand)
    return operands


def _in_segment(data: bytes, tokens: list[Token], offset: int, site) -> Site | None:
    tokens = _skip_attributes(tokens)
    if not tokens or offset < tokens[0].start:
        return site(ARGUMENT, offset, offset, text="")
    first = tokens[0]
    # a template: a string literal, or a macro call producing one (concat!)
    if first.kind in (STRING, ERROR) and first.text.startswith(("\"", "r\"", "r#")) \
            or (first.kind == IDENT and len(tokens) >= 3 and tokens[1].is_punct("!") and tokens[2].is_group()):
        return _in_template(data, tokens, offset, site)
    name_token = None
    if len(tokens) >= 2 and first.kind == IDENT and tokens[1].is_punct("="):
        name_token = first
        if first.start <= offset <= first.end:
            keyword = tokens[2] if len(tokens) > 2 and tokens[2].kind == IDENT else None
            return site(OPERAND_NAME, first.start, first.end, keyword=keyword.text if keyword else None,
                        keyword_start=keyword.start if keyword else None)
        tokens = tokens[2:]
        if not tokens or offset < tokens[0].start:
            return site(ARGUMENT, offset, offset, text="")
        first = tokens[0]
    if first.kind != IDENT:
        return None
    keyword = first.text
    group = tokens[1] if len(tokens) > 1 and tokens[1].is_group("(") else None
    if first.start <= offset <= first.end:
        if keyword in OPERAND_KEYWORDS and (group is not None or keyword in ("const", "sym", "label")) \
                and len(tokens) > 1:
            return site(OPERAND_KEYWORD, first.start, first.end, keyword=keyword, keyword_start=first.start)
        if keyword == "options" and group is not None and name_token is None:
            return site(OPTIONS_KEYWORD, first.start, first.end, keyword=keyword)
        if keyword == "clobber_abi" and group is not None and name_token is None:
            return site(CLOBBER_ABI_KEYWORD, first.start, first.end, keyword=keyword)
        if len(tokens) == 1:
            return site(ARGUMENT, first.start, first.end)
        return None
    if group is not None and group.start < offset < group.end + (0 if group.closed else 1):
        if keyword in REGISTER_KEYWORDS:
            return _in_register(data, group, offset, site, keyword, first.start)
        if keyword == "options" and name_token is None:
            return _in_options(group, offset, site)
        if keyword == "clobber_abi" and name_token is None:
            return _in_clobber_abi(data, group, offset, site)
        return None
    if keyword in OPERAND_KEYWORDS and offset > first.end:
        rest = tokens[2:] if group is not None else tokens[1:]
        if rest and rest[0].start <= offset <= rest[-1].end:
            return site(EXPRESSION, rest[0].start, rest[-1].end, keyword=keyword, keyword_start=first.start)
    return None


def _in_register(data: bytes, group: Token, offset: int, site, keyword: str, keyword_start: int) -> Site | None:
    common = {"keyword": keyword, "keyword_start": keyword_start}
    for token in group.children:
        if token.start <= offset <= token.end:
            if token.kind == STRING:
                literal = decode(token.text, token.start)
                if literal is not None and literal.content_start <= offset <= literal.content_end:
                    return site(REGISTER, literal.content_start, literal.content_end, text=literal.value,
                                prefix=_decoded_prefix(literal, offset), **common)
                return None
            if token.kind == IDENT:
                return site(REGISTER_CLASS, token.start, token.end, **common)
        if token.kind == ERROR and token.text.startswith('"') and token.start < offset:
            # an unterminated string: what follows the quote, up to the closing parenthesis
            end = max(offset, group.children[-1].end) if group.children else offset
            start = token.start + 1
            text = data[start:end].decode("utf-8", "replace")
            return site(REGISTER, start, end, text=text, **common)
    if all(token.end <= offset or token.start > offset for token in group.children):
        before = [token for token in group.children if token.end <= offset]
        if not before:
            return site(REGISTER_CLASS, offset, offset, text="", **common)
    return None


def _in_options(group: Token, offset: int, site) -> Site | None:
    present = [token.text for token in group.children if token.kind == IDENT]
    for token in group.children:
        if token.kind == IDENT and token.start <= offset <= token.end:
            return site(OPTION, token.start, token.end, keyword="options",
                        present=[name for name in present if name != token.text])
    if any(token.start < offset < token.end for token in group.children):
        return None
    return site(OPTION, offset, offset, text="", keyword="options", present=present)


def _in_clobber_abi(data: bytes, group: Token, offset: int, site) -> Site | None:
    for token in group.children:
        if token.kind == STRING and token.start <= offset <= token.end:
            literal = decode(token.text, token.start)
            if literal is not None and literal.content_start <= offset <= literal.content_end:
                return site(CLOBBER_ABI, literal.content_start, literal.content_end, text=literal.value,
                            prefix=_decoded_prefix(literal, offset), keyword="clobber_abi")
            return None
        if token.kind == ERROR and token.text.startswith('"') and token.start < offset:
            start = token.start + 1
            end = max(offset, group.children[-1].end)
            return site(CLOBBER_ABI, start, end, text=data[start:end].decode("utf-8", "replace"),
                        keyword="clobber_abi")
    if any(token.start < offset < token.end for token in group.children):
        return None
    return site(CLOBBER_ABI, offset, offset, text="", keyword="clobber_abi", quoted=False)


def _decoded_prefix(literal: DecodedString, offset: int) -> str:
    return "".join(char for char, start in zip(literal.value, literal.starts) if start < offset)


# -- template text --------------------------------------------------------------------------

def _in_template(data: bytes, tokens: list[Token], offset: int, site) -> Site | None:
    string = _string_at(tokens, offset)
    if string is None:
        return None
    if string.kind == ERROR:
        # an unterminated literal (only seen while typing): its text as written
        literal = _unterminated(data, string)
    else:
        literal = decode(string.text, string.start)
    if literal is None or not literal.content_start <= offset <= literal.content_end:
        return None
    return template_site(literal, offset, site)


def _string_at(tokens: list[Token], offset: int) -> Token | None:
    for token in tokens:
        if token.kind in (STRING, ERROR) and token.start <= offset <= token.end:
            return token
        if token.kind == GROUP and token.start < offset < token.end:
            return _string_at(token.children, offset)
    return None


def _unterminated(data: bytes, token: Token) -> DecodedString | None:
    if not token.text.startswith('"'):
        return None
    return decode(token.text + '"', token.start)


def template_site(literal: DecodedString, offset: int, site) -> Site:
    """Classify ``offset`` inside one decoded template literal."""
    text = literal.value
    cursor = sum(1 for start in literal.starts if start < offset)     # characters before the offset

    def byte(index: int) -> int:
        return literal.offset(index)

    placeholder = _placeholder_around(text, cursor, byte)
    if placeholder is not None:
        raw, open_index, name_end_index = placeholder
        if offset <= raw.start:
            part = "brace"
        elif raw.modifier is not None and cursor > name_end_index:
            part = "modifier"
        else:
            part = "name"
        if part == "modifier":
            return site(PLACEHOLDER, raw.modifier_start, raw.modifier_end, text=raw.modifier or "",
                        prefix=text[name_end_index + 1:cursor], part=part, placeholder=raw)
        if part == "name":
            return site(PLACEHOLDER, raw.name_start, raw.name_end, text=raw.name,
                        prefix=text[open_index + 1:cursor].lstrip(), part=part, placeholder=raw)
        return site(PLACEHOLDER, raw.start, raw.end, text=text[open_index:open_index + 1], part=part,
                    placeholder=raw)
    first, last = cursor, cursor
    while first > 0 and _WORD_CHARS.match(text[first - 1]):
        first -= 1
    while last < len(text) and _WORD_CHARS.match(text[last]):
        last += 1
    if first > 0 and text[first - 1] == "%":
        first -= 1      # AT&T register prefix
    word = text[first:last]
    statement_start = _statement_start(text, first)
    start, end = byte(first), byte(last) if last < len(text) else literal.content_end
    prefix = text[first:cursor]
    if not word:
        return site(TEMPLATE, offset, offset, text="", prefix="", at_statement_start=statement_start)
    if statement_start and word.startswith("."):
        return site(DIRECTIVE, start, end, text=word, prefix=prefix, at_statement_start=True)
    if statement_start and not (last < len(text) and text[last] == ":"):
        return site(MNEMONIC, start, end, text=word, prefix=prefix, at_statement_start=True)
    return site(WORD, start, end, text=word, prefix=prefix)


def _statement_start(text: str, index: int) -> bool:
    """Whether only blanks, or a label, stand between the start of the statement and ``index``."""
    position = index
    while position > 0 and text[position - 1] not in "\n;":
        position -= 1
    before = text[position:index].strip()
    if not before:
        return True
    return before.endswith(":") and all(char.isalnum() or char in "._$" for char in before[:-1]) and \
        bool(before[:-1])


def _placeholder_around(text: str, cursor: int, byte) -> tuple[RawPlaceholder, int, int] | None:
    """The placeholder the cursor is inside (after its `{`, at or before its `}`), also when
    it is still open; with the index of its `{` and the end index of its name."""
    index = 0
    length = len(text)
    while index < length and index <= cursor:
        char = text[index]
        if char in "{}" and index + 1 < length and text[index + 1] == char:
            index += 2
            continue
        if char != "{":
            index += 1
            continue
        open_index = index
        close = open_index + 1
        while close < length and text[close] not in "{}\n":
            close += 1
        closed = close < length and text[close] == "}"
        if not closed:
            # still being typed: up to the end of what looks like a placeholder
            close = open_index + 1
            while close < length and (text[close].isalnum() or text[close] in "_:"):
                close += 1
        if open_index <= cursor <= close:
            inner = text[open_index + 1:close]
            colon = inner.find(":")
            name_end = open_index + 1 + (colon if colon >= 0 else len(inner))
            name = inner[:colon if colon >= 0 else len(inner)]
            stripped = name.strip()
            lead = len(name) - len(name.lstrip())
            name_start_index = open_index + 1 + lead
            name_end_index = name_start_index + len(stripped)
            end_index = close + 1 if closed else close
            raw = RawPlaceholder(byte(open_index), byte(end_index), stripped,
                                 inner[colon + 1:].strip() if colon >= 0 else None,
                                 byte(name_start_index), byte(name_end_index), closed=closed)
            if colon >= 0:
                modifier_first = name_end + 1
                raw.modifier_start = byte(modifier_first)
                raw.modifier_end = byte(close)
            return raw, open_index, name_end
        index = close + 1 if closed else close
    return None


def byte(index: int) -> int:
    return byte(index)


# -- repair ---------------------------------------------------------------------------------

_MACRO_START = re.compile(rb"\b(?:asm|global_asm|naked_asm)\s*!\s*[\(\[\{]")
_CLOSERS = {ord("("): b")", ord("["): b"]", ord("{"): b"}"}


def repair(source: SourceFile, offset: int) -> SourceFile | None:
    """The file with the strings and delimiters left open between the last macro call starting
    before ``offset`` and ``offset`` closed at ``offset`` (and a `;`), so that half-typed text
    such as ``asm!("nop", in(`` parses as a call.  Bytes before ``offset`` keep their offsets.
    None when nothing needs closing or no call starts before the offset."""
    data = source.data
    offset = max(0, min(offset, len(data)))
    starts = [match for match in _MACRO_START.finditer(data, 0, offset)]
    if not starts:
        return None
    match = starts[-1]
    closers = _open_delimiters(data, match.end() - 1, offset)
    if not closers:
        return None
    patched = data[:offset] + closers + b";" + data[offset:]
    return SourceFile(patched, source.path)


def _open_delimiters(data: bytes, start: int, end: int) -> bytes:
    stack: list[bytes] = []
    in_string = False
    index = start
    while index < end:
        char = data[index]
        if in_string:
            if char == ord("\\"):
                index += 2
                continue
            if char == ord('"'):
                in_string = False
        elif char == ord('"'):
            in_string = True
        elif data.startswith(b"//", index):
            newline = data.find(b"\n", index, end)
            if newline < 0:
                return b""      # the offset is in a comment
            index = newline
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char in b")]}":
            if not stack:
                return b""      # the call closed before the offset
            stack.pop()
            if not stack:
                return b""
        index += 1
    return (b'"' if in_string else b"") + b"".join(reversed(stack))
