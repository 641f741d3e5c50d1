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
