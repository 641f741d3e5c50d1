"""Short explanations shown by hover and completion: what each option promises, what each operand
kind does, what the argument keywords are.  Architecture facts are not here: they come from the
data files."""

from __future__ import annotations

# option -> (meaning, the contract the code asserts: breaking it is undefined behaviour)
OPTIONS: dict[str, tuple[str, str]] = {
    "pure": (
        "The block has no side effects: its outputs depend only on its inputs (and, unless "
        "`nomem` is also given, on memory it reads).",
        "The compiler may remove the block when its outputs are unused, or run it fewer times "
        "than written. Requires `nomem` or `readonly`, and at least one output.",
    ),
    "nomem": (
        "The block neither reads nor writes memory the program can observe.",
        "The compiler may keep values in registers across the block and assume no memory "
        "changed. Touching memory reachable by the program is undefined behaviour; the block "
        "may still use private stack space.",
    ),
    "readonly": (
        "The block may read memory but never writes memory the program can observe.",
        "The compiler may cache memory values across the block. Writing such memory is "
        "undefined behaviour. Cannot be combined with `nomem`.",
    ),
    "preserves_flags": (
        "The block leaves the condition flags as it found them.",
        "The compiler may keep flag values live across the block. Changing the flags listed "
        "for the architecture in the Rust reference is undefined behaviour.",
    ),
    "noreturn": (
        "Control never comes back from the block: it jumps away, loops forever or traps.",
        "Falling off the end of the block is undefined behaviour. The block then has type `!` "
        "and cannot have outputs (only `label` blocks may return control to Rust code).",
    ),
    "nostack": (
        "The block does not push onto the stack and does not write below the stack pointer.",
        "Without this option the compiler keeps the stack usable (red zone avoided, alignment "
        "kept for calls). With it, pushing to the stack or touching the red zone is "
        "undefined behaviour.",
    ),
    "att_syntax": (
        "x86 only: the template is written in AT&T syntax instead of Intel syntax.",
        "Registers are then printed with a `%` prefix, as the AT&T assembler expects.",
    ),
    "raw": (
        "The template strings are passed to the assembler verbatim: `{` and `}` are not "
        "placeholders.",
        "The template cannot name operands, so only explicit-register operands are useful; "
        "meant for including assembly text that is not under your control.",
    ),
    "may_unwind": (
        "The block may unwind: a call it makes may raise a panic or another unwinding "
        "exception.",
        "Without it, unwinding out of the block is undefined behaviour.",
    ),
}

# operand kind -> explanation
OPERAND_KINDS: dict[str, str] = {
    "in": "Input: the value is placed in the register before the block runs. The register must "
          "hold the same value when the block ends unless it is also an output; its contents may "
          "be reused for an output allocated with `lateout`.",
    "out": "Output: the register's contents are written to the place when the block ends. The "
           "register is allocated apart from every input, so it may be written before the "
           "inputs are read. `out(..) _` discards the value: the register is just clobbered.",
    "lateout": "Late output: like `out`, but the register may be shared with an input, so it "
               "must only be written after every input has been read.",
    "inout": "Input and output in the same register: the value goes in, the final register "
             "contents come out. `inout(..) a => b` reads `a` and writes `b`; `=> _` discards "
             "the result.",
    "inlateout": "Like `inout`, but the register may be shared with other inputs (it is a late "
                 "output): write it only after every input has been read.",
    "const": "A constant expression, formatted into the template as an integer literal; no "
             "register is used.",
    "sym": "A path to a function or static; the template gets its (mangled) symbol name, "
           "usable in call, jump or address instructions.",
    "label": "A block of Rust code the assembly may jump to; the template gets a label "
             "naming it. When that block finishes, execution continues after the `asm!`.",
}

KEYWORDS: dict[str, str] = {
    "options": "Options: promises about what the block does, which let the compiler generate "
               "better code around it. Breaking a promise is undefined behaviour.",
    "clobber_abi": "Marks every register the named calling convention does not preserve as "
                   "clobbered (a `lateout(..) _` for each), as needed around a function call.",
}

MACROS: dict[str, str] = {
    "asm": "Inline assembly inside a function: templates, operands bound to registers, options.",
    "global_asm": "Assembly at module level, emitted outside any function: only `const` and "
                  "`sym` operands, and the `att_syntax` and `raw` options.",
    "naked_asm": "The whole body of a `#[unsafe(naked)]` function: no prologue or epilogue is "
                 "generated, so the assembly must follow the calling convention itself.",
}

PLACEHOLDER = ("A placeholder: replaced by the operand's register name (or constant, symbol, "
               "label). A modifier after `:` chooses how the register is printed.")

CALLER_SAVED = ("caller-saved under the `{abi}` ABI: a function call may change it "
                "(`clobber_abi(\"{name}\")` marks it clobbered)")
CALLEE_SAVED = "callee-saved under the `{abi}` ABI: a function call preserves it"

