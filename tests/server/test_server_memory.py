"""The allocator calls the server makes to keep its resident memory to what it keeps: harmless anywhere, effective
with glibc."""

from __future__ import annotations

import platform

from asm_ls.server import memory


def test_allocator_calls_never_fail():
    memory.limit_arenas()
    memory.give_back()
    if platform.libc_ver()[0] == "glibc":
        assert memory._glibc() is not None
