// a pointer to per-core data is published in tpidr_el1 from a nomem block
// Buggy form, restated minimally; source: https://github.com/hermit-os/kernel/commit/b8a3e98f64ed8101c5e1e764d62b118a56982369
#[no_mangle]
pub unsafe extern "C" fn publish_core_local(this: *const u64) {
    asm!(
        "msr tpidr_el1, {}", // <- contract bug
        in(reg) this,
        options(nomem, nostack, preserves_flags)
    );
}