# directive -> what it does (GNU assembler syntax, as LLVM's integrated assembler accepts it)
DIRECTIVES: dict[str, str] = {
    ".globl": "Makes a symbol visible to the linker (global binding), so other object files can refer to it: "
              "`.globl name`.",
    ".global": "Makes a symbol visible to the linker (global binding): the same as `.globl`.",
    ".type": "Sets a symbol's ELF type: `.type name, @function` marks code (so debuggers, `perf` and the "
             "dynamic linker treat it as a function), `@object` data.",
    ".size": "Sets a symbol's ELF size: `.size name, . - name` records the bytes from the label to here.",
    ".section": "Switches the output to the named section (`.section .text.foo, \"ax\"`), creating it with the "
                "given flags and type. Code after the block must not stay in it: use `.pushsection`/`.popsection`.",
    ".pushsection": "Switches to the named section and remembers the current one, which `.popsection` restores.",
    ".popsection": "Goes back to the section that was current before the matching `.pushsection`.",
    ".text": "Switches the output to the code section `.text`.",
    ".data": "Switches the output to the writable data section `.data`.",
    ".bss": "Switches the output to `.bss`, zero-initialised data that takes no space in the file.",
    ".byte": "Emits each comma-separated expression as one byte.",
    ".2byte": "Emits each expression as a 2-byte value, in the target's byte order.",
    ".short": "Emits each expression as a 2-byte value, in the target's byte order.",
    ".4byte": "Emits each expression as a 4-byte value, in the target's byte order.",
    ".long": "Emits each expression as a 4-byte value, in the target's byte order.",
    ".word": "Emits each expression as a word: 2 bytes on x86, 4 bytes on Arm and RISC-V.",
    ".8byte": "Emits each expression as an 8-byte value, in the target's byte order.",
    ".quad": "Emits each expression as an 8-byte value, in the target's byte order.",
    ".octa": "Emits each expression as a 16-byte value.",
    ".ascii": "Emits the bytes of each string, without a terminating zero.",
    ".asciz": "Emits the bytes of each string followed by a zero byte.",
    ".string": "Emits the bytes of each string followed by a zero byte (like `.asciz`).",
    ".align": "Pads to an alignment boundary; what the number means (bytes or a power of two) depends on the "
              "target: prefer `.balign` or `.p2align`.",
    ".balign": "Pads with fill bytes (zeros, or no-ops in code) to a multiple of the given number of bytes.",
    ".p2align": "Pads to a multiple of 2 to the given power: `.p2align 4` aligns to 16 bytes.",
    ".skip": "Emits the given number of fill bytes (zero unless a fill value follows).",
    ".space": "Emits the given number of fill bytes (zero unless a fill value follows).",
    ".fill": "Emits `repeat` copies of a `size`-byte `value`: `.fill repeat, size, value`.",
    ".set": "Gives a symbol a value: `.set name, expression`; it can be set again later.",
    ".equ": "Gives a symbol a value: `.equ name, expression` (like `.set`).",
    ".equiv": "Like `.equ`, but an error if the symbol is already defined.",
    ".eqv": "Defines a symbol as an expression that is evaluated where the symbol is used.",
    ".comm": "Declares a common symbol: zero-initialised storage of the given size, merged by the linker.",
    ".lcomm": "Reserves zero-initialised local storage of the given size in `.bss`.",
    ".inst": "Emits the given values as instructions (with the target's instruction encoding and byte order).",
    ".option": "RISC-V: changes assembler options (`push`/`pop`, `rvc`, `norvc`, `arch, +ext`...). Use "
               "`.option push` and `.option pop` around changes so code after the block is unaffected.",
    ".float": "Emits each value as a 4-byte IEEE-754 single-precision number.",
    ".double": "Emits each value as an 8-byte IEEE-754 double-precision number.",
    ".sleb128": "Emits each value as a signed LEB128 variable-length number.",
    ".uleb128": "Emits each value as an unsigned LEB128 variable-length number.",
    ".private_extern": "Mach-O: makes a symbol visible to other object files of the link but not exported.",
    ".alt_entry": "Mach-O: marks a symbol as an alternative entry point of the function before it.",
    ".def": "COFF: starts the debugging description of a symbol (ends with `.endef`).",
    ".endef": "COFF: ends a symbol description started by `.def`.",
    ".scl": "COFF: sets the storage class of the symbol being described by `.def`.",
    ".balignw": "Like `.balign`, padding with 2-byte fill values.",
    ".balignl": "Like `.balign`, padding with 4-byte fill values.",
}
# a prefix of directive names -> what the family does
DIRECTIVE_FAMILIES: dict[str, str] = {
    ".cfi_": "Call-frame information: describes how to find the caller's registers at this point, for unwinding "
             "and backtraces (DWARF `.eh_frame`).",
    ".seh_": "Windows structured exception handling: describes the function's prologue for unwinding.",
}

EXAMPLE_REGISTERS = ("The registers shown for placeholders are asm-ls's example choice; the compiler allocates "
                     "its own.")

LABEL_DEFINITION = "**label `{name}`**"
