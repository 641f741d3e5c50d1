"""End to end in Emacs: Debian's emacs-nox (28.2) with elpa-eglot (1.9) and elpa-rust-mode, in
batch mode.  editors/emacs/asm-ls.el registers this checkout's asm-ls in eglot-server-programs;
Emacs visits a Rust file in rust-mode, Eglot starts the server, and Flymake shows the
diagnostics with the settings of the project's .dir-locals.el; then the settings change
(workspace/didChangeConfiguration) and the disabled code disappears.

`editors/emacs/ci-install.sh` installs the three packages.  Skipped when they are absent, or
fails under ASM_LS_REQUIRE_EDITORS=1.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

from headless_editor import SOURCE, missing, private_home, run_editor

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "editors" / "emacs"
DRIVER = Path(__file__).with_name("emacs_driver.el")
ELPA = Path("/usr/share/emacs/site-lisp/elpa")
WAIT_SECONDS = 30

# The project's settings, the Eglot way: the :asm-ls section of eglot-workspace-configuration.
DIR_LOCALS = """\
((nil . ((eglot-workspace-configuration
          . (:asm-ls (:assemble :json-false
                      :targets ["x86_64-unknown-linux-gnu"]
                      :severity (:invalid-argument-index "warning")))))))
"""
SETTINGS = {"assemble": False, "targets": ["x86_64-unknown-linux-gnu"],
            "severity": {"invalid-argument-index": "warning"}}     # for lsp-mode: the same as DIR_LOCALS
SETTINGS_AFTER = {"assemble": False, "targets": ["x86_64-unknown-linux-gnu"],
                  "disabled": ["invalid-argument-index"]}
HOVER_AT = {"line": 4, "character": 38}             # `reg` of `out(reg)`

ASM_LS = [sys.executable, "-m", "asm_ls"]
RASS = [sys.executable, "-m", "rassumfrassum", "--quiet-server"]

INDEX_ERROR = {"start": [4, 26], "end": [4, 29], "type": "eglot-warning",
               "text": "asm-ls [invalid-argument-index]: invalid reference to argument at index 2"}
OPTIONS_ERROR = {"start": [9, 16], "end": [9, 40], "type": "eglot-error",
                 "text": "asm-ls [conflicting-options]: the `nomem` and `readonly` options are mutually exclusive"}

# lsp-mode 8 gives Flymake the bare message, with Flymake's own types.
LSP_MODE_INDEX_ERROR = {**INDEX_ERROR, "type": ":warning", "text": "invalid reference to argument at index 2"}
LSP_MODE_OPTIONS_ERROR = {**OPTIONS_ERROR, "type": ":error",
                          "text": "the `nomem` and `readonly` options are mutually exclusive"}
EXPECTED = {"eglot": [INDEX_ERROR, OPTIONS_ERROR], "lsp-mode": [LSP_MODE_INDEX_ERROR, LSP_MODE_OPTIONS_ERROR]}
EXPECTED_AFTER = {"eglot": [OPTIONS_ERROR], "lsp-mode": [LSP_MODE_OPTIONS_ERROR]}


# The machine-code view (a block that assembles, the assembler on, the toolchain's own rustc).
MACHINE_SOURCE = """\
pub fn cycles() -> u64 {
    let t: u64;
    unsafe {
        core::arch::asm!("rdtsc", "shl rdx, 32", "or rax, rdx", "mov {t}, rax",
                         t = out(reg) t, out("rax") _, out("rdx") _, options(nomem, nostack));
    }
    t
}
"""
MACHINE_POINT = {"line": 4, "character": 30}
MACHINE_CONTENT = """\
; asm! at machine.rs:4 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): t = rcx.
; Addresses are offsets from the block's first byte.

; line  address  bytes        instruction    reads     writes
     4  0000     0f 31        rdtsc                    rax, rdx
     4  0002     48 c1 e2 20  shl rdx, 0x20  rdx       rdx, flags(CF PF AF ZF SF OF)
     4  0006     48 09 d0     or rax, rdx    rax, rdx  rax, flags(CF PF AF ZF SF OF)
     4  0009     48 89 c1     mov rcx, rax   rax       rcx
