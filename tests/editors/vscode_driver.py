"""The real VS Code workbench with the asm-ls extension, for the end-to-end test and the README
screenshots: finding the tools ``editors/vscode/ci-install.sh`` installs, a private code-server
(own user data, extensions and workspace in a temporary directory, on a free loopback port)
whose extension runs THIS checkout's server, and the browser steps of ``vscode_driver.mjs``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build" / "editors" / "vscode"
BROWSER_SCRIPT = Path(__file__).with_name("vscode_driver.mjs")
INSTALL_HINT = "run `bash editors/vscode/ci-install.sh`"

# Where each tool is looked for: an environment variable, else the ci-install.sh location.
TOOL_PLACES = {
    "code_server": ("ASM_LS_CODE_SERVER", BUILD / "node_modules" / ".bin" / "code-server"),
    "playwright_core": ("ASM_LS_PLAYWRIGHT_CORE", BUILD / "node_modules" / "playwright-core"),
    "vsix": ("ASM_LS_VSCODE_VSIX", BUILD / "asm-ls.vsix"),
    "chromium": ("ASM_LS_CHROMIUM", Path("/usr/bin/chromium")),
}

# User settings that keep the workbench quiet and deterministic (no trust prompt, welcome
# page, update checks or network).
QUIET_SETTINGS = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "git.enabled": False,
    "chat.disableAIFeatures": True,
    "editor.hover.delay": 100,
}


@dataclass(frozen=True)
class Tools:
    node: str
    code_server: Path
    playwright_core: Path
    vsix: Path
    chromium: Path


def find_tools() -> tuple[Tools | None, list[str]]:
    """The tools, or None and what is missing (each with where it was looked for)."""
    missing = []
    found: dict[str, Any] = {}
    node = shutil.which("node")
    if node is None:
        missing.append("node (not on PATH)")
    for name, (variable, default) in TOOL_PLACES.items():
        path = Path(os.environ.get(variable) or default)
        if path.exists():
            found[name] = path
        else:
            missing.append(f"{name} ({path}; set {variable} to override)")
    if missing:
        return None, missing
    return Tools(node=node, **found), []


@dataclass(frozen=True)
class Workbench:
    """A running code-server: its URL (opening the folder) and its files."""
    url: str
    workspace: Path
    server: Path
    log_file: Path
    tools: Tools

    def run(self, steps: list[dict[str, Any]], timeout: float = 150.0,
            failure_screenshot: Path | None = None,
            viewport: dict[str, int] | None = None) -> dict[str, Any]:
        """Run the browser steps; returns ``{"results": [...], "error"?: ...}``."""
        job = {
            "viewport": viewport,
            "playwrightCore": str(self.tools.playwright_core),
            "chromium": str(self.tools.chromium),
            "url": self.url,
            "steps": steps,
            "failureScreenshot": str(failure_screenshot) if failure_screenshot else None,
        }
        process = subprocess.Popen([self.tools.node, str(BROWSER_SCRIPT), json.dumps(job)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            out, err = process.communicate()
            return {"results": [], "error": f"the browser steps took over {timeout:.0f} s\n{err}"}
        finally:
            _kill_group(process)
        lines = out.strip().splitlines()
        try:
            return json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            return {"results": [], "error": f"no result from the browser script (exit "
                                            f"{process.returncode}):\n{out}\n{err}"}

    def output_log(self) -> str:
        """The text of the extension's output channel (its log file), once it holds a line."""
        deadline = time.monotonic() + 10
        while True:
            parts = sorted(self.log_file.parent.glob("user-data/logs/**/*asm-ls*.log"))
            text = "\n".join(path.read_text(errors="replace") for path in parts)
            if text.strip() or time.monotonic() > deadline:
                return text
            time.sleep(0.25)

    def logs(self) -> str:
        """code-server's log and the extension's output channel (for failure messages)."""
        parts = [self.log_file, *sorted(self.log_file.parent.glob("user-data/logs/**/*asm-ls*.log"))]
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')}"
                         for path in parts if path.is_file())


def server_wrapper(directory: Path) -> Path:
    """An executable that runs this checkout's asm-ls with this interpreter."""
    wrapper = directory / "asm-ls-server"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={_sh_quote(str(REPO))}${{PYTHONPATH:+:$PYTHONPATH}} "
        f"exec {_sh_quote(sys.executable)} -m asm_ls \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper


@contextmanager
def workbench(tools: Tools, files: dict[str, str], settings: dict[str, Any] | None = None,
              start_timeout: float = 90.0, environment: dict[str, str] | None = None,
              bundled: bool = False) -> Iterator[Workbench]:
    """code-server with the extension installed, ``settings`` in its user settings, opening a
    folder holding ``files``; every process it started is killed and every file removed on
    exit. The extension runs this checkout's server through a wrapper (``asm-ls.serverPath``),
    or, with ``bundled``, the server its ``.vsix`` bundles; ``environment`` replaces this
    process's environment for code-server (and so for the extension and the server)."""
    root = Path(tempfile.mkdtemp(prefix="asm-ls-vscode-"))
    process = None
    try:
        user_data, extensions, workspace = root / "user-data", root / "extensions", root / "workspace"
        for relative, text in files.items():
            path = workspace / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        # Private config, data, cache and temporary directories (VS Code's IPC sockets go to
        # TMPDIR), all removed with ``root``.
        (root / "tmp").mkdir()
        env = {**(os.environ if environment is None else environment), "XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data"),
               "XDG_CACHE_HOME": str(root / "cache"), "TMPDIR": str(root / "tmp")}
        common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions),
                  "--config", str(root / "config.yaml")]
        install = subprocess.run([str(tools.code_server), *common, "--force",
                                  "--install-extension", str(tools.vsix)],
                                 capture_output=True, text=True, env=env, timeout=120)
        if install.returncode != 0:
            raise RuntimeError(f"installing {tools.vsix} failed:\n{install.stdout}{install.stderr}")
        settings_file = user_data / "User" / "settings.json"
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        server = server_wrapper(root)
        server_setting = {} if bundled else {"asm-ls.serverPath": str(server)}
        settings_file.write_text(json.dumps({**QUIET_SETTINGS, **server_setting, **(settings or {})}, indent=2))
        port = _free_port()
        log_file = root / "code-server.log"
        with log_file.open("w") as log:
            process = subprocess.Popen(
                [str(tools.code_server), *common, "--bind-addr", f"127.0.0.1:{port}",
                 "--auth", "none", "--disable-telemetry", "--disable-update-check",
                 "--disable-workspace-trust", "--disable-getting-started-override",
                 "--ignore-last-opened", str(workspace)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                start_new_session=True)
        _wait_until_serving(port, process, log_file, start_timeout)
        yield Workbench(url=f"http://127.0.0.1:{port}/?folder={workspace}", workspace=workspace,
                        server=server, log_file=log_file, tools=tools)
    finally:
        if process is not None:
            _kill_group(process)
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_serving(port: int, process: subprocess.Popen, log_file: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"code-server exited with {process.returncode}:\n{log_file.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"code-server did not answer within {timeout:.0f} s:\n{log_file.read_text()}")


def _kill_group(process: subprocess.Popen) -> None:
    """Ends the process and everything it started (they share its new session)."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure no child of it lingers in the group.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        break


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
