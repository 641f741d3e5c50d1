"""The capstone engine (x86, x86_64, AArch64 and arm64ec, RISC-V): machine code to instruction records with capstone in
detail mode: the registers each instruction reads and writes (implicit ones included), its memory and stack accesses,
flags, control flow, and the register moves and stack slots the contract analysis needs to recognise saves and
restores.

Register names stay capstone's (``eax``, ``w0``, ``t0``); the architecture data maps them to its canonical registers.
Capstone's view is completed or corrected where it is known to be wrong or silent (the tables below: capstone's own
gaps, per instruction set); the machine's facts (stack pointer, flags, zero registers) come from the data
(``facts.py``)."""

from __future__ import annotations

from asm_ls.machine.semantics.facts import machine_facts
from asm_ls.machine.semantics.records import Decoded, Detail, Insn

try:
    import capstone
except ImportError:         # pragma: no cover - capstone is a dependency; without it the analysis says nothing
    capstone = None

# Architectures this engine decodes (the data's ``machine.engine`` says which engine each one uses).
SUPPORTED = ("x86_64", "x86", "aarch64", "arm64ec", "riscv64", "riscv32")
_X86 = ("x86_64", "x86")

# Implicit writes capstone does not report.
_EXTRA_WRITES = {("x86_64", "syscall"): ("rcx", "r11")}
# Writes capstone reports wrongly: the supervisor call does not write the link register; comparisons only set flags.
_DROP_WRITES = {(arch, m): ("lr", "x30") for m in ("svc", "hvc", "smc") for arch in ("aarch64", "arm64ec")}
# `cwd`/`cdq`/`cqo` sign-extend the accumulator into rDX and leave the accumulator as it is (Intel SDM Vol. 2A, CWD/CDQ/
# CQO); capstone lists the accumulator as written.
_DROP_WRITES.update({(arch, m): (acc,) for arch in ("x86_64", "x86") for m, acc in (("cwd", "ax"), ("cdq", "eax"),
                                                                                     ("cqo", "rax"))})
# Instructions capstone has write a register operand they only read: `vmwrite` reads the field encoding and the value.
_READS_ONLY = {("x86_64", "vmwrite"), ("x86", "vmwrite")}
_FLAGS_ONLY = {(arch, m) for m in ("cmp", "cmn", "tst", "ccmp", "ccmn", "fcmp", "fcmpe", "fccmp", "fccmpe")
               for arch in ("aarch64", "arm64ec")}
# System instructions whose memory access capstone does not report (Intel SDM Vol. 2A): `ltr` reads the TSS descriptor
# from the GDT and marks it busy there, `lldt` reads the LDT's descriptor from the GDT: (reads, writes).
_DESCRIPTOR_ACCESS = {"ltr": (True, True), "lldt": (True, False)}
# Compare-and-exchange (Intel SDM Vol. 2A, CMPXCHG, CMPXCHG8B/16B): the destination is always written (back, when the
# comparison fails), and on failure the accumulator (`cmpxchg`) is loaded with it; capstone lists neither.
_COMPARE_EXCHANGE = ("cmpxchg", "cmpxchg8b", "cmpxchg16b")
_ACCUMULATORS = {"al", "ax", "eax", "rax"}
# Instructions whose memory operand is only an address: nothing is read or written there (`invlpg` invalidates the
# page's translation; `clflush` writes back and evicts a line, which leaves memory's contents as they are).
_ADDRESS_ONLY_PREFIXES = ("prefetch", "clflush", "nop", "invlpg")
# Flags capstone reports as written though they are restored (``sysret`` restores rflags from r11).
_NO_FLAGS = {("x86_64", "syscall")}
# x86's direction flag: `std` sets it; `cld`, `popf` and the interrupt returns give it a known or restored value.
_DIRECTION_SET = {"std"}
_DIRECTION_CLEAR_PREFIXES = ("cld", "popf", "iret")
_ROTATIONS = {"rol": 1, "ror": -1}

_RISCV_NO_WRITE = {"fence", "fence.i", "fence.tso", "ecall", "ebreak", "c.ebreak", "wfi", "mret", "sret", "uret",
                   "nop", "c.nop", "sfence.vma", "c.j", "j", "c.jr", "jr", "ret", "pause",
                   # `csrrw/csrrs/csrrc x0, csr, rs`: capstone leaves out the CSR and x0, the register is the source
                   "csrw", "csrs", "csrc"}
# The F extension's CSR writes (`csrrw rd, fcsr|frm|fflags, rs`): with one register operand rd is x0 and the
# register is the source (`fscsr rs`); with two the first is written.
_RISCV_CSR_SWAPS = {"fscsr", "fsrm", "fsflags"}
# Fences, cache-block operations and hypervisor stores: register operands are addresses or stored values.
_RISCV_NO_WRITE_PREFIXES = ("sfence.", "hfence.", "hinval.", "sinval.", "cbo.", "prefetch.", "hsv.")
# Compressed instructions whose first register is only written (the RISC-V unprivileged ISA, "C" extension: loads,
# `c.mv`, `c.li`, `c.lui`, `c.addi4spn`); the others (`c.addi`, `c.add`, `c.slli`...) read it too.
_RISCV_C_WRITE_ONLY = {"c.mv", "c.li", "c.lui", "c.lw", "c.ld", "c.flw", "c.fld", "c.lwsp", "c.ldsp", "c.flwsp",
                       "c.fldsp", "c.addi4spn"}
