// a delay loop's subs sets NZCV in a block that declares the flags untouched
// Buggy form, restated minimally; source: https://github.com/rust-embedded/cortex-m/issues/195
#[no_mangle]
pub unsafe extern "C" fn spin_keep_flags(cycles: u32) {
    asm!(
        "1:",
        "subs {}, #1", // <- contract bug
        "bne 1b",
        inout(reg) cycles => _,
        options(nomem, nostack, preserves_flags)
    );
}
