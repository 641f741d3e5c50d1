// readlinkat fills the caller's buffer, through a syscall block marked readonly
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/1d0827a0b3960cfad6bea6d7a9996c9c3ae2e5f8
#[no_mangle]
pub unsafe extern "C" fn readlinkat(dirfd: isize, path: *const u8, buf: *mut u8, len: usize) -> isize {
    let ret: isize;
    asm!(
        "ecall", // <- contract bug
        in("a7") 78usize,
        inlateout("a0") dirfd => ret,
        in("a1") path,
        in("a2") buf,
        in("a3") len,
        lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
        lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
        lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
        lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
        lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
        lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
        lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
        lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
        options(nostack, readonly)
    );
    ret
}
