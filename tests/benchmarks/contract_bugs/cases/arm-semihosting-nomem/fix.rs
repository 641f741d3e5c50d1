// a semihosting call, where the debugger reads the argument block r1 points to, in a nomem block
// Fixed form, restated minimally; source: https://github.com/rust-embedded/cortex-m/commit/3e8a5beec5f96a3c219b840dc26df34f76e4ab1e
#[no_mangle]
pub unsafe extern "C" fn semihost(op: u32, args: *const u32) -> u32 {
    let ret: u32;
    asm!(
        "bkpt #0xab",
        inout("r0") op => ret,
        in("r1") args,
        options(nostack, preserves_flags)
    );
    ret
}
