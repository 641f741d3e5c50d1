"""The command line: the ``check``, ``server`` and ``rule`` commands and the older ``--check``
spelling (options and paths in any order), ``--select``/``--ignore``, ``--exit-zero``,
``--output-file``, colors and ``--version``.  Exact output and exit codes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from asm_ls import __version__
from asm_ls.diagnostics.codes import registry
from cli_harness import asm_ls, environment, write

# Two errors of two codes, without the assembler (the messages are rustc's, `--emit metadata`).
TWO = ('use std::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("{}", in(reg) x, in(reg) x);\n'
       '    asm!("nop", options(nomem, nomem));\n}\n')
UNUSED = """\
error[unused-argument]: argument never used
 --> two.rs:3:27
  |
3 |     asm!("{}", in(reg) x, in(reg) x);
  |                           ^^^^^^^^^
  = note: if this argument is intentionally unused, consider using it in an asm comment: `"/* {1} */"`
"""
DUPLICATE = """\
error[duplicate-option]: the `nomem` option was already provided
 --> two.rs:4:32
  |
4 |     asm!("nop", options(nomem, nomem));
  |                                ^^^^^
"""
FRONT_END = ("--no-assemble", "--target", "x86_64-unknown-linux-gnu")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "two.rs", TWO)
    return tmp_path


def check(project: Path, *args: str, env: dict[str, str | None] | None = None):
    return asm_ls("check", *FRONT_END, *args, cwd=project, env=env)


# --- where the options and paths go ------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["--check", "--format", "json", "two.rs"],
    ["--check", "two.rs", "--format", "json"],
    ["--format", "json", "--check", "two.rs"],
    ["--check=two.rs", "--format", "json"],
    ["check", "--format", "json", "two.rs"],
    ["check", "two.rs", "--format", "json"],
    ["check", "--format", "json", "two.rs", "--jobs", "1"],
], ids=lambda argv: " ".join(argv))
def test_options_and_paths_in_any_order(project: Path, argv: list[str]) -> None:
    result = asm_ls(*argv, *FRONT_END, cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    assert [(f["path"], [d["code"] for d in f["diagnostics"]]) for f in report["files"]] == [
        ("two.rs", ["unused-argument", "duplicate-option"])]


def test_paths_between_options(project: Path) -> None:
    write(project / "more" / "clean.rs", "pub fn f() {}\n")
    result = asm_ls("check", "more", *FRONT_END, "two.rs", "--quiet", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (1, UNUSED + "\n" + DUPLICATE + "\n", "")
    legacy = asm_ls("--check", "more", *FRONT_END, "two.rs", "--quiet", cwd=project)
    assert (legacy.returncode, legacy.stdout, legacy.stderr) == (1, result.stdout, "")


def test_paths_without_a_command_are_a_usage_error(project: Path) -> None:
    result = asm_ls("two.rs", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "asm-ls: error: paths are checked with `asm-ls check two.rs`"


def test_check_defaults_to_the_current_directory(project: Path) -> None:
    result = check(project)
    assert (result.returncode, result.stdout) == (1, UNUSED + "\n" + DUPLICATE + "\nchecked 1 file for x86_64-unknown-linux-gnu (settings): 2 errors\n")


# --- --select, --ignore, --exit-zero -----------------------------------------------------------

def test_select_reports_only_the_codes_given(project: Path) -> None:
    result = check(project, "two.rs", "--select", "duplicate-option")
    assert (result.returncode, result.stdout, result.stderr) == (1, DUPLICATE + "\nchecked 1 file for x86_64-unknown-linux-gnu (settings): 1 error\n", "")


def test_select_is_repeatable_and_takes_lists(project: Path) -> None:
    both = check(project, "two.rs", "--select", "duplicate-option,unused-argument")
    repeated = check(project, "two.rs", "--select", "duplicate-option", "--select", "unused-argument")
    assert both.stdout == repeated.stdout == UNUSED + "\n" + DUPLICATE + "\nchecked 1 file for x86_64-unknown-linux-gnu (settings): 2 errors\n"


def test_ignore_drops_the_codes_given_and_wins_over_select(project: Path) -> None:
    result = check(project, "two.rs", "--ignore", "unused-argument")
    assert (result.returncode, result.stdout) == (1, DUPLICATE + "\nchecked 1 file for x86_64-unknown-linux-gnu (settings): 1 error\n")
    result = check(project, "two.rs", "--select", "unused-argument", "--ignore", "unused-argument")
    assert (result.returncode, result.stdout) == (0, "checked 1 file for x86_64-unknown-linux-gnu (settings): no problems\n")


def test_ignored_errors_do_not_fail_the_run(project: Path) -> None:
    result = check(project, "two.rs", "--ignore", "unused-argument,duplicate-option", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["files"] == [{"path": "two.rs", "diagnostics": []}]


@pytest.mark.parametrize("option,value,message", [
    ("--select", "reserved-registr",
     "asm-ls: --select: unknown code `reserved-registr`; did you mean `reserved-register`?"),
    ("--ignore", "unused-argument,duplicate-options",
     "asm-ls: --ignore: unknown code `duplicate-options`; did you mean `duplicate-option`?"),
    ("--select", "E0133", "asm-ls: --select: unknown code `E0133` (`asm-ls rule --all` lists the codes)"),
])
def test_unknown_code_is_a_usage_error(project: Path, option: str, value: str, message: str) -> None:
    result = check(project, "two.rs", option, value)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")


def test_exit_zero_with_errors(project: Path) -> None:
    result = check(project, "two.rs", "--exit-zero", "--quiet", "--select", "duplicate-option")
    assert (result.returncode, result.stdout) == (0, DUPLICATE + "\n")


def test_exit_zero_keeps_exit_2_for_input_problems(project: Path) -> None:
    result = check(project, "two.rs", "missing.rs", "--exit-zero", "--quiet", "--select", "duplicate-option")
    assert result.returncode == 2
    assert result.stdout == DUPLICATE + "\nerror: missing.rs: no such file or directory\n"


# --- --output-file, colors -------------------------------------------------------------------

def test_output_file_takes_the_report(project: Path) -> None:
    result = check(project, "two.rs", "--output-file", "report.txt", "--select", "duplicate-option")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    assert (project / "report.txt").read_text(encoding="utf-8") == DUPLICATE + "\nchecked 1 file for x86_64-unknown-linux-gnu (settings): 1 error\n"


def test_output_file_of_a_document_format_and_stderr(project: Path) -> None:
    result = check(project, "two.rs", "--output-file", "report.json", "--format", "json", "--statistics")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("1  duplicate-option  The same option given twice\n"
                             "1  unused-argument   An operand is never used in the template\n")
    report = json.loads((project / "report.json").read_text(encoding="utf-8"))
    assert [d["code"] for d in report["files"][0]["diagnostics"]] == ["unused-argument", "duplicate-option"]


def test_output_file_replaces_an_older_report(project: Path) -> None:
    write(project / "report.txt", "stale\n")
    result = check(project, "two.rs", "--output-file", "report.txt", "--quiet", "--ignore",
                   "duplicate-option,unused-argument")
    assert result.returncode == 0
    assert (project / "report.txt").read_text(encoding="utf-8") == ""


def test_output_file_that_cannot_be_written(project: Path) -> None:
    result = check(project, "two.rs", "--output-file", "no/such/dir/report.txt")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "asm-ls: cannot write no/such/dir/report.txt: No such file or directory\n"


PLAIN_HEAD = "error[duplicate-option]: the `nomem` option was already provided"
COLOR_HEAD = "\x1b[1;31merror[duplicate-option]\x1b[0m\x1b[1m: the `nomem` option was already provided\x1b[0m"


@pytest.mark.parametrize("color,env,head", [
    ("auto", {}, PLAIN_HEAD),                                     # not a terminal
    ("auto", {"FORCE_COLOR": "1"}, COLOR_HEAD),
    ("auto", {"FORCE_COLOR": ""}, PLAIN_HEAD),                    # set but empty: as if unset
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, PLAIN_HEAD),  # NO_COLOR first
    ("always", {"NO_COLOR": "1"}, COLOR_HEAD),                    # an explicit choice wins
    ("never", {"FORCE_COLOR": "1"}, PLAIN_HEAD),
], ids=["auto", "force", "force-empty", "no-color-first", "always", "never"])
def test_color_choice(project: Path, color: str, env: dict[str, str], head: str) -> None:
    result = check(project, "two.rs", "--select", "duplicate-option", "--color", color, env=env)
    assert result.stdout.splitlines()[0] == head


def test_forced_color_reaches_the_output_file_too(project: Path) -> None:
    check(project, "two.rs", "--select", "duplicate-option", "--output-file", "out.txt", env={"FORCE_COLOR": "1"})
    assert (project / "out.txt").read_text(encoding="utf-8").splitlines()[0] == COLOR_HEAD


# --- rule --------------------------------------------------------------------------------------

TEMPLATE_MISSING = """\
template-missing
================

