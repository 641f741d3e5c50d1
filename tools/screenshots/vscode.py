"""Takes the README's VS Code screenshots with the real workbench (code-server in Chromium, as
in tests/editors/test_vscode.py): docs/images/vscode-diagnostic.png (a diagnostic on a block
built only for aarch64) and docs/images/vscode-hover.png (a hover inside a template).

Needs what ``bash editors/vscode/ci-install.sh`` installs.  Usage:
    python tools/screenshots/vscode.py [--out-dir docs/images]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "editors"))

from vscode_driver import INSTALL_HINT, Tools, find_tools, workbench  # noqa: E402

EXAMPLES = ("cfg_aarch64.rs", "clean.rs")
# The line and column (1-based) of the hover: `rdtsc` in examples/clean.rs.
HOVER_AT = (7, 21)
VIEWPORT = {"width": 1200, "height": 720}


def found_tools(what: str) -> Tools | None:
    """The workbench's tools, or None after saying what is missing."""
    tools, missing = find_tools()
    if tools is None:
        print(f"{what} screenshots: missing ({INSTALL_HINT}): {'; '.join(missing)}", file=sys.stderr)
    return tools


def out_dir(argv: list[str] | None, description: str) -> Path:
    """The ``--out-dir`` of the command line (made when missing)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs" / "images")
    folder = parser.parse_args(argv).out_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def compact_settings() -> dict:
    """Settings for a small, light picture of the editor alone, with the rustc on PATH (by its
    real path, past any rustup proxy) for the checks and formats that assemble."""
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    return {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "asm-ls.rustc": f"{sysroot}/bin/rustc",
            "workbench.colorTheme": "Default Light Modern", "editor.fontSize": 12, "editor.minimap.enabled": False,
            "breadcrumbs.enabled": False, "workbench.activityBar.location": "hidden"}


def opening(path: str) -> list[dict]:
    """The first steps: the workbench without its side bar, showing the file ``path``."""
    return [{"action": "open"}, {"action": "command", "title": "View: Close Primary Side Bar"},
            {"action": "openFile", "path": path}]


def shoot(tools: Tools, what: str, files: dict[str, str], settings: dict, steps: list[dict],
          viewport: dict[str, int]) -> dict | None:
    """Run the browser steps in a fresh workbench; their outcome, or None after saying what failed."""
    failure = Path(tempfile.gettempdir()) / f"asm-ls-{what}-screenshot-failure.png"
    with workbench(tools, files, settings) as bench:
        outcome = bench.run(steps, viewport=viewport, failure_screenshot=failure)
        if "error" in outcome:
            print(f"{what} screenshots: {outcome['error']} (the page then: {failure})\n{bench.logs()}",
                  file=sys.stderr)
            return None
    return outcome


def main(argv: list[str] | None = None) -> int:
    folder = out_dir(argv, __doc__.splitlines()[0])
    tools = found_tools("vscode")
    if tools is None:
        return 2
    diagnostic, hover = folder / "vscode-diagnostic.png", folder / "vscode-hover.png"
    files = {name: (REPO / "examples" / name).read_text() for name in EXAMPLES}
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "workbench.colorTheme": "Default Light Modern"}
    outcome = shoot(tools, "vscode", files, settings, [
        *opening("cfg_aarch64.rs"),
        {"action": "problems", "expect": ["the frame pointer cannot be used"]},
        {"action": "press", "keys": ["Escape"]},
        {"action": "screenshot", "path": str(diagnostic)},
        {"action": "command", "title": "View: Hide Panel"},
        {"action": "openFile", "path": "clean.rs"},
        {"action": "hover", "line": HOVER_AT[0], "column": HOVER_AT[1], "expect": ["rdtsc"]},
        {"action": "screenshot", "path": str(hover)},
    ], VIEWPORT)
    if outcome is None:
        return 1
    print(outcome["results"][8]["text"])
    print(f"wrote {diagnostic} and {hover}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
