"""A stand-in for rustc in tests of the assembler's faults: a shell script that answers ``-vV`` and runs a given body
for everything else."""

from __future__ import annotations

import stat
from pathlib import Path


def fake_rustc(directory: Path, body: str, version_ok: bool = True) -> str:
    """Writes ``directory/bin/rustc``: ``-vV`` answers (when ``version_ok``), anything else runs ``body``."""
    path = directory / "bin" / "rustc"
    path.parent.mkdir(exist_ok=True)
    version = "echo 'rustc 0.0.0-fake'; exit 0" if version_ok else body
    path.write_text(f'#!/bin/sh\nif [ "$1" = "-vV" ]; then {version}; fi\n{body}\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def process_state(pid: int) -> str:
    """The process's state letter from /proc ("Z": a zombie), or "gone"."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def hanging_body(pid_file: Path) -> str:
    """A rustc that starts a child and a grandchild in its process group, records the three pids and waits."""
    return f"sh -c 'sleep 60 & echo $! >> {pid_file}; wait' &\necho $! >> {pid_file}\necho $$ >> {pid_file}\nwait"
