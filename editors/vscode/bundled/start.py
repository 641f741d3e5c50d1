"""Starts the asm-ls language server that the VS Code extension bundles (run by the extension
as ``PYTHON bundled/start.py [serverArgs...]``).

The libraries of the bundle are in ``libs/`` beside this file (scripts/bundle.py fills it).
``ASM_LS_IMPORT_STRATEGY`` decides who wins: ``useBundled`` (the default) puts them before
everything the interpreter has, ``fromEnvironment`` after, so an asm-ls installed in the
interpreter's environment is used and the bundle only fills in what is missing. One line on
standard error (the extension's output channel) says which asm-ls runs, from where, on which
Python."""

import os
import sys
from pathlib import Path

MINIMUM = (3, 11)
LIBS = Path(__file__).resolve().with_name("libs")


def main() -> None:
    if sys.version_info < MINIMUM:
        sys.exit(f"asm-ls needs Python {MINIMUM[0]}.{MINIMUM[1]} or newer; {sys.executable} is "
                 f"{sys.version.split()[0]}")
    strategy = os.environ.get("ASM_LS_IMPORT_STRATEGY", "useBundled")
    if strategy == "fromEnvironment":
        sys.path.append(str(LIBS))
    else:
        sys.path.insert(0, str(LIBS))
    import asm_ls
    from asm_ls.cli.main import entry

    print(f"asm-ls {asm_ls.__version__} from {Path(asm_ls.__file__).parent} (importStrategy {strategy}) "
          f"on Python {sys.version.split()[0]} ({sys.executable})", file=sys.stderr, flush=True)
    sys.argv = ["asm-ls", "server", *sys.argv[1:]]
    entry()


if __name__ == "__main__":
    main()
