"""The server's resident memory follows what it keeps, not what it once used (with glibc's allocator; elsewhere these
do nothing).

Each edit of a large file frees megabytes (the old text, its bytes, the changed part of its syntax tree, the old
analysis), in whichever thread made them.  glibc gives every thread that allocates its own arena, up to eight per
core, and keeps what is freed in each for later; :func:`limit_arenas` allows two (set before the worker threads
start), and :func:`give_back` returns the free pages of all arenas to the system (``malloc_trim``: well under a
millisecond), which the publisher does after each document's run."""

from __future__ import annotations

import sys
from functools import lru_cache

M_ARENA_MAX = -8        # glibc's mallopt parameter
ARENAS = 2


@lru_cache(maxsize=1)
def _glibc():
    """glibc's C library, or None (another system or C library)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        libc.gnu_get_libc_version       # glibc only (musl has no such function)
        libc.mallopt, libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return libc


def limit_arenas() -> None:
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, ARENAS)


def give_back() -> None:
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
