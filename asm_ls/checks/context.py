"""Where a block may stand: ``asm!`` needs an unsafe context (E0133), ``naked_asm!`` a naked
function, and a naked function takes no ``asm!``."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.build import ResolvedBlock


def check_context(resolved: ResolvedBlock) -> list[Diagnostic]:
    call = resolved.block.call
    out: list[Diagnostic] = []
    if call.kind == "asm" and call.unsafe is False and not resolved.block.parse_errors:
        out.append(Diagnostic("asm-requires-unsafe", "use of inline assembly is unsafe and requires unsafe block",
                              call.start, call.end,
                              notes=("inline assembly is entirely unchecked and can cause undefined behavior",)))
    return out
