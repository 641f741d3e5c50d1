"""Which files ``--check`` reads: the given files, and ``.rs`` files below given directories,
skipping ``target/``, hidden directories and ``.gitignore``d paths."""

from __future__ import annotations

import os
from pathlib import Path

from asm_ls.config.globs import IgnoreRules


def _read_ignore(directory: Path) -> IgnoreRules | None:
    ignore_file = directory / ".gitignore"
    try:
        return IgnoreRules(directory, ignore_file.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return None


def discover(paths: list[str], follow_symlinks: bool = False) -> tuple[list[Path], list[str]]:
    """Files to check, and problems (missing paths) to report."""
    files: list[Path] = []
    problems: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(_walk(path, follow_symlinks))
        else:
            problems.append(f"{name}: no such file or directory")
    seen: set[Path] = set()
    unique = []
    for file in files:
        key = file.resolve() if follow_symlinks else file
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, problems


def _walk(root: Path, follow_symlinks: bool) -> list[Path]:
    found: list[Path] = []
    root_real = root.resolve()
    ignores: list[IgnoreRules] = []
    stack: list[tuple[Path, list[IgnoreRules]]] = [(root, ignores)]
    while stack:
        directory, inherited = stack.pop()
        own = _read_ignore(directory)
        active = inherited + ([own] if own else [])
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and not follow_symlinks:
                continue
            is_dir = entry.is_dir()
            if entry.name.startswith(".") or (is_dir and entry.name == "target"):
                continue
            if _is_ignored(active, path, is_dir):
                continue
            if is_dir:
                if follow_symlinks and not path.resolve().is_relative_to(root_real) and entry.is_symlink():
                    continue
                stack.append((path, active))
            elif entry.name.endswith(".rs"):
                found.append(path)
    return sorted(found)


def _is_ignored(ignores: list[IgnoreRules], path: Path, is_dir: bool) -> bool:
    verdict = False
    for ignore in ignores:
        result = ignore.ignored(path, is_dir)
        if result is not None:
            verdict = result
    return verdict
