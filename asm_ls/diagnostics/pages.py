"""Where a code's documentation page is, for the links diagnostics carry (LSP
``codeDescription.href``).

The page is ``diagnostics.md`` beside this module: the same Markdown as the repository's
``docs/diagnostics.md``, both rendered by ``tools/gen_docs.py`` from ``codes.toml`` (the one
source), and installed with the package, so the link works offline and names the documentation
of the asm-ls that reported the finding.  A link is a ``file:`` URI with the line of the code's
section as its fragment (``#L120``, which VS Code opens at that line); None when the page is
not a file on disk (a zipped install).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

PAGE = "diagnostics.md"


def page_path() -> Path | None:
    found = resources.files("asm_ls.diagnostics").joinpath(PAGE)
    return Path(str(found)) if isinstance(found, Path) and found.is_file() else None


@functools.lru_cache(maxsize=1)
def _sections() -> tuple[str, dict[str, int]]:
    """The page's URI and the 1-based line of each code's heading (``### `code```)."""
    path = page_path()
    if path is None:
        return "", {}
    lines = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("### `") and line.endswith("`"):
            lines[line[5:-1]] = number
    return path.resolve().as_uri(), lines


def link(code: str) -> str | None:
    """The URI of ``code``'s section of the installed page; None when there is none."""
    uri, lines = _sections()
    line = lines.get(code)
    return f"{uri}#L{line}" if uri and line else None
