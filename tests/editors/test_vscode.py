"""The VS Code extension (editors/vscode/): its settings stay those of
schemas/config.schema.json, and, end to end, the real VS Code 1.100 workbench (code-server in
Chromium) shows this checkout's asm-ls diagnostics and hovers, applies changed settings and
restarts the server.

The end-to-end test needs what ``editors/vscode/ci-install.sh`` installs; without it the test is
skipped, unless ASM_LS_REQUIRE_EDITORS=1 (as in CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from vscode_driver import INSTALL_HINT, REPO, Tools, find_tools, workbench

PACKAGE = REPO / "editors" / "vscode" / "package.json"
SCHEMA = REPO / "schemas" / "config.schema.json"
# Settings of the extension itself (how to start the server, tracing), not sent to the server.
CLIENT_ONLY = {"serverPath", "serverArgs", "importStrategy", "interpreter", "trace.server"}
# Keys VS Code's settings editor reads that JSON Schema validation does not.
EDITOR_ONLY_KEYS = {"order", "scope", "markdownDescription", "enumDescriptions"}

BROKEN = """\
use std::arch::asm;

fn main() {
    let x: u64 = 1;
    unsafe {
        asm!("nop", in(reg) x, options(nomem, nomem));
        asm!("mov {0}, rax", in(reg) x);
    }
}
"""


# A local label and its reference, for go to definition (1-based line 4).
LABELS = """\
use std::arch::asm;

pub fn spin(n: u64) {
    unsafe { asm!("2:", "dec {n}", "jnz 2b", n = inout(reg) n => _) }
}
"""
LABEL_LINE = LABELS.splitlines()[3]


def _resolve(node, defs):
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {key: _resolve(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(value, defs) for value in node]
    return node


def _contributed_settings() -> dict[str, dict]:
    package = json.loads(PACKAGE.read_text())
    properties = package["contributes"]["configuration"]["properties"]
    assert all(key.startswith("asm-ls.") for key in properties)
    return {key.removeprefix("asm-ls."): value for key, value in properties.items()}


def test_package_json_settings_are_the_config_schema():
    """Every server setting of the schema is an `asm-ls.*` VS Code setting with the same JSON
    Schema (``$ref``s inlined), and there is no other setting but the extension's own."""
    schema = json.loads(SCHEMA.read_text())
    expected = {name: _resolve(prop, schema["$defs"])
                for name, prop in schema["properties"].items() if name != "$schema"}
    contributed = _contributed_settings()
    assert set(contributed) == set(expected) | CLIENT_ONLY
    # The extension sends every contributed setting but its own ones to the server.
    source = (REPO / "editors" / "vscode" / "src" / "settings.ts").read_text()
    extension_only = re.search(r"const CLIENT_ONLY = new Set\(\[([^\]]*)\]\)", source).group(1)
    assert set(re.findall(r"'([^']+)'", extension_only)) == CLIENT_ONLY
    for name, prop in expected.items():
        vscode_only_removed = {k: v for k, v in contributed[name].items() if k not in EDITOR_ONLY_KEYS}
        assert vscode_only_removed == prop, \
            f"asm-ls.{name} in package.json differs from config.schema.json, which has {json.dumps(prop)}"


def test_package_json_contributes_the_commands_the_extension_registers():
    package = json.loads(PACKAGE.read_text())
    source = (REPO / "editors" / "vscode" / "src" / "extension.ts").read_text()
    contributed = {command["command"] for command in package["contributes"]["commands"]}
    registered = set(re.findall(r"registerCommand\('([^']+)'", source))
    assert registered == {"asm-ls.restartServer", "asm-ls.showOutput"}
    # The server's commands (executeCommandProvider) the language client registers itself; the
    # extension's middleware opens what they answer.
    server_commands = {"asm-ls.showMachineCode"}
    assert contributed == registered | server_commands
    assert re.search(r"export const MACHINE_CODE = 'asm-ls\.showMachineCode'",
                     (REPO / "editors" / "vscode" / "src" / "machineCode.ts").read_text())
    assert package["contributes"]["menus"]["commandPalette"] == [
        {"command": "asm-ls.showMachineCode", "when": "editorLangId == rust"}]
    assert package["activationEvents"] == ["onLanguage:rust"]


