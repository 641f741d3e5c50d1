// the syscall number is moved into x8 inside the block, which declares no x8
// Fixed form, restated minimally; source: https://github.com/gperftools/gperftools/pull/1244
#[no_mangle]
pub unsafe extern "C" fn syscall1(nr: u64, a0: u64) -> u64 {
    let ret: u64;
    asm!(
        "mov x8, {nr}",
        "svc 0",
        nr = in(reg) nr,
        inlateout("x0") a0 => ret,
        out("x8") _,
        options(nostack)
    );
    ret
}
