"""``python -m asm_ls`` is the ``asm-ls`` command."""

from asm_ls.cli.main import entry

entry()
