//! Correct blocks: asm-ls reports nothing here.
use std::arch::asm;

#[cfg(target_arch = "x86_64")]
pub fn rdtsc() -> u64 {
    let (low, high): (u32, u32);
    unsafe { asm!("rdtsc", out("eax") low, out("edx") high, options(nostack, nomem)) };
    ((high as u64) << 32) | (low as u64)
}

#[cfg(target_arch = "x86_64")]
pub unsafe fn write(fd: usize, buf: *const u8, len: usize) -> isize {
    let ret: isize;
    asm!(
        "syscall",
        inlateout("rax") 1isize => ret,
        in("rdi") fd,
        in("rsi") buf,
        in("rdx") len,
        out("rcx") _,
        out("r11") _,
        options(nostack),
    );
    ret
}

#[cfg(target_arch = "aarch64")]
pub fn add_five(x: u64) -> u64 {
    let result: u64;
    unsafe { asm!("add {result}, {x}, #5", x = in(reg) x, result = out(reg) result) };
    result
}
