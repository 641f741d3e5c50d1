// the syscall's argument registers are in operands, but the kernel does not preserve r4-r8
// Buggy form, restated minimally; source: https://github.com/ziglang/zig/pull/24238
#[no_mangle]
pub unsafe extern "C" fn sched_getaffinity(pid: u64, len: u64, mask: *mut u8) -> u64 {
    let ret: u64;
    asm!(
        "sc", // <- contract bug
        "bns 0f",
        "neg 3, 3",
        "0:",
        inlateout("r0") 223u64 => _,
        inlateout("r3") pid => ret,
        in("r4") len,
        in("r5") mask,
        lateout("r6") _, lateout("r7") _, lateout("r8") _, lateout("r9") _,
        lateout("r10") _, lateout("r11") _, lateout("r12") _,
        lateout("cr0") _, lateout("ctr") _, lateout("xer") _,
        options(nostack, preserves_flags)
    );
    ret
}
