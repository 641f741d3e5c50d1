// an overflow-checked multiply-add sets the carry with adds, in a block that declares the flags unchanged
// Buggy form, restated minimally; source: https://github.com/php/php-src/pull/21051
#[no_mangle]
pub unsafe extern "C" fn safe_address(nmemb: u64, size: u64, offset: u64, overflow: *mut u64) -> u64 {
    let res: u64;
    let high: u64;
    asm!(
        "mul {res}, {n}, {s}",
        "umulh {hi}, {n}, {s}",
        "adds {res}, {res}, {o}", // <- contract bug
        "adc {hi}, {hi}, xzr",
        res = out(reg) res,
        hi = out(reg) high,
        n = in(reg) nmemb,
        s = in(reg) size,
        o = in(reg) offset,
        options(pure, nomem, nostack, preserves_flags)
    );
    *overflow = high;
    res
}
