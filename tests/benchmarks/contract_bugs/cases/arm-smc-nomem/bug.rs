// a secure monitor call (aarch32), which may access memory, in a nomem block
// Buggy form, restated minimally; source: https://github.com/google/smccc/commit/c17bc014826759f23d0ecb15ea064ea0168e5f56
#[no_mangle]
pub unsafe extern "C" fn secure_call(function: u32, a: u32, b: u32, c: u32) -> u32 {
    let r0: u32;
    asm!(
        ".inst 0xe1600070", // <- contract bug (smc #0)
        inout("r0") function => r0,
        inout("r1") a => _,
        inout("r2") b => _,
        inout("r3") c => _,
        options(nomem, nostack)
    );
    r0
}
