// invlpgb changes what memory addresses mean in a nomem block
// Buggy form, restated minimally; source: https://github.com/rust-osdev/x86_64/commit/c23357fdb2d0f718c54ffcc103a29f3ce971b804
#[no_mangle]
pub unsafe extern "C" fn broadcast_flush(rax: u64, ecx: u32, edx: u32) {
    asm!(
        "invlpgb", // <- contract bug
        in("rax") rax,
        in("ecx") ecx,
        in("edx") edx,
        options(nomem, preserves_flags)
    );
}
