// the output is set before the address input is read, without early clobber
// Buggy form, restated minimally; source: https://github.com/stnolting/neorv32/pull/1406
#[no_mangle]
pub unsafe extern "C" fn unaligned_load(addr: u32) -> u32 {
    let data: u32;
    asm!(
        "li {data}, 0xcafe1230", // <- contract bug
        "lw {data}, 0({addr})",
        data = lateout(reg) data,
        addr = in(reg) addr,
    );
    data
}
