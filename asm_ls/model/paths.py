"""Canonical file paths (symbolic links resolved), shared by the module index and the manifest lookup.

Resolving a path looks at every one of its components; a workspace's files share their directories, so each
directory's resolution is remembered (like the manifests in ``cargo.py``) and only a path's last component is looked
at each time (a file that is not a link stands for itself: its ``Path`` is made once and reused)."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


def resolved(path: Path | str) -> Path:
    """``Path(path).resolve()``, or ``absolute()`` where resolving fails."""
    text = os.fspath(path)
    directory, name = os.path.split(text)
    if not os.path.isabs(text) or name in ("", ".", ".."):
        return _resolve(Path(text))
    parent, parent_text = _resolved_directory(directory)
    candidate = os.path.join(parent_text, name)
    try:
        link = stat.S_ISLNK(os.lstat(candidate).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        link = False
    except OSError:
        link = True         # let Path.resolve decide
    if link:
        return _resolve(Path(text))
    # Not a link: the answer is ``candidate`` itself, as a Path made once (``parent / name`` does not parse the
    # directory again) and kept, with its hash, for the next time (the same files are asked about again and again).
    found = _NOT_LINKS.get(candidate)
    if found is None:
        if len(_NOT_LINKS) >= _NOT_LINKS_KEPT:
            _NOT_LINKS.clear()
        found = _NOT_LINKS[candidate] = parent / name
    return found


_NOT_LINKS: dict[str, Path] = {}
_NOT_LINKS_KEPT = 65536


@functools.lru_cache(maxsize=16384)
def _resolved_directory(directory: str) -> tuple[Path, str]:
    path = resolved(directory)
    return path, str(path)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
