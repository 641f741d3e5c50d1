#!/usr/bin/env python3
"""Conformance comparison of asm-ls against rustc's own ``tests/ui/asm`` suite.

Usage::

    python tests/conformance/run.py PATH [--expected FILE] [--category C] [--verbose]
                                         [--json OUT] [--misses N] [--arch-as-triple]
                                         [--ignore-target-features]

PATH is rustc's ``tests/ui/asm`` folder or the root of a rust checkout.  The expected
diagnostics (one entry per test and revision, taken from rustc's ``.stderr`` files) come from
the first ``shared/conformance/expected.json`` in a folder above the repository unless ``--expected``
says otherwise.  rustc's
files are read in place; nothing is copied.

For every test run asm-ls checks the file for the run's target, and rustc's diagnostics are
matched one-to-one with asm-ls's (see README.md in this folder for the columns).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checking import REPO, Found, check_file, time_limit  # noqa: E402
from compiletest import (ARCH_TRIPLES, DEFAULT_EDITION, HOST_TRIPLE, RunConfig,  # noqa: E402,F401
                         parse_compile_flags, run_config)

# The first shared/conformance/expected.json above the repository (a git worktree may sit one level deeper).
DEFAULT_EXPECTED = next((folder / "shared" / "conformance" / "expected.json" for folder in REPO.parents
                         if (folder / "shared" / "conformance" / "expected.json").is_file()),
                        REPO.parent / "shared" / "conformance" / "expected.json")
ASM_ROOT = "tests/ui/asm"
OUT_OF_SCOPE = ("f_llvm", "h_rust_general")
CATEGORY_ORDER = ("a_template", "b_operand_syntax", "c_options_clobber_abi", "d_register", "e_type",
                  "g_lint", "h_asm_other", "f_llvm", "h_rust_general")
# asm-ls code group (asm_ls/diagnostics/codes.toml) -> rustc category, to file extra errors.
GROUP_CATEGORY = {
    "syntax": "b_operand_syntax", "template": "a_template", "operands": "b_operand_syntax",
    "options": "c_options_clobber_abi", "clobber-abi": "c_options_clobber_abi",
    "registers": "d_register", "types": "e_type", "context": "h_asm_other", "lints": "g_lint",
}
CODE_CATEGORY = {"template-missing": "a_template"}


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Expected:
    """One rustc diagnostic (1-based line/col, end exclusive)."""

    level: str
    message: str
    line: int | None
    col: int | None
    end_line: int | None
    end_col: int | None
    category: str
    end_uncertain: bool = False

    @property
    def located(self) -> bool:
        return self.line is not None


@dataclass
class Match:
    expected: Expected
    found: Found | None
    kind: str          # "exact" | "message" | "span" | "line" | "missed"


@dataclass
class RunResult:
    """The comparison for one test run (test + revision)."""

    test_path: str
    revision: str | None
    target: str
    matches: list[Match] = field(default_factory=list)
    unlocated: list[Expected] = field(default_factory=list)    # rustc diagnostics without a span
    extras: list[tuple[Found, str]] = field(default_factory=list)   # (diagnostic, note)
    surplus: list[Found] = field(default_factory=list)    # unmatched asm-ls errors on a rustc line
    extra_warnings: list[Found] = field(default_factory=list)
    ignored_flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None    # asm-ls crashed / the file could not be read
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------
# Matching (pure; covered by test_conformance_script.py)


def _same_span(e: Expected, f: Found) -> bool:
    if (e.line, e.col) != (f.line, f.col):
        return False
    return e.end_uncertain or (e.end_line, e.end_col) == (f.end_line, f.end_col)


_PASSES = (
    ("exact", lambda e, f: e.message == f.message and _same_span(e, f)),
    ("message", lambda e, f: e.message == f.message and e.line == f.line),
    ("span", lambda e, f: _same_span(e, f)),
    ("line", lambda e, f: e.line == f.line),
)


def match_diagnostics(expected: list[Expected], found: list[Found],
                      other_revision_lines: frozenset[int] = frozenset()) -> tuple[
                          list[Match], list[Expected], list[tuple[Found, str]], list[Found], list[Found]]:
    """Pair rustc's diagnostics with asm-ls's, one to one, strictest pairing first.

    Returns (matches, unlocated, extras, surplus, extra_warnings):
    - matches: one per located rustc diagnostic, with the kind of pairing or "missed";
    - extras: asm-ls errors on a line where rustc reports nothing at all in this run, each with a
      note ("" or "rustc reports this line in another revision" / "inside rustc span Lx-y");
    - surplus: asm-ls errors left unpaired on a line where rustc does report something;
    - extra_warnings: unpaired asm-ls warnings on a line without rustc diagnostics.
    Only asm-ls errors and warnings take part; information and hints are ignored.
    """
    located = [e for e in expected if e.located]
    unlocated = [e for e in expected if not e.located]
    candidates = [f for f in found if f.severity in ("error", "warning")]
    paired: dict[int, tuple[Found, str]] = {}
    used: set[int] = set()
    for kind, test in _PASSES:
        for i, e in enumerate(located):
            if i in paired:
                continue
            for j, f in enumerate(candidates):
                if j not in used and test(e, f):
                    paired[i] = (f, kind)
                    used.add(j)
                    break
    matches = [Match(e, *paired[i]) if i in paired else Match(e, None, "missed") for i, e in enumerate(located)]
    rustc_lines = {e.line for e in located}
    spans = [(e.line, e.end_line or e.line) for e in located]
    extras: list[tuple[Found, str]] = []
    surplus: list[Found] = []
    extra_warnings: list[Found] = []
    for j, f in enumerate(candidates):
        if j in used:
            continue
        if f.line in rustc_lines:
            if f.severity == "error":
                surplus.append(f)
            continue
        if f.severity != "error":
            extra_warnings.append(f)
            continue
        note = ""
        inside = [s for s in spans if s[0] < f.line <= s[1]]
        if inside:
            note = f"inside rustc span L{inside[0][0]}-{inside[0][1]}"
        elif f.line in other_revision_lines:
            note = "rustc reports this line in another revision"
        extras.append((f, note))
    return matches, unlocated, extras, surplus, extra_warnings


def message_pattern(message: str) -> str:
    """A message with the contents of `backticks` and numbers blanked, for grouping."""
    text = re.sub(r"`[^`]*`", "`_`", message)
    return re.sub(r"\b\d+\b", "N", text)


# --------------------------------------------------------------------------------------------
# Files


def resolve_paths(path: Path) -> Path:
    """The rust root for a rust checkout or a tests/ui/asm folder."""
    path = path.resolve()
    if (path / ASM_ROOT).is_dir():
        return path
    if path.parts[-3:] == tuple(ASM_ROOT.split("/")):
        return path.parents[2]
    raise SystemExit(f"{path}: neither a rust checkout nor its tests/ui/asm folder")


def load_expected(path: Path) -> list[dict]:
    """The expected diagnostics; a missing file is named with what it is and where it comes from."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        default = " (the default, outside this repository)" if path == DEFAULT_EXPECTED else ""
        raise SystemExit(
            f"{path}: no such file{default}.\n"
            "It holds rustc's diagnostics for every test and revision of rustc's tests/ui/asm, read from "
            "their .stderr files at one rust commit, with a category per diagnostic; it is not part of "
            "this repository and cannot be regenerated from it. Pass its location with --expected FILE.") from None


