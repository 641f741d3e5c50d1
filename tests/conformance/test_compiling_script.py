"""compiling.py and the header reading it shares with run.py, on a tiny synthetic rust tree (not rustc's files)."""

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("conformance_compiling", Path(__file__).with_name("compiling.py"))
compiling = importlib.util.module_from_spec(_spec)
sys.modules["conformance_compiling"] = compiling
_spec.loader.exec_module(compiling)

import compiletest  # noqa: E402  (on sys.path once compiling.py is loaded)

DUPLICATE = 'asm!("nop", options(nomem, nomem));'     # one error: the `nomem` option was already provided


def write(root: Path, path: str, text: str) -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


def synthetic_tree(root: Path) -> None:
    write(root, "tests/ui/asm/pass.rs", f"""//@ build-pass
//@ only-x86_64
use std::arch::asm;
pub unsafe fn f() {{
    asm!("nop");
    {DUPLICATE}
}}
""")
    # Only revision `a` compiles; its flags set `--cfg extra`, and compiletest adds `--cfg a`.
    write(root, "tests/ui/asm/revisions.rs", f"""//@ revisions: a b
//@[a] check-pass
//@[a] compile-flags: --target aarch64-unknown-linux-gnu --cfg extra
//@[b] build-fail
#![no_core]
pub unsafe fn f() {{
    #[cfg(b)]
    {DUPLICATE}
    #[cfg(not(extra))]
    {DUPLICATE}
    #[cfg(all(a, extra))]
    asm!("nop", out("x0") _);
}}
""")
    write(root, "tests/ui/asm/fails.rs", f"//@ only-x86_64\npub unsafe fn f() {{ {DUPLICATE} }}\n")
    write(root, "tests/ui/asm/auxiliary/helper.rs", f"pub unsafe fn f() {{ {DUPLICATE} }}\n")
    # zmm registers need avx512f, which the test's flags enable.
    write(root, "tests/assembly-llvm/asm/avx.rs", """//@ compile-flags: --target x86_64-unknown-linux-gnu -C target-feature=+avx512f
pub unsafe fn f() {
    asm!("", out("zmm0") _);
    asm!("", out("zmm1") _);
}
""")
    write(root, "library/foo/Cargo.toml", '[workspace]\nmembers = []\nexclude = ["inner"]\n')
    write(root, "library/foo/src/lib.rs", f"pub unsafe fn f() {{ core::arch::{DUPLICATE} }}\n")
    write(root, "library/foo/inner/Cargo.toml", '[package]\nname = "inner"\nversion = "0.1.0"\n')
    write(root, "library/foo/inner/src/lib.rs", "pub unsafe fn g() { core::arch::asm!(\"nop\"); }\n")
    write(root, "library/plain/src/lib.rs", "pub fn no_assembly() {}\n")


def test_counts_on_a_synthetic_tree(tmp_path, capsys):
    synthetic_tree(tmp_path)
    out = tmp_path / "out.json"
    assert compiling.main([str(tmp_path), "--no-assemble", "--verbose", "--json", str(out)]) == 1
    printed = capsys.readouterr().out
    groups = {g["name"]: g for g in json.loads(out.read_text())["groups"]}
    assert {name: (g["files"], g["runs"], g["blocks"], g["errors_per_code"]) for name, g in groups.items()} == {
        "tests/assembly-llvm/asm": (1, 1, 2, {}),
        "tests/ui/asm (pass)": (2, 2, 5, {"duplicate-option": 1}),
        "library/foo": (2, 1, 2, {"duplicate-option": 1}),     # a package the workspace excludes is still checked
    }
    assert not any(g["crashes"] or g["unchecked"] for g in groups.values())
    error = groups["tests/ui/asm (pass)"]["errors"][0]
    assert (error["path"], error["line"], error["code"]) == ("tests/ui/asm/pass.rs", 6, "duplicate-option")
    assert error["configuration"] == "target=x86_64 edition=2015"
    library_error = groups["library/foo"]["errors"][0]
    assert (library_error["path"], library_error["line"]) == ("library/foo/src/lib.rs", 1)
    assert "tests/ui/asm/pass.rs:6:" in printed and "TOTAL" in printed


@pytest.mark.oracle
@pytest.mark.skipif(shutil.which("rustc") is None, reason="no rustc to assemble with")
def test_assembler_errors_in_tests_rustc_never_assembles_are_marked(tmp_path):
    write(tmp_path, "tests/codegen-llvm/asm/bad.rs", "//@ only-x86_64\n#[no_mangle]\n"
                                                     "pub unsafe fn f() { core::arch::asm!(\"foo\"); }\n")
    group = compiling.check_tests(tmp_path, "codegen", "tests/codegen-llvm/asm", "llvm-ir", assemble=True)
    assert [(e.code, e.line, e.unassembled) for e in group.errors] == [("assembler-error", 3, True)]


def test_directives_and_revisions():
    text = ("//@ revisions: x y\n//@[x] compile-flags: --target armv7-unknown-linux-gnueabihf\n"
            "//@ [y] only-aarch64\n//@ edition: 2021\n//@ compile-flags: -C target-feature=+neon\n"
            "//@ ignore-wasm32 no wasm\n// not a directive\n")
    assert compiletest.read_directives(text)[:2] == [
        {"revisions": None, "name": "revisions", "value": "x y"},
        {"revisions": ["x"], "name": "compile-flags", "value": "--target armv7-unknown-linux-gnueabihf"}]
    assert compiletest.read_directives(text)[-1]["name"] == "ignore-wasm32"


def test_runs_of_a_file(tmp_path):
    write(tmp_path, "t.rs", "//@ revisions: x y\n//@[x] compile-flags: --target armv7-unknown-linux-gnueabihf\n"
                            "//@[y] only-aarch64\n//@ only-linux\n//@ edition: 2021\n//@[y] check-pass\n")
    runs = compiletest.runs_of(tmp_path, tmp_path / "t.rs")
    assert [(r["revision"], r["target"], r["target_kind"], r["edition"], r["mode"]) for r in runs] == [
        ("x", "armv7-unknown-linux-gnueabihf", "triple", "2021", None), ("y", "aarch64", "arch", "2021", "check-pass")]
    config = compiletest.run_config(runs[0], apply_features=True)
    assert config.cfg_names == frozenset({"x"}) and config.target == "armv7-unknown-linux-gnueabihf"
