"""Instruction hover: what a statement assembled to (asm_ls.machine.instructions, asm_ls.ide.hover), and the
decoded details themselves (asm_ls.machine.semantics.details)."""

from __future__ import annotations

import shutil

import pytest

from asm_ls.analysis import Settings
from asm_ls.ide.hover import hover, reference_url
from asm_ls.machine import instructions as machine_instructions
from asm_ls.machine.semantics import details
from asm_ls.machine.instructions import block_instructions
from asm_ls.model.arch import arch_data
from asm_ls.model.target import parse_target
from ide_helpers import HEAD, analyzed, at

needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH")

ADD = HEAD + """pub unsafe fn f(mut x: u64) -> u64 {
    asm!("add {0}, 5", inout(reg) x);
    x
}
"""
LDR = HEAD + """pub unsafe fn f(p: *const u64) -> u64 {
    let x: u64;
    asm!("ldr {0}, [{1}]", out(reg) x, in(reg) p);
    x
}
"""
TWO = HEAD + """pub unsafe fn f() {
    asm!("push rax; pop rax", "cmove eax, ecx", out("eax") _);
}
"""


def settings_for(triple: str) -> Settings:
    return Settings(targets=[parse_target(triple)])


def hover_at(text: str, needle: str, triple: str = "x86_64-unknown-linux-gnu", provider=block_instructions,
             occurrence: int = 0):
    source, result = analyzed(text, triple)
    found = hover(result.model, at(text, needle, 1, occurrence), settings_for(triple), provider)
    return source, found


@needs_rustc
def test_x86_64_add_shows_what_it_is_and_what_it_assembled_to():
    source, found = hover_at(ADD, "add")
    assert source.text(found.start, found.end) == "add"
    assert found.markdown == (
        "**instruction `add {0}, 5`** (x86_64): Add\n\n"
        "Flags written: CF, PF, AF, ZF, SF, OF.\n\n"
        "Assembles to `add rax, 5`.\n\n"
        "The registers shown for placeholders are asm-ls's example choice; the compiler allocates its own.\n\n"
        "Encoding: `48 83 c0 05` (4 bytes).\n\n"
        "Reads `rax`; writes `rax`.\n\n"
        "[Reference](https://www.felixcloutier.com/x86/add)")


@needs_rustc
def test_aarch64_ldr_reads_memory():
    _, found = hover_at(LDR, "ldr", "aarch64-unknown-linux-gnu")
    assert found.markdown == (
        "**instruction `ldr {0}, [{1}]`** (aarch64): Load Register (immediate)\n\n"
        "Assembles to `ldr x0, [x1]`.\n\n"
        "The registers shown for placeholders are asm-ls's example choice; the compiler allocates its own.\n\n"
        "Encoding: `20 00 40 f9` (4 bytes).\n\n"
        "Reads `x1`; writes `x0`.\n\n"
        "Memory: reads.")


@needs_rustc
def test_each_statement_of_a_line_gets_its_own_instruction():
    _, push = hover_at(TWO, "push")
    _, pop = hover_at(TWO, "pop")
    _, cmove = hover_at(TWO, "cmove")
    assert push.markdown.splitlines()[0] == "**instruction `push rax`** (x86_64): Push Value Onto the Stack"
    assert "Reads `rsp` (implicit), `rax`; writes `rsp` (implicit)." in push.markdown
    assert "Memory: writes." in push.markdown
    assert pop.markdown.splitlines()[0] == "**instruction `pop rax`** (x86_64): Pop a Value from the Stack"
    assert "Memory: reads." in pop.markdown
    assert "Flags read: ZF." in cmove.markdown and "ISA extension: `cmov`." in cmove.markdown
    assert "https://www.felixcloutier.com/x86/cmovcc" in cmove.markdown


@needs_rustc
def test_a_pseudo_instruction_hovers_as_written():
    text = HEAD + """pub unsafe fn f() -> u64 {
    let x: u64;
    asm!("csrr {x}, cycle", x = out(reg) x);
    x
}
"""
    _, found = hover_at(text, "csrr", "riscv64gc-unknown-linux-gnu")
    assert found.markdown == (
        "**instruction `csrr {x}, cycle`** (riscv64): Read CSR\n\n"
        "Pseudo-instruction for `csrrs rd, csr, x0`.\n\n"
        "Extension: `Zicsr`.\n\n"
        "Assembles to `rdcycle ra`.\n\n"
        "The registers shown for placeholders are asm-ls's example choice; the compiler allocates its own.\n\n"
        "Encoding: `f3 20 00 c0` (4 bytes).\n\n"
        "Writes `ra`.\n\n"
        "[Reference](https://msyksphinz-self.github.io/riscv-isadoc/#_csrrs)")