def expected_of(entry: dict) -> list[Expected]:
    result = []
    for d in entry.get("diagnostics") or []:
        if d.get("level") not in ("error", "warning"):
            continue
        located = d.get("line") is not None and d.get("file") in (None, entry["test_path"])
        if d.get("file") is None:
            located = False
        result.append(Expected(d["level"], d["message"], d["line"] if located else None,
                               d.get("col") if located else None, d.get("end_line") if located else None,
                               d.get("end_col") if located else None, d.get("category") or "?",
                               bool(d.get("end_uncertain"))))
    return result


def revision_cfg_note(source: str, entry: dict) -> str | None:
    """A note when the file selects code with cfg(<revision>), which asm-ls cannot evaluate."""
    names: list[str] = []
    for directive in entry.get("directives") or []:
        if directive.get("name") == "revisions" and directive.get("value"):
            names.extend(directive["value"].replace(",", " ").split())
    if not names:
        return None
    used = set()
    for m in re.finditer(r"\bcfg(?:_attr)?!?\s*\(", source):
        depth, i = 1, m.end()
        while i < len(source) and depth:
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 1
        inner = source[m.end():i]
        used.update(name for name in names if re.search(rf"(?<![\w\"]){re.escape(name)}(?![\w\"])", inner))
    if not used:
        return None
    return "cfg(revision) selects code (" + ", ".join(sorted(used)) + "); asm-ls cannot evaluate it"


