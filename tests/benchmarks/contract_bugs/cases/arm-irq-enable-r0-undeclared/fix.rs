// interrupts enabled by editing the CPSR in r0, which the block does not declare, in a block that claims no memory effect
// Fixed form, restated minimally; source: https://github.com/jameswalmsley/RaspberryPi-FreeRTOS/pull/7
#[no_mangle]
pub unsafe extern "C" fn irq_enable() {
    asm!(
        "cpsie i",
        options(nostack)
    );
}
