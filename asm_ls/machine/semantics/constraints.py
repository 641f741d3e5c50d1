"""Register fields whose number the encoding gives another meaning (``asm_ls/data/allocation.json``, ``encodings``):
s390x's `r0` as a base or index register is no register at all, and PowerPC's as the RA of a load, a store or
`addi` is the value 0; LoongArch's `csrxchg` with `$r0` or `$r1` as its mask is another instruction.  Each entry names the field by the role an engine gives it (``Insn.fields``) or by an
instruction and the position of its operand; :func:`annotate` puts the entries that apply to an instruction's
registers into ``Insn.constrained``, which the allocation rule reads (it reads no mnemonic)."""

from __future__ import annotations

import functools
import json
from importlib import resources

from asm_ls.machine.semantics.facts import machine_facts
from asm_ls.machine.semantics.records import Insn
from asm_ls.model.arch import arch_data


@functools.lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    text = resources.files("asm_ls.data").joinpath("allocation.json").read_text(encoding="utf-8")
    return tuple(json.loads(text).get("encodings", ()))


def annotate(arch: str, insns: list[Insn]) -> None:
    """Fill ``constrained`` for the instructions of one block of ``arch``."""
    entries = [entry for entry in _entries() if arch in entry["arch"]]
    if not entries:
        return
    for insn in insns:
        for entry in entries:
            if "field" in entry:
                insn.constrained += [(name, entry) for name, role in insn.fields if role == entry["field"]]
            elif insn.mnemonic in entry["instructions"]:
                operands = _operands(arch, insn)
                position = entry["operand"]
                if position < len(operands) and operands[position] is not None:
                    insn.constrained.append((operands[position], entry))


def _operands(arch: str, insn: Insn) -> list[str | None]:
    """The instruction's operands as the engine's text gives them, each a register of the architecture's data (with
    the assembler's register prefix) or None."""
    prefix, data = machine_facts(arch).register_prefix, arch_data(arch)
    out: list[str | None] = []
    for text in insn.op_str.split(","):
        word = text.strip().lower()
        if word.endswith(")") and "(" in word:
            word = word[word.index("(") + 1:-1]       # a displacement and its base register: `0x8(r4)`
        spelled = word if word.startswith(prefix) else prefix + word
        out.append(spelled if data is not None and data.canonical(spelled) is not None else None)
    return out


__all__ = ["annotate"]
