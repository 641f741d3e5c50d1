// a0 and a1 set in two blocks and consumed by an ecall in a third, none of them declaring the registers
// Buggy form, restated minimally; source: https://github.com/llvm/llvm-project/issues/54262
#[no_mangle]
pub unsafe extern "C" fn syscall(nr: usize, rc: usize) {
    asm!("addi a0, {0}, 0", in(reg) nr); // <- contract bug
    asm!("addi a1, {0}, 0", in(reg) rc); // <- contract bug
    asm!("ecall"); // <- contract bug
}
