"""What Cargo manifests say about a file: the edition of the package it belongs to."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from asm_ls.model.paths import resolved
from asm_ls.syntax.source import read_regular_file


@functools.lru_cache(maxsize=4096)
def _manifest(directory: Path) -> dict | None:
    path = directory / "Cargo.toml"
    try:
        return tomllib.loads(read_regular_file(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def edition_for(file: Path | str) -> str | None:
    """The package edition (Cargo's default 2015 when a package names none); None for files
    outside any package (the configured edition applies)."""
    path = resolved(file)
    for directory in path.parents:
        manifest = _manifest(directory)
        if manifest is None or "package" not in manifest:
            continue
        edition = manifest["package"].get("edition", "2015")
        if isinstance(edition, dict) and edition.get("workspace"):
            return _workspace_edition(directory) or "2015"
        return str(edition)
    return None


def _workspace_edition(package_dir: Path) -> str | None:
    for directory in package_dir.parents:
        manifest = _manifest(directory)
        if manifest is not None and "workspace" in manifest:
            edition = manifest["workspace"].get("package", {}).get("edition")
            return str(edition) if edition else None
    return None
