// the PSCI function id is built in w0, and the SMC results land in x0-x3, none of them declared
// Fixed form, restated minimally; source: https://github.com/p14c31355/fullerene/pull/348
#[no_mangle]
pub unsafe extern "C" fn psci_system_reset() {
    asm!(
        "mov w0, #9",
        "movk w0, #0x8400, lsl #16",
        "smc #0",
        out("x0") _, out("x1") _, out("x2") _, out("x3") _,
        options(nostack)
    );
}