"""
# (Eglot 1.9 and lsp-mode, with lsp-auto-guess-root, take the file's folder, outside version control, as
# the workspace root: the file is named from there.)
MACHINE_SHOWN = {"name": "*asm-ls: asm! at machine.rs:4 (x86_64)*", "content": MACHINE_CONTENT, "read-only": True,
                 "displayed": True}


def _toolchain_rustc() -> str | None:
    """The toolchain's own rustc, not rustup's proxy (which needs the HOME the editor does not get)."""
    import subprocess

    if shutil.which("rustc") is None:
        return None
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    found = Path(sysroot) / "bin" / "rustc"
    return str(found) if sysroot and found.is_file() else None


def _machine_code_plan(project: Path) -> dict:
    rustc = _toolchain_rustc()
    if rustc is None:
        return {}
    (project / "src" / "machine.rs").write_text(MACHINE_SOURCE)
    return {"machine_code": {"file": str(project / "src" / "machine.rs"), "point": MACHINE_POINT,
                             "settings": {"assemble": True, "targets": ["x86_64-unknown-linux-gnu"], "rustc": rustc}}}


def _emacs(client: str) -> str:
    emacs = shutil.which("emacs")
    if emacs is None:
        missing("Emacs is not installed (apt-get install emacs-nox; editors/emacs/ci-install.sh)")
    for package in (client, "rust-mode"):
        if not any(ELPA.glob(f"{package}-*")):
            missing(f"Debian's elpa-{package} is not installed (editors/emacs/ci-install.sh)")
    return emacs


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    (project / "src").mkdir(parents=True)
    (project / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    (project / ".dir-locals.el").write_text(DIR_LOCALS)
    (project / "src" / "lib.rs").write_text(SOURCE)
    return project


def _run_emacs(tmp_path: Path, client: str = "eglot", multiplexed: bool = False) -> dict:
    emacs = _emacs(client)
    project = _project(tmp_path)
    out = tmp_path / "result.json"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({
        "client": client, "file": str(project / "src" / "lib.rs"), "out": str(out), "plugin": str(PLUGIN),
        "command": ASM_LS, "settings": SETTINGS, "multiplexer": "rassumfrassum" if multiplexed else None,
        "rass": RASS, "rust_analyzer": ASM_LS, "wait_seconds": WAIT_SECONDS,
        "hover": HOVER_AT, "expected": EXPECTED[client], "settings_after": SETTINGS_AFTER,
        "expected_after": EXPECTED_AFTER[client], **_machine_code_plan(project)}))
    env = {**private_home(tmp_path), "ASM_LS_EMACS_PLAN": str(plan), "PYTHONPATH": str(ROOT)}
    run = run_editor([emacs, "--batch", "-Q", "-l", str(DRIVER)], env=env, cwd=project)
    assert run.leftovers == [], "processes outlived Emacs"
    assert out.exists(), f"Emacs wrote no result (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
    result = json.loads(out.read_text())
    assert "error" not in result, f"{result['error']}\n{run.stderr}"
    assert run.returncode == 0, run.stderr
    return result


def test_emacs_eglot_shows_asm_ls_diagnostics(tmp_path):
    result = _run_emacs(tmp_path)

    assert result["major-mode"] == "rust-mode"
    assert result["command"] == ASM_LS
    # The .dir-locals.el settings arrived: the index error is a warning, as configured.
    assert result["diagnostics"] == EXPECTED["eglot"]
    # Eglot 1.9 asks for Markdown when markdown-mode is installed (elpa-lsp-mode brings it),
    # else for plain text, which the server then sends without Markdown's marks.
    assert result["hover"]["kind"] == ("markdown" if result["markdown"] else "plaintext")
    subject = "register class `reg`** (x86_64)" if result["markdown"] else "register class reg (x86_64)"
    assert subject in result["hover"]["value"]
    assert result["diagnostics-after"] == EXPECTED_AFTER["eglot"]
    if _toolchain_rustc():          # M-x asm-ls-show-machine-code (Eglot shows no code lenses)
        assert result["machine-code"] == {"command": MACHINE_SHOWN}


def test_emacs_eglot_through_rassumfrassum(tmp_path):
    """Eglot runs one server per buffer; asm-ls beside rust-analyzer goes through the LSP
    multiplexer rassumfrassum (`asm-ls-eglot-setup 'rassumfrassum`).  rust-analyzer cannot be
    installed here, so a second asm-ls stands in for it: what is checked is that Eglot 1.9,
    rass and asm-ls work together, settings (sent by Eglot in didChangeConfiguration) included."""
    if importlib.util.find_spec("rassumfrassum") is None:
        missing("rassumfrassum is not installed in this Python environment (editors/emacs/ci-install.sh)")
    result = _run_emacs(tmp_path, multiplexed=True)

    assert result["command"] == [*RASS, "--", *ASM_LS, "--", *ASM_LS]
    assert result["diagnostics"] == EXPECTED["eglot"]
    assert "register class `reg`** (x86_64)" in result["hover"]["value"]
    assert result["diagnostics-after"] == EXPECTED_AFTER["eglot"]


def test_emacs_lsp_mode_runs_asm_ls_as_an_add_on(tmp_path):
    """lsp-mode (Debian's elpa-lsp-mode 8.0.0) runs asm-ls as an add-on client beside the main
    Rust client.  rust-analyzer is not installed here, so lsp-mode's rust-analyzer and rls
    clients are disabled in the run and asm-ls is the only server."""
    result = _run_emacs(tmp_path, client="lsp-mode")

    assert result["major-mode"] == "rust-mode"
    assert result["servers"] == ["asm-ls"]
    assert result["diagnostics"] == EXPECTED["lsp-mode"]
    assert "register class `reg`** (x86_64)" in result["hover"]["value"]
    assert result["diagnostics-after"] == EXPECTED_AFTER["lsp-mode"]
    if _toolchain_rustc():          # M-x asm-ls-lsp-show-machine-code, then the code lens
        assert result["machine-code"] == {"command": MACHINE_SHOWN,
                                          "lens-title": "Show machine code (x86_64)", "lens": MACHINE_SHOWN}


def test_emacs_packages_byte_compile_without_warnings(tmp_path):
    emacs = _emacs("eglot")
    _emacs("lsp-mode")
    for source in PLUGIN.glob("*.el"):
        shutil.copy(source, tmp_path)
    setup = (f'(progn (add-to-list (quote package-directory-list) "{ELPA}") (package-initialize)'
             f' (add-to-list (quote load-path) "{tmp_path}"))')
    run = run_editor([emacs, "--batch", "-Q", "--eval", setup, "-f", "batch-byte-compile",
                      *sorted(str(path) for path in tmp_path.glob("*.el"))],
                     env=private_home(tmp_path), cwd=tmp_path)
    messages = [line for line in run.stderr.splitlines() if not line.startswith("Loading")]
    assert (run.returncode, messages) == (0, [])
    assert sorted(path.name for path in tmp_path.glob("*.elc")) == [
        "asm-ls-lsp-mode.elc", "asm-ls-machine-code.elc", "asm-ls.elc"]
