// set_thread_area writes the chosen entry number back into its argument, in a readonly block
// Buggy form, restated minimally; source: https://github.com/bytecodealliance/rustix/commit/9d64bdce6bc8613b90681632e2597d75284f4f84
#[no_mangle]
pub unsafe extern "C" fn set_thread_area(u_info: *mut u32) -> u32 {
    let ret: u32;
    asm!(
        "int 0x80", // <- contract bug
        inlateout("eax") 243u32 => ret,
        in("ebx") u_info,
        options(nostack, preserves_flags, readonly)
    );
    ret
}
