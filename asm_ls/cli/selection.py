"""``--select`` and ``--ignore``: which codes a check reports.  The codes are validated against
the registry before anything is checked; the filter applies to the finished reports, so the
analysis (and the judgement of ``// asm-ls: allow(..)`` comments) is the same with or without it."""

from __future__ import annotations

from dataclasses import dataclass

from asm_ls.cli.output import FileReport
from asm_ls.diagnostics.codes import registry
from asm_ls.diagnostics.documentation import unknown_code_message


@dataclass(frozen=True)
class Selection:
    selected: frozenset[str] | None = None      # None: every code
    ignored: frozenset[str] = frozenset()

    def reports(self, code: str) -> bool:
        return (self.selected is None or code in self.selected) and code not in self.ignored

    def apply(self, reports: list[FileReport]) -> None:
        if self.selected is None and not self.ignored:
            return
        for report in reports:
            report.diagnostics = [d for d in report.diagnostics if self.reports(d.code)]


def parse_codes(values: list[str], option: str) -> tuple[frozenset[str], list[str]]:
    """The codes of a repeatable ``CODE,CODE`` option, and a problem per unknown one."""
    known = registry()
    codes: set[str] = set()
    problems: list[str] = []
    for value in values:
        for name in filter(None, (part.strip() for part in value.split(","))):
            if name in known:
                codes.add(name)
            else:
                problems.append(f"{option}: {unknown_code_message(name)}")
    return frozenset(codes), problems


def selection(select: list[str] | None, ignore: list[str]) -> tuple[Selection, list[str]]:
    selected, problems = parse_codes(select, "--select") if select is not None else (None, [])
    ignored, more = parse_codes(ignore, "--ignore")
    return Selection(selected, ignored), problems + more
