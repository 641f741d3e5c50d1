"""The assembler's findings carried over to a document's next text, so that they do not vanish between the front
end's publication and the assembler's (no flicker while typing).

After an assembler pass, its findings are kept per block, keyed by the block's text and its configurations, with
offsets relative to the block.  The first publication of a later text includes the kept findings of each block whose
text and configurations did not change, moved to where the block now is; the assembler's publication for that text
replaces them.  A block that changed loses its findings until the assembler has run on it again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from asm_ls.diagnostics import Diagnostic

if TYPE_CHECKING:
    from asm_ls.analysis import Settings
    from asm_ls.model.build import FileModel


def _blocks(model: FileModel, data: bytes) -> list[tuple[int, int, tuple]]:
    """The file's blocks in order: (start, end, key), the key being the block's text and its configurations."""
    configurations: dict[tuple[int, int], list] = {}
    for resolved in model.blocks:
        configurations.setdefault((resolved.block.start, resolved.block.end), []).append(resolved.configuration)
    return [(start, end, (data[start:end], tuple(found))) for (start, end), found in configurations.items()]


def _moved(diagnostic: Diagnostic, delta: int) -> Diagnostic:
    if not delta:
        return diagnostic
    return replace(diagnostic, start=diagnostic.start + delta, end=diagnostic.end + delta,
                   related=tuple(replace(r, start=r.start + delta, end=r.end + delta) for r in diagnostic.related))


@dataclass
class Carried:
    """One document's last assembler findings, by block (each a list: the same text may be written twice, matched
    in order), for the settings they were found with."""

    settings: Settings
    by_block: dict[tuple, list[list[Diagnostic]]]
    refuted: dict[tuple, list[tuple[str, ...]]] = None    # per block: the guessed architectures the pass refuted

    @classmethod
    def of(cls, model: FileModel, data: bytes, settings: Settings, found: list[Diagnostic],
           refuted: list[tuple[int, int, str]] = ()) -> Carried:
        """The findings of an assembler pass over ``data`` (relative to their block; one outside every block is
        not kept), and the guesses it refuted (``machine.assemble.Assembled.refuted``)."""
        by_block: dict[tuple, list[list[Diagnostic]]] = {}
        refuted_by_block: dict[tuple, list[tuple[str, ...]]] = {}
        for start, end, key in _blocks(model, data):
            inside = [_moved(d, -start) for d in found if start <= d.start < end]
            by_block.setdefault(key, []).append(inside)
            refuted_by_block.setdefault(key, []).append(tuple(arch for first, _, arch in refuted if first == start))
        return cls(settings, by_block, refuted_by_block)

    def refuted_in(self, model: FileModel, data: bytes, settings: Settings) -> list[tuple[int, int, str]]:
        """The refuted guesses of the unchanged blocks of the new text ``data``, as (start, end, architecture)."""
        return [(start, end, arch) for start, end, archs in self._unchanged(self.refuted, model, data, settings)
                for arch in archs]

    def carried_to(self, model: FileModel, data: bytes, settings: Settings) -> list[Diagnostic]:
        """The kept findings of the blocks of the new text ``data`` that are unchanged, moved to their new place;
        nothing when the settings changed."""
        return [_moved(d, start) for start, _, found in self._unchanged(self.by_block, model, data, settings)
                for d in found]

    def _unchanged(self, kept: dict[tuple, list] | None, model: FileModel, data: bytes, settings: Settings):
        """(start, end, entry) for each block of the new text ``data`` whose text and configurations are unchanged,
        with its entry in ``kept`` (the same text written twice: matched in order); nothing when the settings
        changed."""
        if settings is not self.settings or not kept:
            return
        seen: dict[tuple, int] = {}
        for start, end, key in _blocks(model, data):
            occurrences = kept.get(key)
            index = seen[key] = seen.get(key, -1) + 1
            if occurrences is not None and index < len(occurrences):
                yield start, end, occurrences[index]
