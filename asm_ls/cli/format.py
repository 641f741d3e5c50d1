"""``asm-ls format [--check] [--diff] [PATH...]``: format the inline-assembly templates of files (as
``ruff format``: files are rewritten in place; ``--check`` lists the files that would change and exits 1
when there are any; ``--diff`` prints the changes as a unified diff instead, and exits 1 too).

The files and their settings are found as ``asm-ls check`` finds them; each file is analysed with what its
project says about it, then formatted by :func:`asm_ls.ide.formatting.format_model`.  A block whose format is
not applied (it cannot be assembled and compared: no rustc, errors, unknown text) is named on standard error
with the reason."""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import replace
from pathlib import Path

EXIT_CLEAN, EXIT_CHANGES, EXIT_USAGE = 0, 1, 2


def format_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asm-ls format",
        description="Format the inline-assembly templates of files or directories (recursively, default: .): one "
                    "instruction per string literal, one space after labels, mnemonics and commas. A block is "
                    "changed only when it assembles to the same bytes before and after (through rustc). Exit: 0, "
                    "1 with --check or --diff when some file would change, 2 usage or input problems.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to format (default: .)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list the files that would change and exit 1 if there are any")
    parser.add_argument("--diff", action="store_true",
                        help="change nothing; print the changes as a unified diff and exit 1 if there are any")
    parser.add_argument("--target", action="append", default=[], metavar="TRIPLE|ARCH",
                        help="target to assemble blocks for when #[cfg] does not decide (repeatable; default: the "
                             "settings file's, else the host)")
    parser.add_argument("--target-feature", action="append", default=[], metavar="+FEATURE,-FEATURE",
                        help="enable or disable target features, as rustc's -C target-feature")
    parser.add_argument("--target-cpu", metavar="CPU", help="the CPU to assemble for, as rustc's -C target-cpu")
    parser.add_argument("--cfg", action="append", default=[], metavar="SPEC",
                        help="a cfg to take as set, as rustc's --cfg (repeatable)")
    parser.add_argument("--rustc", metavar="PATH", help="the rustc that assembles (default: rustc on PATH)")
    parser.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links below the given paths")
    parser.add_argument("--quiet", "-q", action="store_true", help="print no summary and no notes")
    parser.set_defaults(no_assemble=False)
    return parser


def formatted_files(files: list[Path], settings_for):
    """For each readable file that may hold inline assembly: (path, source, its analysis, its format), after
    every file is indexed (a file's blocks are placed with what its project says); unreadable files as
    (path, None, problem, None)."""
    from asm_ls.analysis import analyze, mentions_inline_assembly
    from asm_ls.cli.runner import _read
    from asm_ls.ide.formatting import format_model
    from asm_ls.project import Project
    from asm_ls.syntax.parsed import ParsedFile

    project = Project(texts_final=True)
    pending = []
    for path in files:
        source, problem = _read(path)
        if source is None:
            yield path, None, problem, None
            continue
        parsed = ParsedFile(source.data)
        project.add(path, source, parsed)
        if mentions_inline_assembly(source.data):
            pending.append((path, source, parsed))
    for path, source, parsed in pending:
        settings = settings_for(path)
        result = analyze(source, replace(settings, assemble=False), project.context_for(path, load_parents=True),
                         parsed)
        yield path, source, result, format_model(result.model, settings.rustc)


def run(args: argparse.Namespace) -> int:
    from asm_ls.cli.configure import command_line_config, plan

    options, problems = command_line_config(args)
    if problems:
        return _usage(problems)
    checked = plan(args.paths or ["."], options, args.follow_symlinks)
    if checked.config_problems:
        return _usage([f"invalid settings: {problem}" for problem in checked.config_problems])
    problems = list(checked.problems)
    changed: list[Path] = []
    for path, source, result, formatted in formatted_files(checked.files, checked.settings_for):
        if source is None:
            problems.append(result)
            continue
        if not args.quiet:
            for block in formatted.left:
                start = source.position(block.start)
                print(f"{path}:{start.line + 1}:{start.character + 1}: `{block.kind}!` left as written: "
                      f"{block.reason}", file=sys.stderr)
        new = formatted.apply(source.data)
        if new == source.data:
            continue
        changed.append(path)
        if args.diff:
            sys.stdout.write(_diff(path, source.data, new))
        elif args.check:
            print(f"Would reformat: {path}")
        else:
            try:
                path.write_bytes(new)
            except OSError as error:
                problems.append(f"{path}: cannot write: {error.strerror or error}")
    for problem in problems:
        print(f"asm-ls: {problem}", file=sys.stderr)
    if not args.quiet:
        print(_summary(len(changed), len(checked.files) - len(changed), args.check or args.diff),
              file=sys.stderr if args.diff else sys.stdout)
    if problems:
        return EXIT_USAGE
    return EXIT_CHANGES if changed and (args.check or args.diff) else EXIT_CLEAN


def _usage(problems: list[str]) -> int:
    for problem in problems:
        print(f"asm-ls: {problem}", file=sys.stderr)
    return EXIT_USAGE


def _diff(path: Path, old: bytes, new: bytes) -> str:
    before = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    after = new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"{path}", f"{path}"))


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def _summary(changed: int, unchanged: int, dry: bool) -> str:
    if dry:
        return f"{_files(changed)} would be reformatted, {_files(unchanged)} already formatted"
    return f"{_files(changed)} reformatted, {_files(unchanged)} left unchanged"
