// xadd on a CPU-local counter sets the arithmetic flags in a block marked preserves_flags
// Fixed form, restated minimally; source: https://github.com/theseus-os/Theseus/commit/3a382a0954458cbc0462977d966556d31c6e7d52
#[no_mangle]
pub unsafe extern "C" fn local_fetch_add(v: u64) -> u64 {
    let mut v = v;
    asm!(
        "xadd qword ptr gs:[0x10], {v}",
        v = inout(reg) v,
        options(nostack)
    );
    v
}