_AARCH64_RW_MEMORY = ("ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin", "swp", "cas")


def _disassembler(arch: str, little: bool):
    """Capstone for ``arch``.  A64 instructions are little-endian whatever the data's byte order (Arm ARM B2.6.2;
    aarch64_be objects hold them so), so ``little`` does not apply to them."""
    cs = capstone
    if arch == "x86_64":
        md = cs.Cs(cs.CS_ARCH_X86, cs.CS_MODE_64)
    elif arch == "x86":
        md = cs.Cs(cs.CS_ARCH_X86, cs.CS_MODE_32)
    elif arch in ("aarch64", "arm64ec"):
        md = cs.Cs(cs.CS_ARCH_ARM64, cs.CS_MODE_ARM)
    elif arch == "riscv64":
        md = cs.Cs(cs.CS_ARCH_RISCV, cs.CS_MODE_RISCV64 | cs.CS_MODE_RISCVC)
    elif arch == "riscv32":
        md = cs.Cs(cs.CS_ARCH_RISCV, cs.CS_MODE_RISCV32 | cs.CS_MODE_RISCVC)
    else:
        return None
    md.detail = True
    return md


def available(arch: str) -> bool:
    return capstone is not None and arch in SUPPORTED


def decode(arch: str, code: bytes, little: bool = True, relocated: frozenset[int] = frozenset(), start: int = 0) \
        -> Decoded | None:
    """Every instruction of ``code`` from offset ``start`` on (``relocated``: the offsets relocations patch); None when
    the architecture is not supported."""
    if not available(arch):
        return None
    md = _disassembler(arch, little)
    if md is None:
        return None
    facts = machine_facts(arch)
    flags = facts.flags
    insns: list[Insn] = []
    end = start
    for raw in md.disasm(code[start:], start):
        insn = Insn(raw.address, raw.size, raw.mnemonic, raw.op_str)
        if arch.startswith("riscv"):
            _riscv(raw, insn, arch)
        else:
            _generic(raw, insn, arch)
        key = (arch, insn.mnemonic)
        insn.writes.update(_EXTRA_WRITES.get(key, ()))
        insn.writes.difference_update(_DROP_WRITES.get(key, ()))
        if key in _FLAGS_ONLY or key in _READS_ONLY:
            insn.reads |= insn.writes - flags
            insn.writes &= flags
            insn.copies = []
        _control(raw, insn, arch)
        insn.kernel_call = insn.mnemonic in _ISA_MNEMONICS[arch].kernel_calls
        insn.flags_written = bool(insn.writes & flags) and key not in _NO_FLAGS
        if arch in _X86:
            _x86_extras(raw, insn, relocated, facts.word)
        if arch in _X86 and key not in _NO_FLAGS and (insn.flags_written or insn.control == "fallthrough"
                                                      and not insn.kernel_call):
            # `preserves_flags` covers the status flags only (not AC, IF, TF...): `stac` keeps them. Capstone's
            # flag details decide, also where its register lists omit rflags (`xadd`, `cmpxchg`); it gives none for
            # a few system instructions such as `stac`: silent then.
            insn.flags_written = bool(getattr(raw, "eflags", 0) & _X86_STATUS_FLAGS)
        if _zeroing(raw, insn, arch):
            insn.reads = set()          # `xor eax, eax`, `eor x0, x0, x0`: the result does not depend on the register
            insn.operand_reads = set()
        if _keeps_value(raw, insn, arch):
            insn.writes = set()         # `xchg bx, bx`, `movaps xmm0, xmm0`, `add rax, 0`: the value stays
        else:
            increment = _increment(raw, arch, facts.word)
            insn.increment = increment if increment is not None and increment[0] not in facts.stack_pointer else None
        insn.writes -= flags | facts.zero_registers | facts.ignored
        insn.reads -= flags | facts.zero_registers | facts.ignored
        if insn.operand_reads is not None:
            insn.operand_reads &= insn.reads
        insn.constant = _constant(raw, insn)
        stack = facts.stack_pointer
        if insn.writes & stack:
            insn.sp_written = True
            insn.writes -= stack
        elif insn.sp_delta is None:
            insn.sp_delta = 0
        insns.append(insn)
        end = raw.address + raw.size
    if end == len(code):
        return Decoded(insns, True)
    return Decoded(insns, False, f"capstone {_version()} cannot decode the instruction", end)


def _version() -> str:
    return ".".join(str(part) for part in capstone.version_bind()[:2]) if capstone is not None else "?"


def _x86_extras(raw, insn: Insn, relocated: frozenset[int], word: int) -> None:
    """x86's direction flag, rotations by an immediate (with the operand's own width), and `call 1f; 1: pop reg` (the
    program counter into a register): a call to the next instruction calls no function, it is a push that no return
    undoes (a call to a symbol has a relocation, whatever its encoded target)."""
    mnemonic = insn.mnemonic
    read, write = _DESCRIPTOR_ACCESS.get(mnemonic, (False, False))
    insn.memory_read |= read
    insn.memory_write |= write
    operation = mnemonic.split()[-1]        # after a `lock` prefix
    if operation in _COMPARE_EXCHANGE:
        insn.memory_write |= insn.memory_read
        if operation == "cmpxchg":
            insn.writes |= insn.reads & _ACCUMULATORS
    if mnemonic in _DIRECTION_SET:
        insn.direction = "set"
    elif mnemonic.startswith(_DIRECTION_CLEAR_PREFIXES):
        insn.direction = "clear"
    direction = _ROTATIONS.get(mnemonic)
    operands = raw.operands
    if direction is not None and len(operands) == 2 and operands[0].type == capstone.CS_OP_REG \
            and operands[1].type == capstone.CS_OP_IMM:
        insn.rotation = (raw.reg_name(operands[0].reg), direction * operands[1].imm, 8 * operands[0].size)
    if insn.call and insn.target == insn.offset + insn.size \
            and not any(insn.offset <= offset < insn.offset + insn.size for offset in relocated):
        insn.sp_delta, insn.stores, insn.call, insn.push_pop = -word, [], False, True



