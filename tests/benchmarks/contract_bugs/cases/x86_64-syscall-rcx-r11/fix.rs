// syscall overwrites rcx and r11, which the block does not declare
// Fixed form, restated minimally; source: https://github.com/sunfishcode/origin/commit/5c096a8f30b81960e19db64b9081c3457f59a74b
#[no_mangle]
pub unsafe extern "C" fn protect(addr: usize, len: usize) -> usize {
    let ret: usize;
    asm!(
        "syscall",
        inlateout("rax") 10usize => ret,
        in("rdi") addr,
        in("rsi") len,
        in("rdx") 1usize,
        lateout("rcx") _,
        lateout("r11") _,
        options(nostack, preserves_flags)
    );
    ret
}
