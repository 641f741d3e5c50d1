// the block addresses through x0, assuming it still holds the function's argument, and advances it undeclared
// Buggy form, restated minimally; source: https://github.com/redox-os/kernel/commit/f5f877ca22358192e944f025f33a98c677a71b89
#[no_mangle]
#[target_feature(enable = "neon")]
pub unsafe extern "C" fn save_fp(_regs: *mut u64) {
    asm!(
        "stp q0, q1, [x0]", // <- contract bug
        "add x0, x0, #512", // <- contract bug
        "mrs x9, fpcr",
        "str w9, [x0]",
        lateout("x9") _,
    );
}