# Moves of an immediate into a register (RISC-V's `li` is `addi rd, zero, imm`; `c.li`): the value it then holds.
_MOVE_IMMEDIATE = {"mov", "movz", "li", "c.li", "addi"}


def _constant(raw, insn: Insn) -> tuple[str, int] | None:
    """(register, value) when the instruction only puts an immediate into one whole register (32 bits or more)."""
    if raw.mnemonic not in _MOVE_IMMEDIATE or insn.reads or len(insn.writes) != 1 or insn.memory_read:
        return None
    operands = [op for op in raw.operands if op.type != capstone.CS_OP_REG or raw.reg_name(op.reg) != "zero"]
    if len(operands) != 2 or operands[0].type != capstone.CS_OP_REG or operands[1].type != capstone.CS_OP_IMM:
        return None
    name = raw.reg_name(operands[0].reg)
    shift = getattr(operands[1], "shift", None)
    if name not in insn.writes or getattr(operands[0], "size", 8) < 4 or (shift is not None and shift.value):
        return None             # a partial register, or an immediate shifted by an amount this does not apply
    return name, operands[1].imm


class _Mnemonics:
    """One instruction set's mnemonics for what capstone's groups do not say: traps that never fall through, exception
    and system-call returns (control goes elsewhere for good), unconditional branches, kernel calls."""

    def __init__(self, traps, returns, unconditional, kernel_calls) -> None:
        self.traps, self.returns = frozenset(traps), frozenset(returns)
        self.unconditional, self.kernel_calls = frozenset(unconditional), frozenset(kernel_calls)


_X86_MNEMONICS = _Mnemonics(("ud2", "ud1", "ud0"), ("iret", "iretd", "iretq", "sysret", "sysretq", "sysexit",
                                                    "sysexitq"), ("jmp", "ljmp"), ("syscall", "sysenter", "int", "int80"))
_ISA_MNEMONICS = {
    "x86_64": _X86_MNEMONICS, "x86": _X86_MNEMONICS,
    "aarch64": _Mnemonics(("udf",), ("eret", "eretaa", "eretab"), ("b", "br", "braa", "brab", "braaz", "brabz"),
                          ("svc", "hvc", "smc")),
    "riscv": _Mnemonics(("unimp", "c.unimp"), ("mret", "sret", "uret", "mnret", "dret"),
                        ("j", "c.j", "jr", "c.jr", "jal", "jalr"), ("ecall",)),
}
_ISA_MNEMONICS["arm64ec"] = _ISA_MNEMONICS["aarch64"]
_ISA_MNEMONICS["riscv64"] = _ISA_MNEMONICS["riscv32"] = _ISA_MNEMONICS.pop("riscv")
_X86_CONDITIONAL_OTHERS = ("loop", "jrcxz", "jecxz", "jcxz")


_WAITS = {"hlt", "wfi", "wfe", "wfit", "wfet", "mwait", "umwait", "tpause"}
# Instructions that raise an exception whose handler decides where execution goes on (a breakpoint, a call to the
# hypervisor or the secure monitor): like a kernel call, whether they come back is not the block's to say.
_EXCEPTIONS = {"brk", "hvc", "smc", "svc", "int3", "int1", "into", "ebreak", "c.ebreak", "bkpt", "ecall", "syscall",
               "sysenter", "int"}


def _control(raw, insn: Insn, arch: str) -> None:
    """Branch kind and target.  Capstone gives x86 and AArch64 targets as addresses, RISC-V ones relative to the
    instruction."""
    cs = capstone
    mnemonic = insn.mnemonic
    known = _ISA_MNEMONICS[arch]
    insn.trap = mnemonic in known.traps
    insn.waits = mnemonic in _WAITS
    insn.interrupt = insn.interrupt or mnemonic in _EXCEPTIONS
    if mnemonic in known.returns:
        insn.jump, insn.conditional, insn.target = True, False, None
        return
    if arch in ("x86_64", "x86") and mnemonic.startswith(_X86_CONDITIONAL_OTHERS):
        insn.jump = True
    if not (insn.jump or insn.call) or insn.ret:
        return
    insn.conditional = insn.jump and mnemonic not in known.unconditional
    immediates = [op.imm for op in raw.operands if op.type == cs.CS_OP_IMM]
    if immediates and not any(op.type == cs.CS_OP_MEM for op in raw.operands) \
            and not (arch.startswith("riscv") and insn.mnemonic.endswith("jalr")):
        insn.target = immediates[-1] + (insn.offset if arch.startswith("riscv") else 0)


def _groups(raw) -> set[str]:
    return {raw.group_name(group) or "" for group in raw.groups}


