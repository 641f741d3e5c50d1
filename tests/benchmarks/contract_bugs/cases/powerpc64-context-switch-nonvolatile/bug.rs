// a stack switch into another coroutine, which does not keep the caller's non-volatile FP, vector and CR fields
// Buggy form, restated minimally; source: https://github.com/Amanieu/corosensei/commit/aa709b878391c24966ad8af44224ef33bbbf99e4
#[no_mangle]
pub unsafe extern "C" fn switch_and_link(arg: u64, sp: u64, stack_base: u64) -> u64 {
    let ret: u64;
    asm!(
        "std 2, 24(1)",
        "ld 0, 16(5)",
        "mtctr 0",
        "bctrl", // <- contract bug
        "ld 2, 24(1)",
        inlateout("r3") arg => ret,
        inlateout("r4") stack_base => _,
        in("r5") sp,
        lateout("r14") _, lateout("r15") _, lateout("r16") _, lateout("r17") _,
        lateout("r18") _, lateout("r19") _, lateout("r20") _, lateout("r21") _,
        lateout("r22") _, lateout("r23") _, lateout("r24") _, lateout("r25") _,
        lateout("r26") _, lateout("r27") _, lateout("r28") _, lateout("r29") _,
        clobber_abi("C"),
    );
    ret
}
