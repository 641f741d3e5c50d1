// x9 is used to move fpcr/fpsr to memory without being declared
// Buggy form, restated minimally; source: https://github.com/redox-os/kernel/commit/fda343e1dbe89438dbb7c41e9d5ea9546d445dd9
#[no_mangle]
pub unsafe extern "C" fn save_fp_control(regs: *mut u32) {
    asm!(
        "mrs x9, fpcr", // <- contract bug
        "str w9, [{p}]",
        "mrs x9, fpsr", // <- contract bug
        "str w9, [{p}, #4]",
        p = in(reg) regs,
        options(nostack, preserves_flags)
    );
}
