"""textDocument/formatting and textDocument/rangeFormatting: thin handlers over
:func:`asm_ls.ide.formatting.format_model` (which runs rustc: the request runs in a worker thread).

The answer is the edits of the blocks whose format was applied (an empty list when there is nothing to do);
each block left as written is named in the server's log with the reason (no rustc, errors, unknown text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from asm_ls.lazy import LazyModule
from asm_ls.server.analyses import Analysis, answer
from asm_ls.server.convert import log_message

if TYPE_CHECKING:
    from asm_ls.server.server import AsmLanguageServer

formatting = LazyModule("asm_ls.ide.formatting")     # loaded by the first request


def register(server: "AsmLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def format_document(ls: "AsmLanguageServer", params: types.DocumentFormattingParams) -> list:
        return await _format(ls, params.text_document.uri, None)

    @server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
    async def format_range(ls: "AsmLanguageServer", params: types.DocumentRangeFormattingParams) -> list:
        return await _format(ls, params.text_document.uri, params.range)


async def _format(ls: "AsmLanguageServer", uri: str, within: types.Range | None) -> list[types.TextEdit]:
    notes: list[str] = []

    def feature(analysis: Analysis) -> list[types.TextEdit]:
        span = None if within is None else (analysis.offset(within.start), analysis.offset(within.end))
        found = formatting.format_model(analysis.model, analysis.settings.rustc, span)
        for block in found.left:
            line = analysis.positions.position(block.start).line + 1
            notes.append(f"asm-ls: formatting {uri}: `{block.kind}!` at line {line} left as written: {block.reason}")
        return [types.TextEdit(range=analysis.positions.range(edit.start, edit.end), new_text=edit.text)
                for edit in found.edits]

    edits = await answer(ls, uri, [], feature)
    for note in notes:
        ls.window_log_message(log_message(note))
    return edits
