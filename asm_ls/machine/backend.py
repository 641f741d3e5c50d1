"""Running rustc safely: an argument list (no shell), a private temporary directory, a time limit on its process group."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field

DEFAULT_TIMEOUT = 30.0
# Targets rustc cannot build an object for without a CPU.
_TARGET_CPU = {"avr": "atmega328p"}


class BackendError(Exception):
    """rustc could not be run, or failed for a reason that is not the template's."""


@dataclass
class Run:
    returncode: int
    messages: list[dict] = field(default_factory=list)   # rustc's JSON diagnostics
    stderr: str = ""
    object: bytes | None = None     # the object file, when asked for (``keep_object``) and written


def find_rustc(path: str | None) -> str | None:
    """The rustc executable: ``path`` when given (a file or a name on PATH), else ``rustc`` on PATH."""
    candidate = path or "rustc"
    if os.sep in candidate:
        return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None
    return shutil.which(candidate)


def version(rustc: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """``rustc -vV`` (the cache key's backend version), remembered per executable and modification time."""
    try:
        stamp = os.stat(rustc).st_mtime_ns
    except OSError as error:
        raise BackendError(f"cannot run `{rustc}`: {error.strerror}") from None
    return _version(rustc, stamp, timeout)


@functools.lru_cache(maxsize=16)
def _version(rustc: str, stamp: int, timeout: float) -> str:
    with tempfile.TemporaryDirectory(prefix="asm-ls-") as directory:
        returncode, out, err = _run([rustc, "-vV"], directory, timeout)
    if returncode != 0 or not out.strip():
        raise BackendError(f"`{rustc} -vV` failed: {_first_line(err) or f'exit status {returncode}'}")
    return out.strip()


def compile_crate(rustc: str, source: str, triple: str, arch: str, features: list[str],
                  timeout: float = DEFAULT_TIMEOUT, keep_object: bool = False) -> Run:
    """One ``rustc --emit=obj`` over the generated crate, in a private directory that is removed afterwards.
    ``keep_object``: return the object file's bytes too (the contract analysis reads the machine code)."""
    with tempfile.TemporaryDirectory(prefix="asm-ls-") as directory:
        path = os.path.join(directory, "asm.rs")
        with open(path, "w", encoding="utf-8") as file:
            file.write(source)
        command = [rustc, "--edition", "2021", "--crate-type", "lib", "--crate-name", "asm_ls_check",
                   "--emit=obj", "--error-format=json", "--target", triple, "-C", "codegen-units=1",
                   "-C", "opt-level=0", "-C", "debuginfo=0", "-o", os.path.join(directory, "asm.o")]
        if arch in _TARGET_CPU:
            command += ["-C", f"target-cpu={_TARGET_CPU[arch]}"]
        if features:
            command += ["-C", "target-feature=" + ",".join("+" + feature for feature in features)]
        command.append(path)
        returncode, _, err = _run(command, directory, timeout)
        obj = None
        if keep_object and returncode == 0:
            try:
                with open(os.path.join(directory, "asm.o"), "rb") as file:
                    obj = file.read()
            except OSError:
                obj = None
    messages = []
    for line in err.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and "message" in message:
            messages.append(message)
    return Run(returncode, messages, err, obj)


def _run(command: list[str], directory: str, timeout: float) -> tuple[int, str, str]:
    environment = dict(os.environ)
    environment["RUSTC_BOOTSTRAP"] = "1"
    try:
        process = subprocess.Popen(command, cwd=directory, env=environment, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as error:
        raise BackendError(f"cannot run `{command[0]}`: {error.strerror}") from None
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        raise BackendError(f"`{os.path.basename(command[0])}` did not finish within {timeout:g} s and was stopped") \
            from None
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
