"""Checks real crates' sources and prints what asm-ls found and how fast (run on demand).

usage: python tests/benchmarks/real_crates.py DIR [DIR...] [--target T ...] [--assemble]

For each directory (a crate or workspace checkout): files, inline-assembly calls, blocks per
architecture, diagnostics per severity and code, and the time taken; with --target, each
target in turn.  Nothing here is asserted: it prints figures.  (Throughput against parsing
alone: ``throughput.py``.)
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asm_ls.analysis import Settings  # noqa: E402
from asm_ls.model.target import host_target, parse_target  # noqa: E402
from throughput import analyses, corpus_files  # noqa: E402


def check(directory: str, settings: Settings) -> dict:
    started = time.perf_counter()
    files = calls = 0
    blocks: collections.Counter = collections.Counter()
    found: collections.Counter = collections.Counter()
    for _, result in analyses(corpus_files([directory]), settings):
        files += 1
        calls += len(result.model.calls)
        for resolved in result.model.blocks:
            blocks[resolved.arch or "(none)"] += 1
        for diagnostic in result.diagnostics:
            found[(diagnostic.severity, diagnostic.code)] += 1
    return {"files": files, "calls": calls, "blocks": blocks, "found": found,
            "seconds": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--target", action="append", default=[])
    parser.add_argument("--assemble", action="store_true", help="also run the assembler-backed checks (rustc)")
    args = parser.parse_args()
    targets = args.target or [None]
    totals: collections.Counter = collections.Counter()
    for directory in args.dirs:
        for target in targets:
            settings = Settings(targets=[parse_target(target)] if target else [host_target()],
                                assemble=args.assemble)
            result = check(directory, settings)
            errors = sum(n for (severity, _), n in result["found"].items() if severity == "error")
            warnings = sum(n for (severity, _), n in result["found"].items() if severity == "warning")
            totals.update(files=result["files"], calls=result["calls"], errors=errors, warnings=warnings)
            print(f"{Path(directory).name} [{target or 'host'}]: {result['files']} files, {result['calls']} calls, "
                  f"{sum(result['blocks'].values())} blocks, {errors} errors, {warnings} warnings, "
                  f"{result['seconds']:.2f} s")
            print(f"    blocks by architecture: {dict(sorted(result['blocks'].items()))}")
            for (severity, code), count in sorted(result["found"].items()):
                print(f"    {severity} {code}: {count}")
    print(f"total: {dict(totals)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
