// a busy-wait loop counts in r0, whose clobber was not declared in a form the compiler honours
// Fixed form, restated minimally; source: https://github.com/tock/tock/commit/ab9b3cf34c8fcb864d467e4b7e4970807b353c68
#[no_mangle]
pub unsafe extern "C" fn wait_a_little() {
    asm!(
        "movs r0, #40",
        "1:",
        "subs r0, #1",
        "bne 1b",
        out("r0") _,
    );
}
