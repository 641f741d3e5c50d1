"""The contract rules: each module checks one concern of a block's machine code against its declarations, reading
the ``Facts`` (``facts.py``) the contract analysis (``machine/contract.py``) gathered; the order is the report's."""

from __future__ import annotations

from asm_ls.machine.rules import allocation, late, nomem, noreturn, options, registers, undefined

RULES = (options.check, nomem.check, noreturn.check, undefined.check, registers.check, late.check, allocation.check)
