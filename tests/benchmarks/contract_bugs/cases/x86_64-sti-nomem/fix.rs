// sti under nomem: the compiler may move memory accesses across the end of a critical section
// Fixed form, restated minimally; source: https://github.com/rust-osdev/x86_64/commit/bb1bdd40aa1600058250b7edea103e8fea8976a4
#[no_mangle]
pub unsafe extern "C" fn enable_interrupts() {
    asm!(
        "sti",
        options(nostack)
    );
}
