"""gitignore-style path patterns: the ``exclude`` setting and ``.gitignore`` files.

The subset that matters for a source tree: names and globs (matching a file or directory name at
any depth), directory-only patterns (``build/``), anchored paths (``src/gen/*.rs``, ``/x.rs``),
``**/`` prefixes and ``!`` negations; the last matching pattern decides."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path


class IgnoreRules:
    def __init__(self, base: Path, lines: list[str] | tuple[str, ...]) -> None:
        self.base = base
        self.rules: list[tuple[str, bool, bool, bool]] = []
        for line in lines:
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:]
            directory_only = line.endswith("/")
            line = line.rstrip("/")
            while line.startswith("**/"):
                line = line[3:]
            anchored = "/" in line
            self.rules.append((line.lstrip("/"), negate, directory_only, anchored))

    def ignored(self, path: Path, is_dir: bool) -> bool | None:
        """True or False when a pattern matches ``path`` itself (not its directories), None
        when none does or the path is not below the base."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        verdict = None
        for pattern, negate, directory_only, anchored in self.rules:
            if directory_only and not is_dir:
                continue
            if _glob(pattern, anchored).fullmatch(relative if anchored else path.name):
                verdict = not negate
        return verdict

    def excludes(self, path: Path) -> bool:
        """Whether the file ``path`` or one of its directories below the base is matched."""
        try:
            parts = path.relative_to(self.base).parts
        except ValueError:
            return False
        for depth in range(1, len(parts) + 1):
            if self.ignored(self.base.joinpath(*parts[:depth]), is_dir=depth < len(parts)):
                return True
        return False


def _glob(pattern: str, anchored: bool) -> re.Pattern:
    """A pattern as a regular expression: ``*`` and ``?`` stay within one path component, ``**``
    spans components; an anchored pattern also matches everything below what it matches."""
    parts = []
    for token in re.split(r"(/\*\*/|\*\*/|/\*\*|\*\*|\*|\?)", pattern):
        parts.append({"/**/": "/(?:.*/)?", "**/": "(?:.*/)?", "/**": "/.*", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token)
                     or fnmatch.translate(token)[4:-3])
    return re.compile("".join(parts) + ("(?:/.*)?" if anchored else ""), re.DOTALL)
