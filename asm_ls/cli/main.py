"""``asm-ls``: the language server with no arguments, the headless checker with ``--check``."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys

from asm_ls import __version__
from asm_ls.cli.configure import command_line_config, plan
from asm_ls.cli.formats import render
from asm_ls.cli.output import FileReport
from asm_ls.cli.runner import check_files

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
FORMATS = ("human", "json", "sarif", "github")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asm-ls",
        description="Language server and checker for Rust inline assembly. "
                    "With no arguments, runs the language server on stdio.")
    parser.add_argument("--version", action="version", version=f"asm-ls {__version__}")
    parser.add_argument("--check", nargs="*", metavar="PATH",
                        help="check files or directories (recursively) and exit")
    parser.add_argument("--target", action="append", default=[], metavar="TRIPLE|ARCH",
                        help="target to check blocks for when #[cfg] does not decide (repeatable; replaces the "
                             "settings file's `targets`; default: host)")
    parser.add_argument("--target-feature", action="append", default=[], metavar="+FEATURE,-FEATURE",
                        help="enable or disable target features, as rustc's -C target-feature")
    parser.add_argument("--target-cpu", metavar="CPU",
                        help="the CPU to check and assemble for, as rustc's -C target-cpu (default: the target's own)")
    parser.add_argument("--cfg", action="append", default=[], metavar="SPEC",
                        help='a cfg to take as set, as rustc\'s --cfg (`unix_like`, `feature="x"`); repeatable')
    parser.add_argument("--no-assemble", action="store_true",
                        help="skip the assembler-backed checks (by default each file's blocks go through the "
                             "LLVM assembler of their target, via rustc)")
    parser.add_argument("--rustc", metavar="PATH", help="the rustc that assembles (default: rustc on PATH)")
    parser.add_argument("--format", choices=FORMATS, default="human",
                        help="output format: rustc-like text, JSON (schemas/diagnostics.schema.json), SARIF 2.1.0 "
                             "or GitHub Actions workflow annotations")
    parser.add_argument("--quiet", "-q", action="store_true", help="print the diagnostics only, no summary line")
    parser.add_argument("--statistics", action="store_true",
                        help="print the number of diagnostics per code at the end (on standard error for the "
                             "json and sarif formats)")
    parser.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                        help="check files in N processes (default: the number of CPUs; 1: in this process)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links below the given paths")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve the language server over TCP (debugging)")
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value!r}")
    return jobs


def _signed_values(argv: list[str]) -> list[str]:
    """``--target-feature -crt-static`` as ``--target-feature=-crt-static``: argparse takes a value that starts with
    ``-`` for an option."""
    out: list[str] = []
    index = 0
    while index < len(argv):
        if argv[index] == "--target-feature" and index + 1 < len(argv) and argv[index + 1][:1] == "-" \
                and argv[index + 1][1:2] not in ("-", ""):
            out.append(f"--target-feature={argv[index + 1]}")
            index += 2
            continue
        out.append(argv[index])
        index += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_signed_values(sys.argv[1:] if argv is None else argv))
    if args.check is None:
        from asm_ls.server.main import serve

        return serve(args.tcp)
    options, problems = command_line_config(args)
    if problems:
        for problem in problems:
            print(f"asm-ls: {problem}", file=sys.stderr)
        return EXIT_USAGE
    checked = plan(args.check or ["."], options, args.follow_symlinks)
    if checked.config_problems:
        for problem in checked.config_problems:
            print(f"asm-ls: invalid settings: {problem}", file=sys.stderr)
        return EXIT_USAGE
    with fewer_collections():
        reports, read_problems = check_files(checked.files, checked.settings_for, args.jobs or _cpus())
    problems = checked.problems + read_problems
    use_color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    out, err = render(args.format, reports, problems, color=use_color, quiet=args.quiet, statistics=args.statistics)
    if out:
        sys.stdout.write(out + "\n")
    if err:
        sys.stderr.write(err + "\n")
    return exit_code(reports, problems)


@contextlib.contextmanager
def fewer_collections():
    """Run a check with fewer cycle collections: it makes many small objects that live to the end
    (the module index, parses, token trees), and at the default thresholds the collector scans
    them again and again (about a tenth of a check's CPU time).  Workers forked inside inherit it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def exit_code(reports: list[FileReport], problems: list[str]) -> int:
    if problems:
        return EXIT_USAGE
    has_errors = any(d.severity == "error" for report in reports for d in report.diagnostics)
    return EXIT_ERRORS if has_errors else EXIT_CLEAN


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def entry() -> None:
    sys.exit(main())
