// interrupts enabled by editing the CPSR in r0, which the block does not declare, in a block that claims no memory effect
// Buggy form, restated minimally; source: https://github.com/jameswalmsley/RaspberryPi-FreeRTOS/pull/7
#[no_mangle]
pub unsafe extern "C" fn irq_enable() {
    asm!(
        "mrs r0, cpsr", // <- contract bug
        "bic r0, r0, #0x80", // <- contract bug
        "msr cpsr_c, r0",
        options(nomem, nostack)
    );
}
