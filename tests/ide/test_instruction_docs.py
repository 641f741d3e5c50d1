"""Instruction documentation (asm_ls/data/instructions.json, asm_ls.ide.instruction_docs) in hover and completion,
and the hover of template words that are neither instructions nor registers: labels, CSRs, barrier options, system
registers, operand sizes; directives say what they do.  No rustc needed: the documentation alone."""

from __future__ import annotations

import json
from importlib import resources

from asm_ls.analysis import Settings
from asm_ls.ide.hover import hover
from asm_ls.model.target import parse_target
from ide_helpers import HEAD, analyzed, at
from test_completion import items, run

X86 = HEAD + '''pub unsafe fn f(p: *mut u8) -> u64 {
    let x: u64;
    asm!(
        ".globl foo",
        ".type foo, @function",
        ".size foo, 4",
        "2:",
        "cpuid",
        "rdtsc",
        "syscall",
        "mov byte ptr [{p}], 1",
        "jnz 2b",
        "jz 3f",
        "3:",
        p = in(reg) p, out("rax") x,
    );
    x
}
'''
AARCH64 = HEAD + '''pub unsafe fn f() -> u64 {
    let x: u64;
    asm!("mrs {x}, cntvct_el0", "dmb sy", "dsb ish", x = out(reg) x);
    x
}
'''
RISCV = HEAD + '''pub unsafe fn f() -> u64 {
    let x: u64;
    asm!("csrr {x}, cycle", "csrr t0, mstatus", "li t1, 5", "ecall", x = out(reg) x, out("t0") _, out("t1") _);
    x
}
'''
ARM = HEAD + '''pub unsafe fn f() {
    asm!("svc 0", "dmb ish", "addeq r0, r0, r0", out("r0") _);
}
'''
TRIPLES = {X86: "x86_64-unknown-linux-gnu", AARCH64: "aarch64-unknown-linux-gnu",
           RISCV: "riscv64gc-unknown-linux-gnu", ARM: "armv7-unknown-linux-gnueabihf"}


def shown(text: str, needle: str, delta: int = 1) -> tuple[str, str]:
    """(the hovered text, the hover's Markdown) at ``needle`` + ``delta``, documentation only."""
    triple = TRIPLES[text]
    source, result = analyzed(text, triple)
    found = hover(result.model, at(text, needle, delta), Settings(targets=[parse_target(triple)]), None)
    return source.text(found.start, found.end), found.markdown


def test_x86_instructions_say_what_they_do():
    assert shown(X86, "cpuid") == ("cpuid", (
        "**instruction `cpuid`** (x86_64): CPU Identification\n\n"
        "Implicit operands: reads `eax`, `ecx`; writes `eax`, `ebx`, `ecx`, `edx`.\n\n"
        "[Reference](https://www.felixcloutier.com/x86/cpuid)"))
    assert shown(X86, "rdtsc")[1] == (
        "**instruction `rdtsc`** (x86_64): Read Time-Stamp Counter\n\n"
        "Implicit operands: writes `eax`, `edx`.\n\n"
        "[Reference](https://www.felixcloutier.com/x86/rdtsc)")
    assert shown(X86, "syscall")[1] == (
        "**instruction `syscall`** (x86_64): Fast System Call\n\n"
        "Implicit operands: writes `r11`, `rcx`, `rip`.\n\n"
        "Flags written: CF, PF, AF, ZF, SF, TF, IF, DF, OF, IOPL, NT, RF, VM, AC, VIF, VIP, ID.\n\n"
        "Extension: `LONGMODE`.\n\n"
        "[Reference](https://www.felixcloutier.com/x86/syscall)")


def test_directives_say_what_they_do():
    assert shown(X86, ".globl") == (".globl", (
        "**directive `.globl`**\n\n"
        "Makes a symbol visible to the linker (global binding), so other object files can refer to it: "
        "`.globl name`.\n\n"
        "Guaranteed by the Rust reference for inline assembly on every target."))
    assert shown(X86, ".type")[1] == (
        "**directive `.type`**\n\n"
        "Sets a symbol's ELF type: `.type name, @function` marks code (so debuggers, `perf` and the dynamic linker "
        "treat it as a function), `@object` data.\n\n"
        "Guaranteed by the Rust reference for inline assembly on every target.")
    assert shown(X86, ".size")[1] == (
        "**directive `.size`**\n\n"
        "Sets a symbol's ELF size: `.size name, . - name` records the bytes from the label to here.\n\n"
        "Guaranteed by the Rust reference for inline assembly on every target.")


