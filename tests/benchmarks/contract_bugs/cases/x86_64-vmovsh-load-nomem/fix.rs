// a masked half-precision load from a pointer in a nomem block
// Fixed form, restated minimally; source: https://github.com/rust-lang/stdarch/commit/74d3956def59a2001499a1537137c51c347bc4d5
#[no_mangle]
#[target_feature(enable = "avx512fp16,avx512vl")]
pub unsafe extern "C" fn masked_load(k: u8, p: *const u16) {
    asm!(
        "vmovsh {d}{{{k}}}{{z}}, word ptr [{p}]",
        d = out(xmm_reg) _,
        k = in(kreg) k,
        p = in(reg) p,
        options(readonly, nostack, preserves_flags)
    );
}
