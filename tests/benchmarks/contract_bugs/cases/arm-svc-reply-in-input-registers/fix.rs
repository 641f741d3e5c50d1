// the kernel answers a send in r4 and r5, which the block passes as inputs only
// Fixed form, restated minimally; source: https://github.com/oxidecomputer/hubris/commit/24a67a836b81d9090bb8b6c9a354fd1d36d46fe8
#[no_mangle]
pub unsafe extern "C" fn send(target: u32, msg: u32, len: u32) -> u32 {
    let code: u32;
    let _response_len: u32;
    asm!(
        "svc #0",
        inlateout("r4") target => code,
        inlateout("r5") msg => _response_len,
        in("r8") len,
    );
    code
}
