"""Each block's contract findings, kept between assembler passes and reused while the block is unchanged.

A block's contract findings (``contract.analyze_block``) are a function of: the call's text and what the scan says
of it (kind, cfgs, its function's attributes, ``unsafe``: ``block_results.call_facts``), its configuration, the
generated text that was assembled (the instructions decoded come from it), the target, architecture and features it
was assembled and decoded with, the rustc version, and the raw-pointer types of its inputs (read off the function
around it: the key holds what they are a function of, its anchor and the file's skeleton, ``block_results.py``).  The key holds all of these; the findings are kept relative to the call's start and moved to where the
call now is.  A block whose findings reach outside its call is not kept.  Bounded like the assembler's own cache."""

from __future__ import annotations

from asm_ls.block_results import call_facts, inside, moved
from asm_ls.diagnostics import Diagnostic
from asm_ls.machine.cache import FindingsCache
from asm_ls.machine.generate import GeneratedBlock
from asm_ls.syntax.finder import MacroCall


def block_key(block: GeneratedBlock, source: bytes | None, context: tuple, pointer_types: tuple) -> tuple | None:
    """Everything a block's contract findings depend on (``context``: target, architecture, decoding target,
    features, rustc version; ``pointer_types``: what its inputs' pointer types are a function of, or those types);
    None without the file's text."""
    resolved = block.resolved
    call = resolved.block.call
    if source is None:
        return None
    start = call.start
    return (source[start:call.end], call_facts(call, start), resolved.configuration, resolved.arch,
            resolved.cfg_features, block.block_id, block.key(), (block.range[0] - start, block.range[1] - start),
            context, pointer_types)


class KeptFindings(FindingsCache):
    """The kept findings, relative to their call."""

    def get(self, key: tuple, start: int) -> list[Diagnostic] | None:     # type: ignore[override]
        found = super().get(key)
        return None if found is None else moved(found, start)

    def put(self, key: tuple, call: MacroCall, found: list[Diagnostic]) -> None:     # type: ignore[override]
        if all(inside(diagnostic, call.start, call.end) for diagnostic in found):
            super().put(key, moved(found, -call.start))


KEPT = KeptFindings()
