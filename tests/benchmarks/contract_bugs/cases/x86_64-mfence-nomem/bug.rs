// a store-load fence (mfence) marked nomem, so the compiler may move memory accesses across it
// Buggy form, restated minimally; source: https://github.com/oxidecomputer/hubris/commit/0e7c96dc6b3eac785330aff53425446a2ebe146c
#[no_mangle]
pub unsafe extern "C" fn store_load_fence() {
    asm!(
        "mfence", // <- contract bug
        options(nomem, nostack)
    );
}
