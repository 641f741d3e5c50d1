"""The contract analysis's models, without rustc: kernel calls per OS and architecture (machine/calls.py) and the
ordering instructions (machine/ordering.py)."""

from __future__ import annotations

from asm_ls.machine.calls import CallModel, call_name, kernel_conventions
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
    assert [entry["convention"] for entry in kernel_conventions("aarch64", "none")] == \
        ["the SMC Calling Convention", "the Arm semihosting interface"]
    assert [entry["certain"] for entry in kernel_conventions("riscv64", "none")] == [False]


def test_kernel_call_adds_what_the_kernel_writes():
    target = parse_target("riscv64gc-unknown-linux-gnu")
    model = CallModel(arch_data("riscv64"), target, "riscv64", set())
    insns = model.apply([_insn("ecall"), _insn("addi", "a0, a0, 1", writes={"a0"})])
    assert insns[0].writes == {"a0"} | {f"v{n}" for n in range(32)} and insns[1].writes == {"a0"}
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


def test_operands_compare_as_numbers():
    model = CallModel(arch_data("arm"), parse_target("thumbv7em-none-eabihf"), "arm", set())
    insns = model.apply([_insn("bkpt", "#0xab"), _insn("bkpt", "0xab"), _insn("bkpt", "#0x1")])
    assert [insn.writes for insn in insns] == [{"r0"}, {"r0"}, set()]
    assert model.assumed(0, "r0").convention == "the Arm semihosting interface"


def test_call_numbers_name_calls_per_architecture():
    assert call_name(["x86_64"], 293) == "pipe2" and call_name(["i386"], 331) == "pipe2"
    assert call_name(["generic", "generic-64", "generic-newstat"], 80) == "fstat"
    assert call_name(["generic", "generic-64"], 80) is None            # loongarch64 has no fstat number
    assert call_name(["x86_64"], "readlinkat") == "readlinkat" and call_name(["x86_64"], "nosuchcall") is None


def test_a_known_number_gives_the_calls_memory_effect():
    model = CallModel(arch_data("x86_64"), parse_target("x86_64-unknown-linux-gnu"), "x86_64", set())
    model.apply([_insn("syscall"), _insn("syscall"), _insn("syscall")])
    values = {0: 293, 1: "getpid", 2: None}
    model.resolve(lambda position, register: values[position] if register == "rax" else None)
    assert model.memory(0).memory.writes == ("pipefd",) and model.memory(0).memory.reads == ()
    assert model.memory(1).memory.reads == model.memory(1).memory.writes == ()
    assert model.memory(2) is None              # an unknown number says nothing under Linux


def test_firmware_calls_with_unknown_numbers_may_touch_memory():
    model = CallModel(arch_data("aarch64"), parse_target("aarch64-unknown-none"), "aarch64", set())
    model.apply([_insn("hvc", "#0"), _insn("hvc", "#0"), _insn("hvc", "#0")])
    values = {0: 0x84000000, 1: 0xC2000001, 2: None}
    model.resolve(lambda position, register: values[position] if register == "x0" else None)
    assert model.memory(0).memory.name == "PSCI_VERSION" and not model.memory(0).memory.unknown
    assert model.memory(1).memory.unknown and model.memory(1).memory.name == "0xc2000001"
    assert model.memory(2).memory.unknown and model.memory(2).memory.name is None


def test_calls_to_known_routines_replace_the_c_abi():
    model = CallModel(arch_data("arm"), parse_target("armv5te-unknown-linux-gnueabi"), "arm", set())
    insns = model.apply([_insn("blx", "r4", reads={"r4"}, writes={"lr"}, call=True)])
    assert model.resolve_targets(insns, lambda position, register: 0xffff0fc0 if register == "r4" else None)
    assert insns[0].writes == {"lr", "r0", "r3", "r12"} and insns[0].flags_written
    assert model.routine(0).routine == "__kuser_cmpxchg" and model.callee_writes() == {0: frozenset()}
    vsyscall = CallModel(arch_data("x86"), parse_target("i686-unknown-linux-gnu"), "x86", set())
    insns = vsyscall.apply([_insn("call", "dword ptr gs:[0x10]", call=True)])
    assert vsyscall.routine(0).routine == "__kernel_vsyscall" and not vsyscall.routine(0).certain


def test_an_argument_can_decide_the_effect():
    model = CallModel(arch_data("x86_64"), parse_target("x86_64-unknown-linux-gnu"), "x86_64", set())
    model.apply([_insn("syscall"), _insn("syscall"), _insn("syscall")])
    commands = {0: 5, 1: 1, 2: None}            # F_GETLK, F_GETFD, unknown
    model.resolve(lambda position, register: 72 if register == "rax" else commands[position] if register == "rsi"
                  else None)
    assert model.memory(0).memory.writes == ("the lock",) and model.memory(0).memory.argument == " with command 5"
    assert model.memory(1).memory.reads == model.memory(1).memory.writes == ()
    assert model.memory(2) is None
