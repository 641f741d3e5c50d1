"""The real server with an analysis that fails on documents containing ``INJECTED_FAILURE``, to
test that a failing analysis is logged and harms nothing else."""

import sys

from asm_ls.server import publisher
from asm_ls.server.main import serve

_analyze = publisher.analyze


def _failing_analyze(source, settings, *args):
    if b"INJECTED_FAILURE" in source.data:
        raise RuntimeError("injected analysis failure")
    return _analyze(source, settings, *args)


publisher.analyze = _failing_analyze
sys.exit(serve(None))
