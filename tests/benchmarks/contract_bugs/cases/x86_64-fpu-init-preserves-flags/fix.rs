// FPU/SSE set-up (or on CR4, fninit) in a block marked preserves_flags
// Fixed form, restated minimally; source: https://github.com/OpenDevicePartnership/patina/issues/1601
#[no_mangle]
pub unsafe extern "C" fn init_fpu() {
    asm!(
        "mov {t}, cr4",
        "or {t}, 0x600",
        "mov cr4, {t}",
        "fninit",
        t = out(reg) _,
        options(nostack)
    );
}
