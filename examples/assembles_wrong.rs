//! Blocks `cargo check` accepts: only the assembler rejects them, and only when the crate is
//! built for their target. asm-ls runs the assembler of each block's target as you type.
use std::arch::asm;

#[cfg(target_arch = "x86_64")]
pub fn add_five(x: u64) -> u64 {
    let mut y = x;
    // error[assembler-error]: invalid instruction mnemonic 'addd'
    unsafe { asm!("addd {0}, 5", inout(reg) y) };
    y
}

#[cfg(target_arch = "aarch64")]
pub fn load(p: *const u64) -> u64 {
    let v: u64;
    // Never built on an x86-64 laptop; asm-ls assembles it for aarch64:
    // error[assembler-error]: expected label or encodable integer pc offset (the address needs [ ])
    unsafe { asm!("ldr {v}, {p}", v = out(reg) v, p = in(reg) p) };
    v
}
