// AT&T operand order swapped: vmread stores into the register of its input
// Buggy form, restated minimally; source: https://github.com/gz/rust-x86/commit/990979ee984de6b73a6d30da385a7206dd17f738
#[no_mangle]
pub unsafe extern "C" fn read_vmcs(field: u64) -> u64 {
    let value: u64;
    asm!(
        "vmread {1}, {0}", // <- contract bug
        in(reg) field,
        out(reg) value,
        options(att_syntax)
    );
    value
}