def _status_flag_mask() -> int:
    from capstone import x86_const

    mask = 0
    for name in dir(x86_const):
        parts = name.split("_")
        if name.startswith("X86_EFLAGS_") and parts[-1] in ("CF", "PF", "AF", "ZF", "SF", "OF") \
                and parts[2] in ("MODIFY", "SET", "RESET", "UNDEFINED"):
            mask |= getattr(x86_const, name)
    return mask


_X86_STATUS_FLAGS = _status_flag_mask()
# Instructions that leave a register with its own value (the register must be every register operand, at one width;
# a 32-bit write's zero-extension is not followed: the operand's type decides whether those bits are part of the value).
# Copies and idempotent operations: every register operand the same.
_SAME_VALUE = frozenset({
    "mov", "movaps", "movapd", "movups", "movupd", "movdqa", "movdqu", "movss", "movsd", "vmovaps", "vmovapd",
    "vmovups", "vmovupd", "vmovdqa", "vmovdqu", "vmovdqa32", "vmovdqa64", "vmovdqu8", "vmovdqu16", "vmovdqu32",
    "vmovdqu64", "vmovss", "vmovsd", "xchg", "and", "or", "andps", "andpd", "orps", "orpd", "pand", "por", "vandps",
    "vandpd", "vorps", "vorpd", "vpand", "vpor", "vpandd", "vpandq", "vpord", "vporq",     # x86
    "orr", "fmov",                                                                      # AArch64 (and `mov`, `and`)
    "mv", "c.mv", "fmv.s", "fmv.d", "fmv.h", "min", "max", "minu", "maxu",               # RISC-V (and `and`, `or`)
})
# Operations with a neutral immediate (or the zero register as the last operand): `add {0}, 0`, `addi a0, a0, 0`.
_NEUTRAL_ZERO = frozenset({"add", "sub", "or", "xor", "orr", "eor", "shl", "shr", "sar", "sal", "rol", "ror", "rcl",
                           "rcr", "lsl", "lsr", "asr", "addi", "c.addi", "ori", "xori", "slli", "c.slli", "srli",
                           "srai"})
_NEUTRAL_ONES = frozenset({"and", "andi"})


# Operations whose result with the same register for every source does not depend on its value: `xor eax, eax`.
_ZEROING = frozenset({"xor", "sub", "sbb", "pxor", "xorps", "xorpd", "vpxor", "vxorps", "vxorpd", "vpxord", "vpxorq",
                      "psubb", "psubw", "psubd", "psubq", "pcmpeqb", "pcmpeqw", "pcmpeqd", "pcmpeqq", "vpcmpeqb",
                      "vpcmpeqw", "vpcmpeqd", "vpcmpeqq",      # x86
                      "eor", "subs", "bic", "bics", "sbc",         # AArch64 (and `sub`)
                      "sltu", "slt"})                              # RISC-V (and `xor`, `sub`)


def _zeroing(raw, insn: Insn, arch: str) -> bool:
    """An instruction whose register sources are one register, named at least twice, and whose result does not depend
    on its value (``xor eax, eax``, ``sub x0, x0, x0``, ``sbb eax, eax``: the carry only)."""
    cs = capstone
    if raw.mnemonic not in _ZEROING or insn.memory_read or insn.memory_write:
        return False
    names = [raw.reg_name(op.reg) for op in raw.operands if op.type == cs.CS_OP_REG]
    return len(names) == len(raw.operands) >= 2 and len(set(names)) == 1


_INCREMENTS = {"add": 1, "sub": -1, "addi": 1, "c.addi": 1, "inc": 1, "dec": -1}


def _increment(raw, arch: str, word: int) -> tuple[str, int, int] | None:
    """A whole register plus a constant into itself (`add rsi, 16`, `inc rcx`, `sub x1, x1, #16`, `addi a0, a0, -8`):
    (register, constant, width in bits).  Only full-width writes: a 32-bit write on a 64-bit machine (`add eax, 1`,
    `add w0, w0, #1`, `addiw`) also changes the upper half, so two of them do not add up to the entry value."""
    sign = _INCREMENTS.get(raw.mnemonic)
    if sign is None:
        return None
    cs = capstone
    operands = raw.operands
    registers = [op for op in operands if op.type == cs.CS_OP_REG]
    immediates = [op.imm for op in operands if op.type == cs.CS_OP_IMM]
    if not registers or len(registers) + len(immediates) != len(operands) or len({op.reg for op in registers}) != 1:
        return None
    if arch not in _X86 and arch not in ("riscv32", "riscv64") and (registers[0].shift.type or registers[0].ext):
        return None
    name = raw.reg_name(registers[0].reg)
    if raw.mnemonic in ("inc", "dec"):
        amount = 1
    elif len(immediates) == 1 and len(registers) == (1 if arch in _X86 or raw.mnemonic.startswith("c.") else 2):
        amount = immediates[0]
    else:
        return None
    if arch in _X86:
        bits = 8 * registers[0].size
    elif arch.startswith("riscv"):
        bits = 8 * word
    else:
        bits = 32 if name.startswith("w") else 64
    return (name, sign * amount, bits) if bits == 8 * word else None


