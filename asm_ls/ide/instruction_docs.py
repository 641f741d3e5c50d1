"""What instructions, RISC-V CSRs and other template words are, for hover and completion.

Instructions and CSRs come from ``asm_ls/data/instructions.json`` (written by ``tools/gen_instruction_docs.py`` from
the sources it records, with their licences); barrier options, system-register naming and x86 operand sizes from
``asm_ls/data/template_words.json``.  Both are keyed by the architecture data's name (``x86``, ``aarch64``, ``arm``,
``riscv``): one entry serves x86 and x86_64, riscv32 and riscv64.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

_CONDITIONS = ("eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al")
_X86_PREFIXES = ("lock", "rep", "repe", "repz", "repne", "repnz", "notrack", "bnd")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    return json.loads(resources.files("asm_ls.data").joinpath(name).read_text(encoding="utf-8"))


def instructions(family: str) -> dict[str, dict]:
    """Every documented instruction (pseudo-instructions included) of an architecture family, by lowercase name."""
    return _load("instructions.json")["architectures"].get(family, {})


def sources() -> list[dict]:
    return _load("instructions.json")["sources"]


def lookup(family: str, mnemonic: str) -> tuple[str, dict] | None:
    """(the name documented, its entry) for a mnemonic as written: lowercase, without x86 prefixes; ``b.eq`` as
    ``beq``; an Arm condition code suffix (``addeq``) dropped when only the rest is documented."""
    table = instructions(family)
    words = mnemonic.lower().split()
    while len(words) > 1 and words[0] in _X86_PREFIXES:
        words = words[1:]
    name = words[-1] if words else ""
    for candidate in (name, name.replace(".", "")):
        if candidate in table:
            return candidate, table[candidate]
    if family == "arm":
        for suffix in _CONDITIONS:
            if name.endswith(suffix) and name[:-len(suffix)] in table:
                return name[:-len(suffix)], table[name[:-len(suffix)]]
    return None


def csr(name: str) -> dict | None:
    return _load("instructions.json")["riscv_csrs"].get(name.lower())


def words(family: str) -> dict:
    return _load("template_words.json").get(family, {})


def _registers(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def describe(entry: dict, implicit_operands: bool = True) -> list[str]:
    """The paragraphs about one documented instruction (its name is the caller's title); without the implicit
    operands when ``implicit_operands`` is false (the caller shows the assembled instruction's own)."""
    lines = []
    if entry.get("att_of"):
        lines.append(f"AT&T spelling of `{entry['att_of']}` (the suffix gives the operand size).")
    if entry.get("summary"):
        lines.append(entry["summary"])
    if entry.get("pseudo"):
        expansion = entry["pseudo"]
        lines.append("Pseudo-instruction: the assembler chooses the instructions (one or more)." if expansion == "*"
                     else f"Pseudo-instruction for `{expansion}`.")
    implicit = []
    if entry.get("implicit_read"):
        implicit.append("reads " + _registers(entry["implicit_read"]))
    if entry.get("implicit_written"):
        implicit.append("writes " + _registers(entry["implicit_written"]))
    if implicit and implicit_operands:
        lines.append("Implicit operands: " + "; ".join(implicit) + ".")
    flags = []
    if entry.get("flags_written"):
        flags.append("Flags written: " + ", ".join(flag.upper() for flag in entry["flags_written"]))
    if entry.get("flags_read"):
        flags.append(("flags read: " if flags else "Flags read: ") + ", ".join(f.upper() for f in entry["flags_read"]))
    if entry.get("flags_undefined"):
        flags.append(("left undefined: " if flags else "Flags left undefined: ")
                     + ", ".join(flag.upper() for flag in entry["flags_undefined"]))
    if flags:
        lines.append("; ".join(flags) + ".")
    if entry.get("privileged"):
        lines.append(f"Privileged: {entry['privileged']}.")
    if entry.get("extension") and entry["extension"] != "BASE":
        lines.append(f"Extension: `{entry['extension']}`.")
    return lines


def describe_csr(name: str, entry: dict) -> str:
    lines = [f"**CSR `{name}`** (riscv): {entry['name']}",
             f"Address `{entry['address']}`; lowest privilege mode that may access it: {entry['privilege']}-mode"
             + ("; read-only." if entry.get("read_only") else ".")]
    if entry.get("summary"):
        lines.append(entry["summary"])
    lines.append("Read it with `csrr rd, " + name + "`" + ("" if entry.get("read_only") else
                                                            ", write it with `csrw " + name + ", rs`") + ".")
    return "\n\n".join(lines)


def barrier_option(family: str, mnemonic: str, word: str) -> str | None:
    """What a barrier option (``sy``, ``ish``) of ``dmb``/``dsb`` means."""
    barriers = words(family).get("barrier_options")
    if not barriers or mnemonic.lower() not in barriers["instructions"]:
        return None
    meaning = barriers["options"].get(word.lower())
    if meaning is None:
        return None
    return f"**barrier option `{word}`** of `{mnemonic.lower()}`\n\n{meaning}"


def system_register(family: str, mnemonic: str, word: str) -> str | None:
    """An AArch64 system register named in ``mrs``/``msr``: what its ``_ELn`` suffix says."""
    system = words(family).get("system_register")
    if not system or mnemonic.lower() not in system["instructions"]:
        return None
    match = re.match(system["pattern"], word.lower())
    if match is None:
        return None
    level = match.group(1)
    access = "read with `mrs`, written with `msr`"
    return (f"**system register `{word}`** ({family})\n\nThe `_EL{level}` suffix names the lowest Exception level "
            f"that owns it: EL{level[0]} and higher levels may access it, lower levels only where a higher level "
            f"allows it (otherwise the access traps). It is {access}.")


def operand_size(family: str, word: str) -> str | None:
    """``byte`` in ``byte ptr [rax]`` (Intel syntax)."""
    bits = words(family).get("operand_sizes", {}).get(word.lower())
    if bits is None:
        return None
    return (f"**`{word.lower()} ptr`**: the memory operand is {bits} bits wide"
            + (f" ({bits // 8} byte{'s' if bits > 8 else ''})" if bits % 8 == 0 else "")
            + ". Needed when no register operand gives the size (`mov byte ptr [rax], 1`).")


__all__ = ["instructions", "sources", "lookup", "csr", "describe", "describe_csr", "barrier_option",
           "system_register", "operand_size"]
