"""The server answers ``initialize`` without loading the analysis, the assembler, tree-sitter or capstone; and the
assembler findings it carries from one text to the next follow their blocks."""

from __future__ import annotations

import subprocess
import sys

from lsp_harness import ROOT, server_env

from asm_ls.analysis import Settings, analyze
from asm_ls.diagnostics import Diagnostic
from asm_ls.server.carried import Carried
from asm_ls.syntax.source import SourceFile

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
                      if name in ("capstone", "tree_sitter") or name.startswith(("asm_ls.analysis", "asm_ls.model.build",
                                                                               "asm_ls.machine.assemble", "asm_ls.ide.")))))
'''


def test_initialize_loads_no_analysis():
    done = subprocess.run([sys.executable, "-c", INITIALIZE % ROOT.as_uri()], cwd=ROOT, env=server_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["asm_ls.ide.legend"]


BEFORE = '''pub fn f() { unsafe { core::arch::asm!("nop") } }
pub fn g() { unsafe { core::arch::asm!("addd rax, 1") } }
pub fn h() { unsafe { core::arch::asm!("addd rax, 1") } }
'''


def _model(text: str, settings: Settings):
    source = SourceFile.from_text(text)
    return analyze(source, settings).model, source.data


def test_carried_findings_move_with_their_block_and_leave_a_changed_one():
    settings = Settings()
    model, data = _model(BEFORE, settings)
    g, h = data.index(b'"addd'), data.rindex(b'"addd')
    found = [Diagnostic("assembler-error", "in g", g + 1, g + 5), Diagnostic("assembler-error", "in h", h + 1, h + 5)]
    carried = Carried.of(model, data, settings, found)
    after = "// moved\n" + BEFORE.replace('"nop"', '"pause"').replace('h() { unsafe { core::arch::asm!("addd',
                                                                   'h() { unsafe { core::arch::asm!("subb')
    model, data = _model(after, settings)
    [moved] = carried.carried_to(model, data, settings)
    assert (moved.message, data[moved.start:moved.end]) == ("in g", b"addd")
    assert carried.carried_to(model, data, Settings()) == []      # other settings: nothing carried
    model, data = _model("\n" + BEFORE, settings)                 # the same text twice: matched in order
    assert [(d.message, d.start) for d in carried.carried_to(model, data, settings)] == \
        [("in g", g + 2), ("in h", h + 2)]
