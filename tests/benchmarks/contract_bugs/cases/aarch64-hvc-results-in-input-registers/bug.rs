// an SMCCC hypervisor call returns results in x0-x3, but x1-x3 are passed as in operands
// Buggy form, restated minimally; source: https://github.com/kaist-cp/rv6/issues/605
#[no_mangle]
pub unsafe extern "C" fn smc_call(x0: u64, x1: u64, x2: u64, x3: u64) -> u64 {
    let r: u64;
    asm!(
        "hvc #0", // <- contract bug
        inlateout("x0") x0 => r,
        in("x1") x1,
        in("x2") x2,
        in("x3") x3,
    );
    r
}
