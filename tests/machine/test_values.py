"""The values the contract analysis reads off a block (machine/values.py): operand expressions that are literals,
file constants or well-known call numbers."""

from __future__ import annotations

from asm_ls.machine.values import expression_value, file_constants
from asm_ls.syntax.tokens import IDENT, INT, PUNCT, Token


def _tokens(*parts: tuple[str, str]) -> list[Token]:
    return [Token(kind, text, 0, 0) for kind, text in parts]


def test_literals_and_casts():
    assert expression_value(_tokens((INT, "293isize"))) == 293
    assert expression_value(_tokens((INT, "0x125"), (IDENT, "as"), (IDENT, "usize"))) == 0x125
    assert expression_value(_tokens((IDENT, "n"))) is None


def test_well_known_call_numbers_name_the_call():
    path = _tokens((IDENT, "libc"), (PUNCT, "::"), (IDENT, "SYS_readlinkat"))
    assert expression_value(path) == "readlinkat"
    assert expression_value(_tokens((IDENT, "__NR_pipe2"), (IDENT, "as"), (IDENT, "usize"))) == "pipe2"
    assert expression_value(_tokens((IDENT, "Sysno"), (PUNCT, ":"), (PUNCT, ":"), (IDENT, "write"))) == "write"
    assert expression_value(_tokens((IDENT, "nr"), (PUNCT, "::"), (IDENT, "READ"))) == "read"
    assert expression_value(_tokens((IDENT, "other"), (PUNCT, "::"), (IDENT, "READ"))) is None


def test_file_constants_defined_once():
    source = b"const A: usize = 0xffff0f60;\nconst B: u32 = 3 + 4;\nconst C: u8 = 1;\nmod m { const C: u8 = 2; }"
    assert file_constants(source) == {"A": 0xffff0f60}
    assert expression_value(_tokens((IDENT, "A")), file_constants(source)) == 0xffff0f60


def test_names_brought_in_from_a_well_known_numbering():
    source = (b"use sc::nr::{CLONE, EXIT as SYS_EXIT_NR, other::Thing};\nuse libc::SYS_getpid;\n"
              b"use syscalls::Sysno::write as WRITE;\nuse crate::platform::EXIT;\n")
    # `EXIT` is both `sc::nr::EXIT` (through its alias only) and an unknown `crate::platform::EXIT`: the alias keeps
    # its call, the bare name is not brought in from a numbering.
    assert file_constants(source) == {"CLONE": "clone", "SYS_EXIT_NR": "exit", "SYS_getpid": "getpid",
                                      "WRITE": "write"}
    assert expression_value(_tokens((IDENT, "CLONE")), file_constants(source)) == "clone"


def test_keywords_are_whole_words():
    source = b"pub const A: u8 = 1;\nmyconst B: u8 = 2;\nreuse sc::nr::EXIT;\nuse sc::nr::CLONE;\n"
    assert file_constants(source) == {"A": 1, "CLONE": "clone"}
