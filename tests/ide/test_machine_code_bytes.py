"""The machine-code view (asm_ls.ide.machine_code): its bytes are rustc's own, checked against the object rustc builds
for the same block with the example's registers written in (the oracle's compile, ``--emit obj``), and what it says
of calls it cannot show."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

import oracle
from oracle.rustc_oracle import CORE_STUB, compile_command, host_triple

from asm_ls.analysis import Settings, analyze
from asm_ls.ide.machine_code import lenses, machine_code
from asm_ls.machine.objects import read_elf
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile

pytestmark = pytest.mark.skipif(oracle.available() is not None, reason=str(oracle.available()))

_ROW = re.compile(r"^ *\d* {2}[0-9a-f]{4} {5}((?:[0-9a-f]{2} ?)+)")

# (target, the block with `reg` operands, the same block with the registers the listing names, its function)
CASES = {
    "x86_64": ("x86_64-unknown-linux-gnu", '''#[no_mangle]
pub unsafe extern "C" fn f(p: *const u64, n: u64) -> u64 {
    let sum: u64;
    asm!(
        "xor {s:e}, {s:e}",
        "2:",
        "add {s}, qword ptr [{p} + 8*{n} - 8]",
        "dec {n}; jnz 2b",
        s = out(reg) sum, p = in(reg) p, n = inout(reg) n => _,
        options(readonly, nostack),
    );
    sum
}
''', '''#[no_mangle]
pub unsafe extern "C" fn f(p: *const u64, n: u64) -> u64 {
    let sum: u64;
    asm!(
        "xor eax, eax",
        "2:",
        "add rax, qword ptr [rcx + 8*rdx - 8]",
        "dec rdx; jnz 2b",
        out("rax") sum, in("rcx") p, inout("rdx") n => _,
        options(readonly, nostack),
    );
    sum
}
''', "s = rax, p = rcx, n = rdx"),
    "aarch64": ("aarch64-unknown-linux-gnu", '''#[no_mangle]
pub unsafe extern "C" fn f(x: u64) -> u64 {
    let t: u64;
    asm!("mrs {t}, cntvct_el0", "adds {t}, {t}, {x}", "isb", t = out(reg) t, x = in(reg) x, options(nomem, nostack));
    t
}
''', '''#[no_mangle]
pub unsafe extern "C" fn f(x: u64) -> u64 {
    let t: u64;
    asm!("mrs x0, cntvct_el0", "adds x0, x0, x1", "isb", out("x0") t, in("x1") x, options(nomem, nostack));
    t
}
''', "t = x0, x = x1"),
    "riscv64": ("riscv64gc-unknown-linux-gnu", '''#[no_mangle]
pub unsafe extern "C" fn f(x: u64) -> u64 {
    let y: u64;
    asm!("rdcycle {y}", "add {y}, {y}, {x}", "li {y}, 0x12345", y = out(reg) y, x = in(reg) x);
    y
}
''', '''#[no_mangle]
pub unsafe extern "C" fn f(x: u64) -> u64 {
    let y: u64;
    asm!("rdcycle ra", "add ra, ra, t0", "li ra, 0x12345", out("ra") y, in("t0") x);
    y
}
''', None),
}


def _listing(text: str, triple: str) -> str:
    source = SourceFile.from_text("use core::arch::asm;\n" + text)
    settings = Settings(targets=[parse_target(triple)], assemble=True)
    result = analyze(source, settings)
    found = machine_code(result.model, source.data.index(b"asm!("), settings, result.diagnostics, "lib.rs")
    return found.content


def _rustc_function(text: str, triple: str) -> bytes:
    """The bytes of ``f`` in the object rustc builds from ``text`` for ``triple``, as the oracle compiles."""
    no_core = triple != host_triple()
    text = ("use core::arch::asm;\n" if not no_core else "") + text + ("\n" + CORE_STUB if no_core else "")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "lib.rs"
        path.write_text(text, encoding="utf-8")
        output = Path(scratch) / "lib.o"
        run = subprocess.run(compile_command("rustc", path, triple, "obj", output, no_core), capture_output=True,
                             text=True, env={**os.environ, "RUSTC_BOOTSTRAP": "1"} if no_core else None)
        assert run.returncode == 0, run.stderr
        obj = read_elf(output.read_bytes())
    return obj.section_bytes(obj.section(".text.f"))


@pytest.mark.parametrize("arch", sorted(CASES))
def test_the_bytes_are_rustcs(arch: str):
    triple, text, pinned, allocation = CASES[arch]
    listing = _listing(text, triple)
    if allocation is not None:
        assert f"(the compiler may choose others): {allocation}." in listing
    rows = [match.group(1).split() for match in map(_ROW.match, listing.splitlines()) if match]
    assert rows, listing
    shown = bytes.fromhex("".join("".join(row) for row in rows))
    assert shown in _rustc_function(pinned, triple), listing


def test_x86_64_listing():
    """A label, two statements on one line, a memory operand, a backward branch."""
    assert _listing(CASES["x86_64"][1], "x86_64-unknown-linux-gnu") == '''\
; asm! at lib.rs:5 in fn `f`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): s = rax, p = rcx, n = rdx.
; Addresses are offsets from the block's first byte.

; line  address  bytes           instruction                           reads                  writes
     6  0000     31 c0           xor eax, eax                          eax                    eax, flags(CF PF AF ZF SF OF)
     7  0002                     2:
     8  0002     48 03 44 d1 f8  add rax, qword ptr [rcx + rdx*8 - 8]  rax, rcx, rdx, memory  rax, flags(CF PF AF ZF SF OF)
     9  0007     48 ff ca        dec rdx                               rdx                    rdx, flags(PF AF ZF SF OF)
        000a     75 f6           jne 2                                 flags(ZF)
'''


def test_riscv_pseudo_instruction_expanding_to_two():
    """`li` with a large value is two instructions: one row each, the line number on the first."""
    assert _listing(CASES["riscv64"][1], "riscv64gc-unknown-linux-gnu").split("\n", 4)[4] == '''\

; line  address  bytes        instruction         reads   writes
     5  0000     f3 20 00 c0  rdcycle ra                  ra
     5  0004     96 90        c.add ra, t0        ra, t0  ra
     5  0006     c9 60        c.lui ra, 0x12              ra
        0008     93 80 50 34  addi ra, ra, 0x345  ra      ra
'''


def test_lenses_name_the_architectures_asm_ls_disassembles():
    text = "use core::arch::asm;\n" + CASES["aarch64"][1]
    source = SourceFile.from_text(text)
    model = analyze(source, Settings(targets=[parse_target("aarch64-unknown-linux-gnu"),
                                              parse_target("x86_64-unknown-linux-gnu"),
                                              parse_target("mips64-unknown-linux-gnuabi64")])).model
    assert [(lens.start, lens.title) for lens in lenses(model)] == [
        (text.index("asm!("), "Show machine code (aarch64, x86_64)")]
    settings = Settings(targets=[parse_target("mips64-unknown-linux-gnuabi64")], assemble=True)
    model = analyze(source, settings).model
    assert lenses(model) == []
    assert machine_code(model, text.index("asm!("), settings, where="lib.rs").content == (
        "; asm! at lib.rs:5 in fn `f`: machine code for mips64-unknown-linux-gnuabi64 (mips64)\n"
        "; asm-ls does not disassemble mips64.\n")
    assert machine_code(model, 0, settings) is None


def test_arm_listing_from_sleigh():
    """A32 is disassembled by the SLEIGH engine: its text, and its reads and writes."""
    text = ('use core::arch::asm;\npub fn f(x: u32) -> u32 {\n    let y: u32;\n'
            '    unsafe { asm!("add {0}, {1}, #1", out(reg) y, in(reg) x) };\n    y\n}\n')
    settings = Settings(targets=[parse_target("armv7-unknown-linux-gnueabihf")], assemble=True)
    model = analyze(SourceFile.from_text(text), settings).model
    assert [lens.title for lens in lenses(model)] == ["Show machine code (arm)"]
    assert machine_code(model, text.index("asm!("), settings, where="lib.rs").content.split("\n", 4)[4] == '''\

; line  address  bytes        instruction     reads  writes
     4  0000     01 00 81 e2  add r0,r1,#0x1  r1     r0
'''


def test_s390x_listing_from_the_table_engine():
    text = '''#[no_mangle]
pub unsafe extern "C" fn f(p: *const u64, a: u64) -> u64 {
    let r: u64;
    asm!("lg {r}, 8({p})", "alcgr {r}, {a}", r = out(reg) r, p = in(reg_addr) p, a = in(reg) a);
    r
}
'''
    assert _listing(text, "s390x-unknown-linux-gnu").split("\n", 4)[4] == '''\

; line  address  bytes              instruction     reads       writes
     5  0000     e3 10 20 08 00 04  lg %r1, 8(%r2)  r2, memory  r1
     5  0006     b9 88 00 13        alcgr %r1, %r3  r1, r3      r1, flags
'''
