"""The language server: thin pygls handlers over :mod:`asm_ls.analysis`."""
