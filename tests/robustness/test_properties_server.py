"""Property of the language server: after any sequence of incremental edits (sent as fast as a typist, or faster,
so that analyses overlap), the diagnostics published for the last version are those of a fresh check of the final
text.  The edits follow the LSP specification: lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only, columns are UTF-16
code units, a column past the end of a line means its end."""

from __future__ import annotations

import asyncio
import re

from hypothesis import given
from hypothesis import strategies as st

from bounds import bounded
from lsp_harness import analysis_summary, change_document, open_document, session, summary, uri_of, \
    wait_for_publication

START = ('use std::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("mov {0}, {1}", in(reg) x, options(nomem));\n}\n'
         'pub unsafe fn g() {\n    asm!("{9}");\n}\n')
TYPED = ["in(reg) x", ", ", "{", "}", "{0}", "{x:e}", '"', "\\", "\\u{1F600}", "options(pure)", "(", ")", "asm!(",
         "\n", "\r\n", "\r", "\t", "é", "\U0001F600", "\u2028", "\x0c", "\x85", "\x0b", "\x1c", "x = out(reg) _",
         "#[cfg(target_arch = \"aarch64\")]", "// ", "/*", "*/", "r#\"", "nop\n"]
_LINE_END = re.compile(r"\r\n|\r|\n")


def lines_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, as the LSP specification splits lines."""
    starts = [0] + [match.end() for match in _LINE_END.finditer(text)]
    ends = [match.start() for match in _LINE_END.finditer(text)] + [len(text)]
    return list(zip(starts, ends))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@st.composite
def position(draw, text: str) -> tuple[tuple[int, int], int]:
    """An LSP position in ``text`` ((line, UTF-16 column)) and the string index it stands for."""
    lines = lines_of(text)
    line = draw(st.integers(0, len(lines) - 1))
    start, end = lines[line]
    index = draw(st.integers(start, end))
    column = utf16(text[start:index])
    if index == end and draw(st.integers(0, 4)) == 0:
        column += draw(st.integers(1, 3))           # past the end of the line: its end
    return (line, column), index


@st.composite
def edit_script(draw) -> tuple[list[tuple[tuple[int, int], tuple[int, int], str, float]], str]:
    """Edits ((start, end, new text, pause after it)) and the text they lead to."""
    text = START
    edits = []
    for _ in range(draw(st.integers(1, 25))):
        first, first_index = draw(position(text))
        second, second_index = draw(position(text))
        if second_index < first_index:
            first, first_index, second, second_index = second, second_index, first, first_index
        if second_index - first_index > 40:             # keep deletions small, as when typing
            second, second_index = first, first_index
        new = "".join(draw(st.lists(st.sampled_from(TYPED), max_size=3)))
        pause = draw(st.sampled_from([0.0, 0.0, 0.002, 0.03]))
        edits.append((first, second, new, pause))
        text = text[:first_index] + new + text[second_index:]
    return edits, text


async def _scenario(edits, final: str, debounce: str) -> None:
    async with session({"assemble": False}, ASM_LS_DEBOUNCE_MS=debounce) as client:
        uri = uri_of("edited.rs")
        open_document(client, uri, START)
        await wait_for_publication(client, uri, version=1)
        for version, (start, end, new, pause) in enumerate(edits, start=2):
            change_document(client, uri, version, start, end, new)
            if pause:
                await asyncio.sleep(pause)
        last = 1 + len(edits)
        published = await wait_for_publication(client, uri, version=last)
        await asyncio.sleep(0.2)                        # nothing stale may follow
        assert client.published(uri)[-1].version == last
        assert summary(published.diagnostics) == analysis_summary(final)


@given(edit_script(), st.sampled_from(["0", "20"]))
@bounded(12, shrink=False)
def test_last_version_diagnostics_equal_a_fresh_check(script, debounce):
    edits, final = script
    asyncio.run(_scenario(edits, final, debounce))
