// the Linux syscall may change ctr and xer, which the block does not declare
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/55bdeda187992d7db56a1285bd09034a8d060bc9
#[no_mangle]
pub unsafe extern "C" fn syscall1(nr: u32, a0: u32) -> u32 {
    let r0: u32;
    asm!(
        "sc", // <- contract bug
        "bns 0f",
        "neg 3, 3",
        "0:",
        inlateout("r0") nr => _,
        inlateout("r3") a0 => r0,
        lateout("r4") _, lateout("r5") _, lateout("r6") _, lateout("r7") _,
        lateout("r8") _, lateout("r9") _, lateout("r10") _, lateout("r11") _,
        lateout("r12") _, lateout("cr0") _,
        options(nostack, preserves_flags)
    );
    r0
}
