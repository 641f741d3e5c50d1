"""Shared helpers for the machine tests: build a file's model and its generated blocks."""

from __future__ import annotations

import shutil

from asm_ls.analysis import Settings, analyze
from asm_ls.machine.blocks import block_id, compile_target
from asm_ls.machine.framing import framing
from asm_ls.machine.generate import generate_block
from asm_ls.machine.substitute import Substituter
from asm_ls.model.arch import arch_data
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile


def source(text: str) -> SourceFile:
    return SourceFile(text.encode("utf-8"), "test.rs")


def settings(*targets: str, **extra) -> Settings:
    result = Settings(targets=[parse_target(t) for t in targets or ("x86_64-unknown-linux-gnu",)])
    for key, value in extra.items():
        setattr(result, key, value)
    return result


def blocks(text: str, arch: str = "x86_64", *targets: str):
    """(source, resolved blocks for ``arch``)."""
    src = source(text)
    result = analyze(src, settings(*targets))
    return src, [b for b in result.model.blocks if b.arch == arch]


def substituter(text: str, arch: str = "x86_64", *targets: str, index: int = 0) -> Substituter:
    src, found = blocks(text, arch, *targets)
    resolved = found[index]
    return Substituter(resolved, compile_target(resolved.target), "b", src.data)


def generated(text: str, arch: str = "x86_64", *targets: str, index: int = 0):
    src, found = blocks(text, arch, *targets)
    resolved = found[index]
    target = compile_target(resolved.target)
    data = arch_data(arch)
    sub = Substituter(resolved, target, block_id(resolved, {}), src.data)
    return src, generate_block(resolved, sub, sub.block_id, bool(data.data.get("att_syntax")), framing(target),
                               tuple(data.data.get("line_comments", ())))


def rendered(text: str, arch: str = "x86_64", *targets: str) -> list[str]:
    """Every placeholder of the first block, rendered."""
    sub = substituter(text, arch, *targets)
    return [sub.render(p).text for p in sub.resolved.block.placeholders]


def rustc_missing() -> str | None:
    return None if shutil.which("rustc") else "rustc is not on PATH"
