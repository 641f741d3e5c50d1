"""The diagnostic record.  Positions are byte offsets into the file until output, where the one
source map (:class:`asm_ls.syntax.source.SourceFile`) turns them into LSP ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Related:
    start: int
    end: int
    message: str


@dataclass
class Diagnostic:
    code: str
    message: str
    start: int
    end: int
    severity: str = ""              # filled from the registry when empty
    related: tuple[Related, ...] = ()
    notes: tuple[str, ...] = ()
    target: str | None = None       # the architecture the block was checked for
    data: dict[str, Any] = field(default_factory=dict)   # machine-readable details
    fix: Any = None                 # what its quick fix does: a spec of asm_ls.diagnostics.fix

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.start, self.end, self.code, self.message)
