// rax carries cmpxchg's expected value but is not declared, so an operand may even be placed in it
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust/issues/114357
#[no_mangle]
pub unsafe extern "C" fn compare_swap(save: *mut u64, new: u64, expect: u64) -> u64 {
    let mut expect = expect;
    asm!(
        "mov rax, rcx", // <- contract bug
        "lock cmpxchg [{save}], {new}", // <- contract bug
        "mov rcx, rax",
        save = in(reg) save,
        new = in(reg) new,
        inout("rcx") expect,
    );
    expect
}
