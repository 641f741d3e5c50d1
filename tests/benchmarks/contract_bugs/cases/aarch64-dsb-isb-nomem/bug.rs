// a dsb/isb barrier marked nomem, so the compiler may move memory accesses across it
// Buggy form, restated minimally; source: https://github.com/hermit-os/kernel/commit/2f6476180e38fbdd1f67dade947639d9c9588dce
#[no_mangle]
pub unsafe extern "C" fn full_barrier() {
    asm!(
        "dsb nsh", // <- contract bug
        "isb", // <- contract bug
        options(nostack, nomem, preserves_flags)
    );
}
