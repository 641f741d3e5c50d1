"""``asm-ls check --show-machine-code``: the machine code of every inline-assembly call of the checked files, the same
text the language server's `asm-ls.showMachineCode` command shows (:mod:`asm_ls.ide.machine_code`), for CI logs.

Runs in this process before the check itself, which then finds the assembler's runs in the cache (a check with
``--jobs`` forks its workers after it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from asm_ls.analysis import Settings, analyze, mentions_inline_assembly
from asm_ls.ide.machine_code import file_machine_code
from asm_ls.project import Project
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.source import read_source


def show_machine_code(files: list[Path], settings_for: Callable[[Path], Settings]) -> str:
    """Each file's calls, in the order given; files that cannot be read are left to the check to report."""
    project = Project(texts_final=True)
    pending = []
    for path in files:
        try:
            source = read_source(path)
        except (OSError, UnicodeDecodeError):
            continue
        parsed = ParsedFile(source.data)
        project.add(path, source, parsed)
        if mentions_inline_assembly(source.data):
            pending.append((path, source, parsed))
    parts = []
    for path, source, parsed in pending:
        settings = settings_for(path)
        result = analyze(source, settings, project.context_for(path, load_parents=True), parsed)
        text = file_machine_code(result.model, settings, result.diagnostics, str(path))
        if text:
            parts.append(text)
    return "\n".join(parts)
