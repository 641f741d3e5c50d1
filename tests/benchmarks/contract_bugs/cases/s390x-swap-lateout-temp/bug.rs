// a late temporary is loaded first, while the dst and out inputs are still to be read
// Buggy form, restated minimally; source: https://github.com/taiki-e/atomic-maybe-uninit/commit/7583138073e76e013476436f5f46b8cad75762c6
#[no_mangle]
pub unsafe extern "C" fn swap32(dst: *mut u32, val: *const u32, out: *mut u32) {
    asm!(
        "l {t}, 0({val})", // <- contract bug
        "l %r0, 0({dst})",
        "2:",
        "cs %r0, {t}, 0({dst})",
        "jl 2b",
        "st %r0, 0({out})",
        dst = in(reg) dst,
        val = in(reg) val,
        t = lateout(reg) _,
        out = in(reg) out,
        out("r0") _,
        options(nostack)
    );
}
