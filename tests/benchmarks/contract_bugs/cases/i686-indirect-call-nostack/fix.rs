// a call through the vsyscall pointer pushes a return address, in a block marked nostack
// Fixed form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/a289605abbd73093d794d5b7434753ac03c52910
#[no_mangle]
pub unsafe extern "C" fn indirect_syscall1(callee: usize, nr: u32, a0: u32) -> u32 {
    let ret: u32;
    asm!(
        "call {callee}",
        callee = in(reg) callee,
        inlateout("eax") nr => ret,
        in("ebx") a0,
    );
    ret
}
