#!/usr/bin/env python3
"""asm-ls on rustc's own sources that compile: every error it reports there is a false error,
unless the source does not compile with this rustc after all.

Usage::

    python tests/conformance/compiling.py RUST_ROOT [--verbose] [--json FILE] [--test TEXT]
                                          [--no-assemble]

RUST_ROOT is a rust checkout (its ``tests/`` and ``library/`` are read in place).  Two kinds of
sources are checked:

- rustc's tests that must compile: ``tests/assembly-llvm/asm``, ``tests/assembly-llvm/naked-functions``,
  ``tests/codegen-llvm/asm``, ``tests/codegen-llvm/naked-fn*`` and the ``tests/ui/asm`` tests whose
  header says build-pass, check-pass or run-pass.  Each revision is checked in-process, with the
  header's target, target features, target CPU, ``--cfg``s (and ``--cfg <revision>``, as
  compiletest passes it), marked exhaustive, its edition and the assembler on (see README.md).
- the directories of ``library/`` with inline assembly (std, core, stdarch, compiler-builtins...),
  each checked the way a user checks a checkout: ``python -m asm_ls check DIR --format json``,
  without settings (those files say their targets through cfgs).

It prints, per source group, the files, runs, inline-assembly blocks and errors per code; with
``--verbose`` every error with its place, code, message and configuration.  Exit status 1 when
there is an error or a crash.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checking import REPO, check_file, time_limit  # noqa: E402
from compiletest import PASS_MODES, RunConfig, run_config, runs_of  # noqa: E402

# (group, glob below the rust root, what rustc emits for its runs: None for the ui tests, where the
# mode decides; only the runs with a pass mode compile there)
TEST_GROUPS = (
    ("tests/assembly-llvm/asm", "tests/assembly-llvm/asm", "asm"),
    ("tests/assembly-llvm/naked-functions", "tests/assembly-llvm/naked-functions", "asm"),
    ("tests/codegen-llvm/asm", "tests/codegen-llvm/asm", "llvm-ir"),
    ("tests/codegen-llvm/naked-fn*", "tests/codegen-llvm/naked-fn*", "llvm-ir"),
    ("tests/ui/asm (pass)", "tests/ui/asm", None),
)
UI_EMIT = {"check-pass": "metadata", "build-pass": "obj", "run-pass": "obj"}
# LLVM parses the templates for these (--emit=asm too); for metadata and llvm-ir rustc never does.
ASSEMBLED = ("asm", "obj")
MACHINE_GROUPS = ("assembler", "contract")    # asm-ls code groups that need the assembled template
LIBRARY = "library"
RUN_SECONDS = 180       # one run, assembler included
_INLINE_ASSEMBLY = re.compile(rb"\b(?:asm|global_asm|naked_asm)!\s*[(\[{]")


@dataclass
class Error:
    path: str           # relative to the rust root
    line: int
    col: int
    code: str
    message: str
    configuration: str
    unassembled: bool = False   # an assembler or contract finding in a test rustc never assembles


@dataclass
class Group:
    name: str
    files: int = 0
    runs: int = 0
    blocks: int = 0
    errors: list[Error] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)   # files with inline assembly the check left out

    def unassembled(self) -> int:
        return sum(error.unassembled for error in self.errors)

    def codes(self) -> Counter:
        return Counter(error.code for error in self.errors)


# --------------------------------------------------------------------------------------------
# rustc's tests


def group_files(root: Path, pattern: str) -> list[Path]:
    """The ``.rs`` test files at or below the paths ``pattern`` matches (``auxiliary`` folders hold
    no tests)."""
    files = []
    for start in sorted(root.glob(pattern)):
        candidates = [start] if start.is_file() else sorted(start.rglob("*.rs"))
        files += [p for p in candidates if p.suffix == ".rs" and "auxiliary" not in p.relative_to(root).parts]
    return files


def check_tests(root: Path, name: str, pattern: str, emit: str | None, assemble: bool,
                only: str | None = None) -> Group:
    """Every run of the group's tests that compiles (``emit`` None: the ui tests with a pass mode)."""
    group = Group(name)
    for path in group_files(root, pattern):
        runs = [run for run in runs_of(root, path)
                if (emit or run["mode"] in PASS_MODES) and (not only or only in run["test_path"])]
        if not runs:
            continue
        group.files += 1
        blocks = 0
        for run in runs:
            group.runs += 1
            config = run_config(run, apply_features=True)
            try:
                with time_limit(RUN_SECONDS):
                    checked = check_file(path, config, assemble)
            except Exception as exc:    # a crash on one run is reported; the others go on
                group.crashes.append(f"{_where(run)} ({config.describe()}): {type(exc).__name__}: {exc}\n"
                                     + traceback.format_exc(limit=6))
                continue
            blocks = checked.blocks
            assembled = (emit or UI_EMIT[run["mode"]]) in ASSEMBLED
            group.errors += [Error(run["test_path"], f.line, f.col, f.code, f.message, _configuration(config, f.target),
                                   not assembled and _code_group(f.code) in MACHINE_GROUPS)
                             for f in checked.found if f.severity == "error"]
        group.blocks += blocks
    return group


