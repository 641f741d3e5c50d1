// a user-space syscall wrapper that does not declare rcx and r11, which the syscall instruction overwrites
// Fixed form, restated minimally; source: https://github.com/oscourse-tsinghua/rcore_plus/issues/31
#[no_mangle]
pub unsafe extern "C" fn sys_call(id: usize, a0: usize, a1: usize, a2: usize) -> isize {
    let ret: isize;
    asm!(
        "syscall",
        inlateout("rax") id => ret,
        in("rdi") a0,
        in("rsi") a1,
        in("rdx") a2,
        out("rcx") _,
        out("r11") _,
    );
    ret
}
