"""Running the shell steps of the repository's composite action (action.yml) here, as a GitHub
runner would: each ``run:`` script with ``bash --noprofile --norc -eo pipefail``, its ``env:``
with the ``${{ }}`` expressions evaluated from the inputs (their defaults, or the values given),
the action's path, the runner's temporary folder and the outputs of the steps before; the
GITHUB_PATH, GITHUB_OUTPUT files honoured between steps. Steps that use another action
(``actions/setup-python``) are stood in for by this machine's Python."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from install.fresh_install import REPO, clean_env

ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def load_action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


@dataclass
class Runner:
    """One job's state: the workspace, the PATH additions and the steps' outputs so far."""
    action_path: Path
    workspace: Path
    temp: Path
    inputs: dict[str, str]
    path: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    def evaluate(self, text: str) -> str:
        def value(match: re.Match) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return self.inputs[expression.removeprefix("inputs.")]
            if expression == "github.action_path":
                return str(self.action_path)
            if expression == "runner.temp":
                return str(self.temp)
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if step:
                return self.outputs.get(step.group(1), {}).get(step.group(2), "")
            raise AssertionError(f"an expression the test runner does not know: {expression}")
        return EXPRESSION.sub(value, text)

    def run_step(self, step: dict) -> subprocess.CompletedProcess:
        files = {name: self.temp / f"{name.lower()}-{step.get('id', 'step')}" for name in ("GITHUB_PATH", "GITHUB_OUTPUT")}
        for file in files.values():
            file.write_text("")
        env = clean_env(*self.path)
        env.update({key: self.evaluate(str(value)) for key, value in step.get("env", {}).items()})
        env.update({"GITHUB_WORKSPACE": str(self.workspace), "RUNNER_TEMP": str(self.temp), "GITHUB_ACTIONS": "true",
                    **{name: str(file) for name, file in files.items()}})
        script = self.temp / "step.sh"
        script.write_text(step["run"])
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=env,
                                cwd=self.workspace, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                timeout=600)
        self.path = [*files["GITHUB_PATH"].read_text().split(), *self.path]
        if "id" in step:
            lines = files["GITHUB_OUTPUT"].read_text().splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        return result


def new_runner(action_path: Path, workspace: Path, temp: Path, **given: str) -> Runner:
    """A runner with the action's inputs: their defaults, overridden by ``given``
    (``sarif_file`` for ``sarif-file``)."""
    inputs = {name: str(spec.get("default", "")) for name, spec in load_action()["inputs"].items()}
    for name, value in given.items():
        key = name.replace("_", "-")
        assert key in inputs, f"action.yml has no input {key}"
        inputs[key] = value
    temp.mkdir(parents=True, exist_ok=True)
    return Runner(action_path=action_path, workspace=workspace, temp=temp, inputs=inputs)


def run_action(runner: Runner, until: str | None = None) -> list[subprocess.CompletedProcess]:
    """Runs the action's steps in order (a ``uses:`` step of setup-python gives this machine's
    Python as its ``python-path``), stopping after the step named ``until``; a failing step ends
    the run. Returns the results of the shell steps."""
    results = []
    for step in load_action()["runs"]["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@"), step["uses"]
            runner.outputs[step["id"]] = {"python-path": sys.executable}
        else:
            results.append(runner.run_step(step))
            if results[-1].returncode != 0:
                break
        if step.get("name") == until:
            break
    return results
