"""The source map: decoded template characters back to their exact bytes and LSP positions."""

from __future__ import annotations

import pytest

from asm_ls.syntax.literals import decode
from asm_ls.syntax.source import Position, SourceFile


def test_utf16_columns_after_non_bmp_characters() -> None:
    text = 'let s = "😀é"; asm!("{x}")'
    source = SourceFile.from_text(text)
    offset = text.encode().index(b"{x}")
    # 😀 is two UTF-16 units, é one: the column counts UTF-16 units.
    assert source.position(offset) == Position(0, len('let s = "') + 2 + 1 + len('"; asm!("'))
    assert source.offset(source.position(offset)) == offset


@pytest.mark.parametrize("data, line_starts", [
    (b"a\nb\nc", [0, 2, 4]),
    (b"a\r\nb\r\nc", [0, 3, 6]),
    (b"a\rb\rc", [0, 2, 4]),
    (b"a\r\n\rb\n", [0, 3, 4, 6]),
])
def test_all_three_line_endings(data: bytes, line_starts: list[int]) -> None:
    source = SourceFile(data)
    assert [source.offset(Position(line, 0)) for line in range(len(line_starts))] == line_starts


def test_positions_out_of_range_are_clamped() -> None:
    source = SourceFile(b"ab\ncd")
    assert source.offset(Position(7, 3)) == 5
    assert source.offset(Position(0, 99)) == 2
    assert source.offset(Position(-1, 0)) == 0
    assert source.position(999) == Position(1, 2)


def test_escapes_map_to_their_source_bytes() -> None:
    literal = r'"a\n\t\\\"\x41\u{1F600}b"'
    decoded = decode(literal, 100)
    assert decoded.value == 'a\n\t\\"A😀b'
    pieces = [literal[s - 100:e - 100] for s, e in zip(decoded.starts, decoded.ends)]
    assert pieces == ["a", r"\n", r"\t", "\\\\", '\\"', r"\x41", r"\u{1F600}", "b"]


def test_line_continuation_skips_newline_and_indentation() -> None:
    literal = '"mov \\\n        rax"'
    decoded = decode(literal, 0)
    assert decoded.value == "mov rax"
    assert literal[decoded.starts[4]:decoded.ends[4]] == "r"


def test_raw_strings_map_directly() -> None:
    literal = 'r#"{0} "quoted""#'
    decoded = decode(literal, 10)
    assert decoded.value == '{0} "quoted"'
    assert decoded.span(0, 3) == (13, 16)
    assert decoded.content_end == 10 + len(literal) - 2


def test_crlf_inside_a_literal_is_one_newline() -> None:
    decoded = decode('"a\r\nb"', 0)
    assert decoded.value == "a\nb"
    assert (decoded.starts[1], decoded.ends[1]) == (2, 4)


def test_undecodable_escape_is_reported_not_raised() -> None:
    decoded = decode(r'"\q"', 0)
    assert decoded.errors


def test_not_a_string_literal() -> None:
    assert decode("'c'", 0) is None
    assert decode('r#"unterminated"', 0) is None
