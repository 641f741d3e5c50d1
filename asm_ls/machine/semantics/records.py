"""The instruction records every semantics engine produces: what one instruction reads, writes, does to memory, the
stack and the flags, and where control goes next.  The contract rules read these and never a mnemonic."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Insn:
    """One decoded instruction's effects.  Register names are the engine's (``eax``, ``w0``, ``t0``, SLEIGH's ``r0``);
    ``facts.MachineFacts.canonical`` and the architecture data map them to the data's registers.  Offsets of stack
    slots are relative to the stack pointer at the start of the instruction; ``sp_delta`` is applied after them (None:
    the stack pointer changes by an unknown amount)."""

    offset: int
    size: int
    mnemonic: str
    op_str: str
    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)
    widths: dict[str, int] = field(default_factory=dict)   # register -> bits written (when the engine knows)
    memory_read: bool = False           # memory not addressed through the stack pointer
    memory_write: bool = False
    stack_access: bool = False          # push/pop, call/ret, or an access through the stack pointer
    stack_write: bool = False           # a store through the stack pointer
    stack_read: bool = False            # a load through the stack pointer (pop, ret and loads; for hover)
    push_pop: bool = False
    flags_written: bool = False         # writes a register ``preserves_flags`` covers
    call: bool = False
    jump: bool = False
    ret: bool = False
    interrupt: bool = False
    kernel_call: bool = False           # enters the kernel (`syscall`, `svc`, `ecall`, `sc`)
    sp_written: bool = False
    sp_delta: int | None = 0
    # Control flow: ``jump`` covers every branch (conditional ones fall through too); ``target`` is the offset a direct
    # branch or call goes to (None: indirect); ``trap`` never falls through (``ud2``).
    conditional: bool = False
    target: int | None = None
    trap: bool = False
    waits: bool = False                 # waits for an interrupt or event, then goes on (`hlt`, `wfi`, `wfe`)
    # The registers read through the instruction's operands (memory operands' base and index included), as opposed to
    # implicit reads (`cpuid` reads ecx); None: not known, take ``reads``.
    operand_reads: set[str] | None = None
    direction: str | None = None        # x86's direction flag: "set" (`std`), "clear" (`cld`, `popf`, `iret`)
    rotation: tuple[str, int, int] | None = None    # (register, bits rotated left, register width)
    increment: tuple[str, int, int] | None = None   # (register, constant added, register width): `add r1, r1, #4`
    copies: list[tuple[str, str]] = field(default_factory=list)     # (destination, source), done at once
    # Registers in fields an engine knows the role of (``address``: a base or index register; ``branch``: the register
    # a branch goes to), and the constraints of ``asm_ls/data/allocation.json``'s ``encodings`` that apply: (register,
    # entry) where the encoding gives some register numbers another meaning (`constraints.py`).
    fields: list[tuple[str, str]] = field(default_factory=list)
    constrained: list[tuple[str, dict]] = field(default_factory=list)
    constant: tuple[str, int] | None = None     # (register, value): the instruction sets the register to a constant
    stores: list[tuple[str, int]] = field(default_factory=list)     # (register, stack offset)
    loads: list[tuple[str, int]] = field(default_factory=list)
    # Decoded by a fallback engine that may read an encoding it does not know as another instruction (SLEIGH's x86
    # takes `senduipi` for a prefixed `rdrand`): the record holds only when its mnemonic is the one the template writes.
    confirm: bool = False

    @property
    def text(self) -> str:
        return f"{self.mnemonic} {self.op_str}".strip()

    @property
    def control(self) -> str:
        """How control leaves the instruction: ``fallthrough``, ``jump``, ``branch`` (conditional), ``call``,
        ``return``, ``trap``, ``leaves`` (an indirect or exception-return jump out of the block)."""
        if self.trap:
            return "trap"
        if self.ret:
            return "return"
        if self.call:
            return "call"
        if self.jump:
            return "branch" if self.conditional else "jump" if self.target is not None else "leaves"
        return "fallthrough"


@dataclass
class Decoded:
    """A block's instructions.  ``complete``: every byte decoded and analysed; else ``reason`` says why not and
    ``stop`` is the offset where decoding stopped."""

    insns: list[Insn]
    complete: bool
    reason: str | None = None
    stop: int | None = None


@dataclass
class Detail:
    """One instruction for a reader: its bytes, the engine's text, the registers it reads and writes (implicit ones
    included, flags apart), the flags it writes and reads, memory accesses and its ISA extension groups."""

    offset: int
    encoding: bytes
    mnemonic: str
    op_str: str
    reads: list[str]
    writes: list[str]
    flags_written: list[str]
    flags_read: list[str]
    memory_read: bool
    memory_write: bool
    extensions: list[str]

    @property
    def text(self) -> str:
        return f"{self.mnemonic} {self.op_str}".strip()
