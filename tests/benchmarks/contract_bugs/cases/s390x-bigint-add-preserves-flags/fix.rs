// a big-integer add chains the carry through the condition code, in a block that declares the condition code unchanged
// Fixed form, restated minimally; source: https://github.com/ipxe/ipxe/pull/1817
#[no_mangle]
pub unsafe extern "C" fn bigint_add(addend: *const u64, value: *mut u64, size: u32) -> u32 {
    let carry: u32;
    asm!(
        "xgr {off}, {off}",
        "2:",
        "lg {tmp}, 0({off},{val})",
        "alcg {tmp}, 0({off},{add})",
        "stg {tmp}, 0({off},{val})",
        "la {off}, 8({off})",
        "brct {cnt}, 2b",
        "alcr {cnt}, {cnt}",
        off = out(reg_addr) _,
        tmp = out(reg) _,
        cnt = inout(reg) size => carry,
        val = in(reg_addr) value,
        add = in(reg_addr) addend,
        options(nostack)
    );
    carry
}
