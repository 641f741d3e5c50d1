#!/usr/bin/env python3
"""The contract analysis judged on real, published contract bugs (issue 14).

Every case of ``manifest.json`` is a bug found and fixed in public (a crate's history or a
rust-lang issue), restated minimally as ``cases/<id>/bug.rs`` and ``cases/<id>/fix.rs``.  This
script checks both files of each case with asm-ls (``python -m asm_ls check --target T --format
json``, one run per target, from this checkout) and prints, per architecture, for the cases
kept for tuning and for the held-out ones separately:

- bugs detected: a contract finding on a line of the buggy instruction(s), out of all bugs
  (``code`` also counts how many of them carry the expected code);
- fixes clean: no contract finding at all in the fixed file, out of all fixes (an information such as
  ``contract-not-analysed`` is listed as a note, neither a detection nor a false finding);

then lists the misses, the false findings (contract findings in a fixed file) and anything else
asm-ls said that is not a contract finding (an assembler error would mean a broken case).

    python tests/benchmarks/contract_bugs/run.py [--only ID,...] [--held-out | --tuning] [--oracle] [--json FILE]

``--oracle`` first asks rustc (tests/oracle/rustc_oracle.py, ``--emit obj``) that both files of
every case compile for their target: contract bugs are undefined behaviour, not compile errors.
Nothing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
MANIFEST = HERE / "manifest.json"
CASES = HERE / "cases"


@dataclass
class Finding:
    code: str
    line: int                    # 1-based
    severity: str
    message: str


@dataclass
class Outcome:
    """What asm-ls said about one case."""

    case: dict
    held_out: bool
    bug: list[Finding] = field(default_factory=list)
    fix: list[Finding] = field(default_factory=list)

    def contract(self, which: str) -> list[Finding]:
        """The contract findings of ``which`` that claim something (errors and warnings; an information such as
        ``contract-not-analysed`` says what was not checked, it is neither a detection nor a false finding)."""
        return [f for f in getattr(self, which) if f.code in contract_codes() and f.severity in ("error", "warning")]

    def unchecked(self, which: str) -> list[Finding]:
        return [f for f in getattr(self, which) if f.code in contract_codes() and f.severity not in ("error", "warning")]

    @property
    def on_line(self) -> list[Finding]:
        return [f for f in self.contract("bug") if f.line in self.case["lines"]]

    @property
    def detected(self) -> bool:
        return bool(self.on_line)

    @property
    def expected_code_found(self) -> bool:
        return any(f.code == self.case.get("expected_code") for f in self.on_line)

    @property
    def fix_clean(self) -> bool:
        return not self.contract("fix")

    def others(self) -> list[tuple[str, Finding]]:
        """Findings that are not contract findings (errors and warnings only)."""
        return [(which, f) for which in ("bug", "fix") for f in getattr(self, which)
                if f.code not in contract_codes() and f.severity in ("error", "warning")]


def contract_codes() -> frozenset[str]:
    if not hasattr(contract_codes, "cached"):
        sys.path.insert(0, str(REPO))
        from asm_ls.diagnostics.codes import registry
        contract_codes.cached = frozenset(c for c, entry in registry().items() if entry.group == "contract")
    return contract_codes.cached


def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def case_file(case: dict, which: str) -> Path:
    return CASES / case["id"] / f"{which}.rs"


def check_files(target: str, files: list[Path], python: str = sys.executable) -> dict[Path, list[Finding]]:
    """asm-ls's findings for ``files``, checked for ``target`` in one run of this checkout's CLI."""
    command = [python, "-m", "asm_ls", "check", "--target", target, "--format", "json", "--quiet",
               "--exit-zero", "--jobs", "1", *map(str, files)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        raise RuntimeError(f"asm-ls check failed for {target}: {result.stderr.strip()[-2000:]}") from None
    found: dict[Path, list[Finding]] = {Path(f).resolve(): [] for f in files}
    for entry in report.get("files", []):
        found[Path(entry["path"]).resolve()] = [
            Finding(d["code"], d["range"]["start"]["line"] + 1, d["severity"], d["message"])
            for d in entry.get("diagnostics", [])]
    return found


def evaluate(manifest: dict, ids: set[str] | None = None) -> list[Outcome]:
    held = set(manifest["held_out"])
    cases = [c for c in manifest["bugs"] if ids is None or c["id"] in ids]
    by_target: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        by_target[case["target"]].append(case)
    outcomes = {}
    for target, group in sorted(by_target.items()):
        files = [case_file(c, which).resolve() for c in group for which in ("bug", "fix")]
        found = check_files(target, files)
        for case in group:
            outcomes[case["id"]] = Outcome(case, case["id"] in held,
                                           found[case_file(case, "bug").resolve()],
                                           found[case_file(case, "fix").resolve()])
    return [outcomes[c["id"]] for c in cases]


def oracle_problems(manifest: dict, ids: set[str] | None = None) -> list[str]:
    """Cases rustc does not compile cleanly for their target (both files must)."""
    sys.path.insert(0, str(REPO / "tests" / "oracle"))
    import rustc_oracle
    problems = []
    for case in manifest["bugs"]:
        if ids is not None and case["id"] not in ids:
            continue
        for which in ("bug", "fix"):
            verdict = rustc_oracle.check(case_file(case, which), target=case["target"], emit="obj")
            if verdict.status or verdict.diagnostics:
                said = "; ".join(f"{d['line']}: {d['message']}" for d in verdict.diagnostics) or "no diagnostic"
                problems.append(f"{case['id']}/{which}.rs: rustc exit {verdict.status}: {said}")
    return problems


def table(outcomes: list[Outcome], title: str) -> list[str]:
    rows = defaultdict(list)
    for outcome in outcomes:
        rows[outcome.case["arch"]].append(outcome)
    lines = [title, f"  {'architecture':<12} {'detected':>9} {'code':>6} {'fixes clean':>12}"]

    def row(name: str, group: list[Outcome]) -> str:
        n = len(group)
        return (f"  {name:<12} {sum(o.detected for o in group):>4} / {n:<2} "
                f"{sum(o.expected_code_found for o in group):>4}  "
                f"{sum(o.fix_clean for o in group):>5} / {n:<2}")

    for arch in sorted(rows):
        lines.append(row(arch, rows[arch]))
    lines.append(row("total", outcomes))
    return lines


def details(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        case, tag = outcome.case, " (held out)" if outcome.held_out else ""
        if not outcome.detected:
            elsewhere = ", ".join(f"{f.code}@{f.line}" for f in outcome.contract("bug")) or "nothing"
            lines.append(f"  miss  {case['id']}{tag}: line {'/'.join(map(str, case['lines']))}, {case['kind']} "
                         f"(expected {case.get('expected_code') or 'no rule yet'}); said {elsewhere}")
        elif not outcome.expected_code_found and case.get("expected_code"):
            codes = ", ".join(sorted({f.code for f in outcome.on_line}))
            lines.append(f"  code  {case['id']}{tag}: found as {codes}, expected {case['expected_code']}")
        for finding in outcome.contract("fix"):
            lines.append(f"  false {case['id']}{tag}/fix.rs:{finding.line}: {finding.code}: {finding.message}")
        for which in ("bug", "fix"):
            for finding in outcome.unchecked(which):
                lines.append(f"  note  {case['id']}{tag}/{which}.rs:{finding.line}: {finding.code}: {finding.message}")
        for which, finding in outcome.others():
            lines.append(f"  other {case['id']}{tag}/{which}.rs:{finding.line}: {finding.code} "
                         f"({finding.severity}): {finding.message}")
    return lines


def report(outcomes: list[Outcome]) -> list[str]:
    tuning = [o for o in outcomes if not o.held_out]
    held = [o for o in outcomes if o.held_out]
    lines = []
    if tuning:
        lines += table(tuning, f"tuning set ({len(tuning)} bugs)")
    if held:
        lines += table(held, f"held-out set ({len(held)} bugs)")
    listed = details(outcomes)
    if listed:
        lines += ["misses, wrong codes, false findings and other findings:"] + listed
    return lines


def as_json(outcome: Outcome) -> dict:
    def findings(which: str) -> list[dict]:
        return [{"code": f.code, "line": f.line, "message": f.message} for f in outcome.contract(which)]
    return {"id": outcome.case["id"], "arch": outcome.case["arch"], "held_out": outcome.held_out,
            "detected": outcome.detected, "expected_code_found": outcome.expected_code_found,
            "fix_clean": outcome.fix_clean, "bug_findings": findings("bug"), "fix_findings": findings("fix")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated case ids")
    selection = parser.add_mutually_exclusive_group()
    selection.add_argument("--held-out", action="store_true", help="only the held-out cases")
    selection.add_argument("--tuning", action="store_true", help="only the cases kept for tuning")
    parser.add_argument("--oracle", action="store_true", help="first check with rustc that every file compiles")
    parser.add_argument("--json", metavar="FILE", help="also write each case's outcome to FILE, for comparing runs")
    args = parser.parse_args(argv)
    manifest = load_manifest()
    ids = set(args.only.split(",")) if args.only else {c["id"] for c in manifest["bugs"]}
    if args.held_out:
        ids &= set(manifest["held_out"])
    elif args.tuning:
        ids -= set(manifest["held_out"])
    unknown = ids - {c["id"] for c in manifest["bugs"]}
    if unknown:
        parser.error(f"unknown case ids: {', '.join(sorted(unknown))}")
    if args.oracle:
        problems = oracle_problems(manifest, ids)
        print("rustc: every file compiles" if not problems else "rustc problems:\n  " + "\n  ".join(problems))
    outcomes = evaluate(manifest, ids)
    print("\n".join(report(outcomes)))
    if args.json:
        Path(args.json).write_text(json.dumps([as_json(o) for o in outcomes], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
