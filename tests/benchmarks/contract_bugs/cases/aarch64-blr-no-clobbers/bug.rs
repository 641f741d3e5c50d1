// blr to a C function: the link register and every caller-saved register are undeclared
// Buggy form, restated minimally; source: https://github.com/rust-lang/rust/issues/133683
#[no_mangle]
pub unsafe extern "C" fn call_it(f: extern "C" fn()) {
    asm!(
        "blr {f}", // <- contract bug
        f = in(reg) f,
    );
}
