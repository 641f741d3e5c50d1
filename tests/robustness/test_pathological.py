"""Pathological inputs, each analysed and queried (every editor request) within a stated time and memory bound, in a
process of its own (``pathological_inputs.py``).  The bounds are about ten times what this machine measured
(2 shared cores): they catch hangs and blow-ups, not slowdowns (those belong in ``tests/benchmarks``).  Line
endings, a BOM and characters outside the BMP are checked for exact positions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.syntax.source import SourceFile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# input -> (seconds, MB) bounds.  Measured here (analysis and 32 requests; peak resident growth): 10 MB file 18 s /
# 663 MB, 1 MB template 18 s / 310 MB, 100,000 placeholders 14 s / 128 MB, 1 MB line 1 s / 79 MB, place 10,000
# fields deep 11 s / 16 MB (quadratic in the depth: tree-sitter finds a node's parent from the root), blocks 2,000
# deep 0.3 s, the other deep inputs < 0.2 s / < 3 MB.
BOUNDS = {
    "10 MB file": (150, 3000),
    "1 MB template": (200, 1500),
    "100,000 placeholders": (150, 1000),
    "1 MB line": (60, 800),
    "operand nested 10,000 deep": (30, 300),
    "token trees nested 10,000 deep": (30, 300),
    "place 10,000 fields deep": (200, 300),
    "naked body 10,000 deep": (30, 300),
    "pattern 10,000 deep": (30, 300),
    "blocks 2,000 deep": (30, 300),
}
# what each input must give (diagnostics as (code, [line, char, end line, end char]), blocks, placeholders)
EXPECTED = {
    "10 MB file": ([], 824, 1648),
    "1 MB template": ([], 1, 1),
    "100,000 placeholders": ([], 1, 100_000),
    "1 MB line": ([("invalid-argument-index", [1, 1045032, 1, 1045035]),
                   ("unused-argument", [1, 1045038, 1, 1045047])], 1, 1),
    "operand nested 10,000 deep": ([], 1, 1),
    "token trees nested 10,000 deep": ([("asm-syntax-error", [2, 15, 2, 20015])], 1, 0),
    "place 10,000 fields deep": ([], 1, 1),
    "naked body 10,000 deep": ([("naked-function-body", [2, 0, 2, 34])], 1, 0),
    "pattern 10,000 deep": ([], 1, 1),
    "blocks 2,000 deep": ([("invalid-argument-index", [1, 2025, 1, 2027])], 1, 1),
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_pathological_input_within_bounds(name):
    seconds, megabytes = BOUNDS[name]
    done = subprocess.run([sys.executable, str(HERE / "pathological_inputs.py"), name], capture_output=True, text=True,
                          timeout=seconds, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout)
    print(f"{name}: {measured['bytes']} bytes, analysis {measured['analysis_s']} s, with requests "
          f"{measured['total_s']} s, {measured['memory_mb']} MB")
    diagnostics, blocks, placeholders = EXPECTED[name]
    assert [(code, where) for code, where in measured["diagnostics"]] == diagnostics
    assert (measured["blocks"], measured["placeholders"]) == (blocks, placeholders)
    assert measured["requests"] == 32            # 7 requests at 4 positions, 4 on the whole document
    assert measured["total_s"] < seconds and measured["memory_mb"] < megabytes


# ---- exact positions ----------------------------------------------------------------------------------------------

BODY = ['use std::arch::asm;', 'pub unsafe fn f(x: u64) {', '    asm!("{}", in(reg) x, in(reg) x);',
        '    asm!("nop", options(nomem, nomem));', '}']


def _found(text: str) -> list[tuple]:
    source = SourceFile.from_text(text)
    return [(d.code, d.message, source.range(d.start, d.end).as_list())
            for d in analyze(source, Settings()).diagnostics]


EXPECTED_BODY = [("unused-argument", "argument never used", [2, 26, 2, 35]),
                 ("duplicate-option", "the `nomem` option was already provided", [3, 31, 3, 36])]


@pytest.mark.parametrize("endings", [["\n"] * 5, ["\r\n"] * 5, ["\r"] * 5, ["\r\n", "\r", "\n", "\r", "\r\n"]])
def test_line_endings_give_the_same_positions(endings):
    assert _found("".join(line + end for line, end in zip(BODY, endings))) == EXPECTED_BODY


def test_a_bom_changes_nothing_after_the_first_line():
    assert _found("\ufeff" + "\n".join(BODY) + "\n") == EXPECTED_BODY


def test_characters_outside_the_bmp_count_two_utf16_units(tmp_path):
    line = '    asm!("\U0001F600é\U00010348{5}");'
    text = "use std::arch::asm;\npub unsafe fn f() {\n" + line + "\n}\n"
    column = len('    asm!("') + 2 + 1 + 2
    expected = [("invalid-argument-index", "invalid reference to argument at index 5", [2, column, 2, column + 3])]
    assert _found(text) == expected
    # and as the checker prints it
    path = tmp_path / "wide.rs"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "asm_ls", "--check", str(path), "--format", "json", "--no-assemble"],
                          capture_output=True, text=True, timeout=60, cwd=str(ROOT),
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    [diagnostic] = json.loads(done.stdout)["files"][0]["diagnostics"]
    assert diagnostic["range"] == {"start": {"line": 2, "character": column}, "end": {"line": 2, "character": column + 3}}
