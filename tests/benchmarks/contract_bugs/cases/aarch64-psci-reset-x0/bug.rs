// the PSCI function id is built in w0, and the SMC results land in x0-x3, none of them declared
// Buggy form, restated minimally; source: https://github.com/p14c31355/fullerene/pull/348
#[no_mangle]
pub unsafe extern "C" fn psci_system_reset() {
    asm!(
        "mov w0, #9", // <- contract bug
        "movk w0, #0x8400, lsl #16", // <- contract bug
        "smc #0", // <- contract bug
        options(nostack)
    );
}
