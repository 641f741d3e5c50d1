"""How a block is framed in the generated crate for the target's object format (asm_ls/data/object_formats.json):
the directives around ``asm!``/``global_asm!`` blocks, the shape rustc gives naked functions, CFI frames."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from asm_ls.model.arch import arch_data
from asm_ls.model.target import Target


@functools.lru_cache(maxsize=1)
def _formats() -> dict:
    text = resources.files("asm_ls.data").joinpath("object_formats.json").read_text(encoding="utf-8")
    return json.loads(text)["formats"]


@dataclass(frozen=True)
class Framing:
    """One object format's framing on one architecture."""

    format: str
    data: dict
    type_marker: str        # the ELF type marker: `%` where `@` starts a comment (ARM), else `@`

    @property
    def cfi_frames(self) -> bool:
        return self.data["cfi_frames"]

    @property
    def decodable(self) -> bool:
        return self.data["decodable"]

    def block(self, block_id: str, naked: bool) -> tuple[list[str], list[str]]:
        """The lines before and after a block's template; ``naked``: a ``naked_asm!`` block, framed as rustc frames
        a naked function."""
        frame = self.data["naked_functions" if naked else "blocks"]
        return [self._fill(line, block_id) for line in frame["begin"]], [self._fill(line, block_id)
                                                                         for line in frame["end"]]

    def _fill(self, line: str, block_id: str) -> str:
        return line.replace("{name}", naked_symbol(block_id)).replace("{id}", block_id) \
            .replace("{type}", self.type_marker)


def naked_symbol(block_id: str) -> str:
    return f"asmls_naked_{block_id}"


def framing(target: Target) -> Framing:
    """The framing for ``target`` (an unknown object format is framed as ELF, rustc's default)."""
    formats = _formats()
    name = target.binary_format if target.binary_format in formats else "elf"
    data = arch_data(target.arch)
    comments = data.data.get("line_comments", ()) if data is not None else ()
    return Framing(name, formats[name], "%" if "@" in comments else "@")