No template string was given. Default severity: error; mirrors rustc.

What it does
------------

Reports an assembly macro called with an empty argument list, so there is no template.

Why is this bad?
----------------

rustc needs at least one template string and rejects the invocation while expanding
macros, so `cargo check` already fails. An empty string is accepted when the block is
meant to emit no instructions.

Example
-------

    fn barrier() {
        unsafe { asm!() };
    }

Use instead
-----------

    fn barrier() {
        unsafe { asm!("") };
    }

Reference
---------

https://doc.rust-lang.org/reference/inline-assembly.html#r-asm.ts-args.one-or-more
"""


def test_rule_prints_the_documentation_page() -> None:
    result = asm_ls("rule", "template-missing")
    assert (result.returncode, result.stdout, result.stderr) == (0, TEMPLATE_MISSING, "")


def test_rule_page_has_every_part_of_the_registry_entry() -> None:
    result = asm_ls("rule", "reserved-register")
    code = registry()["reserved-register"]
    titles = [line for line, under in zip(result.stdout.splitlines(), result.stdout.splitlines()[1:])
              if under and set(under) == {"-"}]
    assert titles == ["What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Reference"]
    assert "    " + code.fix.strip("\n").splitlines()[0] in result.stdout.splitlines()
    assert result.stdout.endswith(code.reference + "\n")


def test_rule_all_lists_every_code_with_its_summary() -> None:
    result = asm_ls("rule", "--all")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["asm-syntax-error                    The macro arguments do not follow the asm! grammar",
                         "template-missing                    No template string was given"]
    assert [line.split()[0] for line in lines] == list(registry())
    assert all(line.endswith(code.summary) for line, code in zip(lines, registry().values()))


@pytest.mark.parametrize("argv,stderr", [
    (["rule", "reserved-registers"], "asm-ls: unknown code `reserved-registers`; did you mean `reserved-register`?\n"),
    (["rule", "frobnicate"], "asm-ls: unknown code `frobnicate` (`asm-ls rule --all` lists the codes)\n"),
])
def test_rule_of_an_unknown_code(argv: list[str], stderr: str) -> None:
    result = asm_ls(*argv)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", stderr)


@pytest.mark.parametrize("argv", [["rule"], ["rule", "template-missing", "--all"]])
def test_rule_needs_a_code_or_all(argv: list[str]) -> None:
    result = asm_ls(*argv)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == "asm-ls rule: error: give either a CODE or --all"


# --- --version -------------------------------------------------------------------------------

def _fake_rustc(directory: Path) -> Path:
    rustc = write(directory / "bin" / "rustc", "#!/bin/sh\necho 'rustc 9.9.9 (0000000 2030-01-01)'\n"
                                               "echo 'host: x86_64-unknown-linux-gnu'\n")
    rustc.chmod(0o755)
    return rustc


def test_version_names_the_rustc_on_path(tmp_path: Path) -> None:
    rustc = _fake_rustc(tmp_path)
    result = asm_ls("--version", cwd=tmp_path, env={"PATH": f"{rustc.parent}{os.pathsep}{os.environ['PATH']}"})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"asm-ls {__version__}\nrustc: {rustc} (rustc 9.9.9 (0000000 2030-01-01))\n"


def test_version_names_the_rustc_option_and_the_settings_file(tmp_path: Path) -> None:
    rustc = _fake_rustc(tmp_path)
    result = asm_ls("--version", "--rustc", str(rustc), cwd=tmp_path)
    assert result.stdout == f"asm-ls {__version__}\nrustc: {rustc} (rustc 9.9.9 (0000000 2030-01-01))\n"
    write(tmp_path / "asm-ls.toml", f'rustc = "{rustc}"\n')
    write(tmp_path / "Cargo.toml", '[package]\nname = "p"\nversion = "0.1.0"\n')
    from_file = asm_ls("--version", cwd=tmp_path, env={"PATH": os.defpath})
    assert from_file.stdout == result.stdout


def test_version_without_a_rustc(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = asm_ls("--version", cwd=tmp_path, env={"PATH": str(empty)})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (f"asm-ls {__version__}\n"
                             "rustc: none found (no `rustc` on PATH); the assembler-backed checks will not run\n")
    missing = asm_ls("--version", "--rustc", str(empty / "rustc"), cwd=tmp_path)
    assert missing.stdout == (f"asm-ls {__version__}\nrustc: none found (`{empty / 'rustc'}` is not an executable "
                              "file); the assembler-backed checks will not run\n")


# --- server ------------------------------------------------------------------------------------

def _lsp(*messages: dict) -> str:
    out = ""
    for message in messages:
        body = json.dumps({"jsonrpc": "2.0", **message})
        out += f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
    return out


@pytest.mark.parametrize("argv", [[], ["server"]], ids=["no arguments", "server"])
def test_server_on_stdio(argv: list[str], tmp_path: Path) -> None:
    session = _lsp({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None,
                                                                 "capabilities": {}}},
                   {"method": "initialized", "params": {}},
                   {"id": 2, "method": "shutdown"}, {"method": "exit"})
    result = asm_ls(*argv, cwd=tmp_path, stdin=session)
    assert result.returncode == 0, result.stderr
    replies = {reply["id"]: reply for reply in _replies(result.stdout) if "id" in reply}
    assert replies[1]["result"]["serverInfo"] == {"name": "asm-ls", "version": __version__}
    assert replies[2]["result"] is None


def _replies(text: str) -> list[dict]:
    replies = []
    stream = text.encode("utf-8")          # Content-Length counts bytes; the text read turned CRLF into LF
    while stream:
        header, _, stream = stream.partition(b"\n\n")
        length = int(next(line.split(b":")[1] for line in header.splitlines() if line.startswith(b"Content-Length")))
        replies.append(json.loads(stream[:length]))
        stream = stream[length:]
    return replies


def test_server_takes_no_paths() -> None:
    result = asm_ls("server", "src/")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "asm-ls server: error: unrecognized arguments: src/"


@pytest.mark.parametrize("env,head", [({}, COLOR_HEAD), ({"NO_COLOR": "1"}, PLAIN_HEAD)], ids=["tty", "tty-no-color"])
def test_color_auto_on_a_terminal(project: Path, env: dict[str, str], head: str) -> None:
    status, output = _on_a_terminal(["check", *FRONT_END, "two.rs", "--select", "duplicate-option"], project, env)
    assert status == 1
    assert output.splitlines()[0] == head


def _on_a_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """``asm-ls ARGV`` with its standard output on a pseudo-terminal: the exit status and the output."""
    controller, terminal = pty.openpty()
    try:
        with open(terminal, "wb", closefd=True) as stdout:
            status = subprocess.run([sys.executable, "-m", "asm_ls", *argv], stdout=stdout, stderr=subprocess.PIPE,
                                    cwd=cwd, env=environment(env), timeout=120).returncode
        output = b""
        while chunk := _read(controller):
            output += chunk
    finally:
        os.close(controller)
    return status, output.decode("utf-8")


def _read(descriptor: int) -> bytes:
    try:
        return os.read(descriptor, 4096)
    except OSError:          # the terminal's other end is closed and all was read
        return b""
