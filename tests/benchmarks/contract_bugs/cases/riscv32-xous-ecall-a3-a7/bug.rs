// the Xous kernel writes all eight argument registers on return; a3-a7 were not declared
// Buggy form, restated minimally; source: https://github.com/alexcrichton/dlmalloc-rs/pull/28
#[no_mangle]
pub unsafe extern "C" fn increase_heap(delta: usize) -> usize {
    let a0: usize;
    asm!(
        "ecall", // <- contract bug
        inlateout("a0") 10usize => a0,
        inlateout("a1") delta => _,
        inlateout("a2") 3usize => _,
    );
    a0
}
