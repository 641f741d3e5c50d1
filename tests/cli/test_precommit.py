"""The pre-commit hook definition: it parses, and its entry runs the checker on Rust files."""

from __future__ import annotations

import shlex

import yaml

from asm_ls.cli.main import parse_command_line
from cli_harness import ROOT


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert {key: hook[key] for key in ("id", "entry", "language", "types", "require_serial")} == {
        "id": "asm-ls", "entry": "asm-ls check", "language": "python", "types": ["rust"], "require_serial": True}
    assert hook["name"] and hook["description"]


def test_entry_with_file_names_is_a_check() -> None:
    """pre-commit appends the staged files to the entry."""
    command = shlex.split(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["entry"])
    assert command[0] == "asm-ls"
    name, args = parse_command_line(command[1:] + ["src/a.rs", "src/b.rs"])
    assert (name, args.paths) == ("check", ["src/a.rs", "src/b.rs"])
