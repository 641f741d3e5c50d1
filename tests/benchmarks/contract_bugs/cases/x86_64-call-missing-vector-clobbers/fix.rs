// a call to a C function that declares the integer scratch registers by hand but none of the vector ones
// Fixed form, restated minimally; source: https://github.com/hermit-os/kernel/commit/030b3de2ed8e21b93af47ada8ca51319f8bd86e9
extern "C" fn work() -> u64 { 1 }

#[no_mangle]
pub unsafe extern "C" fn run_on_kernel_stack() -> u64 {
    let ret: u64;
    asm!(
        "call {f}",
        f = sym work,
        out("rax") ret,
        clobber_abi("C"),
    );
    ret
}
