// a call to the __kuser_cmpxchg64 helper, which pushes registers, in a block marked nostack
// Fixed form, restated minimally; source: https://github.com/taiki-e/atomic-maybe-uninit/commit/075494c1d7c6ab6db6c12c2adc149a1e16b9c5ae
#[no_mangle]
pub unsafe extern "C" fn swap64(dst: *mut u64, val: *const u64, out: *mut u64) {
    asm!(
        "2:",
        "ldr r0, [r2]",
        "ldr r1, [r2, #4]",
        "str r0, [{out}]",
        "str r1, [{out}, #4]",
        "mov r0, {out}",
        "mov r1, {val}",
        "blx {helper}",
        "bcc 2b",
        out = in(reg) out,
        val = in(reg) val,
        helper = in(reg) 0xffff0f60u32,
        out("r0") _,
        out("r1") _,
        in("r2") dst,
        out("r3") _,
        out("lr") _,
    );
}
