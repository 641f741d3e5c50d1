"""The choice of output format for ``--check`` (human, json, sarif, github) and the ``--quiet``
and ``--statistics`` variants: what goes to standard output and what to standard error."""

from __future__ import annotations

from asm_ls.cli.github import render_github
from asm_ls.cli.output import FileReport, render_human, render_json, render_statistics, summary_line
from asm_ls.cli.sarif import render_sarif


def render(output_format: str, reports: list[FileReport], problems: list[str], color: bool = False,
           quiet: bool = False, statistics: bool = False) -> tuple[str, str]:
    """The text for standard output and the text for standard error.  The machine-readable
    formats (json, sarif) keep standard output to themselves: the problems and the statistics
    go to standard error; the text formats end with the summary line (unless ``quiet``) and the
    statistics."""
    stats = render_statistics(reports) if statistics else ""
    if output_format in _DOCUMENTS:
        errors = [f"asm-ls: {problem}" for problem in problems] + ([stats] if stats else [])
        return _DOCUMENTS[output_format](reports, problems), "\n".join(errors)
    if output_format == "github":
        body = render_github(reports, problems)
    else:
        body = render_human(reports, problems, color)
    summary = "" if quiet else summary_line(reports)
    return "\n".join(part for part in (body, summary, stats) if part), ""


_DOCUMENTS = {"json": render_json, "sarif": render_sarif}
