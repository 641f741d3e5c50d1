"""Takes the README's picture of the machine-code view with the real workbench (code-server in Chromium, as in
tests/editors/test_vscode.py): docs/images/vscode-machine-code.png, the code lens above a block clicked and the
block's machine code open beside it.

Needs what ``bash editors/vscode/ci-install.sh`` installs and a rustc.  Usage:
    python tools/screenshots/machine_code.py [--out-dir docs/images]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "editors"))
sys.path.insert(0, str(Path(__file__).parent))

from vscode import compact_settings, found_tools, opening, out_dir, shoot  # noqa: E402

SAMPLE = """\
use std::arch::asm;

/// The sum of a slice, in a loop written by hand.
pub fn sum(values: &[u64]) -> u64 {
    let total: u64;
    unsafe {
        asm!(
            "xor {t:e}, {t:e}",
            "test {n}, {n}",
            "jz 3f",
            "2:",
            "add {t}, qword ptr [{p} + 8*{n} - 8]",
            "dec {n}",
            "jnz 2b",
            "3:",
            t = out(reg) total,
            p = in(reg) values.as_ptr(),
            n = inout(reg) values.len() => _,
            options(readonly, nostack),
        );
    }
    total
}
"""
TAB = "asm! at lib.rs:7 (x86_64)"
VIEWPORT = {"width": 1960, "height": 480}      # wide enough for the listing's rows in half of it


def main(argv: list[str] | None = None) -> int:
    picture = out_dir(argv, __doc__.splitlines()[0]) / "vscode-machine-code.png"
    tools = found_tools("machine-code")
    if tools is None:
        return 2
    outcome = shoot(tools, "machine-code", {"lib.rs": SAMPLE}, compact_settings(), [
        *opening("lib.rs"),
        {"action": "codeLens", "text": "Show machine code"},
        {"action": "editorText", "tab": TAB, "expect": ["jne"]},
        {"action": "press", "keys": ["Escape", "Control+Home"]},
        {"action": "wait", "ms": 2000},     # until the read-only editor's message has faded
        {"action": "screenshot", "path": str(picture)},
    ], VIEWPORT)
    if outcome is None:
        return 1
    print(outcome["results"][4]["text"])
    print(f"wrote {picture} ({picture.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
