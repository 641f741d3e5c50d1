"""Which files ``--check`` reads: the given files, and ``.rs`` files below given directories,
skipping ``target/``, hidden directories and ``.gitignore``d paths."""

from __future__ import annotations

import os
from pathlib import Path

from asm_ls.config.globs import IgnoreRules
from asm_ls.syntax.source import read_regular_file


def _read_ignore(directory: Path) -> IgnoreRules | None:
    ignore_file = directory / ".gitignore"
    try:
        text = read_regular_file(ignore_file).decode("utf-8", "replace")     # a FIFO is not read
        return IgnoreRules(directory, text.splitlines())
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
        elif path.exists():
            problems.append(f"{name}: not a regular file or directory")     # a FIFO, a device: never read
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
    visited: set[Path] = set()          # real directories walked: a symbolic link loop is walked once
    while stack:
        directory, inherited = stack.pop()
        if follow_symlinks:
            real = directory.resolve()
            if real in visited:
                continue
            visited.add(real)
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
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()       # FIFOs and devices are neither: never read
            except OSError:                     # a link loop, a vanished entry
                continue
            if entry.name.startswith(".") or (is_dir and entry.name == "target"):
                continue
            if _is_ignored(active, path, is_dir):
                continue
            if is_dir:
                if follow_symlinks and not path.resolve().is_relative_to(root_real) and entry.is_symlink():
                    continue
                stack.append((path, active))
            elif is_file and entry.name.endswith(".rs"):
                found.append(path)
    return sorted(found)


def _is_ignored(ignores: list[IgnoreRules], path: Path, is_dir: bool) -> bool:
    verdict = False
    for ignore in ignores:
        result = ignore.ignored(path, is_dir)
        if result is not None:
            verdict = result
    return verdict
