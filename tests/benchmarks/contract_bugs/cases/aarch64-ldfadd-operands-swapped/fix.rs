// ldfadd s0, s1, [x2] (encoded with .inst) adds s0 and returns the old value in s1, but the block passes the addend in v1 and takes the result from v0
// Fixed form, restated minimally; source: https://github.com/taiki-e/portable-atomic/commit/b105f9bc612e07c6f6a07291fa2be8cba38fa5df
#[no_mangle]
pub unsafe extern "C" fn fetch_add_f32(dst: *mut f32, val: f32) -> f32 {
    let out: f32;
    asm!(
        ".inst 0xbc200041",
        in("x2") dst,
        in("v0") val,
        out("v1") out,
        options(nostack)
    );
    out
}
