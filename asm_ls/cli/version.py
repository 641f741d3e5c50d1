"""``asm-ls --version``: asm-ls's version and the rustc a check started here would assemble with
(``--rustc``, else the settings file's ``rustc``, else ``rustc`` on ``PATH``)."""

from __future__ import annotations

import os

from asm_ls import __version__
from asm_ls.config import Config, find_workspace_root, load_config_file
from asm_ls.machine.backend import BackendError, find_rustc, version


def configured_rustc(options: Config) -> str | None:
    """The ``rustc`` setting that applies in the current directory, the command line's first."""
    if options.rustc is not None:
        return options.rustc
    root = find_workspace_root(".")
    return load_config_file(root).config.rustc if root is not None else None


def version_text(options: Config) -> str:
    wanted = configured_rustc(options)
    rustc = find_rustc(wanted)
    if rustc is None:
        where = f"`{wanted}` is not an executable file" if wanted and os.sep in wanted else f"no `{wanted or 'rustc'}` on PATH"
        line = f"rustc: none found ({where}); the assembler-backed checks will not run"
    else:
        try:
            line = f"rustc: {rustc} ({version(rustc).splitlines()[0]})"
        except BackendError as error:
            line = f"rustc: {rustc} (unusable: {error})"
    return f"asm-ls {__version__}\n{line}"
