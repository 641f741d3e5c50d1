// placeholders swapped: the load writes the address operand's register and reads through the uninitialised output
// Fixed form, restated minimally; source: https://github.com/taiki-e/portable-atomic/commit/86ea620d2d9c3248e4399c256efb1850c72a8615
#[no_mangle]
pub unsafe extern "C" fn load_relaxed(src: *const u32) -> u32 {
    let out: u32;
    asm!(
        "lw {1}, 0({0})",
        in(reg) src,
        lateout(reg) out,
        options(nostack)
    );
    out
}
