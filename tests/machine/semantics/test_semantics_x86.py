"""Semantics table, x86_64 and x86 (capstone engine).  Facts from the Intel 64 and IA-32 Architectures Software
Developer's Manual, Volume 2 (instruction set reference: operands, implicit registers, "Flags Affected") and
Volume 1 §3.4.3 (EFLAGS; `preserves_flags` covers the status flags CF, PF, AF, ZF, SF, OF)."""

from __future__ import annotations

import pytest

from asm_ls.machine.semantics import decode
from semantics_table import check

X86_64 = [
    ("push rbx", "53", {"reads": ["rbx", "rsp"], "writes": [], "stack": "w", "sp": -8}),
    ("pop rbx", "5b", {"reads": ["rsp"], "writes": ["rbx"], "stack": "r", "sp": 8}),
    ("add rax, rbx", "4801d8", {"reads": ["rax", "rbx"], "writes": ["rax"], "flags": True}),
    # ADD with 0 leaves the register's value; the flags still change.
    ("add eax, 0", "83c000", {"reads": ["eax"], "writes": [], "flags": True}),
    ("mov rax, rax", "4889c0", {"reads": ["rax"], "writes": []}),
    ("movaps xmm0, xmm0", "0f28c0", {"reads": ["xmm0"], "writes": []}),
    ("mov rax, qword ptr [rdi]", "488b07", {"reads": ["rdi"], "writes": ["rax"], "memory": "r"}),
    ("mov qword ptr [rdi], rax", "488907", {"reads": ["rax", "rdi"], "writes": [], "memory": "w"}),
    ("mov qword ptr [rsp + 8], rax", "4889442408", {"reads": ["rax", "rsp"], "writes": [], "stack": "w"}),
    ("sub rsp, 16", "4883ec10", {"reads": ["rsp"], "writes": [], "flags": True, "sp": -16}),
    ("call rax", "ffd0", {"reads": ["rax", "rsp"], "writes": [], "stack": "w", "control": "call"}),
    ("ret", "c3", {"reads": ["rsp"], "writes": [], "stack": "r", "sp": None, "control": "return"}),
    ("jmp rax", "ffe0", {"reads": ["rax"], "writes": [], "control": "leaves"}),
    ("jne 1f", "7500", {"reads": [], "writes": [], "control": "branch"}),
    # SYSCALL: RCX <- RIP, R11 <- RFLAGS (Vol. 2B); the kernel's sysret restores the flags.
    ("syscall", "0f05", {"reads": [], "writes": ["r11", "rcx"], "kernel_call": True}),
    ("cpuid", "0fa2", {"reads": ["eax", "ecx"], "writes": ["eax", "ebx", "ecx", "edx"]}),
    ("ud2", "0f0b", {"reads": [], "writes": [], "control": "trap"}),
    ("std", "fd", {"reads": [], "writes": [], "direction": "set"}),
    ("cld", "fc", {"reads": [], "writes": [], "direction": "clear"}),
    ("rol eax, 8", "c1c008", {"reads": ["eax"], "writes": ["eax"], "flags": True, "rotation": ("eax", 8, 32)}),
    # The width is the operand's, not the first letter of its name: `ax` is 16 bits.
    ("rol ax, 8", "66c1c008", {"reads": ["ax"], "writes": ["ax"], "flags": True, "rotation": ("ax", 8, 16)}),
    ("rep movsb", "f3a4", {"reads": ["rcx", "rdi", "rsi"], "writes": ["rcx", "rdi", "rsi"], "memory": "rw"}),
    ("xchg rax, rbx", "4893", {"reads": ["rax", "rbx"], "writes": ["rax", "rbx"]}),
    ("lea rax, [rax]", "488d00", {"reads": ["rax"], "writes": []}),
    ("add rsi, 16", "4883c610", {"reads": ["rsi"], "writes": ["rsi"], "flags": True, "increment": ("rsi", 16, 64)}),
    # A 32-bit write also zeroes the upper half (Vol. 1 §3.4.1.1): no increment of the whole register.
    ("add eax, 16", "83c010", {"reads": ["eax"], "writes": ["eax"], "flags": True}),
    ("mul rbx", "48f7e3", {"reads": ["rax", "rbx"], "writes": ["rax", "rdx"], "flags": True}),
    # CDQ/CQO: rDX gets the sign of the accumulator, which stays as it is (SDM Vol. 2A, CWD/CDQ/CQO).
    ("cqo", "4899", {"reads": ["rax"], "writes": ["rdx"]}),
    ("iretq", "48cf", {"reads": [], "writes": [], "control": "leaves", "direction": "clear"}),
    ("popfq", "9d", {"reads": ["rsp"], "writes": [], "flags": True, "stack": "r", "sp": 8, "direction": "clear"}),
    # STAC sets AC, which is not a status flag.
    ("stac", "0f01cb", {"reads": [], "writes": []}),
    # XADD sets CF, PF, AF, SF, ZF, OF from its addition (Vol. 2D, "Flags Affected"); capstone's register lists omit
    # rflags there, its flag details do not.
    ("lock xadd qword ptr [rdi], rax", "f0480fc107",
     {"reads": ["rax", "rdi"], "writes": ["rax"], "memory": "rw", "flags": True}),
    # POPCNT is no pop: it touches no stack (Vol. 2B); it sets ZF and clears the other status flags.
    ("popcnt rax, rcx", "f3480fb8c1", {"reads": ["rcx"], "writes": ["rax"], "flags": True}),
    # CMPXCHG (Vol. 2A): the destination is always written (back, on failure), and on failure the accumulator is
    # loaded with it; capstone lists neither.
    ("lock cmpxchg qword ptr [rdi], rcx", "f0480fb10f",
     {"reads": ["rax", "rcx", "rdi"], "writes": ["rax"], "memory": "rw", "flags": True}),
    ("cmpxchg16b xmmword ptr [rdi]", "480fc70f",
     {"reads": ["rax", "rbx", "rcx", "rdx", "rdi"], "writes": ["rax", "rdx"], "memory": "rw", "flags": True}),
    # LTR (Vol. 2A): the TSS descriptor is read from the GDT and marked busy there; LLDT reads its descriptor.
    ("ltr ax", "0f00d8", {"reads": ["ax"], "writes": [], "memory": "rw"}),
    ("lldt ax", "0f00d0", {"reads": ["ax"], "writes": [], "memory": "r"}),
    ("lgdt [rax]", "0f0110", {"reads": ["rax"], "writes": [], "memory": "r"}),
    ("sgdt [rax]", "0f0100", {"reads": ["rax"], "writes": [], "memory": "w"}),
    # INVLPG's operand is the address of the page whose translation goes: no access there.
    ("invlpg byte ptr [rax]", "0f0138", {"reads": ["rax"], "writes": []}),
    # Capstone 5 cannot decode these; SLEIGH decodes AVX512-FP16 (its record to be confirmed by the mnemonic
    # written), AMD's INVLPGB and TLBSYNC (APM Vol. 3: rAX, ECX, EDX in, nothing out) are fixed encodings.
    ("vmovsh xmm0 {k1} {z}, word ptr [rax]", "62f57e891000",
     {"reads_at_least": ["k1", "rax"], "writes": ["zmm0"], "memory": "r"}),
    ("invlpgb", "0f01fe", {"reads": ["rax", "ecx", "edx"], "writes": []}),
    ("tlbsync", "0f01ff", {"reads": [], "writes": []}),
]

