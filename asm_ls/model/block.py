"""The data classes of the model: one :class:`AsmBlock` per macro call."""

from __future__ import annotations

from dataclasses import dataclass, field

from asm_ls.diagnostics import Diagnostic
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.finder import MacroCall
from asm_ls.syntax.literals import DecodedString
from asm_ls.syntax.tokens import Token

OUTPUT_KINDS = ("out", "lateout", "inout", "inlateout")
OPTION_NAMES = ("pure", "nomem", "readonly", "preserves_flags", "noreturn", "nostack",
                "may_unwind", "att_syntax", "raw")
# Options each macro accepts (the others are rejected with `option-not-allowed`).
SUPPORTED_OPTIONS = {
    "asm": frozenset(OPTION_NAMES),
    "global_asm": frozenset({"att_syntax", "raw"}),
    "naked_asm": frozenset({"att_syntax", "raw"}),
}
REGISTER_KINDS = ("in",) + OUTPUT_KINDS
# Options rustc rejects together ("the `nomem` and `readonly` options are mutually exclusive").
CONFLICTING_OPTIONS = (("nomem", "readonly"), ("pure", "noreturn"))


@dataclass
class Expr:
    tokens: list[Token]
    start: int
    end: int

    @property
    def known(self) -> bool:
        return not _has_metavariable(self.tokens)

    def text(self, data: bytes) -> str:
        return data[self.start:self.end].decode("utf-8", "replace")


def _has_metavariable(tokens: list[Token]) -> bool:
    return any(token.kind == "metavar" or (token.kind == "group" and _has_metavariable(token.children))
               for token in tokens)


@dataclass
class TemplatePiece:
    """One template argument.  ``decoded`` is None when its text cannot be known here
    (a macro metavariable, ``include_str!``, a user macro)."""

    start: int
    end: int
    decoded: DecodedString | None
    form: str = "string"        # string | concat | macro | nonliteral (format!...) | metavar | other
    cfgs: list[Cfg] = field(default_factory=list)

    @property
    def is_macro_call(self) -> bool:
        return self.form in ("concat", "macro", "nonliteral")


@dataclass
class Placeholder:
    piece: int                  # index into AsmBlock.templates
    first: int                  # decoded-character range of the whole `{...}`
    last: int
    start: int                  # its byte range in the file
    end: int
    operand: int | None         # resolved operand index
    name: str | None = None
    index: int | None = None
    implicit: bool = False
    modifier: str | None = None
    modifier_start: int = 0     # byte range of the modifier text
    modifier_end: int = 0
    name_start: int = 0         # byte range of the argument name or index
    name_end: int = 0


@dataclass
class RegSpec:
    """``reg`` (a class) or ``"eax"`` (an explicit register); ``kind`` "unknown" for
    metavariables."""

    kind: str
    name: str
    start: int
    end: int

    @property
    def explicit(self) -> bool:
        return self.kind == "explicit"


@dataclass
class Operand:
    index: int
    kind: str                   # in out lateout inout inlateout const sym label
    start: int                  # rustc's argument span: name (if any) to the last token
    end: int
    name: str | None = None
    name_start: int = 0
    name_end: int = 0
    keyword_start: int = 0
    keyword_end: int = 0
    reg: RegSpec | None = None
    expr: Expr | None = None    # the input / only expression
    out_expr: Expr | None = None
    split: bool = False         # `in => out`
    discard: bool = False       # `out(..) _` or `=> _`
    cfgs: list[Cfg] = field(default_factory=list)

    @property
    def is_output(self) -> bool:
        return self.kind in OUTPUT_KINDS

    @property
    def is_input(self) -> bool:
        return self.kind in ("in", "inout", "inlateout")

    @property
    def has_real_output(self) -> bool:
        if self.kind in ("inout", "inlateout") and not self.split:
            return True
        return self.is_output and not self.discard


@dataclass
class AsmOption:
    name: str
    start: int
    end: int
    end_with_comma: int


@dataclass
class OptionsArg:
    start: int
    end: int
    options: list[AsmOption]


@dataclass
class ClobberAbiArg:
    start: int
    end: int
    abis: list[tuple[str, int, int]]


@dataclass
class AsmBlock:
    call: MacroCall
    templates: list[TemplatePiece] = field(default_factory=list)
    operands: list[Operand] = field(default_factory=list)
    options: list[OptionsArg] = field(default_factory=list)
    clobber_abis: list[ClobberAbiArg] = field(default_factory=list)
    placeholders: list[Placeholder] = field(default_factory=list)
    # rustc stops at a parse error: nothing else is checked for this block.
    parse_errors: list[Diagnostic] = field(default_factory=list)
    # problems found while building the model (template strings, operand bookkeeping)
    errors: list[Diagnostic] = field(default_factory=list)
    unknown_args: bool = False        # a metavariable stands for whole arguments
    unknown_template: bool = False    # some template text cannot be known
    architectures: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.call.kind

    @property
    def start(self) -> int:
        return self.call.start

    @property
    def end(self) -> int:
        return self.call.end

    @property
    def option_names(self) -> set[str]:
        """The options in effect: those this macro accepts."""
        supported = SUPPORTED_OPTIONS[self.call.kind]
        return {option.name for arg in self.options for option in arg.options if option.name in supported}

    def has_option(self, name: str) -> bool:
        return name in self.option_names
