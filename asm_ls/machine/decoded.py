"""Each assembled block's machine code, decoded once and shared by the assembler's run, the contract analysis and hover.

The assembler's own rustc run (``assemble.py``) generates the blocks an engine decodes (``semantics``) with line labels
(``GeneratedBlock.line_labels``) and keeps its object: :func:`remember_object` decodes them from it, so the contract
analysis (``contract.py``) and hover (``instructions.py``) find them here and run rustc again only for what is missing
(after a failed run, which writes no object).  :func:`remember_generated` keeps, for the files assembled last, each
block as the assembler generated it (its symbol names and the features of its whole file), so that hover asks for the
very block the assembler ran.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from asm_ls.machine import backend
from asm_ls.machine.generate import GeneratedBlock, generate_crate
from asm_ls.machine.objects import BlockCode, ObjectError, block_code, read_elf
from asm_ls.machine.semantics import Decoded, decode_block
from asm_ls.model.build import ResolvedBlock
from asm_ls.model.target import Target

BlockDecoding = tuple[BlockCode, Decoded]

_CACHE: dict[tuple, BlockDecoding | None] = {}
_CACHE_LIMIT = 4096
_GENERATED: OrderedDict[tuple, dict[tuple[int, int], tuple[GeneratedBlock, tuple[str, ...]]]] = OrderedDict()
_GENERATED_FILES = 64
_LOCK = threading.Lock()


def decoded_blocks(blocks: list[GeneratedBlock], rustc: str, target: Target, arch: str, features: list[str],
                   version: str, timeout: float = backend.DEFAULT_TIMEOUT) -> list[BlockDecoding | None]:
    """Each block's machine code and decoded instructions (``blocks`` generated with ``line_labels``), from the cache,
    the others from one rustc run; None for a block that did not assemble (a block that does not fully decode has an
    incomplete :class:`Decoded` saying why).  Raises
    :class:`backend.BackendError` when rustc cannot be run."""
    context = _context(target, features, version)
    with _LOCK:
        missing = [block for block in blocks if (block.key(), context) not in _CACHE]
    if missing:
        run = backend.compile_crate(rustc, generate_crate(missing), target.triple, arch, features, timeout,
                                    keep_object=True, cpu=target.cpu)
        _store(missing, _decode_object(run.object, missing, arch, target), context)
    with _LOCK:
        return [_CACHE.get((block.key(), context)) for block in blocks]


def remember_object(blocks: list[GeneratedBlock], data: bytes, target: Target, arch: str, features: list[str],
                    version: str) -> None:
    """Decode the labelled ones among ``blocks`` from the object of a successful run over all of them."""
    labelled = [block for block in blocks if block.line_labels]
    if labelled:
        _store(labelled, _decode_object(data, labelled, arch, target), _context(target, features, version))


def remember_generated(source_data: bytes, target: Target, version: str, blocks: list[GeneratedBlock],
                       features: list[str]) -> None:
    """The blocks the assembler generated for one file, target and rustc, with the features it assembled them with."""
    key = (source_data, target.triple, target.cpu, version)
    entry = {(block.resolved.block.start, block.resolved.block.end): (block, tuple(features)) for block in blocks}
    with _LOCK:
        _GENERATED[key] = entry
        _GENERATED.move_to_end(key)
        while len(_GENERATED) > _GENERATED_FILES:
            _GENERATED.popitem(last=False)


def generated_for(source_data: bytes, target: Target, version: str, resolved: ResolvedBlock) \
        -> tuple[GeneratedBlock, list[str]] | None:
    """The block as the assembler last generated it for this text, target and rustc, and its features; None when the
    assembler has not run on it."""
    with _LOCK:
        entry = _GENERATED.get((source_data, target.triple, target.cpu, version))
    found = entry.get((resolved.block.start, resolved.block.end)) if entry is not None else None
    if found is None or found[0].resolved.arch != resolved.arch:
        return None
    return found[0], list(found[1])


def _context(target: Target, features: list[str], version: str) -> tuple:
    return target.triple, target.cpu, tuple(features), version


def _store(blocks: list[GeneratedBlock], results: list[BlockDecoding | None], context: tuple) -> None:
    with _LOCK:
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        for block, result in zip(blocks, results):
            _CACHE[(block.key(), context)] = result


def _decode_object(data: bytes | None, blocks: list[GeneratedBlock], arch: str, target: Target) \
        -> list[BlockDecoding | None]:
    if data is None:
        return [None] * len(blocks)
    try:
        obj = read_elf(data)
    except ObjectError:
        return [None] * len(blocks)
    out: list[BlockDecoding | None] = []
    for block in blocks:
        code = block_code(obj, block.block_id)
        code = code.without_trailing_data() if code is not None else None
        # A block whose bytes do not all decode (data, an encoding the engine does not know) keeps the reason.
        out.append((code, decode_block(arch, target, code)) if code is not None else None)
    return out


__all__ = ["decoded_blocks", "generated_for", "remember_generated", "remember_object"]
