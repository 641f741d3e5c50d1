// the semihosting sequence reads a0/a1 (and writes a0) assuming the C calling convention instead of operands
// Fixed form, restated minimally; source: https://github.com/tock/tock/commit/ef72d47d6dc28f04e12cf0188d768976c0afd082
#[no_mangle]
pub unsafe extern "C" fn semihost(command: usize, arg: usize) -> usize {
    let res: usize;
    asm!(
        ".option push",
        ".option norvc",
        "slli zero, zero, 0x1f",
        "ebreak",
        "srai zero, zero, 0x7",
        ".option pop",
        inlateout("a0") command => res,
        in("a1") arg,
    );
    res
}
