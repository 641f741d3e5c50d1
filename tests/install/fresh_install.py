"""Installing asm-ls as a user would, for the tests of tests/install/ and the editors' package
tests: a wheel built from this checkout (once per test session), and fresh virtual environments
that see nothing of the development install (no PYTHONPATH, a PATH without it, no user site).

Building and installing need PyPI (or pip's cache) for the build backend and the dependencies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# A PATH with the system's programs only: no pyenv shims, ~/.local/bin or virtual environment.
SYSTEM_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]


def build_wheel(work: Path) -> Path:
    """The wheel of this checkout, built by tools/build_wheel.py into ``work``."""
    built = run([sys.executable, str(REPO / "tools" / "build_wheel.py"), str(work)])
    return Path(built.stdout.strip().splitlines()[-1])


def clean_env(*bin_dirs: Path) -> dict[str, str]:
    """The environment of a machine without asm-ls: ``bin_dirs`` first on PATH, then the system's
    folders; no PYTHONPATH, no user site-packages, no virtual environment active."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}}
    env["PATH"] = os.pathsep.join([*(str(d) for d in bin_dirs), *SYSTEM_PATH])
    env["PYTHONNOUSERSITE"] = "1"
    return env


def make_venv(path: Path, python: str = sys.executable) -> Path:
    """A fresh virtual environment (with pip, without system site-packages); returns its bin
    folder."""
    run([python, "-m", "venv", str(path)], env=clean_env())
    return path / "bin"


def pip_install(bin_dir: Path, *requirements: str) -> None:
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         *requirements], env=clean_env(bin_dir))


def run(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
        check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result
