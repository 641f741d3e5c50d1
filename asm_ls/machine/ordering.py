"""Instructions that order memory accesses, invalidate address translations or mask interrupts, from data (``asm_ls/data/ordering.json``, validated by
``schemas/ordering.schema.json``)."""

from __future__ import annotations

import functools
import json
from importlib import resources

from asm_ls.machine.semantics import Insn


@functools.lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    text = resources.files("asm_ls.data").joinpath("ordering.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["instructions"])


def ordering_kind(arch: str, insn: Insn) -> str | None:
    """``barrier``, ``translation`` or ``interrupts`` for an instruction that orders memory accesses, invalidates
    address translations or masks interrupts."""
    operands = insn.op_str.strip().lower()
    for entry in _entries():
        if arch in entry["arch"] and insn.mnemonic in entry["mnemonics"] \
                and any(operands.startswith(prefix) for prefix in entry.get("operands", [""])) \
                and operands not in entry.get("except_operands", ()):
            return entry["kind"]
    return None
