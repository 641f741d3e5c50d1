"""What the files around a checked file say about it: the cfgs of the ``mod`` declarations that
include it (and whether they reach a crate root), its crate root's features, its package's
edition and the targets its project builds for.  The CLI registers every file
it checks; the server loads the few files on the declaration path of an open document from
disk, lazily, and reloads one when it changes on disk or in the editor."""

from __future__ import annotations

import threading
from pathlib import Path

from asm_ls.analysis import FileContext
from asm_ls.model.cargo import edition_for
from asm_ls.model.modules import ModuleIndex
from asm_ls.model.project_build import project_build
from asm_ls.model.paths import resolved
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import SourceFile, read_source

_ROOT_NAMES = ("mod.rs", "lib.rs", "main.rs")
_MAX_FILE = 4 * 1024 * 1024


def _declares_the_same(stamp: object, data: bytes, parsed: ParsedFile | None) -> bool:
    """Whether the text ``data`` certainly tells the module index what the text registered before (whose ``stamp``
    is given) told it: it was parsed from that text, everything that changed lies inside one function body, and
    that body names no `mod` before or after (the index reads module declarations, also inside macro calls, and the
    crate's inner attributes, none of which an edit confined to a body without `mod` can change)."""
    if stamp is None or parsed is None or not parsed.reparsed or not parsed.describes(data):
        return False
    body = parsed.changed_body()
    earlier = parsed.previous_data
    if body is None or earlier is None or hash(earlier) != stamp:
        return False
    shift = len(data) - len(earlier)
    return b"mod" not in data[body[0]:body[1]] and b"mod" not in earlier[body[0]:body[1] - shift]


class Project:
    """``texts_final``: a file registered with its text (``add``, ``merge``) is never reloaded
    from disk (the CLI reads each file once; the server reloads a file that changed on disk)."""

    def __init__(self, texts_final: bool = False) -> None:
        self.index = ModuleIndex()
        self.texts_final = texts_final
        self._stamps: dict[Path, object] = {}
        self._lock = threading.Lock()

    def add(self, path: Path | str, source: SourceFile, parsed: ParsedFile | None = None) -> None:
        """Register a file whose text the caller already has (the CLI, an open editor buffer);
        ``parsed``: that text's parse, when the caller has one to share (it is only parsed if the
        text is new to the project)."""
        key = resolved(path)
        with self._lock:
            stamp = hash(source.data)
            if self._stamps.get(key) != stamp:
                if not _declares_the_same(self._stamps.get(key), source.data, parsed):
                    self.index.add(key, source, parsed=parsed, resolved_path=key)
                self._stamps[key] = stamp

    def merge(self, index: ModuleIndex) -> None:
        """Take in another index's files (a worker process's), as if they had been added here."""
        with self._lock:
            self.index.merge(index)
            for path in index.files:
                self._stamps.setdefault(path, "merged")

    def context_for(self, path: Path | str, load_parents: bool = True) -> FileContext:
        file = resolved(path)
        if load_parents:
            self._load_declaration_path(file)
        with self._lock:
            cfgs, features, lint_levels, module_known = self.index.context_of(file)
        return FileContext(cfgs, features, edition_for(file), lint_levels, module_known=module_known,
                           build=project_build(file), path=file)

    def _load_declaration_path(self, file: Path) -> None:
        seen: set[Path] = set()
        current = file
        while current not in seen and len(seen) < 64:
            seen.add(current)
            for candidate in _declaring_candidates(current):
                self._load_from_disk(candidate)
            if (current.parent / "Cargo.toml").exists() and current.name in ("lib.rs", "main.rs"):
                break
            parent = self._declaring_file(current)
            if parent is None:
                break
            current = parent

    def _declaring_file(self, file: Path) -> Path | None:
        with self._lock:
            declarations = self.index._declared.get(file)
        return declarations[0][0] if declarations else None

    def _load_from_disk(self, path: Path) -> None:
        try:
            stat = path.stat()
        except OSError:
            return
        if stat.st_size > _MAX_FILE:
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._stamps.get(path)
            if known == stamp or (self.texts_final and known is not None):
                return
        try:
            source = read_source(path)            # a FIFO named lib.rs must not block the analysis
        except (OSError, UnicodeDecodeError):
            return
        with self._lock:
            self._stamps[path] = stamp
            self.index.add(path, source)


def _declaring_candidates(file: Path) -> list[Path]:
    """Files that may hold the ``mod`` declaration of ``file``."""
    directory = file.parent
    if file.name in _ROOT_NAMES:
        directory = directory.parent
        if file.parent == directory:
            return []
        own = file.parent.name
        return [directory / name for name in _ROOT_NAMES] + [directory.parent / f"{directory.name}.rs",
                                                                directory / f"{own}.rs"][:1]
    return [directory / name for name in _ROOT_NAMES] + [directory.parent / f"{directory.name}.rs"]
