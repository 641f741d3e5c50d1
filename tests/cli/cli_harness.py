"""Running ``asm-ls --check`` as a user does (a subprocess) and writing the files it checks."""

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
    return subprocess.run([sys.executable, "-m", "asm_ls", "--check", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=120, env=_env())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
