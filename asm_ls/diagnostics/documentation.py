"""One code's documentation page, from the registry (``codes.toml``): the parts in order, and the
page as plain text (``asm-ls rule CODE``).  ``tools/gen_docs.py`` renders the same parts as the
Markdown sections of ``docs/diagnostics.md``."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches

from asm_ls.diagnostics.codes import Code, registry

TEXT_WIDTH = 88


@dataclass(frozen=True)
class Part:
    """A titled part of a page: prose, a Rust snippet, or a link."""

    title: str
    body: str
    kind: str = "prose"     # "prose", "snippet" or "link"


def headline(code: Code, strong: Callable[[str], str] = str) -> str:
    """The sentence under the title: summary, default severity, relation to rustc."""
    mirrors = "mirrors rustc" if code.rustc else "asm-ls only"
    if code.lint:
        mirrors = f"mirrors rustc's `{code.lint}` lint, whose level `#[allow]`/`#[warn]`/`#[deny]` can change"
    return f"{code.summary}. Default severity: {strong(code.severity)}; {mirrors}."


def parts(code: Code) -> list[Part]:
    found = [Part("What it does", code.what.strip()), Part("Why is this bad?", code.why.strip()),
             Part("Example", code.example.strip("\n"), "snippet"),
             Part("Use instead", code.fix.strip("\n"), "snippet")]
    if code.fix_safety.strip():
        found.append(Part("Fix safety", code.fix_safety.strip()))
    found.append(Part("Reference", code.reference, "link"))
    return found


def render_text(code: Code) -> str:
    """The page as plain text for a terminal: prose wrapped, snippets indented by four spaces."""
    lines = [code.code, "=" * len(code.code), "", *_wrapped(headline(code)), ""]
    for part in parts(code):
        lines += [part.title, "-" * len(part.title), ""]
        if part.kind == "snippet":
            lines += [f"    {line}".rstrip() for line in part.body.splitlines()]
        elif part.kind == "link":
            lines.append(part.body)
        else:
            for paragraph in part.body.split("\n\n"):
                lines += [*_wrapped(paragraph), ""]
            lines.pop()
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _wrapped(paragraph: str) -> list[str]:
    return textwrap.wrap(" ".join(paragraph.split()), TEXT_WIDTH, break_on_hyphens=False, break_long_words=False)


def render_index() -> str:
    """Every code and its summary, one per line, in the registry's order."""
    codes = registry()
    width = max(len(name) for name in codes)
    return "".join(f"{name:<{width}}  {code.summary}\n" for name, code in codes.items())


def unknown_code_message(name: str) -> str:
    """What to say about a name that is not a code: with the closest codes, when some are close."""
    close = get_close_matches(name, list(registry()), n=3, cutoff=0.7)
    if not close:
        return f"unknown code `{name}` (`asm-ls rule --all` lists the codes)"
    return f"unknown code `{name}`; did you mean {' or '.join(f'`{c}`' for c in close)}?"