def test_labels_and_what_references_refer_to():
    assert shown(X86, '"2:') == ("2", (
        "**local label `2:`**\n\n"
        "A numeric label: it can be defined many times; `2b` refers to the nearest `2:` before it, `2f` to the "
        "nearest after it. Prefer numeric labels in `asm!`: the compiler may copy a block, and a named label would "
        "then be defined twice."))
    assert shown(X86, "2b", 0) == ("2b", "**label reference `2b`**\n\n"
                                         "Refers to the nearest `2:` before it: line 9 (`\"2:\",`).")
    assert shown(X86, "3f", 0) == ("3f", "**label reference `3f`**\n\n"
                                         "Refers to the nearest `3:` after it: line 16 (`\"3:\",`).")


def test_operand_size_keywords():
    size = ("**`byte ptr`**: the memory operand is 8 bits wide (1 byte). Needed when no register operand gives the "
            "size (`mov byte ptr [rax], 1`).")
    assert shown(X86, "byte") == ("byte", size)
    assert shown(X86, "ptr") == ("ptr", size)


def test_aarch64_system_registers_and_barrier_options():
    assert shown(AARCH64, "mrs") == ("mrs", "**instruction `mrs {x}, cntvct_el0`** (aarch64): "
                                            "Move System Register to general-purpose register")
    assert shown(AARCH64, "cntvct") == ("cntvct_el0", (
        "**system register `cntvct_el0`** (aarch64)\n\n"
        "The `_EL0` suffix names the lowest Exception level that owns it: EL0 and higher levels may access it, lower "
        "levels only where a higher level allows it (otherwise the access traps). It is read with `mrs`, written "
        "with `msr`."))
    assert shown(AARCH64, 'sy"') == ("sy", "**barrier option `sy`** of `dmb`\n\n"
                                           "Full system: orders all loads and stores, for every observer.")
    assert shown(AARCH64, "ish")[1] == (
        "**barrier option `ish`** of `dsb`\n\n"
        "Inner Shareable domain (the cores that share memory under one OS): orders all loads and stores.")


def test_riscv_pseudo_instructions_and_csrs():
    assert shown(RISCV, "csrr") == ("csrr", (
        "**instruction `csrr {x}, cycle`** (riscv64): Read CSR\n\n"
        "Pseudo-instruction for `csrrs rd, csr, x0`.\n\n"
        "Extension: `Zicsr`.\n\n"
        "[Reference](https://msyksphinz-self.github.io/riscv-isadoc/#_csrrs)"))
    assert shown(RISCV, "cycle") == ("cycle", (
        "**CSR `cycle`** (riscv): Cycle counter for RDCYCLE Instruction\n\n"
        "Address `0xc00`; lowest privilege mode that may access it: U-mode; read-only.\n\n"
        "Alias for M-mode CSR `mcycle`.\n\n"
        "Read it with `csrr rd, cycle`."))
    assert shown(RISCV, "mstatus")[1] == (
        "**CSR `mstatus`** (riscv): Machine Status\n\n"
        "Address `0x300`; lowest privilege mode that may access it: M-mode.\n\n"
        "The mstatus register tracks and controls the hart's current operating state.\n\n"
        "Read it with `csrr rd, mstatus`, write it with `csrw mstatus, rs`.")
    assert shown(RISCV, "li")[1] == (
        "**instruction `li t1, 5`** (riscv64): Load immediate\n\n"
        "Pseudo-instruction: the assembler chooses the instructions (one or more).")
    assert shown(RISCV, "ecall")[1] == (
        "**instruction `ecall`** (riscv64): Environment call\n\n"
        "Makes a request to the supporting execution environment.\n\n"
        "Extension: `I`.\n\n"
        "[Reference](https://msyksphinz-self.github.io/riscv-isadoc/#_ecall)")


def test_arm_instructions_barriers_and_condition_codes():
    assert shown(ARM, "svc") == ("svc", "**instruction `svc 0`** (arm): Supervisor Call")
    assert shown(ARM, "addeq") == ("addeq", "**instruction `addeq r0, r0, r0`** (arm): Add")
    assert shown(ARM, "ish")[1].startswith("**barrier option `ish`** of `dmb`")


# -- completion -----------------------------------------------------------------------------

def test_instructions_on_an_empty_template_and_an_empty_line():
    found = items('asm!("|");', "riscv64gc-unknown-linux-gnu")
    assert [item.label for item in found[:10]] == ["j", "jr", "la", "lb", "ld", "lh", "li", "lw", "mv", "or"]
    li = found[6]
    assert (li.kind, li.detail, li.documentation) == (
        "mnemonic", "Load immediate (riscv64)",
        "**Load immediate**\n\nPseudo-instruction: the assembler chooses the instructions (one or more).")
    # an empty line of a multi-line asm!, before the operands: the argument keywords, then template strings
    found = items('asm!(\n        "nop",\n        |\n        in(reg) x,\n    );', "aarch64-unknown-linux-gnu")
    assert [(item.label, item.snippet) for item in found[8:13]] == [
        ("options", "options($1)"), ("clobber_abi", 'clobber_abi("${1:C}")'), ('"b"', '"b$1",'),
        ('"at"', '"at$1",'), ('"bc"', '"bc$1",')]
    assert found[10].detail == "Branch (aarch64)" and found[10].filter_text == "b"
    # an empty line inside one multi-line string
    _, labels = run('asm!("nop\n    |\n    nop");', "x86_64-unknown-linux-gnu")
    assert len(labels) == 200 and labels[:3] == ["bt", "in", "ja"]


