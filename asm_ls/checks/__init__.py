"""The checks: pure functions from the model to diagnostics.  They run no processes and do no
I/O; architecture facts come only from the data files, through :mod:`asm_ls.model.arch`."""
