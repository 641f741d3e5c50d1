// the syscall class is loaded into a4 inside the block, which does not declare a4
// Buggy form, restated minimally; source: https://github.com/tock/libtock-c/pull/249
#[no_mangle]
pub unsafe extern "C" fn command(driver: u32, cmd: u32, arg1: u32, arg2: u32) -> u32 {
    let rtype: u32;
    asm!(
        "li a4, 2", // <- contract bug
        "ecall",
        inlateout("a0") driver => rtype,
        inlateout("a1") cmd => _,
        inlateout("a2") arg1 => _,
        inlateout("a3") arg2 => _,
    );
    rtype
}
