// cpuid overwrites rbx, which LLVM reserves and the block does not save
// Buggy form, restated minimally; source: https://github.com/rust-lang/stdarch/commit/fb9bca9b2686d87905e47f3d1b662c7bdc74dc18
#[no_mangle]
pub unsafe extern "C" fn cpu_leaf(leaf: u32) -> u32 {
    let a: u32;
    asm!(
        "cpuid", // <- contract bug
        inlateout("eax") leaf => a,
        inlateout("ecx") 0u32 => _,
        lateout("edx") _,
        options(nostack, preserves_flags)
    );
    a
}
