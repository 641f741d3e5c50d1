"""Checks whole checkouts of real crates as a user does, and counts what asm-ls reports (run on demand).

usage: python tests/benchmarks/real_crates.py DIR [DIR...] [--verbose] [--no-assemble] [--jobs N] [--json FILE]

Each DIR (a crate or workspace checkout, e.g. one the search tool's ``fetch`` brought in; never commit them) is
checked with ``asm-ls check . --format json`` run inside it, with no settings: the targets come from the crate's
own files, as for a new user.  Printed per crate: files, errors from the codes that mirror rustc or LLVM (the
precision figure: on code that compiles it should be 0), errors from the contract codes, warnings,
informations, the targets named in the summary and the time taken; ``--verbose`` lists every error and every warning of the contract codes.  Nothing is
asserted: it prints figures.  (Throughput against parsing alone: ``throughput.py``.)
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from asm_ls.diagnostics.codes import registry  # noqa: E402

MIRRORS = {"assembler-error"}       # LLVM's verdict; the others that mirror rustc say so in the registry


def mirrors_rustc(code: str) -> bool:
    entry = registry().get(code)
    return code in MIRRORS or (entry is not None and entry.rustc)


def check(directory: Path, extra: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "asm_ls", "check", ".", "--format", "json", *extra],
                            cwd=directory, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {"files": [], "problems": []}
    counts: dict[str, collections.Counter] = {kind: collections.Counter() for kind in
                                              ("rustc", "contract", "warning", "information")}
    errors = []
    for file in report["files"]:
        for diagnostic in file["diagnostics"]:
            code, severity = diagnostic["code"], diagnostic["severity"]
            contract = registry().get(code) is not None and registry()[code].group == "contract"
            if severity == "error" or (contract and severity == "warning"):
                start = diagnostic["range"]["start"]
                errors.append(f"{file['path']}:{start['line'] + 1}:{start['character'] + 1} {code} ({severity}): "
                              f"{diagnostic['message']} (target: {diagnostic.get('target')})")
            if severity == "error":
                kind = "rustc" if mirrors_rustc(code) else "contract"
            else:
                kind = severity if severity in counts else "information"
            counts[kind][code] += 1
    return {"files": len(report["files"]), "counts": counts, "errors": errors, "seconds": seconds,
            "problems": report.get("problems", []), "stderr": result.stderr.strip()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list every error and contract warning")
    parser.add_argument("--no-assemble", action="store_true")
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--json", type=Path, help="write the figures per crate to this file")
    args = parser.parse_args()
    extra = ["--jobs", args.jobs] + (["--no-assemble"] if args.no_assemble else [])
    totals: collections.Counter = collections.Counter()
    figures = {}
    for directory in args.dirs:
        found = check(directory, extra)
        counts = found["counts"]
        line = {kind: sum(counter.values()) for kind, counter in counts.items()}
        totals.update(line, files=found["files"])
        figures[directory.name] = {"files": found["files"], **{k: dict(v) for k, v in counts.items()},
                                   "seconds": round(found["seconds"], 2)}
        print(f"{directory.name}: {found['files']} files, {line['rustc']} rustc/LLVM errors "
              f"{dict(counts['rustc'])}, {line['contract']} contract errors {dict(counts['contract'])}, "
              f"{line['warning']} warnings, {line['information']} informations, {found['seconds']:.1f} s")
        if found["stderr"]:
            print(f"    {found['stderr'].splitlines()[-1]}")
        if args.verbose:
            for error in found["errors"]:
                print(f"    {error}")
    print(f"total: {dict(totals)}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
