"""Inlay hints: after a positional placeholder (``{}``, ``{0}``, ``{1:e}``) the operand it binds,
``: x`` (its expression when short) or ``: reg`` (its register class or register)."""

from __future__ import annotations

from dataclasses import dataclass

from asm_ls.ide.navigation import is_exact
from asm_ls.model.block import Operand
from asm_ls.model.build import FileModel

MAX_EXPRESSION = 24


@dataclass(frozen=True, order=True)
class InlayHint:
    offset: int         # right after the placeholder's `}`
    label: str
    tooltip: str


def inlay_hints(model: FileModel, start: int = 0, end: int | None = None) -> list[InlayHint]:
    end = len(model.source.data) if end is None else end
    found: dict[int, InlayHint] = {}
    for resolved in model.blocks:
        block = resolved.block
        if block.end < start or block.start > end:
            continue
        for placeholder in block.placeholders:
            if placeholder.name is not None or placeholder.operand is None \
                    or placeholder.operand >= len(block.operands) or not is_exact(resolved, placeholder):
                continue
            if not start <= placeholder.end <= end or placeholder.end in found:
                continue
            operand = block.operands[placeholder.operand]
            found[placeholder.end] = InlayHint(placeholder.end, ": " + _label(model, operand),
                                               model.source.text(operand.start, operand.end))
    return sorted(found.values())


def _label(model: FileModel, operand: Operand) -> str:
    text = operand.expr.text(model.source.data) if operand.expr is not None else ""
    if operand.split:
        text += " => " + (operand.out_expr.text(model.source.data) if operand.out_expr is not None else "_")
    if text and len(text) <= MAX_EXPRESSION and "\n" not in text and "\r" not in text:
        return text
    if operand.reg is not None:
        return model.source.text(operand.reg.start, operand.reg.end)
    return operand.kind
