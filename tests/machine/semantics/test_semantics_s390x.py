"""s390x has no semantics engine: SLEIGH has no specification for it and capstone 5 decodes it without register
access lists.  Decoding says so, which gives the blocks their `contract-not-analysed` note."""

from __future__ import annotations

from asm_ls.machine.semantics import available, decode, details


def test_s390x_is_not_analysed_and_says_why():
    decoded = decode("s390x", bytes.fromhex("b9040012"), little=False)         # lgr %r1, %r2
    assert (available("s390x"), decoded.complete, decoded.insns, decoded.stop) == (False, False, [], 0)
    assert decoded.reason == ("neither engine gives s390x's register effects (SLEIGH has no s390x specification; "
                              "capstone decodes it but lists no register reads or writes)")
    assert details("s390x", bytes.fromhex("b9040012"), little=False) is None