@pytest.fixture(scope="module")
def tools() -> Tools:
    found, missing = find_tools()
    if found is None:
        reason = f"VS Code end-to-end tools missing ({INSTALL_HINT}): {'; '.join(missing)}"
        if os.environ.get("ASM_LS_REQUIRE_EDITORS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with zipfile.ZipFile(found.vsix) as vsix:
        packaged = json.loads(vsix.read("extension/package.json"))
    assert packaged == json.loads(PACKAGE.read_text()), \
        f"{found.vsix} was built from another package.json: {INSTALL_HINT} again"
    stale = _stale_bundled_files(found.vsix)
    assert not stale, f"{found.vsix} bundles another asm-ls than this checkout's ({stale[:3]}): {INSTALL_HINT} again"
    return found


def _stale_bundled_files(vsix: Path) -> list[str]:
    """The files of asm_ls/ that the .vsix bundles with other contents, or not at all."""
    stale = []
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        for path in sorted((REPO / "asm_ls").rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            name = f"extension/bundled/libs/{path.relative_to(REPO).as_posix()}"
            if name not in names or archive.read(name) != path.read_bytes():
                stale.append(name)
    return stale


def _problems(rows: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """(severity, message, source, code, position) of each problem row of the Problems panel
    (file rows and related-information rows left out)."""
    problems = []
    for row in rows:
        if " generated by " not in row["label"]:
            continue
        message, source, code, position = row["text"].split("\n")
        problems.append((row["label"].split(":", 1)[0], message, source, code, position))
    return sorted(problems)


def _check(outcome: dict, bench, tmp_path: Path) -> list[dict]:
    assert "error" not in outcome, (f"{outcome['error']}\n(screenshot: {tmp_path / 'failure.png'})\n"
                                    f"{bench.logs()}")
    return outcome["results"]


def test_vscode_workbench_shows_asm_ls_diagnostics_and_hover(tools, tmp_path):
    """The workspace's asm-ls.toml decides what VS Code leaves unset (disabled), VS Code's user
    settings (severity) and changed workspace settings (disabled) go over it; Go to Definition
    on a label goes to its definition."""
    files = {"src/main.rs": BROKEN, "src/labels.rs": LABELS, ".vscode/settings.json": "{}",
             "asm-ls.toml": 'disabled = ["unused-argument"]\n'}
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "asm-ls.assemble": False,
                "asm-ls.severity": {"duplicate-option": "warning"}}
    with workbench(tools, files, settings) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "src/main.rs"},
            {"action": "problems", "expect": ["already provided"], "absent": ["never used"]},
            # Line 7, column 25: inside the template, on `rax`.
            {"action": "hover", "line": 7, "column": 25, "expect": ["register rax"]},
            # The instruction documentation (asm_ls/data/instructions.json): a hover on `mov`, and the
            # completion items after the `n` of `nop`.
            {"action": "hover", "line": 7, "column": 16, "expect": ["Move"]},
            {"action": "suggest", "line": 6, "column": 16, "expect": ["neg"],
             "expectDetails": ["Two's Complement Negation"]},
            # Changed workspace settings reach the running server (didChangeConfiguration).
            {"action": "writeFile", "path": str(bench.workspace / ".vscode" / "settings.json"),
             "content": json.dumps({"asm-ls.disabled": ["duplicate-option"]})},
            {"action": "problems", "expect": ["never used"], "absent": ["already provided"]},
            {"action": "command", "title": "asm-ls: Restart Server"},
            {"action": "command", "title": "asm-ls: Show Output"},
            {"action": "outputText", "counts": {"Starting": 2}},
            {"action": "press", "keys": ["Escape"]},
            {"action": "command", "title": "View: Focus Problems"},
            {"action": "problems", "expect": ["never used"], "absent": ["already provided"]},
            # Go to Definition on `2b` lands on its `2:`.
            {"action": "openFile", "path": "src/labels.rs"},
            {"action": "definition", "line": 4, "column": LABEL_LINE.index("2b") + 1,
             "expect": f"Ln 4, Col {LABEL_LINE.index('2:') + 1}"},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)

    assert results[15]["position"] == f"Ln 4, Col {LABEL_LINE.index('2:') + 1}"
    assert _problems(results[2]["rows"]) == [
        ("Warning", "the `nomem` option was already provided", "asm-ls", "duplicate-option", "[Ln 6, Col 47]"),
    ]
    assert results[3]["text"].split("\n")[0] == "register rax (x86_64), rustc's ax"
    assert "Caller-saved under the x86_64_sysv ABI" in results[3]["text"]
    assert results[4]["text"] == "instruction mov {0}, rax (x86_64): Move\n\nReference"
    assert results[5]["rows"] == ["neg, Function", "nop, Function", "not, Function"]
    assert results[5]["details"] == ("Two's Complement Negation (x86_64)\n\nTwo's Complement Negation\n\n"
                                     "Flags written: CF, PF, AF, ZF, SF, OF.\n\nReference")
    unused = [("Error", "argument never used", "asm-ls", "unused-argument", "[Ln 6, Col 21]")]
    assert _problems(results[7]["rows"]) == unused
    # The extension started this checkout's server (the wrapper), twice: once more on restart.
    started = [line for line in results[10]["text"].split("\n") if "Starting" in line]
    assert len(started) == 2 and all(line.endswith(f"Starting {bench.server}") for line in started), started
    assert _problems(results[13]["rows"]) == unused


