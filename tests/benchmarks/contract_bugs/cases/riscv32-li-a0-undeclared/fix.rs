// the syscall number is loaded into a0, which the block neither declares nor takes its result from
// Fixed form, restated minimally; source: https://github.com/rust-lang/rust/issues/65290
#[no_mangle]
pub unsafe extern "C" fn allow(major: usize, minor: usize) -> usize {
    let res: usize;
    asm!(
        "ecall",
        inlateout("a0") 3usize => res,
        in("a1") major,
        in("a2") minor,
    );
    res
}
