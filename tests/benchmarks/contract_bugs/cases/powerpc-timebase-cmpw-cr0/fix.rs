// a time-base read loop compares into cr0, which the block does not declare
// Fixed form, restated minimally; source: https://github.com/axboe/fio/pull/441
#[no_mangle]
pub unsafe extern "C" fn cpu_clock(hi: *mut u32) -> u32 {
    let upper: u32;
    let lower: u32;
    asm!(
        "2:",
        "mftbu {u}",
        "mftb {l}",
        "mftbu {t}",
        "cmpw {t}, {u}",
        "bne 2b",
        u = out(reg) upper,
        l = out(reg) lower,
        t = out(reg) _,
        out("cr0") _,
        options(nomem, nostack)
    );
    *hi = upper;
    lower
}
