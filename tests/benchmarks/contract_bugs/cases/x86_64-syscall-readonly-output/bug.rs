// pipe2 makes the kernel write through a pointer operand in a readonly block
// Buggy form, restated minimally; source: https://github.com/paritytech/polkavm/commit/19cd8025c3f4510b8952b9aeab89baa524460d52
#[no_mangle]
pub unsafe extern "C" fn make_pipe(fds: *mut i32) -> isize {
    let ret: isize;
    asm!(
        "syscall", // <- contract bug
        inlateout("rax") 293isize => ret,
        in("rdi") fds,
        in("rsi") 0usize,
        lateout("rcx") _,
        lateout("r11") _,
        options(nostack, readonly)
    );
    ret
}
