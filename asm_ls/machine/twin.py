"""Targets whose objects asm-ls does not read (COFF, Mach-O, XCOFF: Windows, Apple, AIX, arm64ec): their blocks are
assembled for an ELF target of the same architecture (the data's ``machine.elf_twin``), whose object it reads.  The
instructions are the same; the contract rules keep the block's own target (its registers, ABI and features)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from asm_ls.machine.framing import framing
from asm_ls.machine.generate import GeneratedBlock, reframe
from asm_ls.machine.semantics import machine_facts
from asm_ls.model.target import Target, parse_target
from asm_ls.model.target_data import arch_features, known_targets


def reads_objects_of(target: Target) -> bool:
    """Whether asm-ls reads the objects rustc writes for ``target`` (ELF)."""
    return not (target.is_like_windows or target.is_like_darwin or target.is_like_aix)


@dataclass
class Twin:
    """The ELF target a block is decoded for, with the features that give it the block's instructions, and the
    blocks framed for it."""

    target: Target
    features: list[str]
    blocks: list[GeneratedBlock]


def elf_twin(target: Target, arch: str, blocks: list[GeneratedBlock], features: list[str]) -> Twin | None:
    """The ELF stand-in for a target asm-ls does not read the objects of; None when the data names none."""
    triple = machine_facts(arch).elf_twin.get(arch)
    if triple is None or triple not in known_targets():
        return None
    twin = replace(parse_target(triple), cpu=target.cpu)
    known = arch_features(arch) or frozenset()
    extra = (set(target.features) - set(twin.features)) & known
    old, new = framing(target), framing(twin)
    return Twin(twin, sorted(set(features) | extra), [reframe(block, old, new) for block in blocks])


__all__ = ["Twin", "elf_twin", "reads_objects_of"]
