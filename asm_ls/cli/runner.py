"""Checking a list of files, in this process or in a pool of worker processes (``--jobs``).

Two passes, because a file's analysis needs what the other files declare about it (the ``mod``
declarations above it, its crate root's features):

1. every file is read, parsed and added to the module index;
2. the files that may have findings (:func:`asm_ls.analysis.mentions_inline_assembly`) are analysed with
   their context from the complete index (plus, from disk, the files that may declare them
   and were not given: a pre-commit run names only the changed files).

In this process, a file's parse is shared by both passes.  With workers, each pass is spread
over them (the second re-parses the few files with inline assembly; their parse cannot cross
processes), the index parts come back to be merged in file order, and the result is the same
as in one process: reports come sorted by path."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asm_ls.analysis import FileContext, Settings, analyze, mentions_inline_assembly
from asm_ls.cli.output import FileReport
from asm_ls.diagnostics import Diagnostic
from asm_ls.model.configurations import build_targets
from asm_ls.model.modules import ModuleIndex
from asm_ls.project import Project
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import SourceFile, read_source

SettingsFor = Callable[[Path], Settings]


@dataclass
class _Indexed:
    """What the first pass learnt about one file."""

    path: Path
    problem: str | None = None
    index: ModuleIndex | None = None      # a worker's index of this file alone
    data: bytes | None = None             # the text, when the file may have findings


def check_files(files: list[Path], settings_for: SettingsFor, jobs: int = 1) -> tuple[list[FileReport], list[str]]:
    """Reports for the readable files (sorted by path) and the problems (unreadable files,
    internal errors), each naming its file."""
    if jobs > 1 and len(files) > 1:
        reports, problems = _in_workers(files, settings_for, jobs)
    else:
        reports, problems = _in_process(files, settings_for)
    reports.sort(key=lambda report: Path(report.path))    # as the directory walk orders them
    _say_once(reports, "assembler-unavailable")
    return reports, problems


def _in_process(files: list[Path], settings_for: SettingsFor) -> tuple[list[FileReport], list[str]]:
    project = Project(texts_final=True)
    reports: list[FileReport] = []
    problems: list[str] = []
    pending: list[tuple[Path, SourceFile, ParsedFile]] = []
    for path in files:
        source, problem = _read(path)
        if source is None:
            problems.append(problem)
            continue
        parsed = ParsedFile(source.data)
        project.add(path, source, parsed)
        if mentions_inline_assembly(source.data):
            pending.append((path, source, parsed))
        else:
            reports.append(FileReport(str(path), None))
    for path, source, parsed in pending:
        context = project.context_for(path, load_parents=True)
        settings = settings_for(path)
        diagnostics, problem = _analyze(source, settings, context, parsed)
        reports.append(FileReport(str(path), source if diagnostics else None, diagnostics,
                                  build_targets(settings.targets, context.build).describe()))
        problems.extend([problem] if problem else [])
    return reports, problems


def _in_workers(files: list[Path], settings_for: SettingsFor, jobs: int) -> tuple[list[FileReport], list[str]]:
    project = Project(texts_final=True)
    reports: list[FileReport] = []
    problems: list[str] = []
    tasks = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, min(32, len(files) // (jobs * 4)))
        for found in pool.map(_index_one, files, chunksize=chunk):
            if found.problem is not None:
                problems.append(found.problem)
                continue
            project.merge(found.index)
            if found.data is None:
                reports.append(FileReport(str(found.path), None))
            else:
                tasks.append((found.path, found.data))
        # the contexts are complete only now that every file is indexed
        tasks = [(path, data, settings_for(path), project.context_for(path, load_parents=True))
                 for path, data in tasks]
        built_for = {path: build_targets(settings.targets, context.build).describe()
                     for path, _, settings, context in tasks}
        for path, data, diagnostics, problem in pool.map(_analyze_one, tasks):
            source = SourceFile(data, str(path))
            reports.append(FileReport(str(path), source if diagnostics else None, diagnostics, built_for[path]))
            problems.extend([problem] if problem else [])
    return reports, problems


def _index_one(path: Path) -> _Indexed:
    """First pass in a worker: the file's module index entries."""
    source, problem = _read(path)
    if source is None:
        return _Indexed(path, problem)
    index = ModuleIndex()
    index.add(path.resolve(), source, parsed=ParsedFile(source.data))
    return _Indexed(path, index=index, data=source.data if mentions_inline_assembly(source.data) else None)


def _analyze_one(task: tuple[Path, bytes, Settings, FileContext]) -> tuple[Path, bytes, list[Diagnostic], str | None]:
    """Second pass in a worker."""
    path, data, settings, context = task
    diagnostics, problem = _analyze(SourceFile(data, str(path)), settings, context, None)
    return path, data, diagnostics, problem


def _analyze(source: SourceFile, settings: Settings, context: FileContext,
             parsed: ParsedFile | None) -> tuple[list[Diagnostic], str | None]:
    """The file's diagnostics; an internal error becomes a problem naming the file, and the
    other files are still checked."""
    try:
        return analyze(source, settings, context, parsed).diagnostics, None
    except Exception as error:       # a bug in asm-ls: say where, keep going
        where = traceback.extract_tb(error.__traceback__)[-1]
        return [], (f"{source.path}: internal error ({type(error).__name__}: {error}, at "
                    f"{Path(where.filename).name}:{where.lineno}); please report it")


def _read(path: Path) -> tuple[SourceFile | None, str | None]:
    try:
        return read_source(path), None          # never blocks on a FIFO
    except OSError as error:
        return None, f"{path}: cannot read: {error.strerror or error}"
    except UnicodeDecodeError as error:
        return None, f"{path}: not valid UTF-8 (byte {error.start}); file skipped"


def _say_once(reports: list[FileReport], code: str) -> None:
    """Keep only the first report's diagnostic with this code (a note about the machine, not
    about a file: "no assembler" is said once per run)."""
    said = False
    for report in reports:
        if said:
            report.diagnostics = [d for d in report.diagnostics if d.code != code]
        said |= any(d.code == code for d in report.diagnostics)
