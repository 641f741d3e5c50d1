"""The README stays true: it lists every diagnostic code, and CI runs its test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

from asm_ls.diagnostics.codes import registry

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_lists_every_code() -> None:
    missing = [code for code in registry() if f"`{code}`" not in README]
    assert not missing, f"codes missing from the README's diagnostics table: {missing}"


def test_quick_start_is_two_commands_and_ci_runs_the_test_command() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert "asm-ls --check examples/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
