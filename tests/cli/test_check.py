"""`asm-ls --check` end to end: exit codes, output formats, file discovery, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from cli_harness import BROKEN, CLEAN, ROOT, X86, run, write

SCHEMA = json.loads((ROOT / "schemas" / "diagnostics.schema.json").read_text())


def test_examples_report_their_findings() -> None:
    """With rustc on the machine the assembler-backed findings come too."""
    if shutil.which("rustc") is None:
        pytest.skip("rustc is not on PATH: the assembler-backed checks cannot run")
    result = run("examples", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    found = {(Path(f["path"]).name, d["range"]["start"]["line"] + 1, d["code"])
             for f in report["files"] for d in f["diagnostics"]}
    assert found == {
        ("assembles_wrong.rs", 9, "assembler-error"),
        ("assembles_wrong.rs", 18, "assembler-error"),
        ("cfg_aarch64.rs", 8, "unknown-register"),
        ("cfg_aarch64.rs", 17, "reserved-register"),
        ("x86_64_mistakes.rs", 7, "asm-requires-unsafe"),
        ("x86_64_mistakes.rs", 14, "invalid-argument-index"),
        ("x86_64_mistakes.rs", 21, "unused-argument"),
        ("x86_64_mistakes.rs", 27, "reserved-register"),
        ("x86_64_mistakes.rs", 29, "reserved-register"),
        ("x86_64_mistakes.rs", 34, "register-conflict"),
        ("x86_64_mistakes.rs", 39, "invalid-modifier"),
        ("x86_64_mistakes.rs", 44, "conflicting-options"),
    }


def test_json_diagnostic_shape(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", BROKEN)
    result = run(str(tmp_path), "--format", "json", "--target", "x86_64-unknown-linux-gnu")
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert result.returncode == 1
    [entry] = report["files"]
    assert entry["diagnostics"] == [{
        "range": {"start": {"line": 2, "character": 26}, "end": {"line": 2, "character": 35}},
        "severity": "error", "code": "unused-argument", "source": "asm-ls",
        "message": "argument never used", "target": None,
        "notes": ['if this argument is intentionally unused, consider using it in an asm comment: `"/* {1} */"`'],
    }]


def test_human_output_points_at_the_characters(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", BROKEN)
    result = run(str(tmp_path / "a.rs"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "error[unused-argument]: argument never used"
    assert lines[1].endswith("a.rs:3:27")
    assert lines[3] == '3 |     asm!("{}", in(reg) x, in(reg) x);'
    assert lines[4] == "  |                           ^^^^^^^^^"
    assert lines[-1] == "checked 1 file for x86_64-unknown-linux-gnu (host default): 1 error"


def test_clean_tree_exits_zero(tmp_path: Path) -> None:
    write(tmp_path / "src" / "lib.rs", CLEAN)
    result = run(str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "checked 1 file for x86_64-unknown-linux-gnu (host default): no problems"


def test_skips_target_hidden_and_gitignored(tmp_path: Path) -> None:
    write(tmp_path / "src" / "lib.rs", CLEAN)
    write(tmp_path / "target" / "debug" / "gen.rs", BROKEN)
    write(tmp_path / ".hidden" / "x.rs", BROKEN)
    write(tmp_path / "generated" / "x.rs", BROKEN)
    write(tmp_path / ".gitignore", "generated/\n")
    result = run(str(tmp_path), "--format", "json")
    report = json.loads(result.stdout)
    assert [Path(f["path"]).relative_to(tmp_path).as_posix() for f in report["files"]] == ["src/lib.rs"]
    assert result.returncode == 0


def test_invalid_utf8_is_reported_and_others_still_checked(tmp_path: Path) -> None:
    write(tmp_path / "bad.rs", b"fn f() { \xff\xfe }\n")
    write(tmp_path / "good.rs", BROKEN)
    result = run(str(tmp_path), "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [Path(f["path"]).name for f in report["files"]] == ["good.rs"]
    assert report["files"][0]["diagnostics"][0]["code"] == "unused-argument"
    assert len(report["problems"]) == 1 and "bad.rs" in report["problems"][0] and "UTF-8" in report["problems"][0]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.rs"))
    assert result.returncode == 2
    assert "nope.rs: no such file or directory" in result.stdout


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "a.rs", CLEAN)
    result = run(str(tmp_path), "--target", "not-a-target")
    assert result.returncode == 2
    assert "unknown target `not-a-target`" in result.stderr


@pytest.mark.parametrize("text", [
    b"", b"\x00\x01\x02binary", b"fn f() { asm!(", b"asm!(\"{\" , in(reg", "fn f() { asm!(\"\U0001F600{}\") }".encode(),
    b"macro_rules! m { ($($t:tt)*) => { asm!($($t)*) } }", b"fn f(){ unsafe { asm!(r#\"{0\"#) } }",
])
def test_malformed_input_never_crashes(tmp_path: Path, text: bytes) -> None:
    write(tmp_path / "x.rs", text)
    result = run(str(tmp_path / "x.rs"), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    jsonschema.validate(json.loads(result.stdout), SCHEMA)


@pytest.mark.parametrize("edition, wording", [("2021", "unsafe function or block"), ("2024", "unsafe block")])
def test_unsafe_wording_follows_the_package_edition(tmp_path: Path, edition: str, wording: str) -> None:
    write(tmp_path / "Cargo.toml", f'[package]\nname = "x"\nversion = "0.1.0"\nedition = "{edition}"\n')
    write(tmp_path / "src" / "lib.rs", 'pub fn f() {\n    core::arch::asm!("nop");\n}\n')
    result = run(str(tmp_path), "--format", "json")
    [diagnostic] = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert diagnostic["message"] == f"use of inline assembly is unsafe and requires {wording}"


def test_a_byte_order_mark_is_not_a_column(tmp_path):
    """rustc and editors count the first line's columns after a byte order mark."""
    line = 'core::arch::global_asm!("nop", options(nomem));\n'
    column = line.index("nomem")
    write(tmp_path / "bom.rs", b"\xef\xbb\xbf" + line.encode())
    done = run(str(tmp_path / "bom.rs"), "--format", "json", "--no-assemble", *X86)
    [diagnostic] = json.loads(done.stdout)["files"][0]["diagnostics"]
    assert (diagnostic["code"], diagnostic["message"], diagnostic["range"]) == (
        "option-not-allowed", "the `nomem` option cannot be used with `global_asm!`",
        {"start": {"line": 0, "character": column}, "end": {"line": 0, "character": column + 5}})
