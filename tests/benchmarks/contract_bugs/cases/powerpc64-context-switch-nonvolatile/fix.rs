// a stack switch into another coroutine, which does not keep the caller's non-volatile FP, vector and CR fields
// Fixed form, restated minimally; source: https://github.com/Amanieu/corosensei/commit/aa709b878391c24966ad8af44224ef33bbbf99e4
#[no_mangle]
pub unsafe extern "C" fn switch_and_link(arg: u64, sp: u64, stack_base: u64) -> u64 {
    let ret: u64;
    asm!(
        "std 2, 24(1)",
        "ld 0, 16(5)",
        "mtctr 0",
        "bctrl",
        "ld 2, 24(1)",
        inlateout("r3") arg => ret,
        inlateout("r4") stack_base => _,
        in("r5") sp,
        lateout("r14") _, lateout("r15") _, lateout("r16") _, lateout("r17") _,
        lateout("r18") _, lateout("r19") _, lateout("r20") _, lateout("r21") _,
        lateout("r22") _, lateout("r23") _, lateout("r24") _, lateout("r25") _,
        lateout("r26") _, lateout("r27") _, lateout("r28") _, lateout("r29") _,
        lateout("f14") _, lateout("f15") _, lateout("f16") _, lateout("f17") _,
        lateout("f18") _, lateout("f19") _, lateout("f20") _, lateout("f21") _,
        lateout("f22") _, lateout("f23") _, lateout("f24") _, lateout("f25") _,
        lateout("f26") _, lateout("f27") _, lateout("f28") _, lateout("f29") _,
        lateout("f30") _, lateout("f31") _,
        lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
        lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
        lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
        lateout("cr2") _, lateout("cr3") _, lateout("cr4") _,
        clobber_abi("C"),
    );
    ret
}
