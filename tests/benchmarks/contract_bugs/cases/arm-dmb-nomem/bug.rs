// a dmb barrier marked nomem (cortex-m issue #502)
// Buggy form, restated minimally; source: https://github.com/rust-embedded/cortex-m/commit/304f223a400e050aa97aa5123dd070d4cb79189a
#[no_mangle]
pub unsafe extern "C" fn memory_barrier() {
    asm!(
        "dmb", // <- contract bug
        options(nomem, nostack, preserves_flags)
    );
}
