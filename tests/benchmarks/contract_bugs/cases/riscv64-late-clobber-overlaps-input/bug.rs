// a0/a1 are late clobbers, so an input may sit in a0 and be overwritten before it is read
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust/issues/60392
#[no_mangle]
pub unsafe extern "C" fn load_args(x: u64, y: u64) {
    asm!(
        "mv a0, {0}", // <- contract bug
        "mv a1, {1}",
        "ecall",
        in(reg) x,
        in(reg) y,
        lateout("a0") _,
        lateout("a1") _,
    );
}