@needs_rustc
def test_hovering_twice_runs_rustc_once(monkeypatch):
    text = ADD.replace("5", "7")            # a block no other test has assembled
    hover_at(text, "add")
    runs = []
    original = machine_instructions.decoded_blocks

    def counting(blocks, *args, **kwargs):
        runs.append(len(blocks))
        return original(blocks, *args, **kwargs)

    from asm_ls.machine import backend
    compiled = []
    real = backend.compile_crate
    monkeypatch.setattr(backend, "compile_crate", lambda *a, **k: compiled.append(1) or real(*a, **k))
    monkeypatch.setattr(machine_instructions, "decoded_blocks", counting)
    _, found = hover_at(text, "add")
    assert "`48 83 c0 07`" in found.markdown
    assert runs == [1] and compiled == []


ADD_DOCUMENTED = ("**instruction `add {0}, 5`** (x86_64): Add\n\n"
                  "Flags written: CF, PF, AF, ZF, SF, OF.\n\n"
                  "[Reference](https://www.felixcloutier.com/x86/add)")


@needs_rustc
def test_silent_about_encoding_when_the_block_does_not_assemble():
    bad = ADD.replace("add {0}, 5", "addd {0}, 5")
    assert hover_at(bad, "addd")[1] is None
    wrong_arch = ADD                         # `add rax, 5` is not AArch64: what `add` is there, no encoding
    assert hover_at(wrong_arch, "add", "aarch64-unknown-linux-gnu")[1].markdown == \
        "**instruction `add {0}, 5`** (aarch64): Add"


def test_only_the_documentation_without_rustc():
    settings = Settings(targets=[parse_target("x86_64-unknown-linux-gnu")], rustc="/nonexistent/rustc")
    _, result = analyzed(ADD)
    assert hover(result.model, at(ADD, "add", 1), settings, block_instructions).markdown == ADD_DOCUMENTED


def test_only_the_documentation_without_the_machine_layer():
    assert hover_at(ADD, "add", provider=None)[1].markdown == ADD_DOCUMENTED


def test_details_without_rustc():
    found = details("x86_64", bytes.fromhex("4883c005") + b"\x50" + bytes.fromhex("f30f58c1"))
    assert [(d.text, d.encoding.hex(), d.reads, d.writes, d.flags_written, d.memory_write, d.extensions)
            for d in found] == [
        ("add rax, 5", "4883c005", ["rax"], ["rax"], ["CF", "PF", "AF", "ZF", "SF", "OF"], False, []),
        ("push rax", "50", ["rsp", "rax"], ["rsp"], [], True, []),
        ("addss xmm0, xmm1", "f30f58c1", ["xmm0", "xmm1"], ["xmm0"], [], False, ["sse1"]),
    ]
    cmp, = details("aarch64", bytes.fromhex("1f0001eb"))
    assert (cmp.text, cmp.reads, cmp.writes, cmp.flags_written) == ("cmp x0, x1", ["x1", "x0"], [], ["NZCV"])
    mul, = details("riscv64", bytes.fromhex("3300b502"))
    assert (mul.text, mul.reads, mul.extensions) == ("mul zero, a0, a1", ["a0", "a1"], ["hasStdExtM"])
    assert details("mips", b"\0\0\0\0") is None          # no engine gives mips's effects
    alcgr, = details("s390x", bytes.fromhex("b9880012"))     # the table engine
    assert (alcgr.text, alcgr.reads, alcgr.writes, alcgr.flags_written) == ("alcgr %r1, %r2", ["r1", "r2"], ["r1"],
                                                                            ["flags"])
    (andeq,) = details("arm", b"\0\0\0\0")              # SLEIGH: `andeq r0, r0, r0` keeps r0
    assert (andeq.text, andeq.reads, andeq.writes) == ("andeq r0,r0,r0", ["r0"], [])


def test_reference_urls_come_from_the_data():
    x86 = arch_data("x86_64")
    assert reference_url(x86, "jne") == "https://www.felixcloutier.com/x86/jcc"
    assert reference_url(x86, "jmp") == "https://www.felixcloutier.com/x86/jmp"
    assert reference_url(x86, "sete") == "https://www.felixcloutier.com/x86/setcc"
    assert reference_url(x86, "lock add") == "https://www.felixcloutier.com/x86/add"
    # an instruction's own page or none: no search or index pages
    assert reference_url(arch_data("aarch64"), "stp") is None
    assert reference_url(arch_data("riscv64"), "add") == "https://msyksphinz-self.github.io/riscv-isadoc/#_add"
    assert reference_url(arch_data("riscv64"), "mv") == "https://msyksphinz-self.github.io/riscv-isadoc/#_addi"
    assert reference_url(arch_data("arm"), "add") is None
