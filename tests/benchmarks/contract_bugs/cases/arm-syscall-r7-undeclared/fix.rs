// the syscall number is moved into r7, which the block does not declare
// Fixed form, restated minimally; source: https://github.com/XuShaohua/nc/issues/48
#[no_mangle]
pub unsafe extern "C" fn syscall1(n: u32, a1: u32) -> u32 {
    let ret: u32;
    asm!(
        "svc 0",
        in("r7") n,
        inlateout("r0") a1 => ret,
    );
    ret
}