def _keeps_value(raw, insn: Insn, arch: str) -> bool:
    """An instruction whose only register result is the value its register already holds (``movaps xmm0, xmm0``,
    ``add rax, 0``, ``orr x0, x0, x0``, ``lea rax, [rax]``): flags aside, nothing changes."""
    cs = capstone
    mnemonic = raw.mnemonic
    if insn.memory_read or insn.memory_write or insn.stack_access or insn.call or insn.jump or "{z}" in raw.op_str:
        return False
    zero = machine_facts(arch).zero_registers
    registers: list[str] = []
    immediates: list[tuple[int, int]] = []          # (value, size in bytes; 0: unknown)
    for op in raw.operands:
        if op.type == cs.CS_OP_REG:
            if arch in ("aarch64", "arm64ec") and (op.shift.type and op.shift.value or op.ext):
                return False
            registers.append(raw.reg_name(op.reg))
        elif op.type == cs.CS_OP_IMM:
            immediates.append((op.imm, getattr(op, "size", 0) if arch in ("x86_64", "x86") else 0))
        elif mnemonic == "lea" and op.type == cs.CS_OP_MEM and not op.mem.index and not op.mem.disp \
                and not op.mem.segment and op.mem.base:
            registers.append(raw.reg_name(op.mem.base))
        else:
            return False
    named = [name for name in registers if name not in zero]
    if len(registers) < (1 if immediates else 2) or len(set(named)) != 1 or registers[0] in zero:
        return False
    if mnemonic == "lea":
        return len(registers) == 2
    if not immediates:
        if len(named) == len(registers):
            return mnemonic in _SAME_VALUE or mnemonic.startswith("cmov")
        return mnemonic in _NEUTRAL_ZERO and registers[-1] in zero and len(named) == len(registers) - 1
    if len(immediates) != 1:
        return False
    value, size = immediates[0]
    if mnemonic in _NEUTRAL_ZERO:
        return value == 0
    if mnemonic in _NEUTRAL_ONES:
        return value == -1 or (size > 0 and value == (1 << (8 * size)) - 1)
    return False


def _generic(raw, insn: Insn, arch: str) -> None:
    """x86 and AArch64: capstone's register access lists and operand details."""
    cs = capstone
    try:
        reads, writes = raw.regs_access()
    except cs.CsError:
        reads, writes = list(raw.regs_read), list(raw.regs_write)
    insn.reads = {raw.reg_name(r) for r in reads if raw.reg_name(r)}
    insn.writes = {raw.reg_name(r) for r in writes if raw.reg_name(r)}
    insn.operand_reads = set()
    for op in raw.operands:
        if op.type == cs.CS_OP_REG and (op.access & cs.CS_AC_READ or not op.access):
            insn.operand_reads.add(raw.reg_name(op.reg))
        elif op.type == cs.CS_OP_MEM:
            insn.operand_reads.update(raw.reg_name(r) for r in (op.mem.base, op.mem.index) if r)
    groups = _groups(raw)
    insn.call = "call" in groups
    insn.ret = "ret" in groups or "return" in groups
    insn.jump = "jump" in groups and not insn.call
    insn.interrupt = "int" in groups
    stack = machine_facts(arch).stack_pointer
    mnemonic = raw.mnemonic
    registers = [op for op in raw.operands if op.type == cs.CS_OP_REG]
    memories = [op for op in raw.operands if op.type == cs.CS_OP_MEM]
    word = machine_facts(arch).word
    if arch in ("x86_64", "x86"):
        # push/pop and their flag and all-register forms move the stack pointer themselves (`popcnt` does not)
        if mnemonic.startswith(("push", "pop")) and any(raw.reg_name(r) in stack for r in raw.regs_access()[1]):
            insn.push_pop = True
            insn.stack_access = True
            size = registers[0].size if registers else word
            insn.stack_read = mnemonic.startswith("pop")
            if mnemonic.startswith("push"):
                insn.sp_delta = -size
                if registers and registers[0].size == word:
                    insn.stores.append((raw.reg_name(registers[0].reg), -size))
            else:
                insn.sp_delta = size
                if registers and registers[0].size == word:
                    insn.loads.append((raw.reg_name(registers[0].reg), 0))
        elif insn.call or insn.ret:
            insn.stack_access = True
            insn.stack_read = insn.ret
            insn.stack_write = insn.call                # the return address
            insn.sp_delta = None if insn.ret else 0     # a call's push is undone by the callee's return
        elif mnemonic not in ("lea", "nop") and not mnemonic.startswith(_ADDRESS_ONLY_PREFIXES):
            for op in memories:
                base = raw.reg_name(op.mem.base) if op.mem.base else None
                if base in stack:
                    insn.stack_access = True
                    insn.stack_write |= bool(op.access & cs.CS_AC_WRITE)
                    insn.stack_read |= bool(op.access & cs.CS_AC_READ)
                    if mnemonic == "mov" and len(raw.operands) == 2 and op.size == word:
                        other = raw.operands[1] if raw.operands[0] is op else raw.operands[0]
                        if other.type == cs.CS_OP_REG:
                            target = (raw.reg_name(other.reg), op.mem.disp)
                            (insn.stores if raw.operands[0] is op else insn.loads).append(target)
                    continue
                if op.access & cs.CS_AC_READ:
                    insn.memory_read = True
                if op.access & cs.CS_AC_WRITE:
                    insn.memory_write = True
            if mnemonic.startswith(("movs", "stos", "cmps", "scas", "lods", "ins", "outs")) and not memories:
                insn.memory_read = True
        if insn.writes & stack and not insn.push_pop and not insn.call and not insn.ret:
            insn.sp_delta = None
            if mnemonic in ("sub", "add") and len(raw.operands) == 2 and registers \
                    and raw.reg_name(registers[0].reg) in stack and raw.operands[1].type == cs.CS_OP_IMM:
                value = raw.operands[1].imm
                insn.sp_delta = -value if mnemonic == "sub" else value
        if mnemonic in ("mov", "xchg") and len(registers) == 2 and len(raw.operands) == 2 \
                and registers[0].size == word and registers[1].size == word:
            first, second = raw.reg_name(registers[0].reg), raw.reg_name(registers[1].reg)
            insn.copies = [(first, second)] + ([(second, first)] if mnemonic == "xchg" else [])
    else:
        _aarch64(raw, insn, registers, memories, stack)


