"""Running rustc safely: an argument list (no shell), a private temporary directory, a time limit on its process group.

Whatever goes wrong around rustc (missing, failing, hanging, no usable temporary directory, a full disk) is a
:class:`BackendError`, never another exception: the caller turns it into one ``assembler-unavailable`` note and every
other check is unaffected.  :func:`stop_all` ends the runs under way (the server calls it when it exits); a
:class:`Scope` ends those of one piece of work (the server's assembler pass for a text that is no longer current).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Iterator

DEFAULT_TIMEOUT = 30.0


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
    with _private_directory() as directory:
        returncode, out, err = _run([rustc, "-vV"], directory, timeout)
    if returncode != 0 or not out.strip():
        raise BackendError(f"`{rustc} -vV` failed: {_first_line(err) or f'exit status {returncode}'}")
    return out.strip()


def compile_crate(rustc: str, source: str, triple: str, arch: str, features: list[str],
                  timeout: float = DEFAULT_TIMEOUT, keep_object: bool = False, cpu: str = "") -> Run:
    """One ``rustc --emit=obj`` over the generated crate, in a private directory that is removed afterwards.
    ``keep_object``: return the object file's bytes too (the contract analysis reads the machine code); ``cpu``:
    ``-C target-cpu`` (empty: the target's own)."""
    with _private_directory() as directory:
        path = os.path.join(directory, "asm.rs")
        try:
            with open(path, "w", encoding="utf-8") as file:
                file.write(source)
        except OSError as error:
            raise BackendError(f"cannot write the generated crate in {directory}: {error.strerror or error}") from None
        command = [rustc, "--edition", "2021", "--crate-type", "lib", "--crate-name", "asm_ls_check",
                   "--emit=obj", "--error-format=json", "--target", triple, "-C", "codegen-units=1",
                   "-C", "opt-level=0", "-C", "debuginfo=0", "-o", os.path.join(directory, "asm.o")]
        if cpu:
            command += ["-C", f"target-cpu={cpu}"]
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
        if isinstance(message, dict) and isinstance(message.get("message"), str):
            messages.append(message)
    for message in messages:
        # rustc could not read or write its files (a full disk, a file size limit): not the template's fault
        if message.get("level") == "error" and not message.get("spans") and _OS_ERROR in message["message"]:
            raise BackendError(f"rustc failed: {message['message']}")
    return Run(returncode, messages, err, obj)


_OS_ERROR = "(os error "         # how rustc ends the message of an I/O error


@contextlib.contextmanager
def _private_directory() -> Iterator[str]:
    """A new temporary directory, removed afterwards; a directory that cannot be made or removed is a BackendError."""
    try:
        holder = tempfile.TemporaryDirectory(prefix="asm-ls-")
    except OSError as error:
        raise BackendError(f"cannot create a temporary directory in {tempfile.gettempdir()}: "
                           f"{error.strerror or error}") from None
    try:
        with holder as directory:
            yield directory
    except OSError as error:
        raise BackendError(f"cannot use the temporary directory {holder.name}: {error.strerror or error}") from None


_RUNNING: set[subprocess.Popen] = set()
_RUNNING_LOCK = threading.Lock()
_stopping = False


class Scope:
    """The runs of one piece of work, started in a thread inside :func:`scoped`: :meth:`cancel` kills those under
    way (their process groups) and refuses new ones; each then raises :class:`BackendError`."""

    def __init__(self) -> None:
        self.cancelled = False
        self._processes: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for process in self._processes:
                _kill_group(process)

    def _refused(self) -> BackendError:
        return BackendError("cancelled: the text it was for changed")


_CURRENT = threading.local()


@contextlib.contextmanager
def scoped(scope: Scope) -> Iterator[Scope]:
    """Run the rustc runs this thread starts meanwhile under ``scope``."""
    previous = getattr(_CURRENT, "scope", None)
    _CURRENT.scope = scope
    try:
        yield scope
    finally:
        _CURRENT.scope = previous


def _run(command: list[str], directory: str, timeout: float) -> tuple[int, str, str]:
    environment = dict(os.environ)
    environment["RUSTC_BOOTSTRAP"] = "1"
    scope: Scope | None = getattr(_CURRENT, "scope", None)
    with _RUNNING_LOCK, (scope._lock if scope is not None else contextlib.nullcontext()):
        if _stopping:
            raise BackendError("asm-ls is stopping")
        if scope is not None and scope.cancelled:
            raise scope._refused()
        try:
            process = subprocess.Popen(command, cwd=directory, env=environment, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        except OSError as error:
            raise BackendError(f"cannot run `{command[0]}`: {error.strerror}") from None
        _RUNNING.add(process)
        if scope is not None:
            scope._processes.add(process)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise BackendError(f"`{os.path.basename(command[0])}` did not finish within {timeout:g} s and was stopped") \
            from None
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
        if scope is not None:
            with scope._lock:
                scope._processes.discard(process)
    if _stopping:
        raise BackendError("asm-ls is stopping")
    if scope is not None and scope.cancelled:
        raise scope._refused()
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen) -> None:
    if process.returncode is not None:
        return          # reaped: its id may be another process's now
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stop(process: subprocess.Popen) -> None:
    """Kill the process's whole group and reap it; a descendant that left the group and holds the pipes open is not
    waited for."""
    _kill_group(process)
    try:
        process.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        process.wait()


def stop_all() -> None:
    """Kill every rustc run under way and refuse new ones (the process is exiting)."""
    global _stopping
    with _RUNNING_LOCK:
        _stopping = True
        running = list(_RUNNING)
    for process in running:
        _kill_group(process)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
