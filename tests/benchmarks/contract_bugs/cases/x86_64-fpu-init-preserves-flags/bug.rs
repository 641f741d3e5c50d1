// FPU/SSE set-up (or on CR4, fninit) in a block marked preserves_flags
// Buggy form, restated minimally; source: https://github.com/OpenDevicePartnership/patina/issues/1601
#[no_mangle]
pub unsafe extern "C" fn init_fpu() {
    asm!(
        "mov {t}, cr4",
        "or {t}, 0x600", // <- contract bug
        "mov cr4, {t}",
        "fninit", // <- contract bug
        t = out(reg) _,
        options(nostack, preserves_flags)
    );
}
