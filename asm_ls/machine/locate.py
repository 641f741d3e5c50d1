"""Where an instruction is in the source: the template characters of its statement, and its mnemonic as the template
writes it."""

from __future__ import annotations

import re

from asm_ls.machine.generate import GeneratedBlock, statements, without_labels
from asm_ls.machine.objects import BlockCode
from asm_ls.machine.semantics import Insn


_PREFIXES = {"rep", "repe", "repz", "repne", "repnz", "lock", "notrack", "bnd", "xacquire", "xrelease", "data16",
             "data32", "addr16", "addr32", "rex", "rex64", "cs", "ds", "es", "fs", "gs", "ss"}


def shown(mnemonic: str) -> str:
    """The mnemonic as the template spells it: RISC-V's compressed forms are chosen by the assembler (``li`` ->
    ``c.li``)."""
    return mnemonic[2:] if mnemonic.startswith("c.") else mnemonic


class Locator:
    """The template characters of an instruction: its line's statement (the k-th instruction statement of a line for
    the k-th instruction decoded from it when the counts agree), else the whole line, else the block's templates."""

    def __init__(self, block: GeneratedBlock, code: BlockCode, insns: list[Insn], comments: tuple[str, ...]) -> None:
        self.block = block
        self.comments = comments
        self.line_of = {id(insn): code.line_at(insn.offset) for insn in insns}
        self.per_line: dict[int, list[int]] = {}
        for insn in insns:
            line = self.line_of[id(insn)]
            if line is not None:
                self.per_line.setdefault(line, []).append(id(insn))

    def _statement(self, insn: Insn) -> tuple[object, int, int, bool] | None:
        """The instruction's line, its columns there, and whether they are its own statement."""
        line_index = self.line_of.get(id(insn))
        if line_index is None or not 0 <= line_index < len(self.block.lines):
            return None
        line = self.block.lines[line_index]
        found = [(first, last) for first, last in statements(line.text, self.comments)
                 if not line.text[first:last].startswith(".") and not line.text[first:last].rstrip().endswith(":")]
        found = [without_labels(line.text, first, last) for first, last in found]
        members = self.per_line.get(line_index, [])
        if len(found) == len(members) and id(insn) in members:
            return (line, *found[members.index(id(insn))], True)
        if found:
            return line, found[0][0], found[-1][1], len(found) == 1
        return line, 0, len(line.text), False

    def written(self, insn: Insn) -> str | None:
        """The mnemonic as the template writes it (``call`` for the ``jalr`` it ends with, ``csrrw`` for capstone's
        ``csrw``), when the instruction's statement is known and starts with a plain name that is not a prefix."""
        found = self._statement(insn)
        if found is None or not found[3]:
            return None
        line, first, last = found[:3]
        word = line.text[first:last].split(None, 1)[0] if line.text[first:last].strip() else ""
        plain = word.replace(".", "").replace("_", "").isalnum() and not word[:1].isdigit()
        return word.lower() if plain and word.lower() not in _PREFIXES else None

    def operands(self, insn: Insn) -> set[int] | None:
        """The operands whose placeholders the instruction's own statement holds; None when that is not known (the
        statement is not the instruction's alone, or the template is not a plain string literal)."""
        found = self._statement(insn)
        if found is None or not found[3]:
            return None
        line, first, last, _ = found
        origins = set(line.origin[first:last])
        out: set[int] = set()
        for placeholder in self.block.resolved.block.placeholders:
            if placeholder.operand is None:
                continue
            if (placeholder.start, placeholder.end) in origins:
                out.add(placeholder.operand)
            elif any(origin is not None and origin[0] <= placeholder.start and placeholder.end <= origin[1]
                     and origin != (placeholder.start, placeholder.end) for origin in origins):
                return None         # a template whose characters map to the whole literal: not known
        return out

    def literal_words(self, insn: Insn) -> set[str] | None:
        """The words the instruction's statement spells itself, outside placeholders (``ebx`` in ``mov {0}, ebx``);
        None when the statement is not known."""
        found = self._statement(insn)
        if found is None:
            return None
        line, first, last, _ = found
        spans = {(p.start, p.end) for p in self.block.resolved.block.placeholders}
        text = "".join(" " if origin in spans else char
                       for char, origin in zip(line.text[first:last], line.origin[first:last]))
        return {word.lower().lstrip("%$") for word in re.findall(r"[%$]?[A-Za-z_][\w.]*", text)}

    def range(self, insn: Insn) -> tuple[int, int]:
        found = self._statement(insn)
        if found is None:
            return self.block.range
        line, first, last, _ = found
        origins = [origin for origin in line.origin[first:last] if origin is not None]
        if not origins:
            return self.block.range
        return min(o[0] for o in origins), max(o[1] for o in origins)
