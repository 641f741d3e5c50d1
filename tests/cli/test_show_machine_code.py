"""``asm-ls check --show-machine-code``: the machine code of every call (the language server's document, see
tests/server/test_server_machine_code.py), then the usual report and exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_harness import ROOT, X86, asm_ls, write

pytestmark = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")

SOURCE = '''#[no_mangle]
pub extern "C" fn cycles() -> u64 {
    let t: u64;
    unsafe {
        core::arch::asm!("rdtsc", "shl rdx, 32", "or rax, rdx", "mov {t}, rax",
                         t = out(reg) t, out("rax") _, out("rdx") _, options(nomem, nostack));
    }
    t
}

pub fn broken() {
    unsafe { core::arch::asm!("movq 1, 2") };
}
'''

EXPECTED = '''\
; asm! at src/lib.rs:5 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The registers of `reg` operands are one allocation asm-ls chose for this example
; (the compiler may choose others): t = rcx.
; Addresses are offsets from the block's first byte.

; line  address  bytes        instruction    reads     writes
     5  0000     0f 31        rdtsc                    rax, rdx
     5  0002     48 c1 e2 20  shl rdx, 0x20  rdx       rdx, flags(CF PF AF ZF SF OF)
     5  0006     48 09 d0     or rax, rdx    rax, rdx  rax, flags(CF PF AF ZF SF OF)
     5  0009     48 89 c1     mov rcx, rax   rax       rcx

; asm! at src/lib.rs:12 in fn `broken`: machine code for x86_64-unknown-linux-gnu (x86_64)
; The block does not assemble:
;   line 12, column 32: invalid operand for instruction

error[assembler-error]: invalid operand for instruction
  --> src/lib.rs:12:32 (target: x86_64)
   |
12 |     unsafe { core::arch::asm!("movq 1, 2") };
   |                                ^^^^^^^^^

checked 1 file for x86_64-unknown-linux-gnu (settings): 1 error
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_show_machine_code_prints_each_call_before_the_report(tmp_path: Path, jobs: str):
    write(tmp_path / "src" / "lib.rs", SOURCE)
    result = asm_ls("check", *X86, "--show-machine-code", "--jobs", jobs, "src/lib.rs", cwd=tmp_path)
    assert (result.stdout, result.stderr, result.returncode) == (EXPECTED, "", 1)


def test_the_readme_shows_the_real_output():
    """The README's example is the first block of what the command prints for examples/clean.rs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("`asm-ls check --show-machine-code examples/clean.rs`", 1)[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    result = asm_ls("check", *X86, "--show-machine-code", "examples/clean.rs", cwd=ROOT)
    assert result.stdout.split("\n\n; asm! at", 1)[0] + "\n" == shown


def test_show_machine_code_without_the_assembler_says_so(tmp_path: Path):
    write(tmp_path / "lib.rs", SOURCE.split("\n\n")[0] + "\n")
    result = asm_ls("check", *X86, "--no-assemble", "--show-machine-code", "lib.rs", cwd=tmp_path)
    assert (result.stdout, result.returncode) == (
        "; asm! at lib.rs:5 in fn `cycles`: machine code for x86_64-unknown-linux-gnu (x86_64)\n"
        "; The assembler is off (the `assemble` setting): asm-ls shows no machine code.\n\n"
        "checked 1 file for x86_64-unknown-linux-gnu (settings): no problems\n", 0)


def test_show_machine_code_keeps_a_machine_readable_report_apart(tmp_path: Path):
    write(tmp_path / "lib.rs", SOURCE)
    refused = asm_ls("check", *X86, "--show-machine-code", "--format", "json", "lib.rs", cwd=tmp_path)
    assert (refused.stdout, refused.returncode) == ("", 2)
    assert refused.stderr == ("asm-ls: --show-machine-code prints text to standard output: with another --format "
                              "than human, give the report an --output-file\n")
    written = asm_ls("check", *X86, "--show-machine-code", "--format", "json", "--output-file", "report.json",
                     "lib.rs", cwd=tmp_path)
    assert written.returncode == 1 and written.stdout.startswith("; asm! at lib.rs:5 in fn `cycles`")
    assert '"assembler-error"' in (tmp_path / "report.json").read_text()
