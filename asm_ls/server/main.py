"""Starting the language server on stdio or, for debugging, on TCP."""

from __future__ import annotations

import gc
import logging
import sys

from asm_ls.server import generated_code

# The collector's thresholds while the server's modules load: ten times fewer young collections and rare full ones
# (most of the garbage of loading, attrs's classes before it rebuilds them with slots, still goes before it is frozen).
START_THRESHOLDS = (10_000, 10, 10)


def serve(tcp: str | None = None) -> int:
    """Run until the client exits.  ``tcp`` is ``HOST:PORT`` (``PORT`` alone means localhost)."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="asm-ls: %(levelname)s: %(message)s")
    address = parse_address(tcp) if tcp is not None else None
    if tcp is not None and address is None:
        print(f"asm-ls: --tcp expects HOST:PORT, not {tcp!r}", file=sys.stderr)
        return 2
    # The modules, classes and functions loaded now live as long as the process: fewer cycle collections while
    # they load (they cost a seventh of the start at the default thresholds, and find little), and after, they stay
    # out of the collector's full passes, which would otherwise walk them during every large analysis.
    thresholds = gc.get_threshold()
    gc.set_threshold(*START_THRESHOLDS)
    try:
        generated_code.install()        # lsprotocol's classes from the code a previous start compiled
        from asm_ls.server.server import create_server
        server = create_server()
    finally:
        gc.freeze()
        gc.set_threshold(*thresholds)
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