def _code_group(code: str) -> str | None:
    from asm_ls.diagnostics.codes import registry

    entry = registry().get(code)
    return entry.group if entry else None


def _where(run: dict) -> str:
    return run["test_path"] + (f" [{run['revision']}]" if run["revision"] else "")


def _configuration(config: RunConfig, block_target: str | None) -> str:
    block = f"; block checked for {block_target}" if block_target else ""
    ignored = f"; ignored: {' '.join(config.ignored_flags)}" if config.ignored_flags else ""
    return config.describe() + block + ignored


# --------------------------------------------------------------------------------------------
# library/


def library_directories(root: Path) -> list[Path]:
    """The directories right below ``library/`` with a ``.rs`` file that contains inline assembly."""
    base = root / LIBRARY
    return [d for d in sorted(base.iterdir()) if d.is_dir() and assembly_files(d)] if base.is_dir() else []


def assembly_files(directory: Path) -> list[Path]:
    return [p for p in sorted(directory.rglob("*.rs")) if p.is_file() and _INLINE_ASSEMBLY.search(p.read_bytes())]


def check_library(root: Path, directory: Path, assemble: bool) -> Group:
    """``python -m asm_ls check DIRECTORY --format json`` with this checkout's asm_ls, no settings; then
    the same on each package with inline assembly that the check left out (a `.gitignore`d one, which a
    user then checks on its own)."""
    from asm_ls.syntax.parsed import ParsedFile

    group = Group(directory.relative_to(root).as_posix())
    files = assembly_files(directory)
    group.files = len(files)
    group.blocks = sum(len(ParsedFile(p.read_bytes()).calls) for p in files)
    reported: set[Path] = set()
    pending, done = [directory], set()
    while pending:
        target = pending.pop(0)
        done.add(target)
        group.runs += 1
        reported |= _cli_check(root, target, assemble, group)
        left = [p for p in files if p.resolve() not in reported]
        pending = sorted({_package_of(p, directory) for p in left} - done)
    group.unchecked = [p.relative_to(root).as_posix() for p in files if p.resolve() not in reported]
    return group


def _package_of(path: Path, top: Path) -> Path:
    """The nearest directory above ``path`` with a Cargo.toml, not above ``top``."""
    for parent in path.parents:
        if (parent / "Cargo.toml").is_file() or parent == top:
            return parent
    return top


