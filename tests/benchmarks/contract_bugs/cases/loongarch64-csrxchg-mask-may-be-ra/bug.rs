// the csrxchg write mask is an in(reg) operand, which the allocator may place in $ra ($r1), a register csrxchg rejects as rj
// Buggy form, restated minimally; source: https://github.com/rcore-os/tgoskits/commit/cb4e6ec0464fdea646005796b9d0bfa4be94a857
#[no_mangle]
pub unsafe extern "C" fn local_irq_save_and_disable() -> usize {
    let mut flags: usize = 0;
    asm!(
        "csrxchg {}, {}, 0x0", // <- contract bug
        inout(reg) flags,
        in(reg) 4usize,
    );
    flags
}
