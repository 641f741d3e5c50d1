"""Names a file's unknown assembly may define: when some block's text cannot be known (a template from a user macro,
``include_str!``), it may define symbols (``.equ``, ``.set``, labels) and macros that the file's other blocks use,
since all the assembly of one object shares the assembler's state.  An assembler error on a line that uses a name
the known text does not define may be about that name, and is not reported: the model cannot know."""

from __future__ import annotations

import re

from asm_ls.model.arch import ArchData

# A name as the assembler reads one (`.Lfoo`, `$t0`, `foo.bar`); not after `\` (a macro argument) or inside a number.
_NAME = re.compile(r"(?<![\w.$\\])[A-Za-z_.$][\w.$]*")
# What a text defines: `name:`, `.equ name,`, `.set name,`, `.equiv name,`, `name =`, `.macro name`.
_DEFINED = re.compile(r"(?:^|[\s;])(?:\.(?:equ|set|equiv|eqv|macro)\s+([A-Za-z_.$][\w.$]*)"
                      r"|([A-Za-z_.$][\w.$]*)\s*(?::(?!:)|=(?!=)))")


def defined_names(texts: list[str]) -> set[str]:
    """The symbols and macros the known assembly defines."""
    found: set[str] = set()
    for text in texts:
        for match in _DEFINED.finditer(text):
            found.add(match.group(1) or match.group(2))
    return found


def names_something_hidden(text: str, statement: tuple[int, int], unknown_mnemonic: bool, data: ArchData,
                           defined: set[str]) -> bool:
    """Whether the statement ``text[statement]`` uses a name the known text does not define: an operand that is no
    register, or (``unknown_mnemonic``: the assembler does not know it) its mnemonic, which may be a hidden macro."""
    body = text[statement[0]:statement[1]]
    words = _NAME.findall(body)
    if not words:
        return False
    mnemonic, operands = words[0], words[1:]
    if unknown_mnemonic and mnemonic not in defined:
        return True
    return any(word not in defined and _register(word, data) is None for word in operands)


def _register(word: str, data: ArchData) -> str | None:
    for name in (word, word.lower(), word.lstrip("%").lower()):
        found = data.canonical(name)
        if found is not None:
            return found
    return None


__all__ = ["defined_names", "names_something_hidden"]
