// x9 is used to move fpcr/fpsr to memory without being declared
// Fixed form, restated minimally; source: https://github.com/redox-os/kernel/commit/fda343e1dbe89438dbb7c41e9d5ea9546d445dd9; `out`, not the published `lateout`, see the manifest note
#[no_mangle]
pub unsafe extern "C" fn save_fp_control(regs: *mut u32) {
    asm!(
        "mrs x9, fpcr",
        "str w9, [{p}]",
        "mrs x9, fpsr",
        "str w9, [{p}, #4]",
        p = in(reg) regs,
        out("x9") _,   // the published fix wrote lateout, which may share x9 with {p}
        options(nostack, preserves_flags)
    );
}
