// io_uring_enter waits for I/O that writes user buffers, through a syscall block marked readonly
// Fixed form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/1fdb3c0591823d669a2b235906d03667155e88a4
#[no_mangle]
pub unsafe extern "C" fn io_uring_enter(fd: u64, to_submit: u64, min_complete: u64, flags: u64, sig: u64, size: u64) -> u64 {
    let ret: u64;
    asm!(
        "sc",
        "bns 0f",
        "neg 3, 3",
        "0:",
        inlateout("r0") 426u64 => _,
        inlateout("r3") fd => ret,
        inlateout("r4") to_submit => _,
        inlateout("r5") min_complete => _,
        inlateout("r6") flags => _,
        inlateout("r7") sig => _,
        inlateout("r8") size => _,
        lateout("r9") _, lateout("r10") _, lateout("r11") _, lateout("r12") _,
        lateout("cr0") _, lateout("ctr") _, lateout("xer") _,
        options(nostack, preserves_flags)
    );
    ret
}
