"""The composite action (action.yml) installs asm-ls into a virtual environment of its own and
checks the workspace: its shell steps run here with the inputs as a runner would give them
(tests/install/github_action.py), on a machine state without asm-ls (no PYTHONPATH, a PATH of
the system's folders plus what the steps add)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from asm_ls import __version__
from install.fresh_install import REPO
from install.github_action import EXPRESSION, load_action, new_runner, run_action

pytestmark = pytest.mark.install

BROKEN = """\
use std::arch::asm;

pub fn f() {
    unsafe { asm!("nop", options(nomem, nomem)) };
}
"""
ANNOTATION = ("::error file=src/lib.rs,line=4,col=41,endLine=4,endColumn=46,title=asm-ls(duplicate-option)::"
              "the `nomem` option was already provided")


def _workspace(root: Path) -> Path:
    workspace = root / "workspace"
    (workspace / "src").mkdir(parents=True)
    (workspace / "Cargo.toml").write_text('[package]\nname = "w"\nversion = "0.1.0"\nedition = "2021"\n')
    (workspace / "src" / "lib.rs").write_text(BROKEN)
    (workspace / "src" / "clean.rs").write_text("pub fn g() {}\n")
    return workspace


def _step(name: str) -> dict:
    (step,) = [step for step in load_action()["runs"]["steps"] if step.get("name") == name]
    return step


@pytest.fixture(scope="module")
def installed(asm_ls_wheel, tmp_path_factory):
    """A runner after the action's install step, with ``version`` the built wheel."""
    root = tmp_path_factory.mktemp("action")
    runner = new_runner(REPO, _workspace(root), root / "runner-temp", version=str(asm_ls_wheel))
    (install,) = run_action(runner, until="Install asm-ls")
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.stdout.splitlines()[0] == f"asm-ls {__version__}"
    return runner


def test_action_scripts_take_inputs_from_the_environment_only():
    """No ``${{ }}`` inside a script (an input would become shell code); every input is used."""
    action = load_action()
    assert action["runs"]["using"] == "composite"
    scripts = [step for step in action["runs"]["steps"] if "run" in step]
    assert scripts and all(step["shell"] == "bash" and not EXPRESSION.search(step["run"]) for step in scripts)
    used = {match.group(1) for step in action["runs"]["steps"]
            for value in [*step.get("env", {}).values(), *step.get("with", {}).values()]
            for match in EXPRESSION.finditer(str(value))}
    assert {f"inputs.{name}" for name in action["inputs"]} <= used


def test_action_annotates_the_errors_and_fails(installed):
    """The defaults: `asm-ls check --format github .` in the workspace; exit 1 on an error."""
    result = installed.run_step(_step("Check with asm-ls"))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == ANNOTATION
    assert result.stderr == ""


def test_action_writes_sarif_for_the_targets_given(installed):
    runner = dataclasses.replace(installed, inputs={
        **installed.inputs, "format": "sarif", "sarif-file": "out/asm-ls.sarif", "paths": "src/lib.rs\nsrc/clean.rs",
        "targets": "x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu", "args": "--exit-zero --no-assemble"})
    (runner.workspace / "out").mkdir(exist_ok=True)
    result = runner.run_step(_step("Check with asm-ls"))
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert runner.outputs["check"] == {"sarif-file": "out/asm-ls.sarif"}
    sarif = json.loads((runner.workspace / "out" / "asm-ls.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["duplicate-option"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/lib.rs"


def test_action_checks_for_each_target_and_passes_the_arguments(installed):
    runner = dataclasses.replace(installed, inputs={
        **installed.inputs, "targets": "x86_64-unknown-linux-gnu,aarch64-unknown-linux-gnu\nriscv64gc-unknown-none-elf",
        "args": "--no-assemble --ignore duplicate-option", "paths": "src"})
    result = runner.run_step(_step("Check with asm-ls"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("checked 2 files for x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu, "
                             "riscv64gc-unknown-none-elf (settings): no problems\n")


def test_action_refuses_an_unknown_format(installed):
    runner = dataclasses.replace(installed, inputs={**installed.inputs, "format": "xml"})
    result = runner.run_step(_step("Check with asm-ls"))
    assert result.returncode == 2
    assert result.stdout == "::error title=asm-ls action::format must be github or sarif, not 'xml'\n"


def test_action_installs_its_own_checkout_by_default(tmp_path):
    """`version` empty: pip installs the action's folder (here a copy of the files a checkout of
    the action holds that a build reads), and the check runs."""
    action_path = tmp_path / "action"
    action_path.mkdir()
    for name in ("pyproject.toml", "README.md", "action.yml"):
        shutil.copy2(REPO / name, action_path / name)
    shutil.copytree(REPO / "asm_ls", action_path / "asm_ls", ignore=shutil.ignore_patterns("__pycache__"))
    runner = new_runner(action_path, _workspace(tmp_path), tmp_path / "runner-temp", args="--no-assemble")
    install, check = run_action(runner)
    assert install.stdout.splitlines()[0] == f"asm-ls {__version__}", install.stderr
    assert check.returncode == 1 and check.stdout.splitlines()[0] == ANNOTATION, check.stdout + check.stderr
