"""A Mason package spec (editors/neovim/mason/packages/asm-ls/package.yaml) installed the way
Mason's PyPI installer does it, with this checkout's wheel instead of the release on PyPI: the
package's own folder ``$MASON/packages/<name>``, a virtual environment ``venv`` in it (made by
``python3 -m venv``), ``pip install -U`` of the package into it, and each ``bin`` entry
(``pypi:NAME`` is ``venv/bin/NAME``) linked into ``$MASON/bin``, which Mason puts first on
Neovim's PATH."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from install.fresh_install import REPO, clean_env, run

SPEC = REPO / "editors" / "neovim" / "mason" / "packages" / "asm-ls" / "package.yaml"


def read_spec(path: Path = SPEC) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mason_install(mason: Path, wheel: Path, spec: dict, python3: str = "/usr/bin/python3") -> Path:
    """Installs ``spec`` under ``mason`` from ``wheel``; returns ``$MASON/bin``."""
    match = re.fullmatch(r"pkg:pypi/([A-Za-z0-9._-]+)@(\S+)", spec["source"]["id"])
    assert match, f"not a PyPI source: {spec['source']['id']}"
    name, version = match.groups()
    assert wheel.name.startswith(f"{name.replace('-', '_')}-{version}-"), \
        f"{wheel.name} is not {name} {version}, which the spec names"
    package = mason / "packages" / spec["name"]
    package.mkdir(parents=True)
    run([python3, "-m", "venv", "venv"], cwd=package, env=clean_env())
    run([str(package / "venv" / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "install",
         "--quiet", "-U", str(wheel)], cwd=package, env=clean_env())
    bin_dir = mason / "bin"
    bin_dir.mkdir()
    for command, target in spec["bin"].items():
        kind, _, executable = target.partition(":")
        assert kind == "pypi", f"{command}: only pypi: bins are installed here, not {target}"
        (bin_dir / command).symlink_to(package / "venv" / "bin" / executable)
    return bin_dir
