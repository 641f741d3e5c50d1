"""Contract analysis (asm_ls/machine/contract.py): the ELF reader, the decoder's effects and the rules one by one.
The end-to-end fixtures live in tests/fixtures/contract and run with every other fixture."""

from __future__ import annotations

import struct

import pytest

from asm_ls.analysis import analyze
from asm_ls.machine import backend
from asm_ls.machine.blocks import block_id, compile_target
from asm_ls.machine.contract import contract_diagnostics
from asm_ls.machine.semantics import decode
from asm_ls.machine.framing import framing
from asm_ls.machine.generate import generate_block, labels_safe
from asm_ls.machine.objects import ObjectError, read_elf
from asm_ls.machine.substitute import Substituter
from asm_ls.model.arch import arch_data
from asm_ls.syntax.source import SourceFile
from machine_helpers import generated, rustc_missing, settings, source

needs_rustc = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")
HOST = "use std::arch::asm;\n"


def contract(src: SourceFile, triple: str = "x86_64-unknown-linux-gnu"):
    """The contract findings of every block, as assemble.py would compute them after a clean assembler run."""
    config = settings(triple)
    result = analyze(src, config)
    rustc = backend.find_rustc(None)
    out = []
    for arch in sorted({b.arch for b in result.model.blocks if b.arch}):
        target = compile_target(next(b.target for b in result.model.blocks if b.arch == arch))
        data = arch_data(arch)
        seen: dict[str, int] = {}
        blocks = []
        for resolved in result.model.blocks:
            if resolved.arch != arch:
                continue
            name = block_id(resolved, seen)
            block = generate_block(resolved, Substituter(resolved, target, name, src.data), name,
                                   bool(data.data.get("att_syntax")), framing(target), tuple(data.data.get("line_comments", ())))
            if block is not None:
                blocks.append(block)
        out += contract_diagnostics(blocks, rustc, target, arch, [], backend.version(rustc), source=src.data)
    return sorted(out, key=lambda d: d.sort_key()), result


def found(text: str, triple: str = "x86_64-unknown-linux-gnu"):
    src = source(text)
    diagnostics, _ = contract(src, triple)
    return [(d.code, d.message, src.text(d.start, d.end)) for d in diagnostics]


# -- rules, one by one ---------------------------------------------------------------------------


@needs_rustc
def test_quick_fix_data_for_an_undeclared_clobber():
    src = source(HOST + 'pub unsafe fn f() { asm!("rdtsc", out("eax") _); }\n')
    diagnostics, _ = contract(src)
    assert [(d.code, d.data) for d in diagnostics] == [("undeclared-clobber", {"add": ['lateout("rdx") _']})]


@needs_rustc
def test_clobber_abi_covers_the_call_clobbers():
    assert found(HOST + 'pub unsafe fn f() { asm!("syscall", "mov r8, 1", clobber_abi("C")); }\n') == []


@needs_rustc
def test_wider_declaration_covers_a_byte_register():
    assert found(HOST + 'pub unsafe fn f() { asm!("mov al, 1", out("rax") _); }\n') == []
    assert found(HOST + 'pub unsafe fn f() { asm!("mov eax, 1", out("al") _); }\n') == \
        [("undeclared-clobber", "`mov` writes `eax`, which is not declared as an output or clobber", "mov eax, 1")]


@needs_rustc
def test_noreturn_block_writes_what_it_likes():
    assert found(HOST + 'pub unsafe fn f() -> ! { asm!("mov eax, 60", "syscall", options(noreturn)); }\n') == []


@needs_rustc
def test_rbx_not_restored_cannot_be_declared():
    assert found(HOST + 'pub unsafe fn f() { asm!("mov ebx, 1"); }\n') == \
        [("undeclared-clobber", "`mov` writes `ebx` and the block does not restore it; `ebx` cannot be declared as an "
                                "operand, so it must be saved and restored", "mov ebx, 1")]


@needs_rustc
def test_att_syntax():
    """The message names the instruction as the template writes it (`movl`, not capstone's `mov`)."""
    assert found(HOST + 'pub unsafe fn f() { asm!("movl $1, %ecx", options(att_syntax)); }\n') == \
        [("undeclared-clobber", "`movl` writes `ecx`, which is not declared as an output or clobber", "movl $1, %ecx")]


@needs_rustc
def test_macro_blocks_are_left_alone():
    text = HOST + 'pub unsafe fn f() { asm!(".macro m", "mov ecx, 1", ".endm", "m"); }\n'
    assert found(text) == [("contract-not-analysed", "the contract analysis did not run on this block: its labels "
                                                     "could not be placed to find each line's code", "asm")]


# -- pieces --------------------------------------------------------------------------------------


