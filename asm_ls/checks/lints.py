"""rustc's lints on template text: ``bad_asm_style`` (syntax-switching directives on x86)."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.arch import arch_data
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target
from asm_ls.syntax.source import SourceFile

_STYLE = (
    (".intel_syntax", "avoid using `.intel_syntax`, Intel syntax is the default"),
    (".att_syntax", "avoid using `.att_syntax`, prefer using `options(att_syntax)` instead"),
)


def check_lints(resolved: ResolvedBlock, target: Target, source: SourceFile) -> list[Diagnostic]:
    data = arch_data(target.arch)
    if data is None or not data.data.get("att_syntax", False):
        return []
    out = []
    for piece in resolved.block.templates:
        if piece.decoded is None:
            continue
        snippet = source.data[piece.start:piece.end].decode("utf-8", "replace")
        for needle, message in _STYLE:
            if needle not in piece.decoded.value:
                continue
            start, end = _find_span(snippet, needle, piece.start, piece.end)
            out.append(Diagnostic("bad-asm-style", message, start, end))
    return out


def _find_span(snippet: str, needle: str, start: int, end: int) -> tuple[int, int]:
    """rustc's span: from the needle in the template's source text to the next newline,
    `;`, backslash or quote; the whole template when the text is not found literally."""
    position = snippet.find(needle)
    if position < 0:
        return start, end
    stop = position
    while stop < len(snippet) and snippet[stop] not in '\n;\\"':
        stop += 1
    prefix = len(snippet[:position].encode("utf-8"))
    return start + prefix, start + prefix + len(snippet[position:stop].encode("utf-8"))
