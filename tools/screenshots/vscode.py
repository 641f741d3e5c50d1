"""Takes the README's VS Code screenshots with the real workbench (code-server in Chromium, as
in tests/editors/test_vscode.py): docs/images/vscode-diagnostic.png (a diagnostic on a block
built only for aarch64) and docs/images/vscode-hover.png (a hover inside a template).

Needs what ``bash editors/vscode/ci-install.sh`` installs.  Usage:
    python tools/screenshots/vscode.py [--out-dir docs/images]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "editors"))

from vscode_driver import INSTALL_HINT, find_tools, workbench  # noqa: E402

EXAMPLES = ("cfg_aarch64.rs", "clean.rs")
# The line and column (1-based) of the hover: `rdtsc` in examples/clean.rs.
HOVER_AT = (7, 21)
VIEWPORT = {"width": 1200, "height": 720}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs" / "images")
    args = parser.parse_args(argv)
    tools, missing = find_tools()
    if tools is None:
        print(f"vscode screenshots: missing ({INSTALL_HINT}): {'; '.join(missing)}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    diagnostic, hover = args.out_dir / "vscode-diagnostic.png", args.out_dir / "vscode-hover.png"
    failure = Path(tempfile.gettempdir()) / "asm-ls-vscode-screenshot-failure.png"
    files = {name: (REPO / "examples" / name).read_text() for name in EXAMPLES}
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "workbench.colorTheme": "Default Light Modern"}
    with workbench(tools, files, settings) as bench:
        outcome = bench.run([
            {"action": "open"},
            {"action": "command", "title": "View: Close Primary Side Bar"},
            {"action": "openFile", "path": "cfg_aarch64.rs"},
            {"action": "problems", "expect": ["the frame pointer cannot be used"]},
            {"action": "press", "keys": ["Escape"]},
            {"action": "screenshot", "path": str(diagnostic)},
            {"action": "command", "title": "View: Hide Panel"},
            {"action": "openFile", "path": "clean.rs"},
            {"action": "hover", "line": HOVER_AT[0], "column": HOVER_AT[1], "expect": ["rdtsc"]},
            {"action": "screenshot", "path": str(hover)},
        ], viewport=VIEWPORT, failure_screenshot=failure)
        if "error" in outcome:
            print(f"vscode screenshots: {outcome['error']} (the page then: {failure})\n{bench.logs()}",
                  file=sys.stderr)
            return 1
    print(outcome["results"][8]["text"])
    print(f"wrote {diagnostic} and {hover}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
