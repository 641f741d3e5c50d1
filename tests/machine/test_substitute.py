"""Placeholders become registers of the operand's class (with its modifier and the class default), distinct, never
reserved or filtered, clear of explicit registers; const values, sym and label names."""

from __future__ import annotations

import pytest

from asm_ls.machine.substitute import const_value
from machine_helpers import rendered, substituter


def asm(body: str, prefix: str = "use std::arch::asm;\n") -> str:
    return prefix + "pub unsafe fn f(x: u64, y: u32) {\n    " + body + ";\n}\n"


def test_x86_64_class_default_and_modifiers():
    assert rendered(asm('asm!("mov {0}, {0:e}; mov {0:x}, {0:l}", in(reg) x)')) == ["rax", "eax", "ax", "al"]


def test_x86_32_default_is_the_32_bit_name():
    assert rendered(asm('asm!("mov {0}, {0}", in(reg) y)'), "x86", "i686-unknown-linux-gnu") == ["eax", "eax"]


def test_x86_64_operands_are_distinct_and_skip_rbx():
    names = rendered(asm('asm!("{} {} {} {}", in(reg) x, in(reg) x, out(reg) _, inout(reg) x => _)'))
    assert len(set(names)) == 4
    assert "rbx" not in names and "rbp" not in names and "rsp" not in names


def test_explicit_register_is_avoided():
    names = rendered(asm('asm!("mov {}, 1", in(reg) x, in("rax") x, in("rcx") x)'))
    assert names == ["rdx"]


def test_reg_abcd_and_reg_byte_and_vector_classes():
    assert rendered(asm('asm!("{:h} {} {} {:y}", in(reg_abcd) x, in(reg_byte) 0u8, in(xmm_reg) 0f64, '
                        'in(xmm_reg) 0f64)')) == ["ah", "bl", "xmm0", "ymm1"]


def test_reg_byte_never_a_high_byte_register_on_x86_64():
    sub = substituter(asm('asm!("{} {} {} {} {}", in(reg_byte) 0u8, in(reg_byte) 0u8, in(reg_byte) 0u8, '
                          'in(reg_byte) 0u8, in(reg_byte) 0u8)'))
    assert not {"ah", "bh", "ch", "dh"} & set(sub.registers.values())


def test_att_syntax_prefixes_percent():
    assert rendered(asm('asm!("mov {0}, {1:e}", in(reg) x, in(reg) y, options(att_syntax))')) == ["%rax", "%ecx"]


@pytest.mark.parametrize("arch,triple,body,expected", [
    ("aarch64", "aarch64-unknown-linux-gnu", 'asm!("{0} {0:w} {1} {1:s} {1:q}", in(reg) x, in(vreg) 0f32)',
     ["x0", "w0", "v0", "s0", "q0"]),
    ("arm", "armv7-unknown-linux-gnueabihf", 'asm!("{} {} {}", in(reg) y, in(sreg) 0f32, in(dreg) 0f64)',
     ["r0", "s0", "d1"]),     # d0 holds s0 and s1
    ("riscv64", "riscv64gc-unknown-linux-gnu", 'asm!("{} {} {}", in(reg) x, in(reg) x, in(freg) 0f32)',
     ["x1", "x5", "f0"]),
    ("powerpc64", "powerpc64le-unknown-linux-gnu", 'asm!("{} {}", in(reg_nonzero) x, in(freg) 0f64)', ["3", "0"]),
    # r0 is no base register (not in reg_addr): a `reg` operand gets one that is
    ("s390x", "s390x-unknown-linux-gnu", 'asm!("{} {}", in(reg) x, in(reg_addr) x)', ["%r1", "%r2"]),
    ("powerpc64", "powerpc64le-unknown-linux-gnu", 'asm!("{}", in(reg) x)', ["3"]),     # r0 reads as 0 in addi
    # `reg` takes r2-r31, `reg_upper` r16-r31 (what muls, ldi, subi take); a pair prints as its low register in
    # `reg_pair` and `reg_iw` (rustc's tests/assembly-llvm/asm/avr-types.rs: `movw r{{[0-9]+}}, r{{[0-9]+}}`)
    ("avr", "avr-none", 'asm!("{} {} {}", in(reg) 0i8, in(reg) 0i8, in(reg_pair) 0i16)', ["r16", "r17", "r26"]),
    ("loongarch64", "loongarch64-unknown-linux-gnu", 'asm!("{} {}", in(reg) x, in(freg) 0f64)', ["$r1", "$f0"]),
    # LLVM prints m68k registers with `%` (rustc's tests/assembly-llvm/asm/m68k-types.rs: `move.b %d0, %d1`)
    ("m68k", "m68k-unknown-linux-gnu", 'asm!("{} {}", in(reg_data) 0i8, in(reg_addr) 0i16)', ["%d0", "%a0"]),
    # rustc's overlap data is empty for Hexagon: each operand still gets its own register
    ("hexagon", "hexagon-unknown-linux-musl", 'asm!("{} {} {}", in(reg) x, in(reg) x, out(reg) _)', ["r0", "r1", "r2"]),
])
def test_other_architectures(arch, triple, body, expected):
    assert rendered(asm(body, prefix=""), arch, triple) == expected


@pytest.mark.parametrize("triple,excluded", [("aarch64-unknown-linux-gnu", {"x19", "x29", "sp", "xzr"}),
                                             ("aarch64-apple-darwin", {"x18", "x19", "x29", "sp", "xzr"})])
def test_aarch64_never_reserved_or_filtered(triple, excluded):
    operands = ", ".join("in(reg) x" for _ in range(27))
    sub = substituter(asm(f'asm!("{" {}" * 27}", {operands})', prefix=""), "aarch64", triple)
    chosen = set(sub.registers.values())
    assert not chosen & excluded


def test_out_of_registers_shares_rather_than_fails():
    operands = ", ".join("in(reg) x" for _ in range(20))
    sub = substituter(asm(f'asm!("{" {}" * 20}", {operands})'), "x86", "i686-unknown-linux-gnu")
    assert sub.ok and len(sub.registers) == 20


@pytest.mark.parametrize("text,value", [("1", 1), ("0x10", 16), ("1_000u32", 1000), ("-5", -5), ("0b101", 5),
                                        ("0o17", 15), ("-0x1_0i64", -16), ("N", None), ("1 + 2", None),
                                        ("1.5", None)])
def test_const_values(text, value):
    assert const_value(text) == value


def test_const_sym_label():
    sub = substituter(asm('asm!("mov eax, {} ; call {} ; jmp {} ; mov eax, {}", const 0x20, sym f, '
                          'label { }, const N)'))
    texts = [sub.render(p) for p in sub.resolved.block.placeholders]
    assert [t.text for t in texts] == ["32", "asmls_sym_b_1", "asmls_label_b_2", "0"]
    assert [t.known for t in texts] == [True, True, True, False]
    assert sub.labels() == ["asmls_label_b_2"]
