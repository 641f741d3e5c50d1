// CRC folding constants are moved into v0 and v1, which the block does not declare
// Fixed form, restated minimally; source: https://github.com/ceph/ceph/pull/41393
#[no_mangle]
pub unsafe extern "C" fn load_crc_constants() {
    asm!(
        "mov x16, #0xf38a",
        "movk x16, #0xe417, lsl #16",
        "mov v1.d[0], x16",
        "mov x16, #0x8014",
        "movk x16, #0x8f15, lsl #16",
        "mov v0.d[0], x16",
        out("x16") _,
        out("v0") _,
        out("v1") _,
        options(nomem, nostack, preserves_flags)
    );
}
