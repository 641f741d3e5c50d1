"""Formats copies of real crates and compares the assembled bytes of every block before and after (run on demand).

usage: python tests/benchmarks/format_crates.py DIR [DIR...] [--work TMPDIR] [--verbose]

Each DIR (a crate checkout; never formatted in place, never committed) is copied (its ``.rs``, ``.toml`` and
``.json`` files) into a temporary directory, formatted there as ``asm-ls format`` does, and then every block of
every changed file is paired with its original (same call, same configuration) and both are assembled again
(``machine/compare.py``) to count the bytes compared and the blocks whose bytes changed (which must be 0).
Printed per crate and in total: files changed, blocks formatted, already formatted, left (with why), block
configurations compared and their bytes, bytes changes, and the blocks a second format would change (0: it is
idempotent).  Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from asm_ls.cli.configure import command_line_config, plan  # noqa: E402
from asm_ls.cli.format import format_parser, formatted_files  # noqa: E402
from asm_ls.ide.formatting import FORMATTED, LEFT, UNCHANGED, paired  # noqa: E402
from asm_ls.machine.compare import compare  # noqa: E402

KEEP = (".rs", ".toml", ".json")


def copy_crate(source: Path, destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> list[str]:
        return [name for name in names if name in (".git", "target")
                or (Path(directory, name).is_file() and not name.endswith(KEEP) and name != "rust-toolchain")]
    shutil.copytree(source, destination, ignore=ignore, symlinks=True)


def reason_kind(reason: str) -> str:
    """A reason without its particulars (the error message in parentheses)."""
    return re.sub(r" \(.*\)$", "", reason)


def measure(copy: Path, verbose: bool) -> dict:
    options, _ = command_line_config(format_parser().parse_args([]))
    checked = plan([str(copy)], options)
    figures = collections.Counter()
    reasons: collections.Counter = collections.Counter()
    changed = []
    for path, source, result, formatted in formatted_files(checked.files, checked.settings_for):
        if source is None:
            continue
        for block in formatted.blocks:
            figures[block.status] += 1
            if block.status == LEFT:
                reasons[reason_kind(block.reason)] += 1
                if verbose:
                    print(f"  {path}:{source.position(block.start).line + 1}: left: {block.reason}")
        new = formatted.apply(source.data)
        if new != source.data:
            path.write_bytes(new)
            changed.append((path, source, result, checked.settings_for(path)))
    figures["files changed"] = len(changed)
    # Every block of every changed file, assembled again before and after.
    for path, source, result, settings in changed:
        new = path.read_bytes()
        pairs = paired(result.model, new)
        if pairs is None:
            figures["files whose blocks do not pair"] += 1
            continue
        for verdict in compare([pair for _, pair in pairs], source.data, new, settings.rustc):
            if verdict.same:
                figures["configurations compared"] += 1
                figures["bytes compared"] += verdict.size
            elif "other bytes" in verdict.reason or "formatted block does not" in verdict.reason:
                figures["bytes changes"] += 1
                print(f"  CHANGED: {path}: {verdict.reason}")
            else:
                figures["configurations not assembled"] += 1
    # Formatting twice is formatting once: the formatted files have nothing more to format.
    for path, source, _, formatted in formatted_files([path for path, *_ in changed], checked.settings_for):
        again = [block for block in formatted.blocks if block.status == FORMATTED]
        figures["changed by a second format"] += len(again)
        for block in again:
            print(f"  NOT IDEMPOTENT: {path}:{source.position(block.start).line + 1}")
    return {"figures": figures, "reasons": reasons}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--work", type=Path, help="where the copies go (default: a new temporary directory)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="asm-ls-format-"))
    total = collections.Counter()
    reasons: collections.Counter = collections.Counter()
    for directory in args.dirs:
        copy = work / directory.resolve().name
        if copy.exists():
            shutil.rmtree(copy)
        copy_crate(directory, copy)
        started = time.perf_counter()
        found = measure(copy, args.verbose)
        figures = found["figures"]
        print(f"{directory.name}: {figures['files changed']} files changed, {figures[FORMATTED]} blocks formatted, "
              f"{figures[UNCHANGED]} already formatted, {figures[LEFT]} left; {figures['configurations compared']} "
              f"configurations compared ({figures['bytes compared']} bytes), {figures['bytes changes']} changed "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        total.update(figures)
        reasons.update(found["reasons"])
    print(f"total: {total['files changed']} files changed, {total[FORMATTED]} blocks formatted, "
          f"{total[UNCHANGED]} already formatted, {total[LEFT]} left; {total['configurations compared']} block "
          f"configurations compared ({total['bytes compared']} bytes), {total['configurations not assembled']} "
          f"not assembled (left as they were), {total['bytes changes']} byte changes, "
          f"{total['changed by a second format']} blocks changed by a second format; copies in {work}")
    for reason, count in reasons.most_common():
        print(f"  left {count}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
