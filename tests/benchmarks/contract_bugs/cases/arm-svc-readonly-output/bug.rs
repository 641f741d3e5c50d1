// fcntl(F_GETLK) makes the kernel fill the lock struct, in a readonly block
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/d1faf5dd657eb873071dcd3c13fa5015cd71bd8f
#[no_mangle]
pub unsafe extern "C" fn get_lock(fd: u32, lock: *mut u32) -> u32 {
    let ret: u32;
    asm!(
        "svc 0", // <- contract bug
        in("r7") 221u32,
        inlateout("r0") fd => ret,
        in("r1") 12u32,
        in("r2") lock,
        options(nostack, preserves_flags, readonly)
    );
    ret
}
