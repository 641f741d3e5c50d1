// the saved stack pointer is a late output written before the new stack input is read
// Fixed form, restated minimally; source: https://github.com/hermit-os/kernel/commit/63d2c0e321fa75f58fd029a2eae874e2f85fcc73
#[no_mangle]
pub unsafe extern "C" fn touch_other_stack(stack: u64) -> u64 {
    let saved: u64;
    asm!(
        "mov {saved}, rsp",
        "mov rsp, {stack}",
        "mov rsp, {saved}",
        stack = in(reg) stack,
        saved = out(reg) saved,
    );
    saved
}
