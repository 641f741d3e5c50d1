// the address operand may be given r0, which as a base register reads as zero
// Buggy form, restated minimally; source: https://github.com/taiki-e/portable-atomic/commit/a6c6c4bdb7c1b4f9d406ebbdcc54805e5e7eec10
#[no_mangle]
pub unsafe extern "C" fn load_pair(src: *const u64, out_hi: *mut u64, out_lo: *mut u64) {
    let hi: u64;
    let lo: u64;
    asm!(
        "lg {lo}, 8({src})", // <- contract bug
        "lg {hi}, 0({src})", // <- contract bug
        src = in(reg) src,
        hi = out(reg) hi,
        lo = out(reg) lo,
        options(pure, nostack, preserves_flags, readonly)
    );
    *out_hi = hi;
    *out_lo = lo;
}