X86 = [
    ("push ebx", "53", {"reads": ["ebx", "esp"], "writes": [], "stack": "w", "sp": -4}),
    ("pop ebx", "5b", {"reads": ["esp"], "writes": ["ebx"], "stack": "r", "sp": 4}),
    ("int 0x80", "cd80", {"reads": [], "writes": [], "kernel_call": True}),
    ("pushfd", "9c", {"reads": ["esp"], "writes": [], "stack": "w", "sp": -4}),
    ("popfd", "9d", {"reads": ["esp"], "writes": [], "flags": True, "stack": "r", "sp": 4, "direction": "clear"}),
    ("mov eax, dword ptr [esp + 4]", "8b442404", {"reads": ["esp"], "writes": ["eax"], "stack": "r"}),
    ("ret", "c3", {"reads": ["esp"], "writes": [], "stack": "r", "sp": None, "control": "return"}),
    # `call 1f; 1:` with no relocation calls no function: it pushes the program counter.
    ("call 1f", "e800000000", {"reads": ["esp"], "writes": [], "stack": "w", "sp": -4}),
    ("sysenter", "0f34", {"reads": [], "writes": [], "kernel_call": True}),
]


@pytest.mark.parametrize("row", X86_64, ids=[row[0] for row in X86_64])
def test_x86_64(row):
    check("x86_64", row)


@pytest.mark.parametrize("row", X86, ids=[row[0] for row in X86])
def test_x86(row):
    check("x86", row)


def test_a_call_to_a_symbol_is_a_call():
    """The same bytes with a relocation on the target are a call to a function the linker places."""
    (call,) = decode("x86_64", bytes.fromhex("e800000000"), relocated=frozenset({1})).insns
    assert (call.control, call.sp_delta) == ("call", 0)


def test_an_encoding_neither_engine_knows_is_said():
    """AMX's `tilerelease` (VEX.128.NP.0F38.W0 49 C0, bytes from LLVM): capstone 5 stops there and neither SLEIGH nor
    the encodings' data know it; the block is not analysed and the reason says so."""
    decoded = decode("x86_64", bytes.fromhex("90" "c4e27849c0"))
    assert (decoded.complete, decoded.stop, [insn.text for insn in decoded.insns]) == (False, 1, ["nop"])
    assert decoded.reason.startswith("capstone ") and decoded.reason.endswith(" cannot decode the instruction")


def test_sleigh_decodes_one_instruction_and_capstone_goes_on():
    """`nop; vmovsh xmm0, xmm1, xmm2; nop`: capstone's records around SLEIGH's, which asks for confirmation (SLEIGH reads
    some unknown prefixed encodings as older instructions: `senduipi rax` as `rdrand eax`)."""
    decoded = decode("x86_64", bytes.fromhex("90" "62f5760810c2" "90"))
    assert decoded.complete
    assert [(insn.mnemonic, insn.offset, insn.confirm) for insn in decoded.insns] == [
        ("nop", 0, False), ("vmovsh", 1, True), ("nop", 7, False)]
    (guessed,) = decode("x86_64", bytes.fromhex("f30fc7f0")).insns
    assert (guessed.mnemonic, guessed.confirm) == ("rdrand", True)




def test_sleigh_given_no_bytes_gives_no_instruction():
    """An empty region (the fallback asked at the code's end) holds no instruction, and is no crash (pypcode raises
    IndexError for it; found by the mutation fuzzer)."""
    from asm_ls.machine.semantics import sleigh_engine
    from asm_ls.machine.semantics.facts import machine_facts
    facts = machine_facts("x86_64")
    found = sleigh_engine.decode(facts, facts.fallback[0]["language"], None, b"\x90", [(1, 1, False)])
    assert (found.insns, found.complete) == ([], True)
