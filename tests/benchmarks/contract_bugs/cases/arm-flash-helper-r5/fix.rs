// r5 holds a table pointer across calls to ROM helpers without being declared (callee-saved, so clobber_abi does not cover it)
// Fixed form, restated minimally; source: https://github.com/embassy-rs/embassy/commit/70e1b976d87c5bde4b07e7e0b0fcf1499e4d98ef
#[no_mangle]
pub unsafe extern "C" fn run_rom_helper(table: *const u32) {
    asm!(
        "ldr r5, [r1]",
        "ldr r4, [r5, #4]",
        "blx r4",
        in("r1") table,
        out("r4") _,
        out("r5") _,
        clobber_abi("C"),
    );
}
