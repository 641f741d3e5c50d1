"""Which blocks are assembled, for which built-in target and with which features, and the name of each block's
generated symbols: shared by the assembler's run (``assemble.py``), the contract analysis and instruction hover
(``instructions.py``), so they all ask for the very same block."""

from __future__ import annotations

import zlib
from dataclasses import replace

from asm_ls.checks.assumed import CODE as ASSUMED
from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.codes import severity_of
from asm_ls.model.arch import arch_data
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target, default_target
from asm_ls.model.target_data import default_triple, known_targets


def assemblable(resolved: ResolvedBlock, settings, front_end: list[Diagnostic] | None) -> bool:
    block = resolved.block
    if resolved.arch is None or arch_data(resolved.arch) is None or block.parse_errors or block.errors \
            or block.unknown_args or block.unknown_template or not block.templates:
        return False
    if front_end is None:
        front_end = front_end_findings(resolved, settings)
    for diagnostic in front_end:
        # A block with front-end errors, or taken as written for another architecture, is not assembled here.
        if (diagnostic.severity or severity_of(diagnostic.code)) != "error" and diagnostic.code != ASSUMED:
            continue
        if diagnostic.target and resolved.arch not in diagnostic.target.split(", "):
            continue
        if block.start <= diagnostic.start < block.end:
            return False
    return True


def front_end_findings(resolved: ResolvedBlock, settings) -> list[Diagnostic]:
    from asm_ls.checks.expansion import check_expansion
    from asm_ls.checks.registers import check_registers
    diagnostics = check_expansion(resolved)
    if any((d.severity or severity_of(d.code)) == "error" for d in diagnostics):
        return diagnostics
    return check_registers(resolved, resolved.target, None)


def compile_target(target: Target) -> Target:
    """The built-in target to assemble for: the configured triple, else the architecture's usual one; with the CPU
    of the settings, else the architecture's ``assemble_cpu`` (a target rustc builds for no CPU by default)."""
    data = arch_data(target.arch)
    if not target.cpu and data is not None and data.data.get("assemble_cpu"):
        target = replace(target, cpu=data.data["assemble_cpu"])
    if target.triple:
        return target
    usual = default_target(target.arch)
    if not usual.known:
        return replace(target, triple=default_triple(target.arch) or target.arch)
    return replace(usual, explicit=target.explicit, cpu=target.cpu, features=usual.features | target.features,
                   features_complete=target.features_complete)


def extra_features(target: Target, blocks: list[ResolvedBlock]) -> list[str]:
    """Features beyond the target's defaults: the user's and the blocks' own (their functions' and cfgs'; LLVM checks
    instructions against them)."""
    defaults = set(known_targets().get(target.triple, {}).get("features", ()))
    extra = set(target.features) - defaults
    for resolved in blocks:
        extra.update(resolved.own_features)
    return sorted(extra)


def block_id(resolved: ResolvedBlock, seen: dict[str, int]) -> str:
    """A name for the block's generated symbols that does not change when other blocks move."""
    block = resolved.block
    text = repr(([piece.decoded.value for piece in block.templates],
                 [(op.kind, op.reg.name if op.reg else None) for op in block.operands], sorted(block.option_names)))
    base = f"{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"
    seen[base] = seen.get(base, -1) + 1
    return base if not seen[base] else f"{base}_{seen[base]}"


__all__ = ["assemblable", "block_id", "compile_target", "extra_features", "front_end_findings"]
