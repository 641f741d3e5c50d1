"""The wheel built from the repository installs into a fresh virtual environment and runs there
as a user's `pipx install` / `uv tool install` would run it: `asm-ls --version`, `asm-ls check`
on a file with a known error, `asm-ls rule CODE`. The version has one source,
``asm_ls.__version__``, and the packages of the editors carry the same."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from asm_ls import __version__
from install.fresh_install import REPO, clean_env, make_venv, pip_install, run

pytestmark = pytest.mark.install

BROKEN = """\
use std::arch::asm;

pub fn f() {
    unsafe { asm!("nop", options(nomem, nomem)) };
}
"""


@pytest.fixture(scope="module")
def installed(asm_ls_wheel, tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment with the wheel installed."""
    bin_dir = make_venv(tmp_path_factory.mktemp("venv") / "venv")
    pip_install(bin_dir, str(asm_ls_wheel))
    return bin_dir


def _run_asm_ls(bin_dir: Path, cwd: Path, *args: str):
    return run([str(bin_dir / "asm-ls"), *args], env=clean_env(bin_dir), cwd=cwd, check=False)


def test_wheel_holds_every_file_the_package_reads_at_run_time(asm_ls_wheel):
    """Every file of asm_ls/ but the Python sources' caches is in the wheel: the data (JSON,
    codes.toml) as well as the modules."""
    expected = {path.relative_to(REPO).as_posix() for path in (REPO / "asm_ls").rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}
    with zipfile.ZipFile(asm_ls_wheel) as wheel:
        packaged = {name for name in wheel.namelist() if name.startswith("asm_ls/")}
        entry_points = wheel.read(f"asm_ls-{__version__}.dist-info/entry_points.txt").decode()
    assert packaged == expected
    assert "asm-ls = asm_ls.cli.main:entry" in entry_points


def test_one_version_number(asm_ls_wheel):
    """pyproject.toml reads the version from asm_ls/__init__.py; the VS Code extension and the
    Mason package name the same one."""
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and 'attr = "asm_ls.__version__"' in pyproject
    assert asm_ls_wheel.name.startswith(f"asm_ls-{__version__}-py3-none-any")
    assert json.loads((REPO / "editors" / "vscode" / "package.json").read_text())["version"] == __version__
    mason = (REPO / "editors" / "neovim" / "mason" / "packages" / "asm-ls" / "package.yaml").read_text()
    assert re.search(r"^  id: pkg:pypi/asm-ls@(\S+)$", mason, re.M).group(1) == __version__


def test_installed_wheel_runs_in_a_fresh_virtual_environment(installed, tmp_path):
    (tmp_path / "broken.rs").write_text(BROKEN)
    # The package comes from the virtual environment, not from this checkout.
    where = run([str(installed / "python"), "-c", "import asm_ls; print(asm_ls.__file__)"],
                env=clean_env(installed), cwd=tmp_path)
    assert where.stdout.startswith(str(installed.parent / "lib"))

    version = _run_asm_ls(installed, tmp_path, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.splitlines()[0] == f"asm-ls {__version__}"

    check = _run_asm_ls(installed, tmp_path, "check", "--no-assemble", "--target", "x86_64-unknown-linux-gnu",
                        "--color", "never", "broken.rs")
    assert (check.returncode, check.stderr) == (1, "")
    assert check.stdout.splitlines()[:2] == [
        "error[duplicate-option]: the `nomem` option was already provided",
        " --> broken.rs:4:41",
    ]

    rule = _run_asm_ls(installed, tmp_path, "rule", "duplicate-option")
    assert rule.returncode == 0, rule.stderr
    assert rule.stdout.startswith("duplicate-option\n================\n\nThe same option given twice.")


def test_installed_wheel_links_diagnostics_to_its_own_page(installed, tmp_path):
    """A diagnostic's code links (codeDescription.href) to its section of the page installed
    with the package: a file of the virtual environment, at the line of the code's heading."""
    from urllib.parse import unquote, urlparse

    printed = run([str(installed / "python"), "-c",
                   "from asm_ls.diagnostics.pages import link; print(link('duplicate-option'))"],
                  env=clean_env(installed), cwd=tmp_path).stdout.strip()
    uri, line = printed.split("#L")
    page = Path(unquote(urlparse(uri).path))
    assert page.is_relative_to(installed.parent / "lib") and page.name == "diagnostics.md"
    assert page.read_text(encoding="utf-8").splitlines()[int(line) - 1] == "### `duplicate-option`"