def test_riscv_offers_the_pseudo_instructions_people_write():
    _, labels = run('asm!("cs|");', "riscv64gc-unknown-linux-gnu")
    assert labels == ["csrc", "csrr", "csrs", "csrw", "csrci", "csrrc", "csrrs", "csrrw", "csrsi", "csrwi", "csrrci",
                      "csrrsi", "csrrwi"]
    csrr = next(item for item in items('asm!("csr|");', "riscv64gc-unknown-linux-gnu") if item.label == "csrr")
    assert (csrr.label, csrr.detail, csrr.documentation) == (
        "csrr", "Read CSR (riscv64)",
        "**Read CSR**\n\nPseudo-instruction for `csrrs rd, csr, x0`.\n\nExtension: `Zicsr`.\n\n"
        "[Reference](https://msyksphinz-self.github.io/riscv-isadoc/#_csrrs)")
    for pseudo in ("li", "mv", "ret", "csrw", "la", "call", "nop"):
        assert pseudo in run(f'asm!("{pseudo}|");', "riscv64gc-unknown-linux-gnu")[1]


def test_operand_positions_offer_placeholders_and_registers_of_the_class():
    found = items('asm!("mov {x}, |", x = inout(reg) x);')
    assert [(item.label, item.kind, item.detail) for item in found[:4]] == [
        ("{x}", "placeholder", "x = inout(reg) x"), ("rax", "register", "reg (x86_64)"),
        ("rcx", "register", "reg (x86_64)"), ("rdx", "register", "reg (x86_64)")]
    assert found[0].filter_text == "x"
    _, labels = run('asm!("movaps {x}, |", x = inout(xmm_reg) x);')
    assert labels[:3] == ["{x}", "xmm0", "xmm1"] and "rax" not in labels
    _, labels = run('asm!("add {x}, |", x = inout(reg) x);', "aarch64-unknown-linux-gnu")
    assert labels[:4] == ["{x}", "x0", "x1", "x2"]
    _, labels = run('asm!("add {x}, {x}, |", x = inout(reg) x);', "riscv64gc-unknown-linux-gnu")
    assert labels[:5] == ["{x}", "x1", "ra", "x5", "t0"]
    _, labels = run('asm!("add {x}, |", x = inout(reg) x);', "armv7-unknown-linux-gnueabihf")
    assert labels[:4] == ["{x}", "r0", "a1", "r1"]


def test_snippets_for_operands():
    found = {item.label: item for item in items('asm!("nop", |);')}
    assert found["in"].snippet == "in(${1:reg}) ${2:x}" and found["in"].text == "in"
    assert found["inout"].snippet == "inout(${1:reg}) ${2:x}"
    assert found["const"].snippet == "const ${1:N}"
    assert found["label"].snippet == "label {\n    $0\n}"


def test_conflicting_options_are_not_offered():
    _, labels = run('asm!("nop", options(nomem, |));')
    assert "readonly" not in labels and "pure" in labels
    _, labels = run('asm!("nop", options(readonly, |));')
    assert "nomem" not in labels
    _, labels = run('asm!("nop", options(noreturn, |));')
    assert "pure" not in labels
    _, labels = run('asm!("nop", options(pure, nomem, |));')
    assert "noreturn" not in labels and "readonly" not in labels


# -- the data -------------------------------------------------------------------------------

def test_the_data_records_its_sources_and_licences():
    data = json.loads(resources.files("asm_ls.data").joinpath("instructions.json").read_text(encoding="utf-8"))
    assert "tools/gen_instruction_docs.py" in data["about"]
    assert [(source["name"], source["licence"]) for source in data["sources"]] == [
        ("opcodes", "BSD-2-Clause"), ("Intel XED", "Apache-2.0"), ("B2R2", "MIT"),
        ("RISC-V Unified Database", "BSD-3-Clause-Clear, BSD-2-Clause"),
        ("RISC-V Assembly Programmer's Manual", "CC-BY-4.0"), ("riscv-isadoc", "CC-BY-4.0")]
    assert all(source["revision"] and source["url"].startswith("https://") for source in data["sources"])
    counts = {arch: len(entries) for arch, entries in data["architectures"].items()}
    assert counts["x86"] > 1500 and counts["aarch64"] > 1000 and counts["arm"] > 400 and counts["riscv"] > 1000
    assert len(data["riscv_csrs"]) > 300
