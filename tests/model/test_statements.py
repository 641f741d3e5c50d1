"""A block's template as statements: comments blanked (``/* */``, ``//``, the architecture's line-comment
markers, an unclosed ``/*``), statements split at newlines and ``;``, each mapped to its source bytes."""

from __future__ import annotations

from asm_ls.model.build import build_file
from asm_ls.model.statements import block_statements
from asm_ls.syntax.source import SourceFile

TEXT = ('fn f() { unsafe { core::arch::asm!("a /* x; y */ b; c // d; e", "# f; g", "h;;  i # j", '
        '"k /* unclosed", "l"); } }\n')


def _statements(markers: tuple[str, ...]) -> list[tuple[str, tuple[int, int]]]:
    block = build_file(SourceFile.from_text(TEXT), ["x86_64"]).blocks[0].block
    return [(statement.text, statement.span()) for statement in block_statements(block, markers)]


def test_comments_are_blanked_and_statements_mapped_to_their_bytes():
    assert _statements(()) == [("a            b", (36, 50)), ("c", (52, 53)), ("# f", (65, 68)), ("g", (70, 71)),
                               ("h", (75, 76)), ("i # j", (80, 85)), ("k", (89, 90))]


def test_the_architecture_line_comment_marker_ends_a_line():
    assert _statements(("#",)) == [("a            b", (36, 50)), ("c", (52, 53)), ("h", (75, 76)), ("i", (80, 81)),
                                   ("k", (89, 90))]
