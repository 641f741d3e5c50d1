"""``--format github``: GitHub Actions workflow commands, one annotation per diagnostic
(``::error file=F,line=L,col=C,endLine=L,endColumn=C,title=asm-ls(code)::message``).

Lines and columns are 1-based, columns counted in characters as in the human format.  Values
are escaped as the runner expects: ``%``, carriage return and newline everywhere, and ``:``
and ``,`` in properties."""

from __future__ import annotations

from asm_ls.cli.output import FileReport, character_column
from asm_ls.diagnostics import Diagnostic

_COMMAND = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def render_github(reports: list[FileReport], problems: list[str]) -> str:
    lines = [annotation(report, diagnostic) for report in reports for diagnostic in report.diagnostics]
    lines.extend(f"::error title={escape_property('asm-ls')}::{escape_data(problem)}" for problem in problems)
    return "\n".join(lines)


def annotation(report: FileReport, diagnostic: Diagnostic) -> str:
    source = report.source
    start, end = source.position(diagnostic.start), source.position(diagnostic.end)
    properties = {
        "file": report.path,
        "line": start.line + 1,
        "col": character_column(report.source, diagnostic.start) + 1,
        "endLine": end.line + 1,
        "endColumn": character_column(report.source, diagnostic.end) + 1,
        "title": f"asm-ls({diagnostic.code})",
    }
    message = "\n".join([diagnostic.message, *(f"note: {note}" for note in diagnostic.notes),
                         *([f"(target: {diagnostic.target})"] if diagnostic.target else [])])
    fields = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items())
    return f"::{_COMMAND.get(diagnostic.severity, 'error')} {fields}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
