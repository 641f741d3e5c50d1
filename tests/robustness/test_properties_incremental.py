"""Property of the incremental analysis: after every edit of a random edit script, the diagnostics of the
analysis that reuses the previous text's tree (``Tree.edit`` and parsing with the old tree) and block results
(``block_results.py``) are exactly those of a fresh check of the same text: codes, messages, ranges, related
spans, notes, targets and fix data.  Deterministic seeds; the scripts edit a few fixtures of every group (the
largest of each), mostly inside the inline-assembly calls, with text that changes what the blocks depend on:
bindings, items, cfgs, lint and feature attributes, braces that move function boundaries."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from asm_ls.analysis import Settings, analyze, model_of
from asm_ls.block_results import BlockResults
from asm_ls.model.target import parse_target
from asm_ls.syntax.parsed import ParsedFile
from asm_ls.syntax.cfg import Cfg
from asm_ls.syntax.source import SourceFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EDITS = 25
TYPED = ["in(reg) x", ", ", "{", "}", "{0}", "{x:e}", '"', "\\", "options(pure)", "(", ")", "asm!(", "\n", "\r\n",
         "é", "\U0001F600", "x = out(reg) _", "#[cfg(target_arch = \"aarch64\")]\n", "// ", "/*", "*/", "nop\n",
         "fn h() {}\n", "}\nfn split() {\n", "const X: u64 = 1;\n", "static S: u8 = 0;\n", "let y: u8 = 0;\n",
         "let x: u32 = 1;\n", "#[unsafe(naked)]\n", "unsafe ", "sym ", "const ", "#![feature(asm_goto)]\n",
         "mod m {\n", "#[allow(unused)]\n", "#[deny(bad_asm_style)]\n", "#[target_feature(enable = \"avx2\")]\n",
         "struct P { f: u16 }\n", "use core::arch::asm as a;\n", "global_asm!(\"nop\");\n", "label {}", "eax", "xmm0"]
_CALL = re.compile(r"(?:asm|global_asm|naked_asm)!\s*[(\[{]")


def _largest_of_each_group() -> list[Path]:
    chosen = []
    for group in sorted(path for path in FIXTURES.iterdir() if path.is_dir()):
        files = sorted(group.glob("*.rs"), key=lambda path: (-path.stat().st_size, path.name))
        chosen += files[:1]
    return chosen


CASES = _largest_of_each_group()
SETTINGS = {
    "host": Settings(),
    "x86_64 and aarch64": Settings(targets=[parse_target("x86_64-unknown-linux-gnu"),
                                            parse_target("aarch64-unknown-linux-gnu")]),
}


def _position(text: str, rng: random.Random) -> int:
    """Mostly a place inside or just after an inline-assembly call; sometimes anywhere."""
    calls = [match.start() for match in _CALL.finditer(text)]
    if calls and rng.random() < 0.7:
        return min(len(text), rng.choice(calls) + rng.randint(0, 160))
    return rng.randint(0, len(text))


def _edit(text: str, rng: random.Random) -> str:
    at = _position(text, rng)
    choice = rng.random()
    if choice < 0.55:
        return text[:at] + rng.choice(TYPED) + text[at:]
    if choice < 0.85:
        return text[:at] + text[at + rng.randint(1, 12):]
    lines = text.splitlines(keepends=True)      # a line moved elsewhere (functions change places)
    if len(lines) < 2:
        return text
    line = lines.pop(rng.randrange(len(lines)))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "".join(lines)


def _script(path: Path, settings: Settings, seed: int) -> int:
    """Run one edit script; the number of blocks whose results were reused."""
    rng = random.Random(seed)
    text = path.read_text(encoding="utf-8")
    kept = BlockResults()
    previous: tuple[bytes, object] | None = None
    model = None
    for step in range(EDITS + 1):
        if step:
            text = _edit(text, rng)
        source = SourceFile.from_text(text, str(path))
        parsed = ParsedFile(source.data, previous=previous and previous[:2], earlier_scan=previous and previous[2])
        model = model_of(source, settings, None, parsed, model)     # the earlier text's unchanged calls kept
        incremental = analyze(source, settings, None, parsed, kept, model)
        fresh_parse = ParsedFile(source.data)
        fresh = analyze(SourceFile.from_text(text, str(path)), settings, None, fresh_parse)
        assert incremental.diagnostics == fresh.diagnostics, f"{path.name}, seed {seed}, edit {step}:\n{text}"
        assert _blocks(model) == _blocks(fresh.model), f"{path.name}, seed {seed}, edit {step}:\n{text}"
        if parsed.parsed and parsed.scanned is not None:
            assert _scan_facts(parsed) == _scan_facts(fresh_parse), f"{path.name}, seed {seed}, edit {step}:\n{text}"
        if parsed.parsed:
            previous = (source.data, parsed.tree, parsed.scanned)
    return kept.hits


def _blocks(model) -> list:
    """What the model says of each block: its call, configuration, operands, templates and placeholders."""
    return [(r.block.call.start, r.block.call.end, r.block.call.cfgs, r.arch, r.configuration, r.cfg_features,
             [(o.kind, o.start, o.end, o.name) for o in r.block.operands],
             [(t.start, t.end, t.decoded and t.decoded.value) for t in r.block.templates],
             [(p.start, p.end, p.operand) for p in r.block.placeholders]) for r in model.blocks]


def _scan_facts(parsed: ParsedFile) -> list:
    """Everything the scan recorded (its calls as scanned, with their tokens, and the module declarations)."""
    def tokens(token):
        return (token.kind, token.text, token.start, token.end, token.delimiter, token.closed,
                [tokens(child) for child in token.children])
    scanned = parsed.scanned
    return [(call.kind, call.start, call.end, tokens(call.args), cfgs, call.function, call.unsafe,
             sorted(call.lint_levels.items()), call.in_macro, call.in_macro_definition)
            for call, cfgs in zip(scanned.calls, scanned.cfgs)] \
        + [(module.name, module.cfgs, module.start, [tokens(group) for group in module.attributes])
           for module in scanned.modules]


@pytest.mark.parametrize("path", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
@pytest.mark.parametrize("settings", sorted(SETTINGS))
def test_incremental_diagnostics_are_a_fresh_checks(path, settings):
    _script(path, SETTINGS[settings], seed=sum(map(ord, path.name)))


def test_the_scripts_reuse_block_results():
    """The property is not vacuous: unchanged blocks are taken from the store."""
    assert sum(_script(path, SETTINGS["host"], seed=7) for path in CASES[:3]) > EDITS


_USES = """use std::arch::asm;
struct P { f: u16 }
pub unsafe fn f(p: P) {
    let n = 1;
    asm!("/* {} */", const n);
    asm!("movq {0}, {0}", in(xmm_reg) p.f);
}
pub unsafe fn g() {
    asm!("nop");
}
"""
# (what is edited, the text before, after): each changes a dependency of f's blocks outside f's body.
DEPENDENCIES = [
    ("an item of the same name in another function", "    asm!(\"nop\");\n", "    const n: i32 = 1;\n    asm!(\"nop\");\n"),
    ("a struct field's type", "struct P { f: u16 }", "struct P { f: u64 }"),
    ("a use declaration", "use std::arch::asm;\n", "use std::arch::asm;\nuse self::n;\n"),
    ("a lint attribute of the crate", "use std::arch::asm;\n", "#![deny(asm_sub_register)]\nuse std::arch::asm;\n"),
    ("the struct moved after the functions", "struct P { f: u16 }\n", ""),
]


@pytest.mark.parametrize("name, before, after", DEPENDENCIES, ids=[name for name, _, _ in DEPENDENCIES])
def test_a_change_outside_the_block_reaches_it(name, before, after):
    kept = BlockResults()
    edited = _USES.replace(before, after, 1)
    if name.startswith("the struct moved"):
        edited = edited.replace("pub unsafe fn g() {\n    asm!(\"nop\");\n}\n", "") + before
    settings = SETTINGS["host"]
    first = SourceFile.from_text(_USES, "uses.rs")
    parsed = ParsedFile(first.data)
    model = model_of(first, settings, None, parsed)
    analyze(first, settings, None, parsed, kept, model)
    second = SourceFile.from_text(edited, "uses.rs")
    parsed_second = ParsedFile(second.data, previous=(first.data, parsed.tree), earlier_scan=parsed.scanned)
    incremental = analyze(second, settings, None, parsed_second, kept,
                          model_of(second, settings, None, parsed_second, model))
    assert incremental.diagnostics == analyze(SourceFile.from_text(edited, "uses.rs"), settings).diagnostics


def test_another_context_or_settings_reuses_nothing():
    """The crate's features come from the context: a block's results under other ones are not reused."""
    from asm_ls.analysis import FileContext
    text = 'use std::arch::asm;\npub unsafe fn f() {\n    asm!("nop", options(may_unwind));\n}\n'
    source = SourceFile.from_text(text, "ctx.rs")
    kept = BlockResults()
    with_gate = FileContext(crate_features={"asm_unwind": (Cfg("all", ()),)})
    for context in (FileContext(crate_features={}), with_gate, FileContext(crate_features={})):
        incremental = analyze(source, SETTINGS["host"], context, ParsedFile(source.data), kept)
        assert incremental.diagnostics == analyze(source, SETTINGS["host"], context).diagnostics
    assert kept.hits == 0
    analyze(source, SETTINGS["x86_64 and aarch64"], FileContext(crate_features={}), ParsedFile(source.data), kept)
    assert kept.hits == 0


def test_the_store_keeps_about_the_blocks_of_the_file():
    text = "use std::arch::asm;\n" + "".join(f'pub unsafe fn f{i}() {{\n    asm!("nop");\n}}\n' for i in range(20))
    kept = BlockResults()
    for edit in range(30):
        text = text.replace('asm!("nop', f'asm!("nop ', 1) if edit % 2 else text + f"fn g{edit}() {{}}\n"
        source = SourceFile.from_text(text, "many.rs")
        analyze(source, SETTINGS["host"], None, ParsedFile(source.data), kept)
    assert len(kept) <= 2 * 20


@pytest.mark.parametrize("path", CASES[::3], ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_request_right_after_an_edit_answers_as_the_whole_model(path):
    """Hover right after an edit reads the model of the calls at its position alone (``analysis.model_near``, from the
    tree reparsed from the previous text's and a scan of the item there), as the server does; the whole model built
    next from what that parse hands over (``ParsedFile.handover``: the earlier scan and what changed) is a fresh
    model, and both answer hover as a fresh model does."""
    from asm_ls.analysis import model_near
    from asm_ls.ide.hover import hover
    from asm_ls.server.session import Session
    settings = SETTINGS["x86_64 and aarch64"]
    rng = random.Random(sum(map(ord, path.name)))
    text = path.read_text(encoding="utf-8")
    session, uri = Session(), "file:///near.rs"
    for step in range(EDITS // 2):
        text = _edit(text, rng) if step else text
        source = SourceFile.from_text(text, str(path))
        parsed = session.parsed_for(uri, source.data)
        offsets = sorted({_position(text, rng) for _ in range(12)})
        nears = [model_near(source, settings, None, parsed, offset) for offset in offsets]
        session.remember_tree(uri, parsed)
        publisher_parse = session.parsed_for(uri, source.data)
        whole = model_of(source, settings, None, publisher_parse)
        session.remember_tree(uri, publisher_parse)
        fresh = model_of(source, settings, None, ParsedFile(source.data))
        assert _blocks(whole) == _blocks(fresh), f"{path.name}, edit {step}:\n{text}"
        for offset, near in zip(offsets + [call.start + 2 for call in fresh.calls],
                                nears + [model_near(source, settings, None, publisher_parse, call.start + 2)
                                         for call in fresh.calls]):
            assert hover(near, offset, settings) == hover(fresh, offset, settings), \
                f"{path.name}, edit {step}, offset {offset}:\n{text}"
