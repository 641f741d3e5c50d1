//! A block for a target the host never builds: `cargo check` on an x86-64 laptop skips it,
//! asm-ls checks it for aarch64 because of its #[cfg].
#[cfg(target_arch = "aarch64")]
pub fn read_counter() -> u64 {
    let ticks: u64;
    unsafe {
        // error[unknown-register]: `rax` is not an aarch64 register.
        core::arch::asm!("mrs {t}, cntvct_el0", t = out(reg) ticks, in("rax") 0u64);
    }
    ticks
}

#[cfg(target_arch = "aarch64")]
pub fn frame_pointer(x: u64) {
    unsafe {
        // error[reserved-register]: x29 is the frame pointer.
        core::arch::asm!("nop", in("x29") x, options(nomem, nostack));
    }
}
