"""``asm-ls``: the language server with no arguments, the headless checker with ``--check``."""

from __future__ import annotations

import argparse
import sys

from asm_ls import __version__
from asm_ls.analysis import Settings, analyze
from asm_ls.cli.files import discover
from asm_ls.cli.output import FileReport, render_human, render_json
from asm_ls.model.cfg_eval import CfgValues
from asm_ls.model.target import TargetError, apply_feature_flags, host_target, parse_target
from asm_ls.project import Project
from asm_ls.syntax.source import SourceFile

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asm-ls",
        description="Language server and checker for Rust inline assembly. "
                    "With no arguments, runs the language server on stdio.")
    parser.add_argument("--version", action="version", version=f"asm-ls {__version__}")
    parser.add_argument("--check", nargs="*", metavar="PATH",
                        help="check files or directories (recursively) and exit")
    parser.add_argument("--target", action="append", default=[], metavar="TRIPLE|ARCH",
                        help="target to check blocks for when #[cfg] does not decide (repeatable; default: host)")
    parser.add_argument("--target-feature", action="append", default=[], metavar="+FEATURE,-FEATURE",
                        help="enable or disable target features, as rustc's -C target-feature")
    parser.add_argument("--cfg", action="append", default=[], metavar="SPEC",
                        help='a cfg to take as set, as rustc\'s --cfg (`unix_like`, `feature="x"`); repeatable')
    parser.add_argument("--no-assemble", action="store_true",
                        help="skip the assembler-backed checks (by default each file's blocks go through the "
                             "LLVM assembler of their target, via rustc)")
    parser.add_argument("--rustc", metavar="PATH", help="the rustc that assembles (default: rustc on PATH)")
    parser.add_argument("--format", choices=("human", "json"), default="human", help="output format")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links below the given paths")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="serve the language server over TCP (debugging)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.check is None:
        from asm_ls.server.main import serve

        return serve(args.tcp)
    try:
        flags = [flag for value in args.target_feature for flag in value.split(",") if flag]
        targets = [apply_feature_flags(target, flags)
                   for target in ([parse_target(spec) for spec in args.target] or [host_target()])]
    except TargetError as error:
        print(f"asm-ls: {error}", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(targets=targets, cfg=CfgValues(frozenset(spec.replace(" ", "") for spec in args.cfg)),
                        assemble=not args.no_assemble, rustc=args.rustc)
    return run_check(args.check or ["."], settings, args.format, args.color, args.follow_symlinks)


def run_check(paths: list[str], settings: Settings, output_format: str = "human", color: str = "never",
              follow_symlinks: bool = False) -> int:
    files, problems = discover(paths, follow_symlinks)
    project = Project()
    loaded: list[tuple[str, SourceFile]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.append(f"{path}: cannot read: {error.strerror or error}")
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{path}: not valid UTF-8 (byte {error.start}); file skipped")
            continue
        source = SourceFile(data, str(path))
        loaded.append((str(path), source))
        project.add(path, source)
    reports = []
    unavailable_said = False
    for name, source in loaded:
        result = analyze(source, settings, project.context_for(name, load_parents=False))
        diagnostics = result.diagnostics
        if unavailable_said:      # "no assembler" is said once per run, not once per file
            diagnostics = [d for d in diagnostics if d.code != "assembler-unavailable"]
        unavailable_said |= any(d.code == "assembler-unavailable" for d in diagnostics)
        reports.append(FileReport(name, source, diagnostics))
    use_color = color == "always" or (color == "auto" and sys.stdout.isatty())
    text = render_json(reports, problems) if output_format == "json" else render_human(reports, problems, use_color)
    sys.stdout.write(text + "\n")
    if problems:
        for problem in problems:
            if output_format == "json":
                print(f"asm-ls: {problem}", file=sys.stderr)
        return EXIT_USAGE
    has_errors = any(d.severity == "error" for report in reports for d in report.diagnostics)
    return EXIT_ERRORS if has_errors else EXIT_CLEAN


def entry() -> None:
    sys.exit(main())
