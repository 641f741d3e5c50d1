// a delay loop counts down the register of an in operand
// Fixed form, restated minimally; source: https://github.com/rust-embedded/cortex-m/commit/8b6c269f3b8d4133ef7c6d41496e88621d02c9e4
#[no_mangle]
pub unsafe extern "C" fn spin(cycles: u32) {
    asm!(
        "1:",
        "subs {}, #1",
        "bne 1b",
        inout(reg) cycles => _
    );
}
