"""Security: a checked project never makes asm-ls read a file through the assembler (``.include``/``.incbin`` in every
spelling that reaches LLVM: other case, string escapes, ``concat!``, names built from ``.macro``/``.irp``
arguments, after labels or ``;``), no shell ever sees user text, ``--check`` follows no symbolic link out of the
given paths unless asked, and no FIFO or device is ever read (it would block forever or never end)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asm_ls.analysis import Settings, analyze
from asm_ls.machine import backend
from asm_ls.machine.cache import CACHE
from asm_ls.machine.generate import rust_string
from asm_ls.model.target import parse_target
from asm_ls.syntax.literals import decode
from asm_ls.syntax.source import SourceFile
from bounds import bounded

ROOT = Path(__file__).resolve().parents[2]
needs_rustc = pytest.mark.skipif(backend.find_rustc(None) is None, reason="rustc is not on PATH")
SECRET = b"ASMLS-SECRET-BYTES"


@pytest.fixture
def secrets(tmp_path):
    (tmp_path / "secret.bin").write_bytes(SECRET)
    (tmp_path / "secret.s").write_text(f'.ascii "{SECRET.decode()}"\n')
    return tmp_path


@pytest.fixture
def objects(monkeypatch):
    """The object file of every rustc run (the bytes an .incbin would have put there)."""
    CACHE.clear()
    found: list[bytes] = []
    original = backend.compile_crate

    def spy(*args, **kwargs):
        run = original(*args, **{**kwargs, "keep_object": True})
        found.append(run.object or b"")
        return run

    monkeypatch.setattr(backend, "compile_crate", spy)
    yield found
    CACHE.clear()


# (global_asm! arguments; {bin} and {s} are the secret files) -> the refused statements' first words
READERS = [
    (r'".incbin \"{bin}\""', [".incbin"]),
    (r'".INCBIN \"{bin}\""', [".INCBIN"]),
    (r'".IncLude \"{s}\""', [".IncLude"]),
    (r'"\x2eincbin \"{bin}\""', [".incbin"]),                                   # a Rust escape
    (r'"\u{{2e}}include \"{s}\""', [".include"]),
    (r'concat!(".inc", "bin \"{bin}\"")', [".incbin"]),
    (r'"nop; .incbin \"{bin}\""', [".incbin"]),                                 # after a separator
    (r'"nop\r.incbin \"{bin}\""', ["nop"]),                                    # one statement to asm-ls
    (r'".ifndef X", ".incbin \"{bin}\"", ".endif"', [".incbin"]),
    (r'".rept 1", ".incbin \"{bin}\"", ".endr"', [".incbin"]),
    # directive names built from macro arguments
    (r'".macro m a b", "\\a\\b \"{bin}\"", ".endm", "m .inc,bin"', ["\\a\\b"]),
    (r'".irp x,.inc", "\\x\\()bin \"{bin}\"", ".endr"', ["\\x\\()bin"]),
    (r'".irp x,inc", ".\\x\\()bin \"{bin}\"", ".endr"', [".\\x\\()bin"]),
    (r'".irp x,.inc", "here: \\x\\()bin \"{bin}\"", ".endr"', ["here:"]),
    (r'".macro incb f", ".incbin \\f", ".endm", "incb \"{bin}\""', [".incbin"]),
    (r'".altmacro", ".macro m a", "a \"{bin}\"", ".endm"', [".altmacro"]),
]


@needs_rustc
@pytest.mark.parametrize("arguments, words", READERS)
def test_the_assembler_never_reads_a_file(secrets, objects, arguments, words):
    text = "use std::arch::global_asm;\nglobal_asm!(" + arguments.format(
        bin=secrets / "secret.bin", s=secrets / "secret.s") + ");\n"
    settings = Settings(targets=[parse_target("x86_64-unknown-linux-gnu")], assemble=True)
    found = analyze(SourceFile(text.encode(), "reader.rs"), settings).diagnostics
    refused = [d for d in found if d.code == "assembler-directive-refused"]
    assert [d.message.split("`")[1] for d in refused] == words
    assert all(d.severity == "warning" and d.message.endswith("asm-ls never lets the assembler read files")
               for d in refused)
    assert objects, "rustc ran"
    assert all(SECRET not in obj for obj in objects)


def test_no_shell_sees_user_text(tmp_path, monkeypatch):
    """rustc runs from an argument list: the template reaches only the generated crate file, and no argument."""
    CACHE.clear()
    mark = tmp_path / "pwned"
    template = f'"nop # $(touch {mark}) `touch {mark}`; touch {mark} | touch {mark} && touch {mark}"'
    calls = []
    real_popen = subprocess.Popen

    def spy(command, *args, **kwargs):
        calls.append((command, kwargs))
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(backend.subprocess, "Popen", spy)
    text = "use std::arch::asm;\npub unsafe fn f() {\n    asm!(" + template + ");\n}\n"
    rustc = backend.find_rustc(None) or "/bin/true"
    analyze(SourceFile(text.encode(), "shell.rs"), Settings(assemble=True, rustc=rustc))
    CACHE.clear()
    assert calls
    for command, kwargs in calls:
        assert isinstance(command, list) and not kwargs.get("shell")
        assert not any(str(mark) in argument or "touch" in argument for argument in command)
    assert not mark.exists()


@given(st.text(st.characters(exclude_categories=("Cs",))) | st.text('"\\#\r\n{}\0\x7f\u2028'))
@bounded(300)
def test_template_text_never_leaves_its_literal_in_the_generated_crate(text):
    """The generated crate holds user text only inside Rust string literals, which give back exactly that text."""
    literal = rust_string(text)
    decoded = decode(literal, 0)
    assert decoded is not None and decoded.errors == [] and decoded.value == text
    assert literal.startswith('"') and literal.endswith('"') and "\n" not in literal and "\r" not in literal


def test_no_shell_anywhere_in_the_code():
    pattern = re.compile(r"shell\s*=\s*True|os\.system\(|os\.popen\(|commands\.getoutput|pty\.spawn")
    offenders = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "asm_ls").rglob("*.py")
                 for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []


# ---- --check and the files it reads ------------------------------------------------------------------------------

BROKEN = 'use std::arch::asm;\npub unsafe fn f(x: u64) {\n    asm!("{}", in(reg) x, in(reg) x);\n}\n'


def check(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asm_ls", "--check", *args, "--format", "json", "--no-assemble"],
                          capture_output=True, text=True, timeout=timeout, cwd=str(ROOT),
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def reported(result: subprocess.CompletedProcess, base: Path) -> list[str]:
    assert "Traceback" not in result.stderr
    return sorted(Path(entry["path"]).relative_to(base).as_posix() for entry in json.loads(result.stdout)["files"])


@pytest.fixture
def tree(tmp_path):
    """root/src/lib.rs, root/src/outside.rs -> ../../elsewhere/secret.rs, root/linked -> ../elsewhere (a directory),
    root/src/same.rs -> lib.rs, root/loop -> . (a symbolic link loop)."""
    root = tmp_path / "root"
    (root / "src").mkdir(parents=True)
    (root / "src" / "lib.rs").write_text(BROKEN)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.rs").write_text(BROKEN)
    (root / "src" / "outside.rs").symlink_to(elsewhere / "secret.rs")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (root / "src" / "same.rs").symlink_to(root / "src" / "lib.rs")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "src" / "loop2").symlink_to(root / "src", target_is_directory=True)
    return root


def test_check_follows_no_symbolic_link_by_default(tree):
    result = check(str(tree))
    assert result.returncode == 1
    assert reported(result, tree) == ["src/lib.rs"]


def test_follow_symlinks_stays_inside_the_given_paths_and_survives_loops(tree):
    result = check(str(tree), "--follow-symlinks")
    assert result.returncode == 1
    # the linked file is followed when asked, the linked directory outside the root is not walked, each real file
    # is checked once, and the loops end
    assert reported(result, tree) == ["src/lib.rs", "src/outside.rs"]


@pytest.fixture
def fifo_tree(tmp_path):
    root = tmp_path / "root"
    (root / "src").mkdir(parents=True)
    (root / "src" / "lib.rs").write_text(BROKEN)
    os.mkfifo(root / "src" / "pipe.rs")
    os.mkfifo(root / "src" / ".gitignore")      # read while walking
    (root / "src" / "zero.rs").symlink_to("/dev/zero")
    return root


def test_check_never_reads_a_fifo_or_a_device(fifo_tree):
    result = check(str(fifo_tree), "--follow-symlinks", timeout=60)
    assert result.returncode == 1
    assert reported(result, fifo_tree) == ["src/lib.rs"]
    named = check(str(fifo_tree / "src" / "pipe.rs"))
    assert named.returncode == 2
    assert json.loads(named.stdout)["problems"] == [f"{fifo_tree / 'src' / 'pipe.rs'}: not a regular file or directory"]


def test_a_fifo_for_a_settings_file_is_never_read(fifo_tree):
    """A FIFO named asm-ls.toml is no settings file; one named Cargo.toml is a clear usage error (it cannot be read
    for the package's settings); neither blocks."""
    os.mkfifo(fifo_tree / "asm-ls.toml")
    result = check(str(fifo_tree), timeout=60)
    assert result.returncode == 1
    assert reported(result, fifo_tree) == ["src/lib.rs"]
    os.mkfifo(fifo_tree / "Cargo.toml")
    result = check(str(fifo_tree), timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{fifo_tree / 'Cargo.toml'}: cannot read: not a regular file" in result.stderr


def test_the_server_never_reads_a_fifo_around_a_document(fifo_tree):
    """The language server reads the files that may declare an open document (``lib.rs``, ``mod.rs``...) and the
    package's ``Cargo.toml``: FIFOs there are skipped (in a subprocess, so a regression cannot hang the suite)."""
    os.mkfifo(fifo_tree / "src" / "mod.rs")
    os.mkfifo(fifo_tree / "Cargo.toml")          # read for the package's edition
    nested = fifo_tree / "src" / "inner"
    nested.mkdir()
    (nested / "a.rs").write_text(BROKEN)
    code = ("import sys; from asm_ls.project import Project; "
            "context = Project().context_for(sys.argv[1]); print(context.edition)")
    done = subprocess.run([sys.executable, "-c", code, str(nested / "a.rs")], capture_output=True, text=True,
                          timeout=60, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
