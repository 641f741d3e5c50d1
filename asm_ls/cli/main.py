"""``asm-ls``: the command line.

- ``asm-ls`` (no arguments) or ``asm-ls server [--tcp HOST:PORT]``: the language server;
- ``asm-ls check [OPTIONS] [PATH...]``, or ``asm-ls --check [OPTIONS] [PATH...]``: the headless
  checker (options and paths in any order);
- ``asm-ls rule CODE`` / ``asm-ls rule --all``: a code's documentation, or the list of codes;
- ``asm-ls format [--check] [--diff] [PATH...]``: format the templates (``asm_ls/cli/format.py``);
- ``asm-ls --version``: asm-ls's version and the rustc a check would use."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asm_ls.cli.output import FileReport

# The checker's modules (and the analysis behind them) are imported by the commands that use them: the language
# server starts without them.

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
FORMATS = ("human", "json", "sarif", "github")
COMMANDS = ("check", "server", "rule", "format")
USAGE = """asm-ls [--tcp HOST:PORT]
       asm-ls check [OPTIONS] [PATH ...]
       asm-ls server [--tcp HOST:PORT]
       asm-ls rule CODE | --all
       asm-ls format [--check] [--diff] [PATH ...]
       asm-ls --version"""


def build_parser() -> argparse.ArgumentParser:
    """The top level: the language server, ``--version``, and ``--check`` (the older spelling of
    ``asm-ls check``, with the same options)."""
    parser = argparse.ArgumentParser(
        prog="asm-ls", usage=USAGE,
        description="Language server and checker for Rust inline assembly. "
                    "With no arguments, runs the language server on stdio.",
        epilog="commands: `check` checks files and exits, `server` runs the language server, `rule` prints "
               "a code's documentation, `format` formats templates; `asm-ls COMMAND --help` for their options.")
    parser.add_argument("--version", action="store_true", help="print the version and the rustc a check would use")
    parser.add_argument("--check", nargs="?", const=True, default=None, metavar="PATH",
                        help="the same as `asm-ls check`: check files or directories (recursively) and exit")
    add_check_options(parser)
    add_server_options(parser)
    return parser


def check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asm-ls check", description="Check files or directories (recursively, "
                                     "default: .) and exit: 0 clean, 1 errors found, 2 usage or input problems.")
    add_check_options(parser)
    return parser


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """The paths and options of a check."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check (default: .)")
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
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colors in the human format (auto: when writing to a terminal, unless NO_COLOR is set; "
                             "FORCE_COLOR forces them)")
    parser.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links below the given paths")
    parser.add_argument("--select", action="append", metavar="CODE,...",
                        help="report only these codes (repeatable)")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODE,...",
                        help="never report these codes (repeatable; wins over --select)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when errors were found (usage and input problems still exit 2)")
    parser.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--show-machine-code", action="store_true",
                        help="print the machine code of every inline-assembly call (address, bytes, disassembly, "
                             "registers read and written per template line) before the report")


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve the language server over TCP (debugging)")


def server_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asm-ls server", description="Run the language server (on stdio by default).")
    add_server_options(parser)
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value!r}")
    return jobs


def rule_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="asm-ls rule", description="Print a diagnostic code's documentation.")
    parser.add_argument("code", nargs="?", metavar="CODE")
    parser.add_argument("--all", action="store_true", help="list every code with its summary")
    return parser


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


def parse_command_line(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command (``check``, ``server``, ``rule``, ``format`` or ``version``) and its arguments; usage
    errors exit 2 with argparse's message."""
    command = argv[0] if argv and argv[0] in COMMANDS else None
    if command == "rule":
        parser = rule_parser()
        args = parser.parse_args(argv[1:])
        if args.all == (args.code is not None):
            parser.error("give either a CODE or --all")
        return command, args
    if command == "server":
        return command, server_parser().parse_args(argv[1:])
    if command == "format":
        from asm_ls.cli.format import format_parser
        return command, format_parser().parse_intermixed_args(argv[1:])
    if command == "check":
        return command, check_parser().parse_intermixed_args(argv[1:])
    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    if isinstance(args.check, str):
        args.paths.insert(0, args.check)
    if args.version:
        return "version", args
    if args.check is not None:
        return "check", args
    if args.paths:
        parser.error(f"paths are checked with `asm-ls check {' '.join(args.paths)}`")
    return "server", args


def main(argv: list[str] | None = None) -> int:
    command, args = parse_command_line(_signed_values(sys.argv[1:] if argv is None else list(argv)))
    if command == "check":
        return check(args)
    if command == "rule":
        return rule(args)
    if command == "format":
        from asm_ls.cli.format import run
        return run(args)
    if command == "version":
        return print_version(args)
    from asm_ls.server.main import serve

    return serve(args.tcp)


def rule(args: argparse.Namespace) -> int:
    from asm_ls.diagnostics.codes import registry
    from asm_ls.diagnostics.documentation import render_index, render_text, unknown_code_message

    if args.all:
        sys.stdout.write(render_index())
        return EXIT_CLEAN
    code = registry().get(args.code)
    if code is None:
        print(f"asm-ls: {unknown_code_message(args.code)}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render_text(code))
    return EXIT_CLEAN


def print_version(args: argparse.Namespace) -> int:
    from asm_ls.cli.configure import command_line_config
    from asm_ls.cli.version import version_text

    options, _ = command_line_config(args)
    print(version_text(options))
    return EXIT_CLEAN


def check(args: argparse.Namespace) -> int:
    from asm_ls.cli.configure import command_line_config, plan
    from asm_ls.cli.formats import render
    from asm_ls.cli.runner import check_files
    from asm_ls.cli.selection import selection

    options, problems = command_line_config(args)
    chosen, code_problems = selection(args.select, args.ignore)
    problems += code_problems
    if problems:
        for problem in problems:
            print(f"asm-ls: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.show_machine_code and args.format != "human" and args.output_file is None:
        print("asm-ls: --show-machine-code prints text to standard output: with another --format than human, give "
              "the report an --output-file", file=sys.stderr)
        return EXIT_USAGE
    checked = plan(args.paths or ["."], options, args.follow_symlinks)
    if checked.config_problems:
        for problem in checked.config_problems:
            print(f"asm-ls: invalid settings: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.show_machine_code:
        from asm_ls.cli.machine_code import show_machine_code
        listing = show_machine_code(checked.files, checked.settings_for)
        if listing:
            sys.stdout.write(listing + "\n")
    with fewer_collections():
        reports, read_problems = check_files(checked.files, checked.settings_for, args.jobs or _cpus())
    chosen.apply(reports)
    problems = checked.problems + read_problems
    to_terminal = args.output_file is None and sys.stdout.isatty()
    out, err = render(args.format, reports, problems, color=use_color(args.color, to_terminal),
                      quiet=args.quiet, statistics=args.statistics)
    if args.output_file is None:
        if out:
            sys.stdout.write(out + "\n")
    elif not write_report(args.output_file, out + "\n" if out else ""):
        return EXIT_USAGE
    if err:
        sys.stderr.write(err + "\n")
    code = exit_code(reports, problems)
    return EXIT_CLEAN if args.exit_zero and code == EXIT_ERRORS else code


def write_report(path: str, text: str) -> bool:
    """Write the ``--output-file`` (even an empty report, so that no earlier one stays behind)."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as error:
        print(f"asm-ls: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def use_color(choice: str, to_terminal: bool) -> bool:
    """``--color``; ``auto`` follows NO_COLOR, then FORCE_COLOR (https://no-color.org,
    https://force-color.org: set and not empty), then whether the report goes to a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_terminal


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
