// cpuid overwrites rbx, which LLVM reserves and the block does not save
// Fixed form, restated minimally; source: https://github.com/rust-lang/stdarch/commit/fb9bca9b2686d87905e47f3d1b662c7bdc74dc18
#[no_mangle]
pub unsafe extern "C" fn cpu_leaf(leaf: u32) -> u32 {
    let a: u32;
    asm!(
        "mov {b:r}, rbx",
        "cpuid",
        "xchg {b:r}, rbx",
        b = out(reg) _,
        inlateout("eax") leaf => a,
        inlateout("ecx") 0u32 => _,
        lateout("edx") _,
        options(nostack, preserves_flags)
    );
    a
}