def _aarch64(raw, insn: Insn, registers, memories, stack) -> None:
    cs = capstone
    mnemonic = raw.mnemonic
    _aarch64_system_register(raw, insn)
    for op in memories:
        base = raw.reg_name(op.mem.base) if op.mem.base else None
        if mnemonic.startswith(("prfm", "prfum")):
            continue
        if mnemonic.startswith(_AARCH64_RW_MEMORY):
            read, write = True, True
        elif mnemonic.startswith("st"):
            read, write = False, True
        elif mnemonic.startswith("ld"):
            read, write = True, False
        else:
            read, write = bool(op.access & cs.CS_AC_READ), bool(op.access & cs.CS_AC_WRITE)
        if base in stack:
            insn.stack_access = True
            insn.stack_write |= write
            insn.stack_read |= read
            data = [raw.reg_name(r.reg) for r in registers if raw.reg_name(r.reg).startswith("x")]
            if data and len(data) == len(registers) and not mnemonic.startswith(_AARCH64_RW_MEMORY):
                post = raw.writeback and len(raw.operands) > len(registers) + 1
                start = 0 if post else op.mem.disp
                slots = [(name, start + 8 * position) for position, name in enumerate(data)]
                if mnemonic in ("str", "stp", "stur"):
                    insn.stores += slots
                elif mnemonic in ("ldr", "ldp", "ldur"):
                    insn.loads += slots
            if raw.writeback:
                post = len(raw.operands) > len(registers) + 1
                insn.sp_delta = raw.operands[-1].imm if post else op.mem.disp
            continue
        insn.memory_read |= read
        insn.memory_write |= write
    if insn.call:
        insn.stack_access = False       # `bl` writes the link register, not the stack
    if insn.writes & stack and not raw.writeback:
        insn.sp_delta = None
        if mnemonic in ("sub", "add") and len(raw.operands) == 3 and raw.operands[2].type == cs.CS_OP_IMM \
                and raw.reg_name(raw.operands[1].reg) in stack:
            value = raw.operands[2].imm
            insn.sp_delta = -value if mnemonic == "sub" else value
    if mnemonic == "mov" and len(registers) == 2 and len(raw.operands) == 2:
        first, second = raw.reg_name(registers[0].reg), raw.reg_name(registers[1].reg)
        if first.startswith("x") and second.startswith("x"):
            insn.copies = [(first, second)]
    operands = raw.operands
    if mnemonic == "ror" and len(operands) == 3 and len(registers) == 2 and operands[2].type == cs.CS_OP_IMM \
            and registers[0].reg == registers[1].reg:
        name = raw.reg_name(registers[0].reg)
        # The A64 register names say the width: `w` registers are 32 bits, `x` registers 64 (Arm ARM C1.2.5).
        insn.rotation = (name, -operands[2].imm, 32 if name.startswith("w") else 64)


def _aarch64_system_register(raw, insn: Insn) -> None:
    """`msr`/`mrs` of a system register holding state `preserves_flags` covers (FPSR: the data's ``flag_state``), from
    the encoding (Arm ARM C6.2, MSR (register) ``0xd51.....``, MRS ``0xd53.....``; bits 20 to 5 name the register):
    the state is written or read as a register, and a value read and written back is a restore.  Capstone's own
    mentions of the state are dropped: only these instructions certainly write it."""
    names = machine_facts("aarch64").flag_state
    insn.reads -= set(names)
    insn.writes -= set(names)
    word = int.from_bytes(bytes(raw.bytes), "little")
    state = machine_facts("aarch64").flag_csrs.get((word >> 5) & 0xffff, ())
    kind = word & 0xfff00000
    if len(state) != 1 or kind not in (0xd5100000, 0xd5300000):
        return
    operands = [raw.reg_name(op.reg) for op in raw.operands if op.type == capstone.CS_OP_REG]
    register = "xzr" if word & 31 == 31 else next((name for name in operands if name[:1] in "xf" or name == "lr"),
                                                   None)
    if register is None:
        return
    if kind == 0xd5100000:
        insn.writes.add(state[0])
        insn.copies.append((state[0], register))
    else:
        insn.reads.add(state[0])
        insn.copies.append((register, state[0]))


# Compressed forms whose first register is only written (the others, `c.addi a0, 1`, also read it).
_RISCV_C_WRITE_ONLY = {"c.li", "c.lui", "c.mv", "c.addi4spn", "c.lw", "c.ld", "c.flw", "c.fld", "c.lwsp", "c.ldsp",
                       "c.flwsp", "c.fldsp"}
