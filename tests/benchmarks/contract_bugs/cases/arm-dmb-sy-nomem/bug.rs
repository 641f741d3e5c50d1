// a full-system dmb marked nomem in a memory-barrier crate
// Buggy form, restated minimally; source: https://github.com/oxidecomputer/hubris/commit/0e7c96dc6b3eac785330aff53425446a2ebe146c
#[no_mangle]
pub unsafe extern "C" fn system_barrier() {
    asm!(
        "dmb sy", // <- contract bug
        options(nomem, nostack)
    );
}
