"""ANSI terminal text (as `tmux capture-pane -e -p` prints it) to a standalone HTML page, one
fixed-size cell per character, for the Neovim screenshots (tools/screenshots/neovim.py).

Understands the SGR sequences tmux emits: reset, bold, dim, italic, underline (curly too),
reverse, strike-through, the 8/16 colours, 256-colour and 24-bit foreground, background and
underline colours.  Other escape sequences are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

ESCAPE = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])|\x1b[()][A-Za-z0-9]|\x1b.")

# xterm's default 16 colours.
BASIC = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
         "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"]


def _palette(index: int) -> str:
    if index < 16:
        return BASIC[index]
    if index < 232:
        index -= 16
        levels = [0, 95, 135, 175, 215, 255]
        red, green, blue = levels[index // 36], levels[index // 6 % 6], levels[index % 6]
        return f"#{red:02x}{green:02x}{blue:02x}"
    grey = 8 + (index - 232) * 10
    return f"#{grey:02x}{grey:02x}{grey:02x}"


@dataclass(frozen=True)
class Style:
    fg: str | None = None
    bg: str | None = None
    underline_color: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: str | None = None        # "solid", "wavy"
    reverse: bool = False
    strike: bool = False


def _extended_colour(params: list[str], at: int) -> tuple[str | None, int]:
    """The colour of `38;5;N` / `38;2;R;G;B` starting after the 38/48/58 at `at`, and how many
    parameters it used."""
    if at + 1 < len(params) and params[at + 1] == "5" and at + 2 < len(params):
        return _palette(int(params[at + 2] or 0)), 2
    if at + 1 < len(params) and params[at + 1] == "2" and at + 4 < len(params):
        red, green, blue = (int(value or 0) for value in params[at + 2:at + 5])
        return f"#{red:02x}{green:02x}{blue:02x}", 4
    return None, 0


# SGR codes that set or reset one attribute each.
_SIMPLE = {1: {"bold": True}, 2: {"dim": True}, 3: {"italic": True}, 7: {"reverse": True}, 9: {"strike": True},
           22: {"bold": False, "dim": False}, 23: {"italic": False}, 24: {"underline": None},
           27: {"reverse": False}, 29: {"strike": False}, 39: {"fg": None}, 49: {"bg": None}}


def apply_sgr(style: Style, parameters: str) -> Style:
    params = parameters.replace(":", ";").split(";") if parameters else ["0"]
    i = 0
    while i < len(params):
        code = int(params[i] or 0)
        if code == 0:
            style = Style()
        elif code in _SIMPLE:
            style = replace(style, **_SIMPLE[code])
        elif code == 4:
            curly = parameters.startswith("4:") and i + 1 < len(params) and params[i + 1] == "3"
            style = replace(style, underline="wavy" if curly else "solid")
            if parameters.startswith("4:"):
                i += 1
        elif 30 <= code <= 37:
            style = replace(style, fg=BASIC[code - 30])
        elif 90 <= code <= 97:
            style = replace(style, fg=BASIC[code - 90 + 8])
        elif 40 <= code <= 47:
            style = replace(style, bg=BASIC[code - 40])
        elif 100 <= code <= 107:
            style = replace(style, bg=BASIC[code - 100 + 8])
        elif code in (38, 48, 58):
            colour, used = _extended_colour(params, i)
            field = {38: "fg", 48: "bg", 58: "underline_color"}[code]
            style = replace(style, **{field: colour})
            i += used
        elif code == 59:
            style = replace(style, underline_color=None)
        i += 1
    return style


def parse(text: str) -> list[list[tuple[str, Style]]]:
    """Lines of (character, style) cells."""
    lines = []
    for raw in text.split("\n"):
        style = Style()
        cells: list[tuple[str, Style]] = []
        position = 0
        for match in ESCAPE.finditer(raw):
            cells.extend((char, style) for char in raw[position:match.start()])
            if match.group(2) == "m":
                style = apply_sgr(style, match.group(1))
            position = match.end()
        cells.extend((char, style) for char in raw[position:])
        lines.append(cells)
    return lines


def _css(style: Style, default_fg: str, default_bg: str) -> str:
    fg, bg = style.fg or default_fg, style.bg or default_bg
    if style.reverse:
        fg, bg = bg, fg
    rules = [f"color:{fg}", f"background:{bg}"]
    if style.bold:
        rules.append("font-weight:bold")
    if style.dim:
        rules.append("opacity:0.7")
    if style.italic:
        rules.append("font-style:italic")
    decorations = [name for name, on in (("underline", style.underline), ("line-through", style.strike)) if on]
    if decorations:
        rules.append("text-decoration:" + " ".join(decorations)
                     + (" wavy" if style.underline == "wavy" else "")
                     + (f" {style.underline_color}" if style.underline_color else ""))
    return ";".join(rules)


def to_html(text: str, columns: int, rows: int, default_fg: str, default_bg: str,
            font_px: int = 14, line_px: int = 18, padding_px: int = 8) -> str:
    """A page showing `rows` lines of `columns` cells, padded with the default background."""
    lines = parse(text)[:rows]
    lines += [[] for _ in range(rows - len(lines))]
    body = []
    for cells in lines:
        cells = cells[:columns] + [(" ", Style())] * (columns - len(cells))
        spans, run, run_style = [], "", None
        for char, style in cells:
            if style != run_style and run:
                spans.append(f'<span style="{_css(run_style, default_fg, default_bg)}">{html.escape(run)}</span>')
                run = ""
            run_style = style
            run += char
        if run:
            spans.append(f'<span style="{_css(run_style, default_fg, default_bg)}">{html.escape(run)}</span>')
        body.append("".join(spans))
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; background: {default_bg}; }}
pre {{ margin: 0; padding: {padding_px}px; font: {font_px}px/{line_px}px "DejaVu Sans Mono", monospace;
       color: {default_fg}; white-space: pre; }}
</style></head><body><pre>{chr(10).join(body)}</pre></body></html>
"""
