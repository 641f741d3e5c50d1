"""The value a register holds at an instruction, when the block shows it: a constant an instruction of the block puts
there on every path (``Insn.constant``: `mov eax, 293`, `li a7, 78`), or the input operand the register holds from the
block's start, when the operand's expression is an integer literal (`293`, `0x125usize`, `78 as usize`), names a
`const` item of the file whose value is one (defined once in the file), or names a well-known call number (`libc::SYS_readlinkat`, `__NR_readlinkat`, `Sysno::readlinkat`, `nr::READLINKAT`), which
gives the call's name.  Anything else is unknown (None): a guess never stands in for a value."""

from __future__ import annotations

import re

from dataclasses import replace

from asm_ls.machine.flow import Flow
from asm_ls.machine.register_map import Registers
from asm_ls.machine.semantics import Insn
from asm_ls.machine.substitute import const_value
from asm_ls.syntax.tokens import GROUP, IDENT, INT, PUNCT

Value = int | str           # a number, or the name a well-known constant gives


# Each pattern starts with its keyword and then checks the word boundary before it (a lookbehind), rather than with
# `\b`: a leading literal lets the regex engine skip to each occurrence, ten times faster on a large file (this runs on
# every assembler pass), with the same matches.
_CONST_ITEM = re.compile(rb"const(?<![A-Za-z0-9_]const)\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*[A-Za-z0-9_:]+\s*=\s*([^;]*);")


_USE_GROUP = re.compile(rb"use(?<![A-Za-z0-9_]use)\s+((?:[A-Za-z_][A-Za-z0-9_]*::)+)\{([^{}]*)\}\s*;")
_USE_ONE = re.compile(rb"use(?<![A-Za-z0-9_]use)\s+((?:[A-Za-z_][A-Za-z0-9_]*::)+)([A-Za-z_][A-Za-z0-9_]*)(?:\s+as\s+([A-Za-z_][A-Za-z0-9_]*))?\s*;")


def file_constants(source: bytes | None) -> dict[str, Value]:
    """The `const` items of a file whose value is an integer literal, and the names its `use` declarations bring in
    from a well-known call numbering (`use sc::nr::{CLONE, EXIT}`: `EXIT` is `exit`), by name (a name defined twice
    is left out)."""
    found: dict[str, Value | None] = {}

    def add(name: str, value: Value | None) -> None:
        found[name] = value if name not in found and value is not None else None

    for match in _CONST_ITEM.finditer(source or b""):
        add(match.group(1).decode(), const_value(match.group(2).decode("utf-8", "replace")))
    for match in _USE_GROUP.finditer(source or b""):
        prefix = match.group(1).decode()
        for item in match.group(2).decode("utf-8", "replace").split(","):
            words = item.split()
            if len(words) == 1 and words[0].isidentifier():
                add(words[0], _well_known((prefix + words[0]).split("::")))
            elif len(words) == 3 and words[1] == "as" and words[0].isidentifier() and words[2].isidentifier():
                add(words[2], _well_known((prefix + words[0]).split("::")))
    for match in _USE_ONE.finditer(source or b""):
        name = match.group(2).decode()
        alias = match.group(3).decode() if match.group(3) else name
        add(alias, _well_known((match.group(1).decode() + name).split("::")))
    return {name: value for name, value in found.items() if value is not None}


def expression_value(tokens, constants: dict[str, Value] | None = None) -> Value | None:
    """The value of an operand expression that is a literal, a `const` of the file (``constants``) or a well-known call
    number, cast or not."""
    tokens = list(tokens)
    while len(tokens) == 1 and tokens[0].kind == GROUP and tokens[0].delimiter == "(":
        tokens = list(tokens[0].children)
    for position, token in enumerate(tokens):
        if token.kind == IDENT and token.text == "as":
            tokens = tokens[:position]      # `78 as usize`, `Sysno::readlinkat as usize`
            break
    if len(tokens) == 1 and tokens[0].kind == INT:
        return const_value(tokens[0].text)
    path = "".join(token.text for token in tokens)
    if not all(token.kind == IDENT or token.kind == PUNCT and set(token.text) == {":"} for token in tokens):
        return None
    segments = path.split("::")
    if not all(segment.isidentifier() for segment in segments):
        return None
    if len(segments) == 1 and constants and path in constants:
        return constants[path]
    return _well_known(segments)


def _well_known(segments: list[str]) -> str | None:
    last = segments[-1]
    for prefix in ("SYS_", "__NR_"):
        if last.startswith(prefix) and len(last) > len(prefix):
            return last[len(prefix):]
    if len(segments) >= 2 and segments[-2] == "Sysno":
        return last
    if len(segments) >= 2 and segments[-2] == "nr" and last.isupper():
        return last.lower()
    return None


def input_values(facts, constants: dict[str, Value] | None = None) -> dict[str, Value]:
    """Canonical register -> the value of the input operand it holds at the block's start (when evident)."""
    out: dict[str, Value] = {}
    for operand, name in facts.operand_registers():
        if operand.is_input and operand.expr is not None and operand.expr.known:
            value = expression_value(operand.expr.tokens, constants)
            if value is not None:
                out[name] = value
    return out


def placed_constants(facts, constants: dict[str, Value] | None = None) -> list[Insn]:
    """The block's instructions with each constant move that writes a `const` operand's placeholder valued by that
    operand's expression (`mov x8, {nr}` with `nr = const nr::EXIT`), not by the stand-in the assembled text had for a
    value the model does not know (0): unknown then.  A move whose statement cannot be told apart keeps no constant
    when the block has a `const` operand."""
    operands = facts.asm.operands
    consts = {operand.index for operand in operands if operand.kind == "const"}
    if not consts:
        return facts.insns
    out: list[Insn] = []
    for insn in facts.insns:
        if insn.constant is not None:
            held = facts.locator.operands(insn)
            placed = consts if held is None else held & consts
            if placed:
                value = None
                if held is not None and len(placed) == 1:
                    operand = operands[next(iter(placed))]
                    if operand.expr is not None and operand.expr.known:
                        value = expression_value(operand.expr.tokens, constants)
                insn = replace(insn, constant=None if value is None else (insn.constant[0], value))
        out.append(insn)
    return out


def register_value(flow: Flow, insns: list[Insn], registers: Registers, inputs: dict[str, Value], position: int,
                   register: str) -> Value | None:
    """The value ``register`` (canonical) holds before instruction ``position`` when every path gives the same one."""
    if position not in flow.before:
        return None
    found: set[Value] = set()
    for token in flow.sources(register, position):
        value = None
        if token[0] == "entry":
            value = inputs.get(token[1])
        elif token[0] == "written":
            constant = insns[token[1]].constant
            if constant is not None and registers.canonical(constant[0]) == token[2]:
                value = constant[1]
        if value is None:
            return None
        found.add(value)
    return found.pop() if len(found) == 1 else None
