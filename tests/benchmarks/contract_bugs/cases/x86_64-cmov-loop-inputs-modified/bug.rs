// a conditional-copy loop negates its condition and counts down its length in registers passed as in operands
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust/issues/89383
#[no_mangle]
pub unsafe extern "C" fn cmov_words(cnd: u64, src: *const u64, dst: *mut u64, count: usize) {
    asm!(
        "neg {0}", // <- contract bug
        "2:",
        "mov {0}, qword ptr [{3} + 8*{1} - 8]", // <- contract bug
        "cmovc {0}, qword ptr [{2} + 8*{1} - 8]",
        "mov qword ptr [{3} + 8*{1} - 8], {0}",
        "dec {1}", // <- contract bug
        "jnz 2b",
        in(reg) cnd,
        in(reg) count,
        in(reg) src,
        in(reg) dst,
        options(nostack),
    );
}
