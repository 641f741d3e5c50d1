"""The command line: ``asm-ls`` (language server on stdio) and ``asm-ls --check`` (headless
checker).  Argument handling and output only; analysis lives in :mod:`asm_ls.analysis`."""
