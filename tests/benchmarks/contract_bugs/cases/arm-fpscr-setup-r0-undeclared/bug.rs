// the FPSCR value is built in r0 inside the block, which declares no r0
// Buggy form, restated minimally; source: https://github.com/apache/nuttx/pull/17684
#[no_mangle]
pub unsafe extern "C" fn reset_fpscr() {
    asm!(
        "mov r0, #0x40000", // <- contract bug
        "vmsr fpscr, r0",
        options(nomem, nostack)
    );
}
