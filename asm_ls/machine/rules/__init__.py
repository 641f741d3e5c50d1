"""The contract rules: each module checks one concern of a block's machine code against its declarations, reading
the ``Facts`` (``facts.py``) the contract analysis (``machine/contract.py``) gathered; the order is the report's."""

from __future__ import annotations

from asm_ls.machine.rules import late, options, registers

RULES = (options.check, registers.check, late.check)
