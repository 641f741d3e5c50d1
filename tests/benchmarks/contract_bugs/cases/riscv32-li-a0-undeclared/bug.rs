// the syscall number is loaded into a0, which the block neither declares nor takes its result from
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust/issues/65290
#[no_mangle]
pub unsafe extern "C" fn allow(major: usize, minor: usize) {
    asm!(
        "li a0, 3", // <- contract bug
        "ecall",
        in("a1") major,
        in("a2") minor,
    );
}
