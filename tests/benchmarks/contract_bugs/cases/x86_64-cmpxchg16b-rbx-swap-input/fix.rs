// rbx is swapped with an in operand to feed cmpxchg16b, leaving the operand's register changed
// Fixed form, restated minimally; source: https://github.com/taiki-e/portable-atomic/commit/a5bdc8179ef1b00b754e7ba952f5ee1519c4deb6
#[no_mangle]
pub unsafe extern "C" fn cas128(dst: *mut u64, old_lo: u64, old_hi: u64, new_lo: u64, new_hi: u64) -> u64 {
    let lo: u64;
    asm!(
        "xchg {b}, rbx",
        "lock cmpxchg16b xmmword ptr [rdi]",
        "mov rbx, {b}",
        b = inout(reg) new_lo => _,
        in("rcx") new_hi,
        in("rdi") dst,
        inout("rax") old_lo => lo,
        inout("rdx") old_hi => _,
        options(nostack)
    );
    lo
}