def run_entry(root: Path, entry: dict, other_lines: frozenset[int], arch_as_triple: bool,
              apply_features: bool) -> RunResult:
    config = run_config(entry, arch_as_triple, apply_features)
    result = RunResult(entry["test_path"], entry.get("revision"), config.target,
                       ignored_flags=config.ignored_flags)
    expected = expected_of(entry)
    path = root / entry["test_path"]
    start = time.monotonic()
    found: list[Found] = []
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
        note = revision_cfg_note(source, entry)
        if note:
            result.notes.append(note)
        with time_limit():
            found = check_file(path, config).found
    except Exception as exc:  # a crash on one test is reported; the run goes on
        result.error = f"{type(exc).__name__}: {exc}\n" + traceback.format_exc(limit=6)
    result.seconds = time.monotonic() - start
    (result.matches, result.unlocated, result.extras, result.surplus,
     result.extra_warnings) = match_diagnostics(expected, found, other_lines)
    return result


def other_revision_lines(entries: list[dict]) -> dict[tuple[str, str | None], frozenset[int]]:
    """For each run: the lines rustc reports in the other revisions of the same test."""
    by_test: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        by_test[entry["test_path"]].append(entry)
    result = {}
    for test, runs in by_test.items():
        for entry in runs:
            lines = {e.line for other in runs if other is not entry for e in expected_of(other) if e.located}
            result[(test, entry.get("revision"))] = frozenset(lines)
    return result


# --------------------------------------------------------------------------------------------
# Summaries


def category_of_code(code: str) -> str:
    if code in CODE_CATEGORY:
        return CODE_CATEGORY[code]
    try:
        from asm_ls.diagnostics.codes import registry
        entry = registry().get(code)
    except Exception:
        entry = None
    return GROUP_CATEGORY.get(entry.group, "?") if entry else "?"


COLUMNS = ("expected", "found", "span", "message", "exact", "missed", "extra", "extra_other_rev", "surplus")


def summarize(results: list[RunResult]) -> dict[str, Counter]:
    table: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        for m in r.matches:
            row = table[m.expected.category]
            row["expected"] += 1
            if m.kind != "missed":
                row["found"] += 1
            if m.kind in ("exact", "span"):
                row["span"] += 1
            if m.kind in ("exact", "message"):
                row["message"] += 1
            if m.kind == "exact":
                row["exact"] += 1
            if m.kind == "missed":
                row["missed"] += 1
        for e in r.unlocated:
            table[e.category]["unlocated"] += 1
        for f, note in r.extras:
            row = table[category_of_code(f.code)]
            row["extra"] += 1
            if note:
                row["extra_other_rev"] += 1
        for f in r.surplus:
            table[category_of_code(f.code)]["surplus"] += 1
    return table


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "    -"


def format_table(table: dict[str, Counter], category: str | None = None, markdown: bool = False) -> str:
    cats = [c for c in CATEGORY_ORDER if c in table] + sorted(c for c in table if c not in CATEGORY_ORDER)
    if category:
        cats = [c for c in cats if c == category]
    header = ["category", "expected", "found", "found%", "span", "msg", "exact", "exact%", "missed",
              "extra", "(in span/other rev)", "surplus"]

    def row(name: str, c: Counter) -> list[str]:
        return [name, str(c["expected"]), str(c["found"]), _pct(c["found"], c["expected"]).strip(),
                str(c["span"]), str(c["message"]), str(c["exact"]), _pct(c["exact"], c["expected"]).strip(),
                str(c["missed"]), str(c["extra"]), str(c["extra_other_rev"]), str(c["surplus"])]

    rows = []
    in_scope, out_scope = Counter(), Counter()
    for c in cats:
        rows.append(row(c + (" (out of scope)" if c in OUT_OF_SCOPE else ""), table[c]))
        (out_scope if c in OUT_OF_SCOPE else in_scope).update(table[c])
    if not category:
        rows.append(row("TOTAL in scope", in_scope))
        if out_scope:
            rows.append(row("out of scope (f_llvm, h_rust_general)", out_scope))
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    fmt = lambda r: "  ".join(r[0].ljust(widths[0]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r)))  # noqa: E731
    out = [fmt(header), "-" * len(fmt(header))]
    for r in rows:
        if r[0].startswith("TOTAL"):
            out.append("-" * len(fmt(header)))
        out.append(fmt(r))
    return "\n".join(out)


def _where(r: RunResult) -> str:
    return r.test_path + (f" [{r.revision}]" if r.revision else "")


