"""How much of the real code the contract analysis covers, per architecture, and what it costs (run on demand).

usage: python tests/benchmarks/semantics_coverage.py DIR [DIR...] --target TRIPLE [--target TRIPLE...] [--json FILE]

Each DIR is checked once per ``--target`` as ``asm-ls check . --target TRIPLE`` would, in this process (one job), with
the contract analysis and the decoder counted and timed.  Printed per architecture: the ``asm!`` blocks the analysis
was owed (assembled clean under a certain configuration), how many it analysed, the ``contract-not-analysed`` notes
by reason, the contract findings by code, the blocks decoded (every labelled block of the assembler's runs, owed or not) and the
seconds spent decoding them (the semantics engines), the seconds of the contract analysis proper (its rules, and
decoding what the assembler's run did not; the rustc run it shares with the assembler is not counted), and the
total check time.  Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from asm_ls.cli.main import main as cli_main  # noqa: E402
from asm_ls.machine import assemble, decoded  # noqa: E402
from asm_ls.machine.coverage import CODE as NOT_ANALYSED  # noqa: E402

CONTRACT_CODES = {"undeclared-clobber", "input-overwritten", "flags-not-preserved", "memory-with-nomem",
                  "write-with-readonly", "stack-with-nostack", "call-without-clobber-abi", "lateout-written-early",
                  "stack-not-restored", "direction-flag-set"}


class Meter:
    """Counts and times the contract analysis and the decoder while a check runs."""

    def __init__(self) -> None:
        self.by_arch: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.findings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.seconds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.listed: list[str] = []             # every contract finding and note, for --verbose
        self.source = None                      # the file being assembled

    @contextlib.contextmanager
    def installed(self):
        contract, decode_block, assemble_file = assemble.contract_diagnostics, decoded.decode_block, \
            assemble.assemble_file

        def noted_file(model, source, *rest, **options):
            self.source = source
            return assemble_file(model, source, *rest, **options)

        def counted_contract(blocks, rustc, target, arch, *rest, **options):
            started = time.perf_counter()
            found = contract(blocks, rustc, target, arch, *rest, **options)
            self.seconds[arch]["contract"] += time.perf_counter() - started
            owed = [block for block in blocks if block.resolved.block.kind == "asm"]
            notes = [d for d in found if d.code == NOT_ANALYSED]
            self.by_arch[arch]["owed"] += len(owed)
            self.by_arch[arch]["analysed"] += len(owed) - len(notes)
            for note in notes:
                self.reasons[arch][_reason(note.message)] += 1
            for finding in found:
                if finding.code in CONTRACT_CODES:
                    self.findings[arch][finding.code] += 1
                self.listed.append(f"{arch} {self._where(finding)} {finding.code}: {finding.message}")
            return found

        def timed_decode(arch, target, code):
            started = time.perf_counter()
            try:
                return decode_block(arch, target, code)
            finally:
                self.seconds[arch]["decode"] += time.perf_counter() - started
                self.by_arch[arch]["decoded"] += 1

        assemble.contract_diagnostics, decoded.decode_block = counted_contract, timed_decode
        assemble.assemble_file = noted_file
        try:
            yield self
        finally:
            assemble.contract_diagnostics, decoded.decode_block = contract, decode_block
            assemble.assemble_file = assemble_file

    def _where(self, finding) -> str:
        if self.source is None:
            return "?"
        line, column = self.source.range(finding.start, finding.end).as_list()[:2]
        return f"{self.source.path}:{line + 1}:{column + 1}"


def _reason(message: str) -> str:
    """A note's reason without the instruction it names."""
    reason = message.split(": ", 1)[-1]
    return reason.split(" `", 1)[0] if "cannot decode" in reason or "no semantics" in reason else reason


def check(directory: Path, target: str) -> float:
    """One check of ``directory`` for ``target``; the seconds it took."""
    before = Path.cwd()
    started = time.perf_counter()
    os.chdir(directory)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli_main(["check", ".", "--format", "json", "--jobs", "1", "--target", target])
    finally:
        os.chdir(before)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--target", action="append", required=True)
    parser.add_argument("--json", type=Path, help="write the figures per architecture to this file")
    parser.add_argument("--verbose", action="store_true", help="list every contract finding and note")
    args = parser.parse_args()
    meter = Meter()
    total = collections.Counter()
    with meter.installed():
        for target in args.target:
            for directory in args.dirs:
                total[target] += check(directory.resolve(), target)
    figures = {}
    for arch in sorted(meter.by_arch):
        counts, seconds = meter.by_arch[arch], meter.seconds[arch]
        figures[arch] = {"owed": counts["owed"], "analysed": counts["analysed"], "decoded": counts["decoded"], "not_analysed": dict(meter.reasons[arch]),
                         "findings": dict(meter.findings[arch]), "decode_seconds": round(seconds["decode"], 2),
                         "contract_seconds": round(seconds["contract"], 2)}
        print(f"{arch}: {counts['analysed']}/{counts['owed']} blocks analysed, findings {dict(meter.findings[arch])}, "
              f"{counts['decoded']} blocks decoded in {seconds['decode']:.2f} s, contract analysis "
              f"{seconds['contract']:.2f} s")
        for reason, count in meter.reasons[arch].most_common():
            print(f"    not analysed ({count}): {reason}")
    if args.verbose:
        for line in meter.listed:
            print(f"    {line}")
    for target, seconds in total.items():
        print(f"check time for {target}: {seconds:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
