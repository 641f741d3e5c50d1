// writing the whole CPSR replaces the condition flags, in a block that declares them unchanged
// Buggy form, restated minimally; source: https://github.com/ARM-software/CMSIS_5/pull/507
#[no_mangle]
pub unsafe extern "C" fn set_cpsr(cpsr: u32) {
    asm!(
        "msr cpsr, {0}", // <- contract bug
        in(reg) cpsr,
        options(nomem, nostack, preserves_flags)
    );
}
