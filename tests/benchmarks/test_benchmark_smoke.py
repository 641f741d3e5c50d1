"""The throughput benchmark (tests/benchmarks/throughput.py) on a tiny workspace, so that it cannot rot: its generator
and measurements give the right counts.  Nothing about time is asserted."""

from __future__ import annotations

import shutil

import pytest

import throughput
from asm_ls.analysis import mentions_inline_assembly

SIZE = 40


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    return root, throughput.generate_workspace(root, SIZE)


def test_the_generated_workspace_has_the_size_asked_for_and_is_deterministic(workspace, tmp_path):
    root, files = workspace
    assert len(files) == len(set(files)) == SIZE
    assert sorted(throughput.corpus_files([str(root)])) == sorted(files)
    again = throughput.generate_workspace(tmp_path, SIZE)
    assert [(p.relative_to(tmp_path), p.read_text()) for p in again] == \
        [(p.relative_to(root), p.read_text()) for p in files]
    with_asm = [p for p in files if b"asm!(" in p.read_bytes()]
    assert 0 < len(with_asm) < SIZE // 2


def test_each_mode_counts_every_file(workspace):
    _, files = workspace
    settings = throughput._settings([])
    parse = throughput.measure("parse", files, settings)
    front_end = throughput.measure("front-end", files, settings)
    assert (parse.mode, parse.files, parse.blocks) == ("parse", SIZE, None)
    assert (front_end.files, front_end.rustc_runs) == (SIZE, 0)
    assert front_end.blocks >= sum(p.read_bytes().count(b"asm!(") for p in files if mentions_inline_assembly(
        p.read_bytes())) > 0


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")
def test_the_assembler_mode_counts_rustc_runs(workspace):
    _, files = workspace
    result = throughput.measure("assemble", files, throughput._settings(["x86_64-unknown-linux-gnu"]))
    assert result.files == SIZE
    assert 0 < result.assembled_file_targets <= result.rustc_runs


def test_the_report_runs_each_mode_in_a_child(workspace, capsys):
    root, _ = workspace
    assert throughput.main([str(root), "--generated", "0", "--modes", "parse,front-end", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == root.name
    assert [line.split()[:2] for line in lines[2:4]] == [["parse", str(SIZE)], ["front-end", str(SIZE)]]
    assert lines[4].startswith("  front-end / parse: ")


def test_the_latency_benchmark_finds_its_points(tmp_path):
    """lsp_latency.py's inputs (the server run itself is on demand): the generated file, and a real file's template
    strings as edit points."""
    import os

    import lsp_latency

    generated = lsp_latency.generate(1, blocks=24, target_lines=300)
    assert generated.blocks == 24 and generated.text == lsp_latency.generate(1, blocks=24, target_lines=300).text
    lines = generated.text.split("\n")
    assert all(lines[p.line][p.character - 1] == '"' for p in generated.edits)
    path = tmp_path / "real.rs"
    path.write_text('fn f() {\n    unsafe { asm!(\n        "nop",\n        "ret", options(noreturn)) }\n}\n'
                    'global_asm!("x: ret");\n')
    real = lsp_latency.from_file(path)
    assert real.blocks == 2
    assert [(p.line, p.character) for p in real.edits] == [(2, 9), (3, 9), (5, 13)]
    assert lsp_latency.cpu_ms(os.getpid()) > 0
