"""Bundles the asm-ls server into the VS Code extension for one platform, and packages the
platform-specific ``.vsix``.

    python editors/vscode/scripts/bundle.py --target linux-x64 [--vsix OUT.vsix]
    python editors/vscode/scripts/bundle.py --all OUT_DIR      # every target in TARGETS

The server's Python libraries go to ``editors/vscode/bundled/libs``: the asm-ls wheel built from
this checkout (tools/build_wheel.py) and its dependencies, as binary wheels for the target's
platform only (``pip download --platform ... --only-binary=:all:``; nothing is compiled, so any
target can be bundled on any machine). The native modules (tree-sitter's binding, capstone's
library, tree-sitter-rust's grammar) are taken for every CPython in PYTHONS; their file names
carry the Python version where they depend on it, so one folder serves them all. What was bundled
is written to ``bundled/manifest.json``, which the extension reads to know which Pythons can run
it. ``--vsix`` (or ``--all``) then runs ``vsce package --target`` (after ``npm ci`` and
``npm run build`` in editors/vscode)."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[1]
REPO = EXTENSION.parents[1]
BUNDLED = EXTENSION / "bundled"
LIBS = BUNDLED / "libs"
MANIFEST = BUNDLED / "manifest.json"

# VS Code's platform names and the wheel platforms pip looks for (pip also takes the older
# macOS releases these include). Linux is glibc 2.28 or newer, which pypcode's wheels need; the
# other wheels are tagged manylinux2014 or older, which pip takes only when named.
TARGETS = {
    "linux-x64": ("manylinux_2_28_x86_64", "manylinux2014_x86_64"),
    "linux-arm64": ("manylinux_2_28_aarch64", "manylinux2014_aarch64"),
    "darwin-x64": ("macosx_11_0_x86_64",),
    "darwin-arm64": ("macosx_11_0_arm64",),
    "win32-x64": ("win_amd64",),
}
PYTHONS = ("3.11", "3.12", "3.13", "3.14")


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True,
                   stdin=subprocess.DEVNULL)


def download(requirement: str, platforms: tuple[str, ...], python: str, dest: Path, constraints: Path | None) -> None:
    """The binary wheels of ``requirement`` and its dependencies for one platform and Python."""
    pip("download", "--quiet", "--dest", str(dest), "--only-binary=:all:",
        *(option for platform in platforms for option in ("--platform", platform)),
        "--python-version", python, "--implementation", "cp",
        *(["--constraint", str(constraints)] if constraints else []), requirement)


def wheel_name_version(wheel: Path) -> tuple[str, str]:
    name, version = wheel.name.split("-")[:2]
    return re.sub(r"[-_.]+", "-", name).lower(), version


def unpack(wheel: Path, target: Path) -> None:
    """Installs a wheel into ``target`` as ``pip install --target`` would, minus its scripts:
    ``*.data/purelib`` and ``*.data/platlib`` go to the top, other ``*.data`` parts are left out."""
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            parts = member.filename.split("/")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            path = target.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(member))
            if member.external_attr >> 16 & 0o111:
                path.chmod(0o755)


def bundle(target: str) -> dict:
    """Fills bundled/libs for ``target``; returns the manifest."""
    platforms = TARGETS[target]
    with tempfile.TemporaryDirectory(prefix="asm-ls-bundle-") as work_dir:
        work = Path(work_dir)
        built = subprocess.run([sys.executable, str(REPO / "tools" / "build_wheel.py"), str(work / "asm-ls")],
                               check=True, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        wheel = Path(built.stdout.strip().splitlines()[-1])
        # The first Python decides the versions; the others take the same ones.
        first = work / PYTHONS[0]
        download(str(wheel), platforms, PYTHONS[0], first, None)
        pins = {wheel_name_version(found) for found in first.glob("*.whl")}
        constraints = work / "constraints.txt"
        constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(pins) if name != "asm-ls"))
        for python in PYTHONS[1:]:
            download(str(wheel), platforms, python, work / python, constraints)
        wheels = sorted({found.name: found for python in PYTHONS for found in (work / python).glob("*.whl")}.values())
        if LIBS.exists():
            shutil.rmtree(LIBS)
        LIBS.mkdir(parents=True)
        for found in wheels:
            unpack(found, LIBS)
    version = dict(pins)["asm-ls"]
    manifest = {"target": target, "version": version, "pythons": list(PYTHONS),
                "packages": dict(sorted((name, v) for name, v in pins if name != "asm-ls"))}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def package(target: str, vsix: Path) -> None:
    vsix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "run", "package", "--", "--target", target, "--out", str(vsix.resolve())],
                   cwd=EXTENSION, check=True, stdin=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--target", choices=sorted(TARGETS), help="the VS Code platform to bundle for")
    which.add_argument("--all", type=Path, metavar="OUT_DIR",
                       help="bundle and package every target into OUT_DIR/asm-ls-TARGET-VERSION.vsix")
    parser.add_argument("--vsix", type=Path, help="with --target: package the extension into this file")
    args = parser.parse_args(argv)
    if args.all:
        for target in TARGETS:
            manifest = bundle(target)
            package(target, args.all / f"asm-ls-{target}-{manifest['version']}.vsix")
        return 0
    manifest = bundle(args.target)
    print(f"bundled asm-ls {manifest['version']} for {args.target} (CPython {', '.join(manifest['pythons'])}): "
          f"{', '.join(f'{name} {v}' for name, v in manifest['packages'].items())}", file=sys.stderr)
    if args.vsix:
        package(args.target, args.vsix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
