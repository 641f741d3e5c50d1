// a call to __kernel_vsyscall, which does not preserve the flags, in a block marked preserves_flags
// Fixed form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/9e361c2fbdb2b7e60e8631ade68f70cdc6e814c9
#[no_mangle]
pub unsafe extern "C" fn vsyscall0(callee: usize, nr: u32) -> u32 {
    let ret: u32;
    asm!(
        "call {callee}",
        callee = in(reg) callee,
        inlateout("eax") nr => ret,
    );
    ret
}
