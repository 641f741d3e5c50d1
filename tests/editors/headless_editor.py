"""Running a real editor headless in the end-to-end editor tests (Neovim, Emacs): finding it or
skipping (failing under ASM_LS_REQUIRE_EDITORS=1), a hard timeout that kills the editor's whole
process group, and a check that no asm-ls server outlives the editor.

Every process started for one run carries a unique environment token; after the editor exits,
processes still holding it (a language server the editor started, even in a session of its
own) are found through /proc, given a few seconds to exit, then killed and reported.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_ENV = "ASM_LS_REQUIRE_EDITORS"
TOKEN_ENV = "ASM_LS_EDITOR_TEST_TOKEN"
EDITOR_TIMEOUT = 120        # seconds for a whole editor session; the editors' own waits are shorter
GRACE = 10                  # seconds a server gets to exit after its editor

# The Rust file the editors open: an index error and conflicting options, both front-end
# errors, so the assembler adds nothing.
SOURCE = """\
use std::arch::asm;

pub unsafe fn add(x: u64) -> u64 {
    let y: u64;
    asm!("lea {0}, [{1} + {2}]", out(reg) y, in(reg) x);
    y
}

pub unsafe fn no_memory() {
    asm!("nop", options(nomem, readonly));
}
"""


def editors_required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def missing(reason: str) -> None:
    """Skip the test, or fail it where the editors are required (CI)."""
    if editors_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1 requires it)", pytrace=False)
    pytest.skip(reason)


def private_home(tmp_path: Path) -> dict[str, str]:
    """Environment variables giving the editor empty configuration, data, state and cache
    directories, so no user setup on the machine takes part."""
    env = {}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = tmp_path / "xdg" / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env["HOME"] = str(home)
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    leftovers: list[str]        # command lines of processes that outlived the editor


def run_editor(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = EDITOR_TIMEOUT) -> Run:
    """Runs the editor to completion in a new session; on timeout kills its process group and
    fails the test.  Processes of this run left behind afterwards are killed and listed."""
    token = uuid.uuid4().hex
    full_env = {**os.environ, **env, TOKEN_ENV: token}
    process = subprocess.Popen(argv, env=full_env, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        stdout, stderr = process.communicate()
        leftovers = _reap(token, grace=0)
        pytest.fail(f"{argv[0]} did not finish within {timeout} s; killed.\n"
                    f"stdout:\n{stdout}\nstderr:\n{stderr}\nleft over: {leftovers}", pytrace=False)
    _kill_group(process.pid)
    return Run(process.returncode, stdout, stderr, _reap(token, grace=GRACE))


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _processes_with(token: str) -> dict[int, str]:
    needle = f"{TOKEN_ENV}={token}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
    return found


def _reap(token: str, grace: float) -> list[str]:
    deadline = time.monotonic() + grace
    found = _processes_with(token)
    while found and time.monotonic() < deadline:
        time.sleep(0.1)
        found = _processes_with(token)
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return sorted(found.values())
