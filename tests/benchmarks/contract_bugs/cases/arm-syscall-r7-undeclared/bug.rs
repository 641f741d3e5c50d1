// the syscall number is moved into r7, which the block does not declare
// Buggy form, restated minimally; source: https://github.com/XuShaohua/nc/issues/48
#[no_mangle]
pub unsafe extern "C" fn syscall1(n: u32, a1: u32) -> u32 {
    let ret: u32;
    asm!(
        "mov r7, {n}", // <- contract bug
        "svc 0",
        n = in(reg) n,
        in("r0") a1,
        lateout("r0") ret,
    );
    ret
}
