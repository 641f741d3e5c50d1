"""Builds the asm-ls wheel from this checkout: ``python tools/build_wheel.py OUT_DIR`` prints the
wheel's path.

The wheel is built by pip from a copy of the files a wheel is made of (pyproject.toml, the README
as long description, the asm_ls package without caches), so nothing else of the checkout (a stale
build/ folder, editors/, tests/) can end up in it. Used by the tests of tests/install/ and by
editors/vscode/scripts/bundle.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WHEEL_SOURCES = ("pyproject.toml", "README.md", "asm_ls")


def build_wheel(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="asm-ls-wheel-") as work:
        source = Path(work) / "source"
        source.mkdir()
        for name in WHEEL_SOURCES:
            origin = REPO / name
            if origin.is_dir():
                shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(origin, source / name)
        built = Path(work) / "dist"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
                        "--wheel-dir", str(built), str(source)], check=True, stdin=subprocess.DEVNULL)
        (wheel,) = built.glob("asm_ls-*.whl")
        target = out_dir / wheel.name
        shutil.copy2(wheel, target)
        return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/build_wheel.py OUT_DIR")
    print(build_wheel(Path(sys.argv[1])))