MACHINE = """\
pub fn cycles() -> u64 {
    let t: u64;
    unsafe {
        core::arch::asm!("rdtsc", "shl rdx, 32", "or rax, rdx", "mov {t}, rax",
                         t = out(reg) t, out("rax") _, out("rdx") _, options(nomem, nostack));
    }
    t
}
"""
MACHINE_TEXT = """\
; asm! at src/main.rs:4 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): t = rcx.
; Addresses are offsets from the block's first byte.

; line  address  bytes        instruction    reads     writes
     4  0000     0f 31        rdtsc                    rax, rdx
     4  0002     48 c1 e2 20  shl rdx, 0x20  rdx       rdx, flags(CF PF AF ZF SF OF)
     4  0006     48 09 d0     or rax, rdx    rax, rdx  rax, flags(CF PF AF ZF SF OF)
     4  0009     48 89 c1     mov rcx, rax   rax       rcx
"""


def test_vscode_shows_machine_code_beside_the_source(tools, tmp_path):
    """The code lens above the block, then the command palette at the cursor: the machine code
    opens beside the source, read-only."""
    import shutil
    import subprocess

    if shutil.which("rustc") is None:
        pytest.skip("rustc is not on PATH")
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "asm-ls.rustc": f"{sysroot}/bin/rustc"}
    tab = "asm! at main.rs:4 (x86_64)"
    with workbench(tools, {"src/main.rs": MACHINE}, settings) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "src/main.rs"},
            {"action": "codeLens", "text": "Show machine code"},
            {"action": "editorText", "tab": tab, "expect": ["mov rcx, rax"]},
            {"action": "command", "title": "View: Close All Editors"},
            {"action": "openFile", "path": "src/main.rs"},
            {"action": "goTo", "line": 5, "column": 30},
            {"action": "command", "title": "asm-ls: Show Machine Code"},
            {"action": "editorText", "tab": tab, "expect": ["mov rcx, rax"]},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)
    assert results[2]["texts"] == ["Show machine code (x86_64)"]
    for shown in (results[3], results[8]):
        assert shown["text"] == MACHINE_TEXT       # (its last line is empty)
        assert shown["groups"] == [["main.rs"], [f"{tab}, Editor Group 2"]]      # (aria labels)
        assert shown["readOnly"]


def test_vscode_names_a_missing_server(tools, tmp_path):
    missing = tmp_path / "no-such-asm-ls"
    with workbench(tools, {"main.rs": "fn main() {}\n"}, {"asm-ls.serverPath": str(missing)}) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "main.rs"},
            {"action": "notifications", "expect": ["was not found"]},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)
    assert results[2]["texts"] == [
        f"asm-ls: the server `{missing}` (asm-ls.serverPath) was not found or is not executable. Clear "
        "asm-ls.serverPath to run the server bundled with the extension, or point it at an asm-ls executable."]


