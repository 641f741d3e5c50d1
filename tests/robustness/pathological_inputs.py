"""Pathological inputs and their measurement: each input is built here, analysed as the CLI does, converted and
queried as the server does, and its time and memory printed as JSON.  ``python pathological_inputs.py NAME`` runs
one (the tests run each in its own process, so that peak memory is the input's own).

Memory is the growth of the process's peak resident set (``ru_maxrss``) over the analysis and the requests:
tree-sitter's C memory included."""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for extra in (HERE.parents[1], HERE.parents[1] / "tools"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

HEAD = "use std::arch::asm;\n"
DEEP = 10_000


def big_file() -> str:
    """10 MB of ordinary Rust, one function in a hundred holding an asm! block."""
    filler = ("pub fn g{i}(a: &[u64]) -> u64 {{\n    let mut s = 0u64;\n    for x in a.iter() {{ s = s.wrapping_add(*x ^ {i}); }}"
              "\n    s\n}}\n")
    block = 'pub unsafe fn f{i}(x: u64) {{\n    asm!("mov {{0}}, {{1}}", out(reg) _, in(reg) x, options(nomem));\n}}\n'
    parts, size, index = [HEAD], 0, 0
    while size < 10_000_000:
        part = (block if index % 100 == 0 else filler).format(i=index)
        parts.append(part)
        size += len(part)
        index += 1
    return "".join(parts)


INPUTS = {
    "10 MB file": big_file,
    "1 MB template": lambda: HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("' + "nop\\n" * 250_000 + '/* {} */", in(reg) x);\n}\n',
    "100,000 placeholders": lambda: HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("' + "{0} " * 100_000 + '", in(reg) x);\n}\n',
    "1 MB line": lambda: HEAD + "pub unsafe fn f(x: u64) { " + "let _ = 1; " * 95_000 + 'asm!("{5}", in(reg) x); }\n',
    "operand nested 10,000 deep": lambda: (HEAD + 'pub unsafe fn f(x: u64) {\n    asm!("{}", in(reg) ' + "(" * DEEP + "x"
                                           + ")" * DEEP + ");\n}\n"),
    "token trees nested 10,000 deep": lambda: (HEAD + 'pub unsafe fn f() {\n    asm!("{}", ' + "[" * DEEP + "]" * DEEP
                                               + ");\n}\n"),
    "place 10,000 fields deep": lambda: (HEAD + 'pub unsafe fn f(a: u64) {\n    asm!("{}", out(reg) a' + ".b" * DEEP
                                         + ");\n}\n"),
    "naked body 10,000 deep": lambda: (HEAD + '#[unsafe(naked)]\npub unsafe extern "C" fn f(a: u64) {\n    let x = '
                                       + "(" * DEEP + "a" + ")" * DEEP + ';\n    core::arch::naked_asm!("ret");\n}\n'),
    "pattern 10,000 deep": lambda: (HEAD + "pub unsafe fn f() {\n    let " + "(" * DEEP + "x" + ")" * DEEP
                                    + ' = 1u64;\n    asm!("{}", in(reg) x);\n}\n'),
    "blocks 2,000 deep": lambda: HEAD + "pub unsafe fn f() " + "{" * 2000 + ' asm!("{}"); ' + "}" * 2000 + "\n",
}


def measure(name: str) -> dict:
    from lsprotocol import types

    from asm_ls.analysis import Settings, analyze
    from asm_ls.server.analyses import Analysis
    from asm_ls.server.convert import Positions, to_lsp_diagnostics
    from asm_ls.server.documents import Snapshot
    from asm_ls.syntax.source import SourceFile
    from fuzz import request_offsets, requests

    text = INPUTS[name]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    source = SourceFile.from_text(text, "pathological.rs")
    result = analyze(source, Settings())
    analysed = time.perf_counter() - started
    to_lsp_diagnostics(result.diagnostics, Positions(source), "file:///pathological.rs")
    analysis = Analysis(Snapshot("untitled:pathological.rs", 1, text, "pathological.rs"), Settings(),
                        types.PositionEncodingKind.Utf16)
    analysis.__dict__["result"] = result
    made = requests(analysis, request_offsets(source.data, random.Random(0), 2))
    total = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {"name": name, "bytes": len(source.data), "analysis_s": round(analysed, 3), "total_s": round(total, 3),
            "memory_mb": round(grown / 1024, 1), "requests": made,
            "diagnostics": [(d.code, source.range(d.start, d.end).as_list()) for d in result.diagnostics],
            "blocks": len(result.model.blocks),
            "placeholders": sum(len(b.block.placeholders) for b in result.model.blocks)}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
