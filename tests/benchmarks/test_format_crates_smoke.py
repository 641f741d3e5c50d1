"""The real-crates format measurement (tests/benchmarks/format_crates.py) on a tiny crate, so that it cannot rot:
the copy is formatted, the original is not, and the figures count what happened."""

from __future__ import annotations

import shutil

import pytest

import format_crates

pytestmark = pytest.mark.skipif(shutil.which("rustc") is None, reason="no rustc on PATH")

LIB = '''use std::arch::asm;
pub fn f() {
    unsafe {
        asm!("mov  eax,1\\n nop", out("eax") _);
        asm!("nop");
        asm!("bogus  eax,1");
    }
}
'''


def test_a_copy_is_formatted_and_every_block_compared(tmp_path):
    crate = tmp_path / "demo"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text(LIB)
    (crate / "README.md").write_text("not copied\n")
    copy = tmp_path / "work" / "demo"
    format_crates.copy_crate(crate, copy)
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file()) == \
        ["Cargo.toml", "src/lib.rs"]
    found = format_crates.measure(copy, verbose=False)
    figures = found["figures"]
    assert (figures["formatted"], figures["unchanged"], figures["left"], figures["files changed"]) == (1, 1, 1, 1)
    assert (figures["configurations compared"], figures["configurations not assembled"]) == (2, 1)
    assert (figures["bytes changes"], figures["changed by a second format"]) == (0, 0)
    assert found["reasons"] == {"it does not assemble": 1}
    assert (crate / "src" / "lib.rs").read_text() == LIB
    assert '"mov eax, 1",' in (copy / "src" / "lib.rs").read_text()