@pytest.fixture(scope="module")
def python_without_asm_ls(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment: a Python 3.11+ as a user may have it, with
    no asm-ls and none of its dependencies."""
    from install.fresh_install import make_venv
    return make_venv(tmp_path_factory.mktemp("python") / "venv")


def test_vscode_runs_the_bundled_server_with_python3_from_path(tools, python_without_asm_ls, tmp_path):
    """A machine with Python but no asm-ls anywhere: the platform .vsix alone gives the
    diagnostics. code-server runs with a PATH of the system's folders and a fresh virtual
    environment's python3 first, an empty HOME, without PYTHONPATH, and asm-ls.serverPath unset."""
    from install.fresh_install import clean_env, run

    # A private HOME too: VS Code's server reads the login shell's environment, and this
    # machine's profile puts a Python with asm-ls on PATH.
    (tmp_path / "home").mkdir()
    environment = {**clean_env(python_without_asm_ls), "HOME": str(tmp_path / "home")}
    assert run(["python3", "-c", "import asm_ls"], env=environment, cwd=tmp_path, check=False).returncode == 1
    assert run(["sh", "-c", "command -v asm-ls"], env=environment, check=False).returncode != 0
    files = {"src/main.rs": BROKEN}
    settings = {"asm-ls.targets": ["x86_64-unknown-linux-gnu"], "asm-ls.assemble": False}
    with workbench(tools, files, settings, environment=environment, bundled=True) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "src/main.rs"},
            {"action": "problems", "expect": ["already provided", "never used"]},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)
        log = bench.output_log()

    assert _problems(results[2]["rows"]) == [
        ("Error", "argument never used", "asm-ls", "unused-argument", "[Ln 6, Col 21]"),
        ("Error", "the `nomem` option was already provided", "asm-ls", "duplicate-option", "[Ln 6, Col 47]"),
    ]
    # The server is the bundle's, run by a `python3` from PATH that has no asm-ls of its own
    # (VS Code's server takes PATH from the login shell, so that is the fresh environment's
    # python3 or the system's).
    started = [line for line in log.splitlines() if "Starting" in line]
    assert len(started) == 1 and re.search(r"Starting python3 /\S+/extensions/asm-ls\.asm-ls-[^/]+/bundled/start\.py$",
                                           started[0]), started
    running = [line for line in log.splitlines() if "importStrategy useBundled" in line]
    assert len(running) == 1 and "/bundled/libs/asm_ls (importStrategy useBundled) on Python 3." in running[0]
    python = re.search(r"on Python 3\.\d+\.\d+ \((/\S+)\)$", running[0]).group(1)
    assert python in {str(python_without_asm_ls / "python3"), "/usr/bin/python3"}, running
    assert run([python, "-c", "import asm_ls"], env=environment, cwd=tmp_path, check=False).returncode == 1


def test_vscode_names_a_too_old_python_once(tools, tmp_path):
    """asm-ls.interpreter names a Python 3.9: one notification says so and what to do, also after
    a restart; no server is started."""
    from install.fresh_install import clean_env

    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\necho 3.9.2\necho /opt/python3.9/bin/python3.9\n")
    old.chmod(0o755)
    with workbench(tools, {"main.rs": "fn main() {}\n"}, {"asm-ls.interpreter": [str(old)]},
                   environment=clean_env(), bundled=True) as bench:
        results = _check(bench.run([
            {"action": "open"},
            {"action": "openFile", "path": "main.rs"},
            {"action": "notifications", "expect": ["needs Python 3.11"]},
            {"action": "command", "title": "asm-ls: Restart Server"},
            {"action": "wait", "ms": 2000},
            {"action": "notifications", "expect": ["needs Python 3.11"]},
        ], failure_screenshot=tmp_path / "failure.png"), bench, tmp_path)
    message = (f"asm-ls needs Python 3.11 or newer to run its server; `{old}` (from asm-ls.interpreter) is "
               "Python 3.9.2. Install Python 3.11 or newer (python.org, or your system's package manager), then "
               'select it with "Python: Select Interpreter" (Python extension) or set asm-ls.interpreter, and run '
               '"asm-ls: Restart Server".')
    assert results[2]["texts"] == [message]
    assert results[5]["texts"] == [message]


@pytest.mark.parametrize("strategy", ["useBundled", "fromEnvironment"])
def test_bundled_start_script_follows_the_import_strategy(tools, strategy, tmp_path):
    """bundled/start.py of the .vsix, on a Python whose environment has asm-ls (this checkout on
    PYTHONPATH): useBundled runs the bundle's asm-ls, fromEnvironment the environment's. With
    standard input closed, the server stops at once."""
    import subprocess
    import sys

    with zipfile.ZipFile(tools.vsix) as vsix:
        vsix.extractall(tmp_path, [name for name in vsix.namelist() if name.startswith("extension/bundled/")])
    bundled = tmp_path / "extension" / "bundled"
    env = {**os.environ, "PYTHONPATH": str(REPO), "ASM_LS_IMPORT_STRATEGY": strategy}
    run = subprocess.run([sys.executable, str(bundled / "start.py")], env=env, cwd=tmp_path, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=60)
    expected = bundled / "libs" / "asm_ls" if strategy == "useBundled" else REPO / "asm_ls"
    assert run.stderr.splitlines()[0].startswith(f"asm-ls {json.loads(PACKAGE.read_text())['version']} from "
                                                 f"{expected} (importStrategy {strategy}) on Python "), run.stderr
