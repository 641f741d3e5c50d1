// bx is used as a scratch register to load ss without being declared
// Buggy form, restated minimally; source: https://github.com/rust-osdev/bootloader/commit/cc911c348db53168bedb5f6958a98f7b6361d348
#[no_mangle]
pub unsafe extern "C" fn zero_stack_segment() {
    asm!(
        "mov bx, 0", // <- contract bug
        "mov ss, bx",
        options(nostack)
    );
}