def test_labels_are_off_by_default_and_refused_in_macro_bodies():
    _, block = generated(HOST + 'pub unsafe fn f() { asm!("nop", "nop"); }\n')
    assert not any(text.startswith("asmls_line_") for _, text in block.all_lines())
    labelled = [text for _, text in block.__class__(**{**block.__dict__, "line_labels": True}).all_lines()]
    assert labelled.count(f"asmls_line_{block.block_id}_0:") == 1
    _, macro = generated(HOST + 'pub unsafe fn f() { asm!(".rept 2", "nop", ".endr"); }\n')
    assert labels_safe(block) and not labels_safe(macro)


def _elf(bits: int, little: bool) -> bytes:
    """A minimal relocatable ELF: .text holding one x86 ``nop`` and a symbol ``s`` at offset 0."""
    end = "<" if little else ">"
    shstr = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"
    strtab = b"\0s\0"
    if bits == 64:
        symbol = struct.pack(end + "IBBHQQ", 0, 0, 0, 0, 0, 0) + struct.pack(end + "IBBHQQ", 1, 0, 0, 1, 0, 1)
        header_size, section_size = 64, 64
    else:
        symbol = struct.pack(end + "IIIBBH", 0, 0, 0, 0, 0, 0) + struct.pack(end + "IIIBBH", 1, 0, 1, 0, 0, 1)
        header_size, section_size = 52, 40
    text = b"\x90"
    offsets = [header_size, header_size + 1, header_size + 1 + len(symbol), header_size + 1 + len(symbol) + 3]
    shoff = offsets[3] + len(shstr)
    sections = [(0, 0, 0, 0, 0, 0), (1, 1, offsets[0], 1, 0, 0), (7, 2, offsets[1], len(symbol), 3, len(symbol) // 2),
                (15, 3, offsets[2], 3, 0, 0), (23, 3, offsets[3], len(shstr), 0, 0)]
    ident = b"\x7fELF" + bytes([1 if bits == 32 else 2, 1 if little else 2, 1]) + bytes(9)
    if bits == 64:
        header = ident + struct.pack(end + "HHIQQQIHHHHHH", 1, 62, 1, 0, 0, shoff, 0, 64, 0, 0, 64, 5, 4)
        table = b"".join(struct.pack(end + "IIQQQQIIQQ", n, t, 0, 0, o, s, l, 0, 0, e) for n, t, o, s, l, e in sections)
    else:
        header = ident + struct.pack(end + "HHIIIIIHHHHHH", 1, 3, 1, 0, 0, shoff, 0, 52, 0, 0, 40, 5, 4)
        table = b"".join(struct.pack(end + "IIIIIIIIII", n, t, 0, 0, o, s, l, 0, 0, e) for n, t, o, s, l, e in sections)
    assert len(header) == header_size and len(table) == 5 * section_size
    return header + text + symbol + strtab + shstr + table


@pytest.mark.parametrize("bits,little", [(64, True), (64, False), (32, True), (32, False)])
def test_elf_reader(bits, little):
    obj = read_elf(_elf(bits, little))
    text = obj.section(".text")
    assert obj.section_bytes(text) == b"\x90"
    assert [(s.name, s.value) for s in obj.symbols_in(text)] == [("s", 0)]
    with pytest.raises(ObjectError):
        read_elf(b"not an object at all, not at all, not at all, not at all")


def test_decoder_effects():
    insns = decode("x86_64", bytes.fromhex("0f05" "0fa2" "53" "5b" "4801c8" "488b07")).insns
    assert insns[0].writes == {"rcx", "r11"} and not insns[0].flags_written
    assert insns[1].writes == {"eax", "ebx", "ecx", "edx"}
    assert insns[2].push_pop and insns[2].stores == [("rbx", -8)] and insns[2].sp_delta == -8
    assert insns[3].loads == [("rbx", 0)] and insns[3].sp_delta == 8
    assert insns[4].flags_written and insns[5].memory_read and not insns[5].memory_write
    arm = decode("aarch64", bytes.fromhex("010000d4" "1f0400f1")).insns
    assert arm[0].writes == set()                       # svc does not write the link register
    assert arm[1].writes == set() and arm[1].flags_written      # cmp: the flags only
    riscv = decode("riscv64", bytes.fromhex("9302100003b50500")).insns
    assert riscv[0].writes == {"t0"} and riscv[1].writes == {"a0"} and riscv[1].memory_read


# -- control flow ---------------------------------------------------------------------------------

A64 = "aarch64-unknown-linux-gnu"
RV64 = "riscv64gc-unknown-linux-gnu"


def _codes(text: str, triple: str = "x86_64-unknown-linux-gnu"):
    return [(code, shown) for code, _, shown in found(text, triple)]


@needs_rustc
@pytest.mark.parametrize("triple,text", [
    ("x86_64-unknown-linux-gnu", HOST + 'pub unsafe fn f(n: u64) { let mut n = n; asm!("2:", "dec {0}", "jnz 2b", inout(reg) n); }\n'),
    (A64, 'pub unsafe fn f(n: u64) { let mut n = n; asm!("2:", "subs {0}, {0}, 1", "b.ne 2b", inout(reg) n); }\n'),
    (RV64, 'pub unsafe fn f(n: u64) { let mut n = n; asm!("2:", "addi {0}, {0}, -1", "bnez {0}, 2b", inout(reg) n); }\n'),
])
def test_loops_are_clean(triple, text):
    assert found(text, triple) == []


@needs_rustc
def test_a_register_restored_on_one_path_only():
    text = HOST + ('pub unsafe fn f(c: u64) { asm!("push rbx", "test {0}, {0}", "jz 2f", "pop rbx", "jmp 3f", "2:", '
                   '"mov ebx, 1", "add rsp, 8", "3:", in(reg) c); }\n')
    assert _codes(text) == [("undeclared-clobber", "mov ebx, 1")]
    fixed = HOST + 'pub unsafe fn f(c: u64) { asm!("push rbx", "test {0}, {0}", "jz 2f", "mov ebx, 1", "2:", "pop rbx", in(reg) c); }\n'
    assert _codes(fixed) == []
    arm = ('pub unsafe fn f(c: u64) { asm!("str x19, [sp, #-16]!", "cbz {0}, 2f", "mov x19, 1", "add sp, sp, 16", '
           '"b 3f", "2:", "ldr x19, [sp], #16", "3:", in(reg) c); }\n')
    assert _codes(arm, A64) == [("undeclared-clobber", "mov x19, 1")]
    riscv = 'pub unsafe fn f(c: u64) { asm!("beqz {0}, 2f", "li s1, 1", "2:", in(reg) c); }\n'
    assert _codes(riscv, RV64) == [("undeclared-clobber", "li s1, 1")]


@needs_rustc
def test_an_early_exit_skips_the_restore():
    text = HOST + 'pub unsafe fn f(c: u64) { asm!("push rbx", "mov ebx, 1", "test {0}, {0}", "jz 2f", "pop rbx", "2:", in(reg) c); }\n'
    assert _codes(text) == [("stack-not-restored", "push rbx"), ("undeclared-clobber", "mov ebx, 1")]
    fine = HOST + 'pub unsafe fn f(c: u64) { asm!("test {0}, {0}", "jz 2f", "push rbx", "mov ebx, 1", "pop rbx", "2:", in(reg) c); }\n'
    assert _codes(fine) == []


@needs_rustc
def test_a_jump_to_a_symbol_leaves_the_block():
    text = HOST + ('extern "C" fn g() {}\npub unsafe fn f(c: u64) { asm!("test {0}, {0}", "jz {g}", "mov ecx, 1", '
                   'in(reg) c, g = sym g, out("rcx") _); }\n')
    assert _codes(text) == []


@needs_rustc
@pytest.mark.parametrize("triple,text,shown", [
    ("x86_64-unknown-linux-gnu", HOST + 'pub unsafe fn f(a: u64, b: u64) -> u64 { let r; asm!("mov {r}, {b}", '
     '"add {r}, {a}", a = in(reg) a, b = in(reg) b, r = lateout(reg) r); r }\n', "mov {r}, {b}"),
    (A64, 'pub unsafe fn f(a: u64, b: u64) -> u64 { let r; asm!("mov {r}, {b}", "add {r}, {r}, {a}", a = in(reg) a, '
     'b = in(reg) b, r = lateout(reg) r); r }\n', "mov {r}, {b}"),
    (RV64, 'pub unsafe fn f(a: u64) -> u64 { let r; asm!("li {r}, 1", "add {r}, {r}, {a}", a = in(reg) a, '
     'r = lateout(reg) r); r }\n', "li {r}, 1"),
])
def test_late_output_written_before_an_input_is_read(triple, text, shown):
    assert _codes(text, triple) == [("lateout-written-early", shown)]
    assert _codes(text.replace("lateout(reg)", "out(reg)"), triple) == []


@needs_rustc
def test_late_output_written_last_is_clean():
    assert found(HOST + 'pub unsafe fn f(a: u64, b: u64) -> u64 { let r; asm!("lea {r}, [{a} + {b}]", a = in(reg) a, '
                        'b = in(reg) b, r = lateout(reg) r); r }\n') == []
    assert found('pub unsafe fn f(a: u64) -> u64 { let r; asm!("addi {r}, {a}, 1", a = in(reg) a, r = lateout(reg) r); '
                 'r }\n', RV64) == []
    # inlateout: the same rule, and the fix is `inout`.
    text = HOST + ('pub unsafe fn f(a: u64, b: u64) -> u64 { let mut r = b; asm!("mov {r}, 1", "add {r}, {a}", '
                   'a = in(reg) a, r = inlateout(reg) r); r }\n')
    src = source(text)
    diagnostics, _ = contract(src)
    assert [(d.code, d.data) for d in diagnostics] == [("lateout-written-early", {"replace_kind": ["inlateout", "inout"]})]


@needs_rustc
@pytest.mark.parametrize("triple,text,shown", [
    ("x86_64-unknown-linux-gnu", HOST + 'pub unsafe fn f(c: u64) { asm!("push rax", "test {0}, {0}", "jz 2f", '
     '"pop rax", "2:", in(reg) c, out("rax") _); }\n', "push rax"),
    (A64, 'pub unsafe fn f(c: u64) { asm!("sub sp, sp, 16", "cbz {0}, 2f", "add sp, sp, 16", "2:", in(reg) c); }\n',
     "sub sp, sp, 16"),
    (RV64, 'pub unsafe fn f() { asm!("addi sp, sp, -16"); }\n', "addi sp, sp, -16"),
])
def test_stack_not_restored(triple, text, shown):
    assert _codes(text, triple) == [("stack-not-restored", shown)]


@needs_rustc
def test_stack_restored_or_unknown_is_clean():
    assert found(HOST + 'pub unsafe fn f() { asm!("push rbp", "mov rbp, rsp", "and rsp, -16", "mov rsp, rbp", '
                        '"pop rbp"); }\n') == []
    assert found('pub unsafe fn f() { asm!("sub sp, sp, 16", "add sp, sp, 16"); }\n', A64) == []
    assert found('pub unsafe fn f() { asm!("addi sp, sp, -16", "addi sp, sp, 16"); }\n', RV64) == []
    assert found(HOST + 'pub unsafe fn f() -> ! { asm!("push rax", "ud2", options(noreturn)); }\n') == []


@needs_rustc
def test_direction_flag():
    assert _codes(HOST + 'pub unsafe fn f(c: u64) { asm!("std", "test {0}, {0}", "jz 2f", "cld", "2:", in(reg) c); }\n') \
        == [("direction-flag-set", "std")]
    assert found(HOST + 'pub unsafe fn f() { asm!("std", "nop", "cld"); }\n') == []
    assert found(HOST + 'pub unsafe fn f() { asm!("pushfq", "std", "popfq"); }\n') == []


def test_decoder_control_flow():
    x86 = decode("x86_64", bytes.fromhex("75fe" "eb00" "ffe0" "e800000000" "0f0b" "e2fe" "c3")).insns
    assert [(i.jump, i.conditional, i.target) for i in x86[:3]] == [(True, True, 0), (True, False, 4), (True, False, None)]
    # `call 1f; 1:` with no relocation calls no function: a push no return undoes (a call to a symbol is relocated)
    assert not x86[3].call and x86[3].push_pop and x86[3].sp_delta == -8 and x86[4].trap and x86[5].jump and x86[5].conditional and x86[6].ret
    riscv = decode("riscv64", bytes.fromhex("63040500" "6ff0dfff" "ef008000")).insns
    assert (riscv[0].conditional, riscv[0].target) == (True, 8)
    assert riscv[1].jump and not riscv[1].call and riscv[1].target == 0         # `j`: capstone calls it a call
    assert riscv[2].call and riscv[2].target == 16
    relocated = decode("x86_64", bytes.fromhex("e800000000"), relocated=frozenset({1})).insns
    assert relocated[0].call and relocated[0].target == 5
    arm = decode("aarch64", bytes.fromhex("02000014" "400000b4" "00001fd6")).insns
    assert [(i.conditional, i.target) for i in arm] == [(False, 8), (True, 12), (False, None)]


@needs_rustc
def test_kept_findings_move_with_their_block_and_follow_what_they_depend_on():
    """A block's contract findings are reused (``machine/findings.py``) only while the block, its configuration and
    its pointer types are unchanged, moved to where the block now is: each text's findings are a fresh analysis's."""
    from asm_ls.machine.findings import KEPT
    body = 'pub unsafe fn f(p: *const u8) { asm!("rdtsc", "mov al, [{p}]", p = in(reg) p, out("al") _, ' \
           'options(nomem, nostack)); }\n'
    texts = [HOST + body, HOST + "// moved\n" + body, HOST + "// moved\n" + body.replace("*const u8", "u64"),
             HOST + body.replace("rdtsc", "rdtscp")]
    for text in texts:
        kept, _ = contract(source(text))
        KEPT.clear()
        fresh, _ = contract(source(text))
        assert kept == fresh and kept, text
