"""Where a block may stand: ``asm!`` needs an unsafe context (E0133) and ``naked_asm!`` a
naked function."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic, fix
from asm_ls.model.build import ResolvedBlock


def check_context(resolved: ResolvedBlock, edition: str = "2021") -> list[Diagnostic]:
    call = resolved.block.call
    out: list[Diagnostic] = []
    if call.kind == "asm" and call.unsafe is False:
        wording = "unsafe block" if edition >= "2024" else "unsafe function or block"
        out.append(Diagnostic("asm-requires-unsafe", f"use of inline assembly is unsafe and requires {wording}",
                              call.start, call.end,
                              notes=("inline assembly is entirely unchecked and can cause undefined behavior",),
                              fix=fix.WrapInUnsafe()))
    if call.kind == "naked_asm" and call.function is not None and not call.function.is_naked:
        out.append(Diagnostic("naked-asm-outside-naked-fn",
                              "the `naked_asm!` macro can only be used in functions marked with `#[unsafe(naked)]`",
                              call.start, call.end))
    return out
