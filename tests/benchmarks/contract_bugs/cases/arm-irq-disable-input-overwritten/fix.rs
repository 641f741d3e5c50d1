// the CPSR is read into, and modified in, the register of an in operand
// Fixed form, restated minimally; source: https://github.com/rust-embedded/aarch32/pull/125
#[no_mangle]
pub unsafe extern "C" fn irq_disable() {
    asm!(
        "mrs {0}, cpsr",
        "orr {0}, #0x80",
        "msr cpsr, {0}",
        inout(reg) 0u32 => _,
    );
}
