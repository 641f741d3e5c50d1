// the character is copied into a0 for a hint instruction, without declaring a0
// Fixed form, restated minimally; source: https://github.com/sifive/freedom-metal/pull/419
#[no_mangle]
pub unsafe extern "C" fn nop_putc(c: u32) -> u32 {
    asm!(
        "mv a0, {0}",
        "slli x0, a0, 0x11",
        in(reg) c,
        out("a0") _,
    );
    0xffff_ffff
}
