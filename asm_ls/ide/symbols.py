"""Document symbols: one per inline-assembly call, named after the macro and the architectures it
is checked for, with its named operands as children."""

from __future__ import annotations

from dataclasses import dataclass, field

from asm_ls.model.block import Operand
from asm_ls.model.build import FileModel, ResolvedBlock


@dataclass
class Symbol:
    name: str
    kind: str               # "function" (global_asm!, naked_asm!: they define code) | "event" (asm!) | "variable"
    start: int              # the whole call / operand
    end: int
    selection_start: int    # the macro path / operand name
    selection_end: int
    detail: str | None = None
    children: list["Symbol"] = field(default_factory=list)


def document_symbols(model: FileModel) -> list[Symbol]:
    symbols = []
    for call in model.calls:
        resolutions = [resolved for resolved in model.blocks if resolved.block.call is call]
        symbols.append(_call_symbol(model, call, resolutions))
    return symbols


def _call_symbol(model: FileModel, call, resolutions: list[ResolvedBlock]) -> Symbol:
    architectures = resolutions[0].block.architectures if resolutions else []
    name = f"{call.kind}!" + (f" ({', '.join(architectures)})" if architectures else "")
    bang = model.source.data.find(b"!", call.start, call.end)
    selection_end = bang + 1 if bang >= 0 else call.end
    detail = f"in fn {call.function.name}" if call.function is not None and call.function.name else None
    children = []
    seen: set[tuple[int, int]] = set()
    for resolved in resolutions:
        for operand in resolved.block.operands:
            if operand.name is None or (operand.name_start, operand.name_end) in seen:
                continue
            seen.add((operand.name_start, operand.name_end))
            children.append(_operand_symbol(model, operand))
    children.sort(key=lambda symbol: symbol.start)
    return Symbol(name, "event" if call.kind == "asm" else "function", call.start, call.end,
                  call.start, selection_end, detail, children)


def _operand_symbol(model: FileModel, operand: Operand) -> Symbol:
    detail = operand.kind
    if operand.reg is not None:
        detail += "(" + model.source.text(operand.reg.start, operand.reg.end) + ")"
    return Symbol(operand.name or "", "variable", operand.start, operand.end,
                  operand.name_start, operand.name_end, detail)
