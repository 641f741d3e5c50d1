"""Faults around the assembler: rustc missing, failing, crashing, hanging (killed at the time limit), no usable or
a full temporary directory.  Each gives exactly one clear ``assembler-unavailable`` note, every other diagnostic is
what a run without the assembler gives, no process is left behind and no temporary file remains."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.machine import backend
from asm_ls.machine.cache import CACHE
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile
from rustc_stand_in import fake_rustc, hanging_body, process_state

ROOT = Path(__file__).resolve().parents[2]
TEXT = ('use std::arch::asm;\n'
        'pub unsafe fn f(x: u64) {\n    asm!("addd {0}, 1", in(reg) x);\n    asm!("nop", options(nomem, nomem));\n}\n'
        '#[cfg(target_arch = "aarch64")]\npub unsafe fn g() {\n    asm!("add x0, x0, #1", in("x29") 0u64);\n'
        '    asm!("nop");\n}\n')
FRONT_END = [("duplicate-option", "the `nomem` option was already provided"),
             ("reserved-register", "invalid register `x29`: the frame pointer cannot be used as an operand for "
                                   "inline asm")]


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Every temporary directory asm-ls makes goes here, so that what remains can be counted; no cached findings."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    CACHE.clear()
    backend._version.cache_clear()
    yield directory
    CACHE.clear()
    backend._version.cache_clear()


def check(rustc: str | None, timeout: float | None = None) -> tuple[list[tuple[str, str]], list]:
    """(front-end findings, assembler notes) with the given rustc, both targets."""
    settings = Settings(targets=[parse_target("x86_64-unknown-linux-gnu"), parse_target("aarch64-unknown-linux-gnu")],
                        assemble=True, rustc=rustc)
    if timeout is not None:
        settings.assemble_timeout = timeout
    found = analyze(SourceFile(TEXT.encode(), "faults.rs"), settings).diagnostics
    notes = [d for d in found if d.code == "assembler-unavailable"]
    return [(d.code, d.message) for d in found if d.code != "assembler-unavailable"], notes


def assert_one_note(notes: list, *words: str) -> None:
    assert [(d.code, d.severity) for d in notes] == [("assembler-unavailable", "information")]
    assert notes[0].message.startswith("templates were not assembled: ")
    for word in words:
        assert word in notes[0].message, notes[0].message
    # on the first block's macro name, as the note about the whole file
    assert TEXT.encode()[notes[0].start:notes[0].end] == b"asm"


def test_the_front_end_alone():
    settings = Settings(targets=[parse_target("x86_64-unknown-linux-gnu"), parse_target("aarch64-unknown-linux-gnu")])
    found = analyze(SourceFile(TEXT.encode(), "faults.rs"), settings).diagnostics
    assert [(d.code, d.message) for d in found] == FRONT_END


def test_rustc_missing(private_tmp):
    others, notes = check("/nonexistent/rustc")
    assert others == FRONT_END
    assert_one_note(notes, "`/nonexistent/rustc` was not found")
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("body, words", [
    ("echo 'error: something broke' >&2; exit 1", ("rustc failed: error: something broke",)),
    ("kill -SEGV $$", ("rustc failed: exit status -11",)),
    ("echo '{\"not\": \"a diagnostic\"}' >&2; echo '{\"message\": 5}' >&2; exit 101", ("exit status 101",)),
    # rustc could not write its output: an I/O error is the machine's, not the template's
    ("echo '{\"$message_type\":\"diagnostic\",\"message\":\"failed to write to `/t/x.o`: No space left on device "
     "(os error 28)\",\"level\":\"error\",\"spans\":[],\"children\":[]}' >&2; exit 1",
     ("rustc failed: failed to write to `/t/x.o`: No space left on device (os error 28)",)),
])
def test_failing_rustc(tmp_path, private_tmp, body, words):
    others, notes = check(fake_rustc(tmp_path, body))
    assert others == FRONT_END
    assert_one_note(notes, *words)
    assert list(private_tmp.iterdir()) == []


def test_failing_version_query(tmp_path, private_tmp):
    others, notes = check(fake_rustc(tmp_path, "echo 'no' >&2; exit 3", version_ok=False))
    assert others == FRONT_END
    assert_one_note(notes, "-vV` failed: no")
    assert list(private_tmp.iterdir()) == []


def test_hanging_rustc_is_killed_with_its_children(tmp_path, private_tmp):
    pids = tmp_path / "pids"
    # rustc, a child of it, and a grandchild: all in rustc's process group
    rustc = fake_rustc(tmp_path, hanging_body(pids))
    started = time.monotonic()
    others, notes = check(rustc, timeout=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 10                   # one time limit, not one per architecture
    assert others == FRONT_END
    assert_one_note(notes, "did not finish within 1 s and was stopped")
    time.sleep(0.2)
    recorded = [int(line) for line in pids.read_text().split()]
    assert len(recorded) == 3
    assert {process_state(pid) for pid in recorded} <= {"gone", "Z", "X"}
    assert list(private_tmp.iterdir()) == []


def test_no_usable_temporary_directory(tmp_path, monkeypatch):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_directory))
    others, notes = check(backend.find_rustc(None) or "/bin/true")
    assert others == FRONT_END
    assert_one_note(notes, f"cannot create a temporary directory in {not_a_directory}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_temporary_directory(tmp_path, monkeypatch):
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    monkeypatch.setattr(tempfile, "tempdir", str(read_only))
    others, notes = check(backend.find_rustc(None) or "/bin/true")
    assert others == FRONT_END
    assert_one_note(notes, f"cannot create a temporary directory in {read_only}: Permission denied")
    assert list(read_only.iterdir()) == []


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


@pytest.mark.skipif(backend.find_rustc(None) is None, reason="rustc is not on PATH")
def test_full_disk_in_the_checker(tmp_path):
    """``asm-ls --check`` with a 64-byte file size limit (writes fail as on a full disk): the generated crate cannot
    be written; one note, the other findings, exit status 1, nothing left in the temporary directory."""
    source = tmp_path / "src" / "faults.rs"
    source.parent.mkdir()
    source.write_text(TEXT)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-m", "asm_ls", "--check", str(source), "--format", "json",
                           "--target", "x86_64-unknown-linux-gnu", "--target", "aarch64-unknown-linux-gnu"],
                          capture_output=True, text=True, timeout=120, cwd=str(ROOT), preexec_fn=_limit_file_size,
                          env={**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    [entry] = json.loads(done.stdout)["files"]
    found = [(d["code"], d["message"]) for d in entry["diagnostics"]]
    notes = [message for code, message in found if code == "assembler-unavailable"]
    assert [f for f in found if f[0] != "assembler-unavailable"] == FRONT_END
    assert len(notes) == 1 and "File too large" in notes[0], notes
    assert list(scratch.iterdir()) == []
