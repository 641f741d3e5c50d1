"""Start-up: the code attrs and cattrs generate, compiled once and kept on disk.

Importing lsprotocol makes attrs write and compile the methods of its ~550 classes, and answering ``initialize``
makes cattrs write and compile the (un)structuring functions of the messages; compiling that text is about half
of what importing lsprotocol costs, the largest part of the server's start.  :func:`install` gives attrs and cattrs
a ``compile`` that returns the code object a previous start compiled from the same text (file name, source and
compiler flags hashed together), from one file in the user's cache directory; :func:`save` writes the code the
start used, when some of it was new (so code of older library versions does not accumulate).  A cache that is
missing, unreadable, or of another Python is ignored; one that cannot be written is not written; a library that
no longer compiles through a module-level ``compile`` is simply not served.  Set ``ASM_LS_NO_CODE_CACHE`` to start
without it."""

from __future__ import annotations

import __future__
import builtins
import hashlib
import importlib
import importlib.util
import marshal
import os
import sys
import tempfile
import threading
from pathlib import Path
from types import CodeType, ModuleType

# The modules whose generated code is compiled through their module-level name ``compile``.
MODULES = ("attr._make", "cattrs.gen", "cattrs.gen.typeddicts")
DISABLE_ENV = "ASM_LS_NO_CODE_CACHE"
_HEADER = b"asm-ls generated code 1\n" + importlib.util.MAGIC_NUMBER

_lock = threading.Lock()
_state: _Cache | None = None


class _Cache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[bytes, CodeType] = _read(path)
        self.used: dict[bytes, CodeType] = {}
        self.fresh = 0
        self.patched: list[ModuleType] = []

    def compiler(self, flags: int):
        """A ``compile`` for a module whose own compiler flags (its ``from __future__`` imports) are ``flags``."""
        def compile(source, filename, mode, *args, **kwargs):      # noqa: A001 (stands for the builtin)
            if args or kwargs or not isinstance(source, str) or not isinstance(filename, str):
                return builtins.compile(source, filename, mode, *args, **kwargs)
            key = hashlib.blake2b(f"{flags}\0{mode}\0{filename}\0{source}".encode(), digest_size=16).digest()
            with _lock:
                code = self.known.get(key)
            if code is None:
                code = builtins.compile(source, filename, mode, flags, True)
                with _lock:
                    self.known[key] = code
                    self.fresh += 1
            with _lock:
                self.used[key] = code
            return code
        return compile


def cache_path() -> Path:
    """The cache file: under ``$XDG_CACHE_HOME`` (or the platform's cache directory), per Python version and
    installation of attrs (a virtual environment and an editor's bundle do not take turns rewriting one file)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    spec = importlib.util.find_spec("attr")
    installation = hashlib.blake2b(str(spec and spec.origin).encode(), digest_size=4).hexdigest()
    return base / "asm-ls" / f"generated-code-{sys.implementation.cache_tag}-{installation}.bin"


def install() -> None:
    """Serve attrs's and cattrs's compilations from the cache (imports attrs and cattrs, which the server needs)."""
    global _state
    if _state is not None or os.environ.get(DISABLE_ENV):
        return
    try:
        state = _Cache(cache_path())
    except (OSError, RuntimeError):
        return
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if "compile" in vars(module):       # the library has a ``compile`` of its own: leave it
            continue
        module.compile = state.compiler(_future_flags(module))
        state.patched.append(module)
    _state = state


def save() -> None:
    """Write the code this start used when some of it was new, and compile through the builtin again."""
    global _state
    state, _state = _state, None
    if state is None:
        return
    for module in state.patched:
        vars(module).pop("compile", None)
    if state.fresh:
        _write(state.path, state.used)


def _future_flags(module: ModuleType) -> int:
    """The compiler flags of ``module``'s ``from __future__`` imports, which its calls to ``compile`` inherit."""
    flags = 0
    for value in vars(module).values():
        if isinstance(value, __future__._Feature):
            flags |= value.compiler_flag
    return flags


def _read(path: Path) -> dict[bytes, CodeType]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_HEADER):
        return {}
    try:
        codes = marshal.loads(data[len(_HEADER):])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(codes, dict):
        return {}
    return {key: code for key, code in codes.items() if isinstance(key, bytes) and isinstance(code, CodeType)}


def _write(path: Path, codes: dict[bytes, CodeType]) -> None:
    """Replace the file at once (a reader sees the old or the new one), in a directory only the user can read."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generated-code-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_HEADER)
                marshal.dump(codes, out)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        pass
