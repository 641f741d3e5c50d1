"""What rustc rejects when it lowers a block, independent of the architecture: unstable
options and operand combinations, and template modifiers on operands that take none."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic, fix
from asm_ls.model.build import ResolvedBlock

_NO_MODIFIER_KINDS = ("const", "sym", "label")


def check_lowering(resolved: ResolvedBlock, crate_features: frozenset[str] | None) -> list[Diagnostic]:
    """``crate_features`` None: the crate root is not known, so feature gates stay silent."""
    block = resolved.block
    out: list[Diagnostic] = []
    gated = crate_features is not None
    if "may_unwind" in block.option_names and gated and "asm_unwind" not in crate_features:
        out.append(Diagnostic("may-unwind-unstable", "the `may_unwind` option is unstable", block.start, block.end))
    for placeholder in block.placeholders:
        if placeholder.operand is None or placeholder.modifier is None or len(placeholder.modifier) != 1:
            continue
        operand = block.operands[placeholder.operand]
        if operand.kind in _NO_MODIFIER_KINDS:
            out.append(Diagnostic("modifier-not-allowed",
                                  f"asm template modifiers are not allowed for `{operand.kind}` arguments",
                                  placeholder.start, placeholder.end,
                                  fix=fix.RemoveModifier()))
    labels = [operand for operand in block.operands if operand.kind == "label"]
    if labels and any(operand.has_real_output for operand in block.operands) and gated \
            and "asm_goto_with_outputs" not in crate_features:
        out.append(Diagnostic("label-with-outputs-unstable",
                              "using both label and output operands for inline assembly is unstable",
                              labels[0].start, labels[0].end))
    return out
