"""The server answers ``initialize`` without loading the analysis, the assembler, the IDE features, tree-sitter,
capstone or pypcode."""

from __future__ import annotations

import subprocess
import sys

from lsp_harness import ROOT, server_env

INITIALIZE = '''
import inspect, sys
from lsprotocol import types
import asm_ls.cli.main, asm_ls.server.main
from asm_ls.server.server import create_server

server = create_server()
answer = server.protocol.lsp_initialize(types.InitializeParams(
    capabilities=types.ClientCapabilities(), initialization_options={"targets": ["x86_64-unknown-linux-gnu"]},
    root_uri=%r))
if inspect.isgenerator(answer):      # pygls answers through a generator when a handler may wait
    try:
        while True:
            next(answer)
    except StopIteration as stop:
        answer = stop.value
assert answer.capabilities.semantic_tokens_provider is not None
print(" ".join(sorted(name for name in sys.modules
                      if name in ("capstone", "pypcode", "tree_sitter") or name.startswith(("asm_ls.analysis", "asm_ls.model.build",
                                                                               "asm_ls.machine.assemble", "asm_ls.ide.")))))
'''


def test_initialize_loads_no_analysis():
    done = subprocess.run([sys.executable, "-c", INITIALIZE % ROOT.as_uri()], cwd=ROOT, env=server_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["asm_ls.ide.legend"]
