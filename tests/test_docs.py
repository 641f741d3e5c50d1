"""The diagnostic documentation: docs/diagnostics.md is up to date with the code registry, every
code is documented, and every code that the fixtures or the source use is in the registry."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from asm_ls.diagnostics.codes import SEVERITIES, registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "diagnostics.md"
PACKAGED = ROOT / "asm_ls" / "diagnostics" / "diagnostics.md"
SOURCE = ROOT / "asm_ls"

CODE = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# Diagnostic("code", ...) and the parser's _SyntaxError("code", ...), possibly across lines.
CALL_RE = re.compile(r"\b(?:\w*Diagnostic|\w*SyntaxError)\(\s*[\"'](" + CODE + r")[\"']")
# code="...", code = "...", code: str = "..." (keyword arguments and defaults).
KEYWORD_RE = re.compile(r"\bcode\s*(?::\s*str\s*)?=\s*[\"'](" + CODE + r")[\"']")
# Any kebab-case string literal; used on the check modules only, where such strings are codes.
KEBAB_RE = re.compile(r"[\"']([a-z][a-z0-9]*(?:-[a-z0-9]+)+)[\"']")
NOT_CODES = {"utf-8"}


def _generator():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source_uses(pattern: re.Pattern, files) -> dict[str, list[str]]:
    uses: dict[str, list[str]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            uses.setdefault(match.group(1), []).append(f"{path.relative_to(ROOT)}:{line}")
    return uses


def _unregistered(uses: dict[str, list[str]]) -> list[str]:
    known = registry()
    return sorted(f"{code} ({', '.join(places)})" for code, places in uses.items()
                  if code not in known and code not in NOT_CODES)


def test_docs_are_generated_from_the_registry():
    expected = _generator().render()
    assert DOCS.exists(), "docs/diagnostics.md is missing: run `python tools/gen_docs.py`"
    assert DOCS.read_text(encoding="utf-8") == expected, \
        "docs/diagnostics.md is out of date: run `python tools/gen_docs.py`"


def test_the_packaged_page_is_the_same_page():
    """Package data (diagnostics link to it): what tools/gen_docs.py renders, as docs/ has it."""
    assert PACKAGED.exists() and PACKAGED.read_text(encoding="utf-8") == _generator().render(), \
        "asm_ls/diagnostics/diagnostics.md is out of date: run `python tools/gen_docs.py`"
    assert "diagnostics/*.md" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(registry()))
def test_every_code_links_to_its_section(code):
    from asm_ls.diagnostics.pages import link
    uri, line = link(code).split("#L")
    assert uri == PACKAGED.as_uri()
    assert PACKAGED.read_text(encoding="utf-8").splitlines()[int(line) - 1] == f"### `{code}`"


def test_docs_link_every_code():
    text = DOCS.read_text(encoding="utf-8")
    for code in registry():
        assert f'<a id="{code}"></a>' in text
        assert f"](#{code})" in text


@pytest.mark.parametrize("code", sorted(registry()))
def test_every_code_is_documented(code):
    entry = registry()[code]
    assert entry.severity in SEVERITIES
    assert re.fullmatch(CODE, code)
    for field in ("group", "summary", "what", "why", "example", "fix", "reference"):
        assert getattr(entry, field).strip(), f"{code}: `{field}` is empty"
    assert entry.reference.startswith("https://doc.rust-lang.org/"), entry.reference
    assert re.search(r"\b(asm|global_asm|naked_asm)!|#\[unsafe\(naked\)\]", entry.example), \
        f"{code}: the example has no asm macro or naked attribute"
    assert entry.example.strip() != entry.fix.strip(), f"{code}: the fix is the example"


def test_fixture_codes_are_registered():
    known = registry()
    missing: dict[str, set[str]] = {}
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.expected.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            if entry["code"] not in known:
                missing.setdefault(entry["code"], set()).add(str(path.relative_to(ROOT)))
    assert not missing, "fixture codes missing from codes.toml: " + "; ".join(
        f"{code} ({', '.join(sorted(paths))})" for code, paths in sorted(missing.items()))


def test_source_codes_are_registered():
    files = sorted(SOURCE.rglob("*.py"))
    uses = _source_uses(CALL_RE, files)
    for code, places in _source_uses(KEYWORD_RE, files).items():
        uses.setdefault(code, []).extend(places)
    assert len(uses) >= 20, "the patterns no longer find the codes in the source"
    missing = _unregistered(uses)
    assert not missing, "codes used in the source but missing from codes.toml: " + "; ".join(missing)


def test_check_module_strings_are_registered():
    """A wider net over the check modules, for codes chosen indirectly (a tuple, a variable)."""
    files = sorted((SOURCE / "checks").glob("*.py")) + [SOURCE / "analysis.py"]
    missing = _unregistered(_source_uses(KEBAB_RE, files))
    assert not missing, "codes used in the source but missing from codes.toml: " + "; ".join(missing)
