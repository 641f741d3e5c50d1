"""Honest coverage: the one information note (``contract-not-analysed``) a block gets when the contract analysis could
not run on it, saying why, so that no finding is never mistaken for a clean block."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic
from asm_ls.machine.generate import GeneratedBlock
from asm_ls.machine.objects import BlockCode

CODE = "contract-not-analysed"
_FORMAT_NAMES = {"coff": "COFF", "mach-o": "Mach-O", "macho": "Mach-O", "xcoff": "XCOFF", "wasm": "WebAssembly"}


def object_format_name(binary_format: str) -> str:
    """rustc's ``binary-format`` as the format is usually written."""
    return _FORMAT_NAMES.get(binary_format.lower(), binary_format)


def not_analysed(block: GeneratedBlock, reason: str, code: BlockCode | None = None, stop: int | None = None,
                 arch: str | None = None) -> Diagnostic:
    """The note for ``block``: on the template line whose bytes stopped the decoder (``stop``) when it is known, naming
    that line, else on the macro's name (naming the offset)."""
    asm = block.resolved.block
    start, end = asm.start, asm.start + len(asm.kind)
    line = code.line_at(stop) if code is not None and stop is not None else None
    if line is not None and 0 <= line < len(block.lines):
        text = block.lines[line].text
        origins = [origin for origin in block.lines[line].origin if origin is not None]
        if origins and text.strip():
            start, end = min(o[0] for o in origins), max(o[1] for o in origins)
            reason = f"{reason} `{text.strip()}`"
    if start == asm.start and stop is not None and code is not None:
        reason = f"{reason} offset {stop}" if reason.endswith(" at") else f"{reason} at offset {stop}"
    return Diagnostic(CODE, f"the contract analysis did not run on this block: {reason}", start, end,
                      severity="information", target=arch)


__all__ = ["CODE", "not_analysed", "object_format_name"]
