// a hypervisor call, which may read and write memory the arguments point to, in a nomem block
// Fixed form, restated minimally; source: https://github.com/google/smccc/commit/c17bc014826759f23d0ecb15ea064ea0168e5f56
#[no_mangle]
pub unsafe extern "C" fn hypervisor_call(function: u64, a: u64, b: u64, c: u64) -> u64 {
    let r0: u64;
    asm!(
        "hvc #0",
        inout("x0") function => r0,
        inout("x1") a => _,
        inout("x2") b => _,
        inout("x3") c => _,
        options(nostack)
    );
    r0
}
