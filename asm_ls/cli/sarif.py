"""``--format sarif``: a SARIF 2.1.0 log for code scanning (GitHub's ``upload-sarif`` and others).

One run: the tool with one rule per code found (summary, its documentation page as the rule's
``help`` text, the same as ``asm-ls rule CODE``: no link to a web site the log could outlive, default level),
one result per diagnostic with its file relative to the working directory (``%SRCROOT%``) and
its region (1-based lines; columns in UTF-16 code units, 1-based, end exclusive, as
``columnKind`` says), the architecture it was checked for as the ``target`` property, and files
that could not be read as tool execution notifications."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from asm_ls import __version__
from asm_ls.cli.output import FileReport
from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics.codes import registry, severity_of
from asm_ls.diagnostics.documentation import render_text
from asm_ls.syntax.source import SourceFile

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def render_sarif(reports: list[FileReport], problems: list[str], cwd: Path | None = None) -> str:
    return json.dumps(sarif_log(reports, problems, cwd), indent=2, ensure_ascii=False)


def sarif_log(reports: list[FileReport], problems: list[str], cwd: Path | None = None) -> dict:
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    codes = sorted({d.code for report in reports for d in report.diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    results = [_result(report, diagnostic, index, cwd) for report in reports for diagnostic in report.diagnostics]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "asm-ls", "version": __version__,
                                "rules": [_rule(code) for code in codes]}},
            "invocations": [{
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": problem}}
                                               for problem in problems],
            }],
            "originalUriBaseIds": {SRCROOT: {"uri": cwd.as_uri().rstrip("/") + "/"}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    }


def _rule(code: str) -> dict:
    entry = registry().get(code)
    rule: dict = {"id": code, "defaultConfiguration": {"level": _LEVEL.get(severity_of(code), "error")}}
    if entry is not None:
        rule["shortDescription"] = {"text": entry.summary}
        rule["help"] = {"text": render_text(entry)}
        if entry.what:
            rule["fullDescription"] = {"text": " ".join(entry.what.split())}
        rule["properties"] = {"tags": [entry.group]}
    else:
        rule["shortDescription"] = {"text": code}
    return rule


def _result(report: FileReport, diagnostic: Diagnostic, index: dict[str, int], cwd: Path) -> dict:
    text = "\n".join([diagnostic.message, *(f"note: {note}" for note in diagnostic.notes)])
    result: dict = {
        "ruleId": diagnostic.code,
        "ruleIndex": index[diagnostic.code],
        "level": _LEVEL.get(diagnostic.severity, "error"),
        "message": {"text": text},
        "locations": [_location(report.path, report.source, diagnostic.start, diagnostic.end, cwd)],
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            {**_location(report.path, report.source, related.start, related.end, cwd), "id": number,
             "message": {"text": related.message}}
            for number, related in enumerate(diagnostic.related)]
    if diagnostic.target:
        result["properties"] = {"target": diagnostic.target}
    return result


def _location(path: str, source: SourceFile, start: int, end: int, cwd: Path) -> dict:
    range_ = source.range(start, end)
    region = {"startLine": range_.start.line + 1, "startColumn": range_.start.character + 1,
              "endLine": range_.end.line + 1, "endColumn": range_.end.character + 1}
    return {"physicalLocation": {"artifactLocation": artifact(path, cwd), "region": region}}


def artifact(path: str, cwd: Path) -> dict:
    """The file relative to the working directory, or its absolute URI when it lies outside."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(cwd)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}
