"""The reports of ``--check`` and two of their formats: rustc-like human text and the JSON
report (``schemas/diagnostics.schema.json``); the summary line and ``--statistics``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.codes import registry
from asm_ls.syntax.source import SourceFile


@dataclass
class FileReport:
    path: str
    source: SourceFile | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    built_for: str = ""     # the targets the file was checked for and who named them (configurations.py)


def lsp_diagnostic(diagnostic: Diagnostic, source: SourceFile) -> dict:
    """A diagnostic as an LSP Diagnostic object (the JSON report's shape)."""
    range_ = source.range(diagnostic.start, diagnostic.end)
    out: dict = {
        "range": {
            "start": {"line": range_.start.line, "character": range_.start.character},
            "end": {"line": range_.end.line, "character": range_.end.character},
        },
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "source": "asm-ls",
        "message": diagnostic.message,
        "target": diagnostic.target,
    }
    if diagnostic.notes:
        out["notes"] = list(diagnostic.notes)
    if diagnostic.related:
        out["relatedInformation"] = [
            {"range": _range_dict(source, r.start, r.end), "message": r.message} for r in diagnostic.related
        ]
    return out


def _range_dict(source: SourceFile, start: int, end: int) -> dict:
    range_ = source.range(start, end)
    return {"start": {"line": range_.start.line, "character": range_.start.character},
            "end": {"line": range_.end.line, "character": range_.end.character}}


def render_json(reports: list[FileReport], problems: list[str]) -> str:
    files = []
    for report in reports:
        entry: dict = {"path": report.path,
                       "diagnostics": [lsp_diagnostic(d, report.source) for d in report.diagnostics]}
        files.append(entry)
    return json.dumps({"version": 1, "files": files, "problems": problems}, indent=2, ensure_ascii=False)


def render_statistics(reports: list[FileReport]) -> str:
    """One line per code found: the count, the code and its summary, most frequent first."""
    counts: dict[str, int] = {}
    for report in reports:
        for diagnostic in report.diagnostics:
            counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
    if not counts:
        return ""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    number_width = len(str(ordered[0][1]))
    code_width = max(len(code) for code in counts)
    known = registry()
    return "\n".join(f"{count:>{number_width}}  {code:<{code_width}}  {known[code].summary if code in known else ''}"
                     .rstrip() for code, count in ordered)


def summary_line(reports: list[FileReport]) -> str:
    counts = {"error": 0, "warning": 0, "information": 0, "hint": 0}
    for report in reports:
        for diagnostic in report.diagnostics:
            counts[diagnostic.severity] = counts.get(diagnostic.severity, 0) + 1
    summary = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n)
    files = len(reports)
    built_for = sorted({report.built_for for report in reports if report.built_for})
    targets = "" if not built_for else f" for {'; '.join(built_for)}" if len(built_for) <= 3 else \
        f" for {'; '.join(built_for[:3])} and {len(built_for) - 3} other target sets"
    return f"checked {files} file{'s' if files != 1 else ''}{targets}: {summary or 'no problems'}"


def render_human(reports: list[FileReport], problems: list[str], color: bool = False) -> str:
    """The diagnostics in rustc's style, then the problems (no summary line)."""
    lines: list[str] = []
    for report in reports:
        for diagnostic in report.diagnostics:
            lines.extend(_render_one(report, diagnostic, color))
    for problem in problems:
        lines.append(f"error: {problem}")
    return "\n".join(lines)


def character_column(source: SourceFile, offset: int) -> int:
    """The 0-based column of ``offset`` in characters (code points), as the text formats count."""
    line_start, _ = source.line_span(source.position(offset).line)
    return len(source.text(line_start, offset))


_LABEL = {"error": "error", "warning": "warning", "information": "info", "hint": "hint"}
_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "information": "\x1b[1;36m", "hint": "\x1b[1;36m"}


def _render_one(report: FileReport, diagnostic: Diagnostic, color: bool) -> list[str]:
    source = report.source
    start = source.position(diagnostic.start)
    end = source.position(diagnostic.end)
    label = _LABEL.get(diagnostic.severity, diagnostic.severity)
    head = f"{label}[{diagnostic.code}]: {diagnostic.message}"
    if color:
        head = f"{_COLOR.get(diagnostic.severity, '')}{label}[{diagnostic.code}]\x1b[0m\x1b[1m: {diagnostic.message}\x1b[0m"
    line_start, line_end = source.line_span(start.line)
    text = source.text(line_start, line_end)
    column = character_column(source, diagnostic.start)
    if end.line == start.line:
        width = max(1, len(source.text(diagnostic.start, diagnostic.end)))
    else:
        width = max(1, len(text) - column)
    number = str(start.line + 1)
    pad = " " * len(number)
    where = f"{report.path}:{start.line + 1}:{column + 1}"
    if diagnostic.target:
        where += f" (target: {diagnostic.target})"
    shown = text.replace("\t", "    ")
    caret_column = len(text[:column].replace("\t", "    "))
    out = [head, f"{pad}--> {where}", f"{pad} |", f"{number} | {shown}", f"{pad} | {' ' * caret_column}{'^' * width}"]
    for note in diagnostic.notes:
        out.append(f"{pad} = note: {note}")
    out.append("")
    return out