def format_verbose(results: list[RunResult], category: str | None = None) -> str:
    out = []
    for r in results:
        missed = [m for m in r.matches if m.kind == "missed" and (not category or m.expected.category == category)]
        extras = [(f, n) for f, n in r.extras if not category or category_of_code(f.code) == category]
        inexact = [m for m in r.matches if m.kind not in ("missed", "exact")
                   and (not category or m.expected.category == category)]
        if not (missed or extras or r.error or r.surplus or inexact):
            continue
        out.append(f"== {_where(r)}  target={r.target}" + (f"  ignored: {' '.join(r.ignored_flags)}"
                                                            if r.ignored_flags else ""))
        for note in r.notes:
            out.append(f"   note: {note}")
        if r.error:
            out.append("   CRASH: " + r.error.strip().replace("\n", "\n          "))
        for m in missed:
            e = m.expected
            out.append(f"   missed {e.line}:{e.col} [{e.category}] {e.level}: {e.message}")
        for m in inexact:
            e, f = m.expected, m.found
            out.append(f"   inexact ({m.kind}) rustc {e.line}:{e.col}-{e.end_line}:{e.end_col} {e.message}")
            out.append(f"                  asm-ls {f.line}:{f.col}-{f.end_line}:{f.end_col} [{f.code}] {f.message}")
        for f, note in extras:
            out.append(f"   EXTRA  {f.line}:{f.col} [{f.code}] {f.message}" + (f"  ({note})" if note else ""))
        for f in r.surplus:
            out.append(f"   surplus {f.line}:{f.col} [{f.code}] {f.message}")
    return "\n".join(out)


def top_misses(results: list[RunResult], n: int, category: str | None = None) -> list[tuple[str, str, int]]:
    counts: Counter = Counter()
    for r in results:
        for m in r.matches:
            if m.kind == "missed" and m.expected.category not in OUT_OF_SCOPE \
                    and (not category or m.expected.category == category):
                counts[(m.expected.category, message_pattern(m.expected.message))] += 1
    return [(cat, pattern, count) for (cat, pattern), count in counts.most_common(n)]


