"""The conformance script's matcher and plumbing, on tiny synthetic cases (not rustc's files)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("conformance_run", Path(__file__).with_name("run.py"))
run = importlib.util.module_from_spec(_spec)
sys.modules["conformance_run"] = run
_spec.loader.exec_module(run)

Expected, Found = run.Expected, run.Found


def exp(message, line, col=1, end_col=5, category="c_options_clobber_abi", end_uncertain=False):
    return Expected("error", message, line, col, line, end_col, category, end_uncertain)


def got(message, line, col=1, end_col=5, code="duplicate-option", severity="error"):
    return Found(code, severity, message, line, col, line, end_col)


def test_pairs_strictest_first_and_one_to_one():
    expected = [exp("a", 3), exp("b", 3, col=7, end_col=9), exp("c", 5)]
    found = [got("b", 3, col=7, end_col=9), got("zzz", 3), got("c", 5, col=2)]
    matches, unlocated, extras, surplus, warnings = run.match_diagnostics(expected, found)
    kinds = [m.kind for m in matches]
    assert kinds == ["span", "exact", "message"]
    assert not unlocated and not extras and not surplus and not warnings


def test_missed_extra_surplus_and_warnings():
    expected = [exp("a", 3), exp("b", 10, category="d_register")]
    expected[1] = Expected("error", "b", 10, 1, 12, 2, "d_register")    # spans lines 10-12
    found = [got("a", 3), got("a again", 3), got("x", 20), got("y", 11),
             got("w", 30, severity="warning"), got("h", 31, severity="hint"), got("z", 40)]
    matches, _, extras, surplus, warnings = run.match_diagnostics(expected, found, frozenset({40}))
    assert [m.kind for m in matches] == ["exact", "missed"]
    assert [(f.message, note) for f, note in extras] == [
        ("x", ""), ("y", "inside rustc span L10-12"), ("z", "rustc reports this line in another revision")]
    assert [f.message for f in surplus] == ["a again"]
    assert [f.message for f in warnings] == ["w"]


def test_end_uncertain_matches_on_start_only():
    matches, *_ = run.match_diagnostics([exp("m", 2, end_col=99, end_uncertain=True)], [got("m", 2, end_col=4)])
    assert matches[0].kind == "exact"


def test_unlocated_expected_diagnostics_are_set_aside():
    entry = {"test_path": "tests/ui/asm/t.rs", "diagnostics": [
        {"level": "error", "message": "m", "file": None, "line": None, "col": None, "end_line": None,
         "end_col": None, "category": "f_llvm"},
        {"level": "note", "message": "n", "file": "tests/ui/asm/t.rs", "line": 1, "col": 1, "end_line": 1,
         "end_col": 2, "category": "g_lint"}]}
    expected = run.expected_of(entry)
    assert len(expected) == 1 and not expected[0].located


def test_compile_flags():
    flags = run.parse_compile_flags(
        "--target=riscv32e-unknown-none-elf -C target-feature=+vector,-x -Ctarget-feature=+y --edition 2021 -O "
        "-C target_feature=+z --cfg altivec --cfg 'feature=\"f\"' -C target-cpu=z10 --crate-type=lib")
    assert (flags.target, flags.edition, flags.features, flags.cpu, flags.cfgs, flags.ignored) == (
        "riscv32e-unknown-none-elf", "2021", ["+vector", "-x", "+y", "+z"], "z10", ["altivec", 'feature="f"'],
        ["-O", "--crate-type lib"])
    config = run.run_config({"target": None, "target_kind": None,
                             "compile_flags": "-C target-feature=+neon -C target-cpu=skylake"})
    assert config.target == run.HOST_TRIPLE and config.edition == "2015"
    assert config.ignored_flags == ["-C target-feature=+neon", "-C target-cpu=skylake"]


def test_revision_cfg_note():
    entry = {"directives": [{"name": "revisions", "value": "stable exp"}]}
    assert run.revision_cfg_note('#![cfg_attr(exp, feature(x))]\nfn f() {}', entry)
    assert run.revision_cfg_note('fn f() { let stable = 1; }', entry) is None


def test_message_pattern():
    assert run.message_pattern("register `ax` conflicts with register `ax` 12") == \
        "register `_` conflicts with register `_` N"


def test_end_to_end_on_a_synthetic_tree(tmp_path, capsys):
    asm = tmp_path / "tests" / "ui" / "asm"
    asm.mkdir(parents=True)
    text = ("use std::arch::asm;\n"
            "pub unsafe fn f() {\n"
            "    asm!(\"\", options(nomem, nomem));\n"
            "    asm!(\"\", options(pure, pure));\n"
            "}\n")
    (asm / "opts.rs").write_text(text)
    col = text.splitlines()[2].index("nomem, nomem") + 8
    entries = [
        {"test_path": "tests/ui/asm/opts.rs", "revision": None, "target": "x86_64", "target_kind": "arch",
         "compile_flags": None, "edition": None, "directives": [], "diagnostics": [
             {"level": "error", "message": "the `nomem` option was already provided", "file": "tests/ui/asm/opts.rs",
              "line": 3, "col": col, "end_line": 3, "end_col": col + 5, "end_uncertain": False,
              "category": "c_options_clobber_abi"}]},
        {"test_path": "tests/ui/asm/missing.rs", "revision": None, "target": None, "target_kind": None,
         "compile_flags": None, "edition": None, "directives": [], "diagnostics": []},
    ]
    expected_path = tmp_path / "expected.json"
    expected_path.write_text(json.dumps(entries))
    out = tmp_path / "out.json"
    assert run.main([str(asm), "--expected", str(expected_path), "--json", str(out), "--verbose"]) == 0
    printed = capsys.readouterr().out
    assert "TOTAL in scope" in printed and "CRASH tests/ui/asm/missing.rs" in printed
    data = json.loads(out.read_text())
    first, second = data["runs"]
    assert first["matches"][0]["kind"] == "exact"
    # line 4 has asm-ls errors (duplicate `pure`, pure without outputs...) and no rustc diagnostic
    assert first["extras"] and all(extra["line"] == 4 for extra in first["extras"])
    assert second["error"]
    assert data["summary"]["c_options_clobber_abi"]["exact"] == 1


def test_rust_root_and_asm_folder_both_accepted(tmp_path):
    asm = tmp_path / "tests" / "ui" / "asm"
    asm.mkdir(parents=True)
    assert run.resolve_paths(tmp_path) == tmp_path.resolve()
    assert run.resolve_paths(asm) == tmp_path.resolve()
    with pytest.raises(SystemExit):
        run.resolve_paths(tmp_path / "tests")


def test_missing_expected_file_says_what_it_is(tmp_path):
    missing = tmp_path / "expected.json"
    with pytest.raises(SystemExit) as stopped:
        run.main([str(tmp_path), "--expected", str(missing)])
    assert str(stopped.value) == (
        f"{missing}: no such file.\nIt holds rustc's diagnostics for every test and revision of rustc's "
        "tests/ui/asm, read from their .stderr files at one rust commit, with a category per diagnostic; it is "
        "not part of this repository and cannot be regenerated from it. Pass its location with --expected FILE.")
