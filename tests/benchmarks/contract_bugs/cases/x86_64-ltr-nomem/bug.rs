// ltr marks the TSS descriptor busy in the GDT (a memory write) in a nomem block
// Buggy form, restated minimally; source: https://github.com/rust-osdev/x86_64/commit/338d3d40958c20de0818444c4fd92cd0270436c7
#[no_mangle]
pub unsafe extern "C" fn load_task_register(selector: u16) {
    asm!(
        "ltr {0:x}", // <- contract bug
        in(reg) selector,
        options(nomem, nostack, preserves_flags)
    );
}
