// a0 and a1 set in two blocks and consumed by an ecall in a third, none of them declaring the registers
// Fixed form, restated minimally; source: https://github.com/llvm/llvm-project/issues/54262
#[no_mangle]
pub unsafe extern "C" fn syscall(nr: usize, rc: usize) {
    asm!("ecall", inlateout("a0") nr => _, inlateout("a1") rc => _);
}
