"""The note for a block that fails under a guessed configuration (the host default, a folder's name, cfgs asm-ls
cannot evaluate) but is clean on another stable architecture: it is taken as written for that one, and the
guess's findings are dropped (a guess may silence a finding, never create one)."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic
from asm_ls.model.build import ResolvedBlock

CODE = "assumed-architecture"


def assumed_architecture(resolved: ResolvedBlock, arch: str | None, stage: str = "") -> Diagnostic:
    """``arch`` None: no stable architecture fits, and the crate may enable ``asm_experimental_arch``; ``stage``:
    what failed under the guess ("does not assemble", or the front end's checks by default)."""
    block = resolved.block
    guessed = resolved.target.display() if resolved.target is not None else resolved.arch
    failed = stage or "is not valid"
    written_for = f"`{arch}`" if arch else \
        "an experimental architecture (the crate enables `asm_experimental_arch`; not checked)"
    return Diagnostic(CODE, f"checked as written for {written_for}: this block {failed} for `{guessed}`, a target "
                            "asm-ls guessed (no `#[cfg]`, setting or project file says which targets build it)",
                      block.start, block.call.name_end, severity="information", target=arch)
