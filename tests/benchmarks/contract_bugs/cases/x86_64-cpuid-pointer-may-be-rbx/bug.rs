// cpuid overwrites rbx, and the reg-class pointer operand may be allocated rbx
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust-by-example/issues/1540
#[no_mangle]
pub unsafe extern "C" fn vendor(buf: *mut u32) {
    asm!(
        "push rbx",
        "cpuid", // <- contract bug
        "mov [{p}], ebx",
        "mov [{p} + 4], edx",
        "mov [{p} + 8], ecx",
        "pop rbx",
        p = in(reg) buf,
        inout("eax") 0u32 => _,
        out("ecx") _,
        out("edx") _,
    );
}
