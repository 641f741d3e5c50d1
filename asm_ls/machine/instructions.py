"""What one block's statements assemble to, for hover: each template line's instructions as the semantics engine decodes them.

The block is the one the assembler ran when it has run on the text (``decoded.generated_for``: a label before each
template line), else generated the same way, and goes through the same cache (``decoded.decoded_blocks``): hovering a
block the assembler has assembled runs no rustc, hovering twice at most one.  Silent (None) when rustc is missing or
fails, when the block has front-end errors or does not assemble, for architectures no engine decodes and for
non-ELF targets."""

from __future__ import annotations

from dataclasses import dataclass, replace

from asm_ls.machine import backend
from asm_ls.machine.blocks import assemblable, block_id, compile_target, extra_features
from asm_ls.machine.decoded import decoded_blocks, generated_for
from asm_ls.machine.framing import framing
from asm_ls.machine.generate import GeneratedBlock, generate_block, labels_safe, statements, without_labels
from asm_ls.machine.semantics import Detail, available, details
from asm_ls.machine.substitute import Substituter
from asm_ls.model.arch import arch_data
from asm_ls.model.build import ResolvedBlock


@dataclass
class BlockInstructions:
    """A block's decoded instructions by template line (``generated.lines`` indexes)."""

    arch: str
    generated: GeneratedBlock
    lines: dict[int, list[Detail]]

    def at(self, offset: int) -> list[Detail]:
        """The instructions of the statement whose first character is at source byte ``offset``: the k-th instruction
        statement of its line when the line decodes to one instruction per statement, else all of its line's (a
        pseudo-instruction that expands to several, or an assembler choice the statements do not show)."""
        comments = tuple(arch_data(self.arch).data.get("line_comments", ()))
        for index, line in enumerate(self.generated.lines):
            column = next((column for column, origin in enumerate(line.origin)
                           if origin is not None and origin[0] <= offset < origin[1]), None)
            if column is None:
                continue
            found = self.lines.get(index, [])
            if not found:
                return []
            spans = [without_labels(line.text, first, last) for first, last in statements(line.text, comments)]
            spans = [(first, last) for first, last in spans
                     if first < last and not line.text[first:last].startswith(".")]
            if len(spans) == len(found):
                for (first, last), detail in zip(spans, found):
                    if first <= column < last:
                        return [detail]
            return found
        return []


def block_instructions(resolved: ResolvedBlock, source_data: bytes, settings,
                       timeout: float | None = None) -> BlockInstructions | None:
    """The decoded instructions of one block for the target ``settings`` give its architecture (this may run rustc:
    call it off the event loop)."""
    arch = resolved.arch
    data = arch_data(arch) if arch else None
    if data is None or not available(arch) or not assemblable(resolved, settings, None):
        return None
    rustc = backend.find_rustc(getattr(settings, "rustc", None))
    if rustc is None:
        return None
    timeout = timeout if timeout is not None else getattr(settings, "assemble_timeout", backend.DEFAULT_TIMEOUT)
    target = compile_target(resolved.target)
    frame = framing(target)
    if not frame.decodable:
        return None
    try:
        version = backend.version(rustc, timeout)
    except backend.BackendError:
        return None
    assembled = generated_for(source_data, target, version, resolved)
    if assembled is not None:
        generated, features = assembled     # the block of the assembler's run: its object is decoded already
    else:
        name = block_id(resolved, {})
        substituter = Substituter(resolved, target, name, source_data)
        generated = generate_block(resolved, substituter, name, bool(data.data.get("att_syntax")), frame,
                                   tuple(data.data.get("line_comments", ())))
        features = extra_features(target, [resolved])
    if generated is None or not labels_safe(generated):
        return None
    generated = replace(generated, line_labels=True)
    try:
        result = decoded_blocks([generated], rustc, target, arch, features, version, timeout)[0]
    except backend.BackendError:
        return None
    if result is None:
        return None
    code = result[0]
    found = details(arch, code.code, code.little, target, code)
    if found is None:
        return None
    lines: dict[int, list[Detail]] = {}
    for detail in found:
        line = code.line_at(detail.offset)
        if line is not None:
            lines.setdefault(line, []).append(detail)
    return BlockInstructions(arch, generated, lines)


__all__ = ["BlockInstructions", "block_instructions"]
