// addc and addze change the carry in XER, which the block does not declare
// Fixed form, restated minimally; source: https://github.com/php/php-src/pull/21051
#[no_mangle]
pub unsafe extern "C" fn safe_address(nmemb: u64, size: u64, offset: u64, overflow: *mut u64) -> u64 {
    let res: u64;
    let high: u64;
    asm!(
        "mulld {res}, {n}, {s}",
        "mulhdu {hi}, {n}, {s}",
        "addc {res}, {res}, {o}",
        "addze {hi}, {hi}",
        res = out(reg) res,
        hi = out(reg) high,
        n = in(reg) nmemb,
        s = in(reg) size,
        o = in(reg) offset,
        out("xer") _,
        options(pure, nomem, nostack)
    );
    *overflow = high;
    res
}
