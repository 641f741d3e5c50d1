// an SMC wrapper loads its arguments from, and stores its results into, a struct, but declares no memory access
// Buggy form, restated minimally; source: https://github.com/seL4/seL4_tools/pull/260
#[no_mangle]
pub unsafe extern "C" fn send_smc(func: u64, regs: *mut u64) -> u64 {
    let mut ret: u64 = func;
    asm!(
        "mov x0, {ret}",
        "ldp x1, x2, [{regs}, #0]", // <- contract bug
        "ldp x3, x4, [{regs}, #16]", // <- contract bug
        "ldp x5, x6, [{regs}, #32]", // <- contract bug
        "isb",
        "smc #0",
        "mov {ret}, x0",
        "stp x0, x1, [{regs}, #0]", // <- contract bug
        "stp x2, x3, [{regs}, #16]", // <- contract bug
        ret = inout(reg) ret,
        regs = in(reg) regs,
        out("x0") _, out("x1") _, out("x2") _, out("x3") _, out("x4") _, out("x5") _,
        out("x6") _, out("x7") _, out("x8") _, out("x9") _, out("x10") _, out("x11") _,
        out("x12") _, out("x13") _, out("x14") _, out("x15") _, out("x16") _, out("x17") _,
        options(nomem, nostack)
    );
    ret
}
