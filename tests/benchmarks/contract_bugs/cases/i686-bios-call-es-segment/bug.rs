// es is loaded for a BIOS call and never restored; the compiler's string operations rely on it
// Buggy form, restated minimally; source: https://github.com/rust-osdev/bootloader/commit/6eb0abbb7e5b4b6088fb49452c7dc976183a946a
#[no_mangle]
pub unsafe extern "C" fn vbe_info(buffer: *mut u8) -> u16 {
    let ret: u16;
    asm!(
        "mov es, {0:x}", // <- contract bug
        "int 0x10",
        in(reg) 0u32,
        inout("ax") 0x4f00u16 => ret,
        in("di") buffer as u16,
    );
    ret
}
