// popfq loads new flags in a block that promises to preserve them (since 92920d5; unfixed upstream, the fix is ours)
// Buggy form, restated minimally; source: https://github.com/rust-osdev/x86_64/blob/2c86471e77ec379874ece167ae2014759665b8a6/src/registers/rflags.rs
#[no_mangle]
pub unsafe extern "C" fn set_rflags(value: u64) {
    asm!(
        "push {v}",
        "popfq", // <- contract bug
        v = in(reg) value,
        options(nomem, preserves_flags)
    );
}
