// an SMCCC hypervisor call returns results in x0-x3, but x1-x3 are passed as in operands
// Fixed form, restated minimally; source: https://github.com/kaist-cp/rv6/issues/605
#[no_mangle]
pub unsafe extern "C" fn smc_call(x0: u64, x1: u64, x2: u64, x3: u64) -> u64 {
    let r: u64;
    asm!(
        "hvc #0",
        inlateout("x0") x0 => r,
        inlateout("x1") x1 => _,
        inlateout("x2") x2 => _,
        inlateout("x3") x3 => _,
    );
    r
}
