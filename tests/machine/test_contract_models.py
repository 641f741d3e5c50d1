"""The contract analysis's models, without rustc: kernel calls per OS and architecture (machine/calls.py) and the
ordering instructions (machine/ordering.py)."""

from __future__ import annotations

from asm_ls.machine.calls import CallModel, kernel_conventions
from asm_ls.machine.ordering import ordering_kind
from asm_ls.machine.semantics import Insn
from asm_ls.model.arch import arch_data
from asm_ls.model.target import parse_target


def _insn(mnemonic: str, op_str: str = "", **effects) -> Insn:
    return Insn(0, 4, mnemonic, op_str, **effects)


def test_kernel_conventions_need_a_known_os():
    assert [entry["convention"] for entry in kernel_conventions("x86_64", "linux")] == \
        ["the Linux x86_64 system call ABI"]
    assert kernel_conventions("x86_64", "") == []
    assert kernel_conventions("aarch64", "none") == []
    assert [entry["certain"] for entry in kernel_conventions("riscv64", "none")] == [False]


def test_kernel_call_adds_what_the_kernel_writes():
    target = parse_target("riscv64gc-unknown-linux-gnu")
    model = CallModel(arch_data("riscv64"), target, "riscv64", set())
    insns = model.apply([_insn("ecall"), _insn("addi", "a0, a0, 1", writes={"a0"})])
    assert insns[0].writes == {"a0"} and insns[1].writes == {"a0"}
    assert model.assumed(0, "a0").certain and model.assumed(1, "a0") is None


def test_int_is_a_kernel_call_only_with_its_vector():
    model = CallModel(arch_data("x86"), parse_target("i686-unknown-linux-gnu"), "x86", set())
    insns = model.apply([_insn("int", "0x80"), _insn("int", "3")])
    assert insns[0].writes == {"eax"} and insns[1].writes == set()


def test_callee_clobbers_are_the_declared_abis_else_the_c_abi():
    data, target = arch_data("x86_64"), parse_target("x86_64-unknown-linux-gnu")
    assert not CallModel(data, target, "x86_64", set()).declared_abi
    assert "cx" in CallModel(data, target, "x86_64", set()).callee
    assert CallModel(data, target, "x86_64", {"ax"}).callee == {"ax"}


def test_ordering_instructions():
    assert ordering_kind("riscv64", _insn("fence", "rw, rw")) == "barrier"
    assert ordering_kind("riscv64", _insn("fence", "w, unknown")) is None      # `pause`
    assert ordering_kind("aarch64", _insn("msr", "daifset, #2")) == "interrupts"
    assert ordering_kind("aarch64", _insn("msr", "tpidr_el1, x0")) is None
    assert ordering_kind("x86_64", _insn("sti")) == "interrupts"
    assert ordering_kind("x86_64", _insn("nop")) is None
