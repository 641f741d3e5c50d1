"""Canonical file paths (symbolic links resolved), shared by the module index and the manifest lookup.

Resolving a path looks at every one of its components; a workspace's files share their directories, so each
directory's resolution is remembered (like the manifests in ``cargo.py``) and only a path's last component is looked
at each time."""

from __future__ import annotations

import functools
from pathlib import Path


def resolved(path: Path | str) -> Path:
    """``Path(path).resolve()``, or ``absolute()`` where resolving fails."""
    if not isinstance(path, Path):
        path = Path(path)
    name = path.name
    if not path.is_absolute() or name in ("", ".", ".."):
        return _resolve(path)
    candidate = _resolved_directory(path.parent) / name
    try:
        if not candidate.is_symlink():
            return candidate
    except OSError:
        pass
    return _resolve(path)


@functools.lru_cache(maxsize=16384)
def _resolved_directory(directory: Path) -> Path:
    return resolved(directory)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
