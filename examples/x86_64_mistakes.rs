//! Mistakes in x86-64 inline assembly that asm-ls reports as you type.
use std::arch::asm;

pub fn missing_unsafe(x: u64) -> u64 {
    let y: u64;
    // error[asm-requires-unsafe]: asm! must be inside an unsafe block.
    asm!("mov {0}, {1}", out(reg) y, in(reg) x);
    y
}

pub unsafe fn placeholders(x: u64) -> u64 {
    let y: u64;
    // error[invalid-argument-index]: `{2}` refers to an operand that does not exist.
    asm!("lea {0}, [{1} + {2}]", out(reg) y, in(reg) x);
    y
}

pub unsafe fn unused_operand(a: u64, b: u64) -> u64 {
    let r: u64;
    // error[unused-argument]: `b` is passed but never used in the template.
    asm!("mov {r}, {a}", a = in(reg) a, b = in(reg) b, r = out(reg) r);
    r
}

pub unsafe fn reserved_registers(x: u64) {
    // error[reserved-register]: rbx is used internally by LLVM.
    asm!("nop", in("rbx") x);
    // error[reserved-register]: the stack pointer cannot be an operand.
    asm!("nop", in("rsp") x);
}

pub unsafe fn overlapping_registers(x: u32, y: u8) {
    // error[register-conflict]: `al` is part of `eax`.
    asm!("nop", in("eax") x, in("al") y);
}

pub unsafe fn bad_modifier(x: u64) {
    // error[invalid-modifier]: `reg` takes l, x, e or r on x86-64, not `q`.
    asm!("inc {0:q}", inout(reg) x => _);
}

pub unsafe fn conflicting_options() {
    // error[conflicting-options]: nomem and readonly exclude each other.
    asm!("nop", options(nomem, readonly));
}
