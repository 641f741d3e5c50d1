// a system call given a pointer, in a block that says it touches no memory
// Fixed form, restated minimally; source: https://github.com/apache/nuttx/pull/3283
#[no_mangle]
pub unsafe extern "C" fn sys_call1(nbr: usize, parm1: *mut u8) -> usize {
    let ret: usize;
    asm!(
        "ecall",
        inlateout("a0") nbr => ret,
        in("a1") parm1,
        options(nostack)
    );
    ret
}
