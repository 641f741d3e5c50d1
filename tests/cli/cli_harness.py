"""Running ``asm-ls`` as a user does (a subprocess) and writing the files it checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
X86 = ("--target", "x86_64-unknown-linux-gnu")

BROKEN = 'use std::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("{}", in(reg) x, in(reg) x);\n}\n'
CLEAN = 'use std::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("/* {} */", in(reg) x);\n}\n'


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``asm-ls --check ARGS``."""
    return asm_ls("--check", *args, cwd=cwd)


def asm_ls(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess:
    """``asm-ls ARGS``, with ``env`` added to the environment (a value of None removes the variable)."""
    return subprocess.run([sys.executable, "-m", "asm_ls", *args], capture_output=True, text=True, input=stdin,
                          cwd=cwd or ROOT, timeout=120, env=environment(env or {}))


def environment(changes: dict[str, str | None] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        env.pop(name, None)
    for name, value in (changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
