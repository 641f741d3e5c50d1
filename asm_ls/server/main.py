"""Starting the language server on stdio or, for debugging, on TCP."""

from __future__ import annotations

import gc
import logging
import sys

from asm_ls.server.server import create_server


def serve(tcp: str | None = None) -> int:
    """Run until the client exits.  ``tcp`` is ``HOST:PORT`` (``PORT`` alone means localhost)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="asm-ls: %(levelname)s: %(message)s")
    address = parse_address(tcp) if tcp is not None else None
    if tcp is not None and address is None:
        print(f"asm-ls: --tcp expects HOST:PORT, not {tcp!r}", file=sys.stderr)
        return 2
    server = create_server()
    # The modules, classes and functions loaded so far live as long as the process: keep them out
    # of the cyclic garbage collector's full passes, which otherwise walk them during every large
    # analysis.
    gc.freeze()
    if address is None:
        server.start_io()
    else:
        server.start_tcp(*address)
    return 0


def parse_address(text: str) -> tuple[str, int] | None:
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)