_RISCV_LOADS = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "flh", "flw", "fld", "flq"}
_RISCV_STORES = {"sb", "sh", "sw", "sd", "fsh", "fsw", "fsd", "fsq"}
_RISCV_BRANCHES = {"beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez", "bgez", "blez", "bgtz", "bltz", "bgt",
                   "ble", "bgtu", "bleu"}


def _riscv(raw, insn: Insn, arch: str) -> None:
    """RISC-V: capstone 5 gives operands but no access lists; the first register operand is the destination except
    for stores, branches and jumps."""
    cs = capstone
    mnemonic = raw.mnemonic
    word = int.from_bytes(bytes(raw.bytes), "little") if raw.size == 4 else 0
    if word & 0x7f == 0x73 and (word >> 12) & 7 not in (0, 4):
        _riscv_csr(word, insn, arch, lambda number: raw.reg_name(capstone.riscv_const.RISCV_REG_X0 + number))
        return
    base_name = mnemonic[2:] if mnemonic.startswith("c.") else mnemonic
    if mnemonic.startswith("c.") and base_name.endswith("sp") and base_name != "addi16sp":
        base_name = base_name[:-2]          # c.ldsp, c.sdsp: the stack-pointer forms
    groups = _groups(raw)
    names = [raw.reg_name(op.reg) for op in raw.operands if op.type == cs.CS_OP_REG]
    memories = [op for op in raw.operands if op.type == cs.CS_OP_MEM]
    immediates = [op.imm for op in raw.operands if op.type == cs.CS_OP_IMM]
    bases = [raw.reg_name(op.mem.base) for op in memories]
    load = base_name in _RISCV_LOADS or base_name.startswith("lr.")
    store = base_name in _RISCV_STORES or base_name.startswith("sc.")
    atomic = base_name.startswith("amo")
    branch = base_name in _RISCV_BRANCHES
    insn.interrupt = "int" in groups
    insn.ret = mnemonic in ("ret", "c.jr") and names == ["ra"] or (mnemonic == "jalr" and names[:2] == ["zero", "ra"])
    writes: list[str] = []
    reads: list[str] = list(bases)
    if mnemonic in _RISCV_NO_WRITE or mnemonic.startswith(_RISCV_NO_WRITE_PREFIXES) or branch \
            or (store and not base_name.startswith("sc.")) or (mnemonic in _RISCV_CSR_SWAPS and len(names) == 1):
        reads += names
    elif base_name in ("jal", "jalr"):
        if mnemonic.startswith("c.") or not names or (base_name == "jalr" and len(names) == 1):
            writes.append("ra")
            reads += names
        else:
            writes.append(names[0])
            reads += names[1:]
    elif names:
        writes.append(names[0])
        reads += names[1:] if not mnemonic.startswith("c.") or mnemonic in _RISCV_C_WRITE_ONLY else names
    insn.reads = set(reads)
    insn.writes = set(writes)
    insn.operand_reads = set(reads)
    # Capstone puts `j` (`jal zero`) in the call group: a call is a jump that links in `ra`.
    linking = base_name in ("jal", "jalr") and "ra" in insn.writes
    insn.call = linking and not insn.ret
    insn.jump = (branch or base_name in ("j", "jr", "jal", "jalr") or "jump" in groups) and not linking
    if load or store or atomic:
        address = bases[-1] if bases else (names[-1] if names else None)
        offset = memories[-1].mem.disp if memories else (immediates[0] if immediates else 0)
        if address == "sp":
            insn.stack_access = True
            insn.stack_write = store or atomic
            insn.stack_read = load or atomic
            if mnemonic.endswith(("sd", "sdsp")) and names and not atomic:
                insn.stores.append((names[0], offset))
            elif mnemonic.endswith(("ld", "ldsp")) and names and not atomic:
                insn.loads.append((names[0], offset))
        else:
            insn.memory_read = load or atomic
            insn.memory_write = store or atomic
    if "sp" in insn.writes:
        insn.sp_delta = None
        if base_name in ("addi", "addi16sp") and immediates and (names[1:2] == ["sp"] or mnemonic.startswith("c.")):
            insn.sp_delta = immediates[-1]
    if base_name == "mv" or (base_name == "addi" and len(names) == 2 and immediates == [0]):
        if len(names) == 2 and "zero" not in names:
            insn.copies = [(names[0], names[1])]


def _riscv_csr(word: int, insn: Insn, arch: str, name) -> None:
    """A CSR instruction from its encoding (the RISC-V Zicsr chapter): capstone's aliases (`fsflags a0`, `csrw`...)
    name its registers in several orders.  `csrrw`/`csrrwi` always write the CSR and read it only into a destination
    other than x0; `csrrs`/`csrrc` (and their immediate forms) always read it and write it only with a source other than
    x0.  A CSR holding state `preserves_flags` covers (``fflags`` in ``fflags`` and ``fcsr``...: the data's
    ``flag_state``) is read and written as that state, and a value read from it and written back is a restore."""
    funct3, rd, source, number = (word >> 12) & 7, (word >> 7) & 31, (word >> 15) & 31, word >> 20
    swap = funct3 in (1, 5)
    state = machine_facts(arch).flag_csrs.get(number, ())
    destination, register = name(rd), name(source)
    insn.reads = {register} if funct3 < 4 and source else set()
    insn.operand_reads = set(insn.reads)
    insn.writes = {destination} if rd else set()
    if rd or not swap:
        insn.reads |= set(state)
        if rd and len(state) == 1:
            insn.copies.append((destination, state[0]))
    if swap or source:
        insn.writes |= set(state)
        if funct3 == 1 and len(state) == 1:
            insn.copies.append((state[0], register))