def _cli_check(root: Path, directory: Path, assemble: bool, group: Group) -> set[Path]:
    """One ``asm_ls check`` run; its errors go to ``group``; returns the files it reported."""
    command = [sys.executable, "-m", "asm_ls", "check", str(directory), "--format", "json", "--exit-zero"]
    if not assemble:
        command.append("--no-assemble")
    environment = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        group.crashes.append(f"{' '.join(command)}: exit status {done.returncode}\n{done.stderr.strip()[-2000:]}")
        return set()
    group.crashes += [f"could not check {problem}" for problem in report.get("problems", [])]
    where = f"asm-ls check {directory.relative_to(root).as_posix()}, no settings"
    for entry in report["files"]:
        path = Path(entry["path"]).resolve()
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for d in entry["diagnostics"]:
            if d["severity"] == "error":
                start = d["range"]["start"]
                group.errors.append(Error(shown, start["line"] + 1, start["character"] + 1, d["code"], d["message"],
                                          where + (f"; block checked for {d['target']}" if d.get("target") else "")))
    return {Path(entry["path"]).resolve() for entry in report["files"]}


# --------------------------------------------------------------------------------------------
# Report


def format_summary(groups: list[Group]) -> str:
    header = ("group", "files", "runs", "blocks", "errors", "(never assembled)", "crashes")
    rows = [(g.name, str(g.files), str(g.runs), str(g.blocks), str(len(g.errors)), str(g.unassembled()),
             str(len(g.crashes))) for g in groups]
    total = ("TOTAL", *(str(sum(int(r[i]) for r in rows)) for i in range(1, len(header))))
    widths = [max(len(r[i]) for r in [header, total, *rows]) for i in range(len(header))]

    def line(r):
        return "  ".join(r[0].ljust(widths[0]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r)))

    out = [line(header), "-" * len(line(header))] + [line(r) for r in rows] + ["-" * len(line(header)), line(total)]
    for g in groups:
        if g.errors:
            out.append(f"{g.name}: " + ", ".join(f"{code} {n}" for code, n in sorted(g.codes().items(),
                                                                                       key=lambda kv: (-kv[1], kv[0]))))
    return "\n".join(out)


def format_verbose(groups: list[Group]) -> str:
    out = []
    for g in groups:
        for e in g.errors:
            never = "; rustc never assembles this test's templates" if e.unassembled else ""
            out.append(f"{e.path}:{e.line}:{e.col}: [{e.code}] {e.message}  ({e.configuration}{never})")
    return "\n".join(out)


def format_problems(groups: list[Group]) -> str:
    out = []
    for g in groups:
        out += [f"CRASH {g.name}: {crash}" for crash in g.crashes]
        out += [f"NOT CHECKED {g.name}: {path} has inline assembly but the check did not report it"
                for path in g.unchecked]
    return "\n".join(out)


def to_json(groups: list[Group]) -> dict:
    return {"groups": [{"name": g.name, "files": g.files, "runs": g.runs, "blocks": g.blocks,
                        "errors_per_code": dict(g.codes()), "errors": [asdict(e) for e in g.errors],
                        "crashes": g.crashes, "unchecked": g.unchecked} for g in groups]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a rust checkout (with tests/ and library/)")
    parser.add_argument("--verbose", action="store_true", help="list every error with its configuration")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the groups and every error as JSON")
    parser.add_argument("--test", metavar="TEXT", help="only the tests whose path contains TEXT (no library/)")
    parser.add_argument("--no-assemble", dest="assemble", action="store_false",
                        help="skip the assembler-backed checks")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not ((root / "tests").is_dir() or (root / LIBRARY).is_dir()):
        raise SystemExit(f"{root}: not a rust checkout (no tests/ and no library/)")
    groups = [check_tests(root, name, pattern, emit, args.assemble, args.test) for name, pattern, emit in TEST_GROUPS]
    groups = [g for g in groups if g.files]
    if not args.test:
        groups += [check_library(root, directory, args.assemble) for directory in library_directories(root)]
    if args.verbose and any(g.errors for g in groups):
        print(format_verbose(groups) + "\n")
    print(format_summary(groups))
    problems = format_problems(groups)
    if problems:
        print(problems)
    if args.json:
        args.json.write_text(json.dumps(to_json(groups), indent=1), encoding="utf-8")
    return 1 if any(g.errors or g.crashes or g.unchecked for g in groups) else 0


if __name__ == "__main__":
    sys.exit(main())