def to_json(results: list[RunResult], table: dict[str, Counter]) -> dict:
    def found(f: Found) -> dict:
        return dataclasses.asdict(f)

    return {
        "summary": {k: dict(v) for k, v in table.items()},
        "runs": [{
            "test_path": r.test_path, "revision": r.revision, "target": r.target,
            "ignored_flags": r.ignored_flags, "notes": r.notes, "error": r.error, "seconds": round(r.seconds, 3),
            "matches": [{"expected": dataclasses.asdict(m.expected), "kind": m.kind,
                         "found": found(m.found) if m.found else None} for m in r.matches],
            "unlocated": [dataclasses.asdict(e) for e in r.unlocated],
            "extras": [dict(found(f), note=note) for f, note in r.extras],
            "surplus": [found(f) for f in r.surplus],
            "extra_warnings": [found(f) for f in r.extra_warnings],
        } for r in results],
    }


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def format_markdown(results: list[RunResult], table: dict[str, Counter], misses: int = 30) -> str:
    """The figures for a report: table, common misses, every extra error grouped by asm-ls code,
    pairs found on the right line with another message, surplus errors, crashes."""
    out = [f"{len(results)} test runs, {sum(1 for r in results if r.error)} crashed.", "", format_table(table, markdown=True)]
    out += ["", f"### {misses} most common misses (in scope)", "", "| count | category | message pattern |",
            "|---:|---|---|"]
    out += [f"| {n} | {cat} | {_md_cell(pattern)} |" for cat, pattern, n in top_misses(results, misses)]
    by_code: dict[str, list[tuple[RunResult, Found, str]]] = defaultdict(list)
    for r in results:
        for f, note in r.extras:
            by_code[f.code].append((r, f, note))
    total = sum(len(v) for v in by_code.values())
    out += ["", f"### All extra errors ({total}), by asm-ls code", ""]
    for code in sorted(by_code, key=lambda c: (-len(by_code[c]), c)):
        out.append(f"#### `{code}` ({len(by_code[code])})")
        out.append("")
        for r, f, note in by_code[code]:
            out.append(f"- {_where(r)}:{f.line}:{f.col} (target {r.target}) — {f.message}"
                       + (f" — *{note}*" if note else ""))
        out.append("")
    wrong = [(r, m) for r in results for m in r.matches if m.kind in ("line", "span")
             and m.expected.category not in OUT_OF_SCOPE]
    out += [f"### Found on the right line but with another message ({len(wrong)})", ""]
    for r, m in wrong:
        e, f = m.expected, m.found
        out.append(f"- {_where(r)}:{e.line}:{e.col} [{e.category}] rustc: {e.message} — asm-ls "
                   f"`{f.code}` {f.line}:{f.col}: {f.message}")
    surplus = [(r, f) for r in results for f in r.surplus]
    out += ["", f"### Surplus asm-ls errors on a rustc line, left unpaired ({len(surplus)})", ""]
    out += [f"- {_where(r)}:{f.line}:{f.col} `{f.code}` {f.message}" for r, f in surplus]
    span_only = [(r, m) for r in results for m in r.matches if m.kind == "message"]
    out += ["", f"### Right message and line, different span ({len(span_only)})", ""]
    out += [f"- {_where(r)}: rustc {m.expected.line}:{m.expected.col}-{m.expected.end_line}:{m.expected.end_col}, "
            f"asm-ls {m.found.line}:{m.found.col}-{m.found.end_line}:{m.found.end_col} — {m.expected.message}"
            for r, m in span_only]
    crashes = [r for r in results if r.error]
    if crashes:
        out += ["", "### Crashes", ""] + [f"- {_where(r)}: {r.error.splitlines()[0]}" for r in crashes]
    ignored = Counter(flag for r in results for flag in r.ignored_flags)
    out += ["", "### Compile flags not passed to asm-ls", ""]
    out += [f"- `{flag}` ({n} run{'s' if n > 1 else ''})" for flag, n in sorted(ignored.items())]
    noted = defaultdict(list)
    for r in results:
        for note in r.notes:
            noted[(r.test_path, note)].append(r.revision or "-")
    if noted:
        out += ["", "### Tests whose code depends on cfg(revision)", ""]
        out += [f"- {test} [{', '.join(revs)}]: {note}" for (test, note), revs in noted.items()]
    unlocated = [(r, e) for r in results for e in r.unlocated]
    if unlocated:
        out += ["", "### rustc diagnostics without a source location (not matched)", ""]
        out += [f"- {_where(r)} [{e.category}] {e.message}" for r, e in unlocated]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="rustc's tests/ui/asm folder or a rust checkout root")
    parser.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED)
    parser.add_argument("--category", help="only this category (table, --verbose, --misses)")
    parser.add_argument("--verbose", action="store_true", help="list misses and extras per test")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every run's details as JSON")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print the N most common missed messages")
    parser.add_argument("--markdown", type=Path, metavar="OUT",
                        help="write the table, common misses and every extra error as Markdown")
    parser.add_argument("--test", help="only runs whose test path contains this string")
    parser.add_argument("--arch-as-triple", action="store_true",
                        help="check only-<arch> tests for a linux triple of that arch instead of the bare arch")
    parser.add_argument("--ignore-target-features", dest="apply_target_features", action="store_false",
                        help="ignore the tests' -C target-feature flags (by default they are passed on, as "
                             "asm-ls --target-feature would)")
    args = parser.parse_args(argv)

    entries = load_expected(args.expected)
    root = resolve_paths(args.path)
    if args.test:
        entries = [e for e in entries if args.test in e["test_path"]]
    others = other_revision_lines(entries)
    results = []
    for entry in entries:
        key = (entry["test_path"], entry.get("revision"))
        results.append(run_entry(root, entry, others.get(key, frozenset()), args.arch_as_triple,
                                 args.apply_target_features))

    table = summarize(results)
    if args.verbose:
        text = format_verbose(results, args.category)
        if text:
            print(text)
            print()
    crashes = [r for r in results if r.error]
    print(f"{len(results)} test runs, {len(crashes)} crashed, "
          f"{sum(r.seconds for r in results):.1f}s in asm-ls")
    print(format_table(table, args.category))
    unlocated = [(r, e) for r in results for e in r.unlocated
                 if not args.category or e.category == args.category]
    if unlocated:
        print(f"not matched: {len(unlocated)} rustc diagnostic(s) without a source location: "
              + "; ".join(f"{_where(r)} [{e.category}] {e.message}" for r, e in unlocated))
    if args.misses:
        print("\nmost common misses (in scope):")
        for cat, pattern, count in top_misses(results, args.misses, args.category):
            print(f"{count:5d}  [{cat}] {pattern}")
    ignored = Counter(flag for r in results for flag in r.ignored_flags)
    if ignored:
        print("\nignored compile flags: " + ", ".join(f"{flag} (x{n})" for flag, n in sorted(ignored.items())))
    noted = [r for r in results if r.notes]
    if noted:
        print("runs with cfg(revision) code: " + ", ".join(_where(r) for r in noted))
    for r in crashes:
        print(f"CRASH {_where(r)}: {r.error.splitlines()[0]}")
    if args.markdown:
        args.markdown.write_text(format_markdown(results, table, args.misses or 30), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(to_json(results, table), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
