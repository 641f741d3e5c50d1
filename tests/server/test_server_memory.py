"""The allocator calls the server makes to keep its resident memory to what it keeps: harmless anywhere, effective
with glibc."""

from __future__ import annotations

import platform

from asm_ls.server import memory
from asm_ls.server.session import SOURCE_BUDGET, Bounded, Session


def test_allocator_calls_never_fail():
    memory.limit_arenas()
    memory.give_back()
    if platform.libc_ver()[0] == "glibc":
        assert memory._glibc() is not None


def test_bounded_forgets_beyond_its_size_and_its_budget():
    store = Bounded(3, weigh=len, budget=10)
    store.put("a", "x" * 4)
    store.put("b", "x" * 4)
    store.put("c", "x" * 40)           # the last one used is kept whatever it weighs; 8 bytes besides it
    assert [store.get(k) is not None for k in "abc"] == [True, True, True]
    store.put("d", "x" * 4)            # besides d: 4 + 4 + 40 > 10, the oldest go first
    assert [store.get(k) is not None for k in "abcd"] == [False, False, False, True]
    plain = Bounded(2)
    for key in "abc":
        plain.put(key, "x" * 100)
    assert len(plain) == 2 and plain.get("a") is None


def test_one_large_document_at_a_time_keeps_its_tree():
    session = Session()
    big, small = b"x" * (SOURCE_BUDGET + 1), b"y" * 10
    session.trees.put("file:///big.rs", (big, object()))
    session.trees.put("file:///small.rs", (small, object()))
    assert session.trees.get("file:///big.rs") is None and session.trees.get("file:///small.rs") is not None
    session.trees.put("file:///big.rs", (big, object()))
    assert session.trees.get("file:///big.rs") is not None and session.trees.get("file:///small.rs") is not None
