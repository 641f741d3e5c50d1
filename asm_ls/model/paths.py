"""Canonical file paths (symbolic links resolved), shared by the module index and the manifest lookup.

Resolving a path looks at every one of its components; a workspace's files share their directories, so each
directory's resolution is remembered (like the manifests in ``cargo.py``) and only a path's last component is looked
at each time."""

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
    try:
        link = stat.S_ISLNK(os.lstat(os.path.join(parent_text, name)).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        link = False
    except OSError:
        link = True         # let Path.resolve decide
    # ``parent / name``: the same path as ``Path(join(parent_text, name))``, without parsing the directory again.
    return _resolve(Path(text)) if link else parent / name


@functools.lru_cache(maxsize=16384)
def _resolved_directory(directory: str) -> tuple[Path, str]:
    path = resolved(directory)
    return path, str(path)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
