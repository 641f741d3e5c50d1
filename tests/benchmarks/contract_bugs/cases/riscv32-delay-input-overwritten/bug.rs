// a delay loop counts down the register of an in operand
// Buggy form, restated minimally; source: https://github.com/rust-embedded/riscv/commit/cdd70bb4342550142221551e63e5d21472faa8f9
#[no_mangle]
pub unsafe extern "C" fn spin(cycles: u32) {
    asm!(
        "1:",
        "addi {0}, {0}, -1", // <- contract bug
        "bne {0}, zero, 1b",
        in(reg) cycles
    );
}
