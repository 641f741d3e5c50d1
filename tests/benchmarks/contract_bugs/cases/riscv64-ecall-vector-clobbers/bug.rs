// Linux syscalls do not preserve the vector registers (nor vector state under preserves_flags)
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/6b59d352e5f6d5ea9cdc48dfbffcf4d3e7a936da
#[no_mangle]
pub unsafe extern "C" fn syscall1(nr: usize, a0: usize) -> usize {
    let r0: usize;
    asm!(
        "ecall", // <- contract bug
        in("a7") nr,
        inlateout("a0") a0 => r0,
        options(nostack, preserves_flags)
    );
    r0
}
