"""Takes the README's pictures of editing a block with the real workbench (code-server in Chromium, as in
tests/editors/test_vscode.py), each cropped to the editor: docs/images/vscode-instruction-hover.png (the
documentation of `cpuid` on hover), docs/images/vscode-completion.png (instruction items with their
documentation inside a template) and docs/images/vscode-format-before.png / vscode-format-after.png (a block
before and after "Format Document").

Needs what ``bash editors/vscode/ci-install.sh`` installs and a rustc.  Usage:
    python tools/screenshots/editing.py [--out-dir docs/images]
"""

from __future__ import annotations

import sys

# Run as a script, its folder is on sys.path; vscode.py puts tests/editors there too.
from vscode import compact_settings, found_tools, opening, out_dir, shoot

CPUID = """\
use std::arch::asm;

/// The processor's vendor string, from leaf 0 of `cpuid`.
pub fn vendor() -> [u32; 3] {
    let (b, c, d): (u64, u32, u32);
    unsafe {
        asm!(
            "mov {b}, rbx",
            "cpuid",
            "xchg {b}, rbx",
            b = out(reg) b,
            inout("eax") 0u32 => _,
            inout("ecx") 0u32 => c,
            out("edx") d,
            options(nomem, nostack, preserves_flags),
        );
    }
    [b as u32, d, c]
}
"""
RANDOM = """\
use std::arch::asm;

/// A random number from the processor, asked again until it gives one.
pub fn random() -> u64 {
    let value: u64;
    unsafe {
        asm!(
            "2:",
            "rd {v}",
            "jnc 2b",
            v = out(reg) value,
            options(nomem, nostack),
        );
    }
    value
}
"""
GRAY = """\
use std::arch::asm;

/// The Gray code of `x`: `x ^ (x >> 1)`.
pub fn gray(x: u64) -> u64 {
    let g: u64;
    unsafe {
        asm!("mov {g},{x}\\n  shr   {g} , 1\\nxor {g},{x}", x = in(reg) x, g = out(reg) g,
             options(pure, nomem, nostack));
    }
    g
}
"""
FILES = {"cpuid.rs": CPUID, "random.rs": RANDOM, "gray.rs": GRAY}
# 1-based line and column: on `cpuid`; after the `rd` of `rd {v}`.
HOVER_AT = (9, 15)
SUGGEST_AT = (9, 16)
RDRAND_ROW = 5          # the row of `rdrand` in the list, in the server's order
EDITOR = ".part.editor"
# The files' lines; and room below line 9 for the completion list and its details.
VIEWPORT = {"width": 900, "height": 370}
COMPLETION_VIEWPORT = {"width": 900, "height": 600}


def main(argv: list[str] | None = None) -> int:
    folder = out_dir(argv, __doc__.splitlines()[0])
    hover, completion = folder / "vscode-instruction-hover.png", folder / "vscode-completion.png"
    before, after = folder / "vscode-format-before.png", folder / "vscode-format-after.png"
    tools = found_tools("editing")
    if tools is None:
        return 2
    listed = shoot(tools, "editing", FILES, compact_settings(), [
        *opening("random.rs"),
        {"action": "suggest", "line": SUGGEST_AT[0], "column": SUGGEST_AT[1], "expect": ["rdrand"],
         "expectDetails": ["Read"], "keepOpen": True},
        {"action": "press", "keys": ["ArrowDown"] * RDRAND_ROW},
        {"action": "wait", "ms": 500},
        {"action": "screenshot", "path": str(completion), "selector": EDITOR},
    ], COMPLETION_VIEWPORT)
    if listed is None:
        return 1
    shown = shoot(tools, "editing", FILES, compact_settings(), [
        *opening("cpuid.rs"),
        {"action": "hover", "line": HOVER_AT[0], "column": HOVER_AT[1], "expect": ["CPU Identification"]},
        {"action": "screenshot", "path": str(hover), "selector": EDITOR},
        {"action": "command", "title": "View: Close All Editors"},
        {"action": "openFile", "path": "gray.rs"},
        {"action": "codeLens", "text": "Show machine code", "click": False},     # the server is up
        {"action": "screenshot", "path": str(before), "selector": EDITOR},
        {"action": "command", "title": "Format Document"},
        {"action": "activeEditorText", "expect": ['"shr {g}, 1"']},
        {"action": "screenshot", "path": str(after), "selector": EDITOR},
    ], VIEWPORT)
    if shown is None:
        return 1
    print(listed["results"][3]["rows"], shown["results"][3]["text"], shown["results"][-2]["text"], sep="\n\n")
    for picture in (hover, completion, before, after):
        print(f"wrote {picture} ({picture.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