# -- hover and completion: one instruction as capstone sees it, the mnemonics it knows --------------------------------

# Capstone groups that say what kind of instruction it is or which modes have it, not which extension it needs.
_KIND_GROUPS = {"", "jump", "call", "ret", "int", "iret", "privilege", "branch_relative", "mode64", "not64bitmode",
                "mode32", "mode16", "return"}
_X86_FLAG_ORDER = ("CF", "PF", "AF", "ZF", "SF", "TF", "IF", "DF", "OF")


def _x86_flag_bits() -> dict[str, list[tuple[str, int]]]:
    """Capstone's eflags bits by kind: written (modified, set, reset, left undefined) and read (tested)."""
    if capstone is None:
        return {"written": [], "read": []}
    from capstone import x86_const

    out: dict[str, list[tuple[str, int]]] = {"written": [], "read": []}
    for name in dir(x86_const):
        parts = name.split("_")
        if not name.startswith("X86_EFLAGS_") or len(parts) != 4:
            continue
        kind = "written" if parts[2] in ("MODIFY", "SET", "RESET", "UNDEFINED") else "read" if parts[2] == "TEST" \
            else None
        if kind is not None and parts[3].isalpha():
            out[kind].append((parts[3], getattr(x86_const, name)))
    return out


_X86_FLAG_BITS = _x86_flag_bits()


def _flag_names(eflags: int, kind: str) -> list[str]:
    names = {flag for flag, bit in _X86_FLAG_BITS[kind] if eflags & bit}
    return [f for f in _X86_FLAG_ORDER if f in names] + sorted(names - set(_X86_FLAG_ORDER))


def _unique(names) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out


def details(arch: str, code: bytes, little: bool = True) -> list[Detail] | None:
    """Every instruction of ``code`` as :class:`Detail`; None when the architecture is not supported."""
    decoded = decode(arch, code, little)
    md = _disassembler(arch, little) if decoded is not None else None
    if md is None:
        return None
    by_offset = {insn.offset: insn for insn in decoded.insns}
    flags = machine_facts(arch).flags
    zero = machine_facts(arch).zero_registers
    out: list[Detail] = []
    for raw in md.disasm(code, 0):
        insn = by_offset.get(raw.address)
        if insn is None:
            break
        key = (arch, raw.mnemonic)
        if arch.startswith("riscv"):
            reads, writes = sorted(insn.reads), sorted(insn.writes | ({"sp"} if insn.sp_written else set()))
        else:
            try:
                read_ids, write_ids = raw.regs_access()
            except capstone.CsError:
                read_ids, write_ids = list(raw.regs_read), list(raw.regs_write)
            reads = _unique(raw.reg_name(r) for r in read_ids)
            writes = _unique(raw.reg_name(r) for r in write_ids)
            writes = _unique(writes + list(_EXTRA_WRITES.get(key, ())))
            writes = [name for name in writes if name not in _DROP_WRITES.get(key, ())]
            if key in _FLAGS_ONLY or key in _READS_ONLY:    # capstone has `cmp x0, x1` write x0: it reads it
                reads = _unique(reads + [name for name in writes if name not in flags])
                writes = [name for name in writes if name in flags]
        if arch in ("x86_64", "x86"):
            eflags = getattr(raw, "eflags", 0) or 0
            written = _flag_names(eflags, "written") if key not in _NO_FLAGS else []
            tested = _flag_names(eflags, "read")
            if not written and any(name in flags for name in writes) and key not in _NO_FLAGS:
                written = ["flags"]
            if not tested and any(name in flags for name in reads):
                tested = ["flags"]
        else:
            written = ["NZCV"] if any(name in flags for name in writes) else []
            tested = ["NZCV"] if any(name in flags for name in reads) else []
        out.append(Detail(
            raw.address, bytes(raw.bytes), raw.mnemonic, raw.op_str,
            [name for name in reads if name not in flags | zero], [name for name in writes if name not in flags | zero],
            written, tested, insn.memory_read or insn.stack_read, insn.memory_write or insn.stack_write
            or (insn.push_pop and not insn.stack_read) or (insn.call and arch in ("x86_64", "x86")),
            sorted(group for group in _groups(raw) if group not in _KIND_GROUPS)))
    return out


_MNEMONICS: dict[str, list[str]] = {}


def mnemonics(arch: str) -> list[str]:
    """The instruction names capstone knows for ``arch``, lowercase, sorted (empty when it decodes none)."""
    if not available(arch):
        return []
    if arch not in _MNEMONICS:
        md = _disassembler(arch, True)
        module = {"x86_64": "x86_const", "x86": "x86_const", "aarch64": "arm64_const",
                  "arm64ec": "arm64_const"}.get(arch, "riscv_const")
        prefix = {"x86_const": "X86", "arm64_const": "ARM64", "riscv_const": "RISCV"}[module]
        constants = __import__(f"capstone.{module}", fromlist=["_"])
        ending = getattr(constants, f"{prefix}_INS_ENDING", 0)
        names = {(md.insn_name(number) or "").lower() for number in range(1, ending)}
        _MNEMONICS[arch] = sorted(name for name in names if name and " " not in name)
    return _MNEMONICS[arch]
