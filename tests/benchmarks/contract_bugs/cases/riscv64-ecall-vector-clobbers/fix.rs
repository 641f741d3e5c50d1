// Linux syscalls do not preserve the vector registers (nor vector state under preserves_flags)
// Fixed form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/6b59d352e5f6d5ea9cdc48dfbffcf4d3e7a936da
#[no_mangle]
pub unsafe extern "C" fn syscall1(nr: usize, a0: usize) -> usize {
    let r0: usize;
    asm!(
        "ecall",
        in("a7") nr,
        inlateout("a0") a0 => r0,
        lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
        lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
        lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
        lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
        lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
        lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
        lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
        lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
        options(nostack)
    );
    r0
}
