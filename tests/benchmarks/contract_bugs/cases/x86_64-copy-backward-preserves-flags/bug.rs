// a backward copy adjusts its pointers with sub/add in a block marked preserves_flags
// Buggy form, restated minimally; source: https://github.com/rust-lang/compiler-builtins/commit/8ab6f086310acb696d1d7146744cd4ab2367d018
#[no_mangle]
pub unsafe extern "C" fn copy_down(dst: *mut u8, src: *const u8, words: usize, tail: usize) {
    asm!(
        "std",
        "rep movsb",
        "sub rsi, 7", // <- contract bug
        "sub rdi, 7", // <- contract bug
        "mov rcx, {words}",
        "rep movsq",
        "cld",
        words = in(reg) words,
        inout("rcx") tail => _,
        inout("rdi") dst => _,
        inout("rsi") src => _,
        options(nostack, preserves_flags)
    );
}
