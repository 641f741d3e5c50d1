// io_uring_register may write through its argument pointer, in a readonly block
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/6dc03663d6414ab1f348a7e083bfc0505902d25c
#[no_mangle]
pub unsafe extern "C" fn ring_register(fd: u64, op: u64, arg: *mut u8, n: u64) -> u64 {
    let ret: u64;
    asm!(
        "svc 0", // <- contract bug
        in("x8") 427u64,
        inlateout("x0") fd => ret,
        in("x1") op,
        in("x2") arg,
        in("x3") n,
        options(nostack, preserves_flags, readonly)
    );
    ret
}
