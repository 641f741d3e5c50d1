// a conditional-copy loop negates its condition and counts down its length in registers passed as in operands
// Fixed form, restated minimally; source: https://github.com/rust-lang/rust/issues/89383
#[no_mangle]
pub unsafe extern "C" fn cmov_words(cnd: u64, src: *const u64, dst: *mut u64, count: usize) {
    asm!(
        "neg {0}",
        "2:",
        "mov {0}, qword ptr [{3} + 8*{1} - 8]",
        "cmovc {0}, qword ptr [{2} + 8*{1} - 8]",
        "mov qword ptr [{3} + 8*{1} - 8], {0}",
        "dec {1}",
        "jnz 2b",
        inout(reg) cnd => _,
        inout(reg) count => _,
        in(reg) src,
        in(reg) dst,
        options(nostack),
    );
}
