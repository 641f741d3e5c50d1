"""`--format sarif` and `--format github`, `--quiet` and `--statistics`: exact outputs.

``b.rs`` has a 𝄞 (one code point, two UTF-16 code units) before its second block, so SARIF
columns (UTF-16) and GitHub columns (characters) differ by one there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from asm_ls import __version__
from asm_ls.diagnostics.codes import registry
from asm_ls.diagnostics.documentation import render_text
from cli_harness import BROKEN, X86, run, write

SUBSET = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
B = ('use std::arch::asm;\npub unsafe fn g() {\n'
     '    asm!("nop", options(nomem, nomem)); /* 𝄞 */ asm!("nop", in("rsp") 1u64);\n}\n')


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "a.rs", BROKEN)
    write(tmp_path / "b.rs", B)
    return tmp_path


def check(tree: Path, *args: str):
    return run(".", "--no-assemble", *X86, *args, cwd=tree)


def test_github_annotations(tree: Path) -> None:
    result = check(tree, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=a.rs,line=3,col=27,endLine=3,endColumn=36,title=asm-ls(unused-argument)::argument never used"
        "%0Anote: if this argument is intentionally unused, consider using it in an asm comment: `\"/* {1} */\"`",
        "::error file=b.rs,line=3,col=32,endLine=3,endColumn=37,title=asm-ls(duplicate-option)::"
        "the `nomem` option was already provided",
        "::error file=b.rs,line=3,col=61,endLine=3,endColumn=75,title=asm-ls(reserved-register)::"
        "invalid register `rsp`: the stack pointer cannot be used as an operand for inline asm%0A(target: x86_64)",
        "checked 2 files for x86_64-unknown-linux-gnu (settings): 3 errors",
    ]


def test_github_escaping() -> None:
    from asm_ls.cli.github import escape_data, escape_property

    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"
    assert escape_property("50% a:b,c\nd") == "50%25 a%3Ab%2Cc%0Ad"


def test_github_problems_are_annotations(tmp_path: Path) -> None:
    write(tmp_path / "bad.rs", b"\xff")
    result = run("bad.rs", "--format", "github", "--quiet", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.splitlines() == ["::error title=asm-ls::bad.rs: not valid UTF-8 (byte 0); file skipped"]


def test_quiet_leaves_the_summary_out(tree: Path) -> None:
    full = check(tree).stdout.splitlines()
    quiet = check(tree, "--quiet").stdout.splitlines()
    assert full[-1] == "checked 2 files for x86_64-unknown-linux-gnu (settings): 3 errors"
    assert quiet == full[:-1] and quiet[0] == "error[unused-argument]: argument never used"
    write(tree / "a.rs", "")
    write(tree / "b.rs", "")
    assert check(tree, "--quiet").stdout == ""


def test_statistics_after_the_summary(tree: Path) -> None:
    write(tree / "c.rs", BROKEN)
    lines = check(tree, "--statistics").stdout.splitlines()
    assert lines[-4:] == [
        "checked 3 files for x86_64-unknown-linux-gnu (settings): 4 errors",
        "2  unused-argument    An operand is never used in the template",
        "1  duplicate-option   The same option given twice",
        "1  reserved-register  A register that cannot be used as an operand",
    ]


def test_statistics_go_to_stderr_for_documents(tree: Path) -> None:
    result = check(tree, "--statistics", "--format", "json")
    json.loads(result.stdout)
    assert result.stderr.splitlines() == [
        "1  duplicate-option   The same option given twice",
        "1  reserved-register  A register that cannot be used as an operand",
        "1  unused-argument    An operand is never used in the template",
    ]


def test_sarif_log(tree: Path) -> None:
    result = check(tree, "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, SUBSET, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    _official_schema_check(log)
    [run_] = log["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("asm-ls", __version__)
    assert [rule["id"] for rule in driver["rules"]] == ["duplicate-option", "reserved-register", "unused-argument"]
    assert "informationUri" not in driver
    assert driver["rules"][2] == {
        "id": "unused-argument",
        "defaultConfiguration": {"level": "error"},
        "help": {"text": render_text(registry()["unused-argument"])},
        "shortDescription": {"text": "An operand is never used in the template"},
        "fullDescription": {"text": "Reports operands that no placeholder refers to. Explicit-register operands are "
                                    "exempt, since the template names their registers directly. With `options(raw)` "
                                    "the template is not searched for placeholders, so every other operand counts "
                                    "as unused."},
        "properties": {"tags": ["template"]}}
    assert run_["columnKind"] == "utf16CodeUnits"
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tree.as_uri() + "/"}}
    assert run_["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    assert [(r["ruleId"], r["ruleIndex"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"],
             r["locations"][0]["physicalLocation"]["region"], r.get("properties")) for r in run_["results"]] == [
        ("unused-argument", 2, "error", {"uri": "a.rs", "uriBaseId": "%SRCROOT%"},
         {"startLine": 3, "startColumn": 27, "endLine": 3, "endColumn": 36}, None),
        ("duplicate-option", 0, "error", {"uri": "b.rs", "uriBaseId": "%SRCROOT%"},
         {"startLine": 3, "startColumn": 32, "endLine": 3, "endColumn": 37}, None),
        ("reserved-register", 1, "error", {"uri": "b.rs", "uriBaseId": "%SRCROOT%"},
         {"startLine": 3, "startColumn": 62, "endLine": 3, "endColumn": 76}, {"target": "x86_64"}),
    ]
    assert run_["results"][0]["message"] == {"text": "argument never used\nnote: if this argument is intentionally "
                                                     "unused, consider using it in an asm comment: `\"/* {1} */\"`"}


def test_sarif_levels_and_unreadable_files(tmp_path: Path) -> None:
    write(tmp_path / "src" / "lib.rs", 'pub fn f() {\n    core::arch::asm!("nop"); // asm-ls: allow(no-such)\n}\n')
    write(tmp_path / "src" / "bad.rs", b"\xff")
    result = run("src", "--no-assemble", *X86, "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 2
    log = json.loads(result.stdout)
    jsonschema.validate(log, SUBSET)
    _official_schema_check(log)
    [run_] = log["runs"]
    assert run_["invocations"] == [{"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": f"{Path('src/bad.rs')}: not valid UTF-8 (byte 0); file skipped"}}]}]
    assert [(r["ruleId"], r["level"]) for r in run_["results"]] == [("asm-requires-unsafe", "error"),
                                                                   ("invalid-suppression", "warning")]
    assert result.stderr == f"asm-ls: {Path('src/bad.rs')}: not valid UTF-8 (byte 0); file skipped\n"


def test_sarif_uri_outside_the_working_directory(tmp_path: Path) -> None:
    from asm_ls.cli.sarif import artifact

    assert artifact(str(tmp_path / "x y.rs"), tmp_path) == {"uri": "x%20y.rs", "uriBaseId": "%SRCROOT%"}
    assert artifact(str(tmp_path / "x.rs"), tmp_path / "sub") == {"uri": (tmp_path / "x.rs").as_uri()}


def _official_schema_check(log: dict) -> None:
    """Also against the official SARIF 2.1.0 schema when a copy is named by ASM_LS_SARIF_SCHEMA
    (it is not committed: see the subset schema's description)."""
    path = os.environ.get("ASM_LS_SARIF_SCHEMA")
    if path:
        jsonschema.validate(log, json.loads(Path(path).read_text(encoding="utf-8")))
