"""The mutation-fuzz campaign: real Rust files, mutated, through the analysis, every editor request and
``asm-ls --check``.  Nothing may raise, hang or lose a file.

usage: python tools/fuzz.py --seconds 600 --corpus DIR [DIR...] [--seed N] [--crashes DIR] [--cli-every N]

Each case takes a corpus file (biased towards files with inline assembly), applies one mutation (byte flips,
truncation, deleted or duplicated tokens, unbalanced delimiters, invalid UTF-8, tokens typed inside a macro call,
a token wrapped in up to thousands of brackets)
and then, in this process:

- analyses it as the CLI does (the assembler stage runs with a stand-in backend, see :func:`dry_backend`, so the
  generated-assembly code is exercised without starting rustc per case);
- checks that every diagnostic's range lies inside the document;
- answers every editor request the server offers (hover, completion, definition, references, highlights, rename,
  symbols, semantic tokens, inlay hints, quick fixes) at a few positions, through the server's own handlers minus
  their catch-all, so that a failure is seen rather than logged.

Every ``--cli-every`` cases, the last mutants are written to a directory and ``asm-ls --check`` runs on it: it must
exit 0, 1 or 2 without a traceback and account for every file (reported, or named as unreadable).

A crash is saved under ``--crashes`` (the input and its traceback; rerun one with ``--replay FILE``).  At the end
it prints cases run, crashes, and the worst time and memory (tracemalloc peak: Python allocations, not
tree-sitter's) per mutation class.  The CI test (``tests/robustness/test_mutation_fuzz.py``) runs the same engine
with fixed seeds over the repository's own files.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lsprotocol import types  # noqa: E402

from asm_ls.analysis import Settings, analyze  # noqa: E402
from asm_ls.machine import backend  # noqa: E402
from asm_ls.server import features_hover, features_navigation  # noqa: E402
from asm_ls.server.analyses import Analysis  # noqa: E402
from asm_ls.server.convert import Positions, to_lsp_diagnostics  # noqa: E402
from asm_ls.server.documents import Snapshot  # noqa: E402
from asm_ls.syntax.source import SourceFile  # noqa: E402

# ---- mutations ----------------------------------------------------------------------------------------------------

_TOKEN = re.compile(rb'r#*"|b?"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*!?|\d[\w.]*|//[^\n]*|\s+|.', re.DOTALL)
_CALL = re.compile(rb"\b(?:asm|global_asm|naked_asm)!\s*[({\[]")
_DELIMITERS = b"()[]{}\"'"
# Things people type inside a macro call, half finished.
_TYPED = [b"in(", b"out(reg)", b"inout(", b"lateout", b"options(", b"nomem", b"pure", b"clobber_abi(\"C\")", b"sym ",
          b"const ", b"label {", b"{", b"}", b"{0:", b"{x}", b"{{", b"}}", b"\"", b"r#\"", b"\"#", b"\\", b"\\u{",
          b"\\x", b",", b"=", b"=>", b"_", b"#[cfg(", b"$", b"$(", b"reg", b"\"rax\"", b"x", b"::", b"(", b")",
          b"\n", b"\r", b"\r\n", b"\t", "\u00e9".encode(), "\U0001f600".encode(), b"\x00", b"/*", b"*/"]


def tokens(data: bytes) -> list[tuple[int, int]]:
    """Rough Rust tokens as (start, end) byte ranges, whitespace excluded."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(data) if not m.group().isspace()]


def _place(data: bytes, rng: random.Random) -> int:
    """A byte offset, inside an inline-assembly call three times in four when the file has one."""
    calls = [m.start() for m in _CALL.finditer(data)]
    if calls and rng.random() < 0.75:
        start = rng.choice(calls)
        return min(len(data), start + rng.randrange(0, 200))
    return rng.randrange(0, len(data) + 1)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            at = min(_place(data, rng), len(out) - 1)
            out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:_place(data, rng)]


def _token_near(data: bytes, rng: random.Random) -> tuple[int, int] | None:
    found = tokens(data)
    if not found:
        return None
    at = _place(data, rng)
    index = min(range(len(found)), key=lambda i: abs(found[i][0] - at)) if len(found) < 5000 else rng.randrange(len(found))
    return found[index]


def delete_token(data: bytes, rng: random.Random) -> bytes:
    token = _token_near(data, rng)
    return data if token is None else data[:token[0]] + data[token[1]:]


def duplicate_token(data: bytes, rng: random.Random) -> bytes:
    token = _token_near(data, rng)
    return data if token is None else data[:token[1]] + data[token[0]:token[1]] + data[token[1]:]


def unbalance(data: bytes, rng: random.Random) -> bytes:
    """Delete one delimiter, or insert a stray one."""
    positions = [i for i, byte in enumerate(data) if byte in _DELIMITERS]
    if positions and rng.random() < 0.5:
        near = _place(data, rng)
        at = min(positions, key=lambda i: abs(i - near))
        return data[:at] + data[at + 1:]
    at = _place(data, rng)
    return data[:at] + bytes([rng.choice(_DELIMITERS)]) + data[at:]


def invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    bad = rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xc0\xaf"])
    at = _place(data, rng)
    return data[:at] + bad + data[at:]


def type_inside(data: bytes, rng: random.Random) -> bytes:
    """Insert a few half-typed pieces of asm! syntax."""
    out = data
    for _ in range(rng.randint(1, 4)):
        at = _place(out, rng)
        out = out[:at] + rng.choice(_TYPED) + out[at:]
    return out


def nest(data: bytes, rng: random.Random) -> bytes:
    """Wrap a token in tens to thousands of brackets (closed or not): deep trees for every recursive walk."""
    token = _token_near(data, rng)
    if token is None:
        return data
    depth = rng.choice([20, 150, 3000])
    opening, closing = rng.choice([(b"(", b")"), (b"[", b"]"), (b"{", b"}")])
    close = closing * depth if rng.random() < 0.8 else b""
    return data[:token[0]] + opening * depth + data[token[0]:token[1]] + close + data[token[1]:]


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip-bytes": flip_bytes, "truncate": truncate, "delete-token": delete_token,
    "duplicate-token": duplicate_token, "unbalance": unbalance, "invalid-utf8": invalid_utf8,
    "type-inside": type_inside, "nest": nest,
}


# ---- one case -----------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Crash:
    stage: str
    error: str              # the traceback
    data: bytes

    def signature(self) -> str:
        """The exception and the innermost asm_ls frame: one saved crash per distinct bug."""
        lines = self.error.strip().splitlines()
        frames = [line.strip() for line in lines if line.strip().startswith("File ") and "asm_ls" in line]
        return f"{self.stage}|{lines[-1].split(':')[0] if lines else ''}|{frames[-1] if frames else ''}"


@contextlib.contextmanager
def dry_backend() -> Iterator[None]:
    """The assembler stage without rustc: generation, refusal and placement run, the compiler 'succeeds' silently."""
    saved = backend.find_rustc, backend.version, backend.compile_crate
    backend.find_rustc = lambda path: "rustc"
    backend.version = lambda rustc, timeout=0: "fuzz"
    backend.compile_crate = lambda *args, **kwargs: backend.Run(0)
    try:
        yield
    finally:
        backend.find_rustc, backend.version, backend.compile_crate = saved


def check_ranges(source: SourceFile, diagnostics) -> None:
    """Every diagnostic lies inside the document, start before end, on real lines and columns."""
    size = len(source.data)
    for diagnostic in diagnostics:
        assert 0 <= diagnostic.start <= diagnostic.end <= size, \
            f"{diagnostic.code} at bytes {diagnostic.start}..{diagnostic.end} outside 0..{size}"
        start, end = source.position(diagnostic.start), source.position(diagnostic.end)
        assert start <= end and end.line < source.line_count, f"{diagnostic.code}: {start}..{end}"
        for position in (start, end):
            first, last = source.line_span(position.line)
            width = len(source.data[first:last].decode("utf-8", "replace").encode("utf-16-le")) // 2
            assert position.character <= width, f"{diagnostic.code}: column {position.character} > {width}"


def _ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def requests(analysis: Analysis, offsets: list[int]) -> int:
    """Every request the server answers, at each offset; returns how many were made.  Raises what a handler raises."""
    uri = analysis.uri
    doc = _ident(uri)
    count = 0
    markup = types.MarkupKind.Markdown
    for offset in offsets:
        position = analysis.positions.position(offset)
        features_hover._hover(analysis, types.HoverParams(doc, position), markup)
        features_hover._completion(analysis, types.CompletionParams(doc, position), markup)
        features_navigation.definition(analysis, types.DefinitionParams(doc, position))
        features_navigation.references(analysis, types.ReferenceParams(
            types.ReferenceContext(include_declaration=True), doc, position))
        features_navigation.document_highlight(analysis, types.DocumentHighlightParams(doc, position))
        features_navigation.prepare_rename(analysis, types.PrepareRenameParams(doc, position))
        try:
            features_navigation.rename(analysis, types.RenameParams(doc, position, "renamed"))
        except features_navigation.RenameRefused:
            pass        # an answer: the error response saying why (`renamed` is no numeric label)
        count += 7
    everything = types.Range(start=types.Position(0, 0), end=analysis.positions.position(len(analysis.source.data)))
    features_navigation.document_symbols(analysis, types.DocumentSymbolParams(doc))
    features_navigation.semantic_tokens(analysis, types.SemanticTokensParams(doc))
    features_navigation.inlay_hints(analysis, types.InlayHintParams(doc, everything))
    reported = to_lsp_diagnostics(analysis.result.diagnostics, analysis.positions, uri)
    features_navigation.code_actions(analysis, types.CodeActionParams(doc, everything, types.CodeActionContext(
        diagnostics=reported)))
    return count + 4


def request_offsets(data: bytes, rng: random.Random, count: int) -> list[int]:
    """Offsets worth asking about: inside the calls (their tokens' edges) and a few anywhere."""
    found: list[int] = []
    for match in list(_CALL.finditer(data))[:8]:
        for start, end in tokens(data[match.start():match.start() + 400])[:60]:
            found += [match.start() + start, match.start() + end]
    picked = rng.sample(found, min(count, len(found))) if found else []
    return picked + [rng.randrange(0, len(data) + 1) for _ in range(2)]


@dataclasses.dataclass
class Measure:
    seconds: float = 0.0
    peak_bytes: int = 0


def run_case(data: bytes, rng: random.Random, settings: Settings, request_count: int = 6,
             measure_memory: bool = True) -> tuple[list[Crash], Measure, int]:
    """Analyse, check ranges, answer requests.  Returns crashes, the analysis's time and memory, requests made."""
    crashes: list[Crash] = []
    measure = Measure()
    source = SourceFile(data, "fuzz.rs")
    if measure_memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        with dry_backend():
            result = analyze(source, settings)
    except Exception:
        crashes.append(Crash("analyze", traceback.format_exc(), data))
        return crashes, measure, 0
    finally:
        measure.seconds = time.perf_counter() - started
        if measure_memory:
            measure.peak_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    try:
        check_ranges(source, result.diagnostics)
        to_lsp_diagnostics(result.diagnostics, Positions(source), "file:///fuzz.rs")
    except Exception:
        crashes.append(Crash("ranges", traceback.format_exc(), data))
    text = data.decode("utf-8", "replace")
    snap = Snapshot("untitled:fuzz.rs", 1, text, "fuzz.rs")
    analysis = Analysis(snap, settings, types.PositionEncodingKind.Utf16)
    made = 0
    try:
        analysis.__dict__["result"] = analyze(analysis.source, settings) if analysis.source.data != data else result
        made = requests(analysis, request_offsets(analysis.source.data, rng, request_count))
    except Exception:
        crashes.append(Crash("request", traceback.format_exc(), data))
    return crashes, measure, made


# ---- the CLI over a batch -----------------------------------------------------------------------------------------

def check_cli(mutants: list[bytes], timeout: float = 300, assemble: bool = False) -> str | None:
    """``asm-ls --check`` over the mutants written as files: None when it behaved, else what went wrong."""
    with tempfile.TemporaryDirectory(prefix="asm-ls-fuzz-") as directory:
        names = []
        for index, data in enumerate(mutants):
            path = Path(directory, f"m{index:04d}.rs")
            path.write_bytes(data)
            names.append(path.name)
        command = [sys.executable, "-m", "asm_ls", "--check", directory, "--format", "json"]
        if not assemble:
            command.append("--no-assemble")
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT),
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        except subprocess.TimeoutExpired:
            return f"asm-ls --check did not finish within {timeout} s"
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
            return f"exit status {done.returncode}\n{done.stderr[-4000:]}"
        try:
            report = json.loads(done.stdout)
        except ValueError:
            return f"the JSON report does not parse: {done.stdout[:500]!r}"
        reported = {Path(entry["path"]).name for entry in report["files"]}
        named = {name for name in names if any(name in problem for problem in report["problems"])}
        lost = sorted(set(names) - reported - named)
        if lost:
            return f"files neither reported nor named as problems: {lost}"
        expected = 2 if named else (1 if any(d["severity"] == "error" for f in report["files"]
                                              for d in f["diagnostics"]) else 0)
        if done.returncode != expected:
            return f"exit status {done.returncode}, expected {expected}"
    return None


# ---- the campaign -------------------------------------------------------------------------------------------------

def corpus_files(directories: list[str]) -> list[tuple[Path, bytes]]:
    files = []
    for directory in directories:
        root = Path(directory)
        for path in sorted(root.rglob("*.rs")) if root.is_dir() else [root]:
            try:
                files.append((path, path.read_bytes()))
            except OSError:
                continue
    return files


@dataclasses.dataclass
class Stats:
    cases: int = 0
    requests: int = 0
    cli_runs: int = 0
    crashes: dict[str, Crash] = dataclasses.field(default_factory=dict)
    cli_failures: list[str] = dataclasses.field(default_factory=list)
    worst: dict[str, tuple[float, int, int]] = dataclasses.field(default_factory=dict)   # class -> (s, bytes, size)

    def record(self, kind: str, measure: Measure, size: int) -> None:
        seconds, peak, biggest = self.worst.get(kind, (0.0, 0, 0))
        self.worst[kind] = (max(seconds, measure.seconds), max(peak, measure.peak_bytes), max(biggest, size))


def campaign(files: list[tuple[Path, bytes]], seed: int, cases: int | None = None, seconds: float | None = None,
             cli_every: int = 0, settings: Settings | None = None, crash_dir: Path | None = None,
             measure_memory: bool = True, progress: bool = False) -> Stats:
    """Run until ``cases`` cases or ``seconds`` have passed.  Files with inline assembly are picked four times in
    five."""
    rng = random.Random(seed)
    settings = settings or Settings(assemble=True)
    with_asm = [entry for entry in files if _CALL.search(entry[1])] or files
    stats = Stats()
    started = time.monotonic()
    batch: list[bytes] = []
    names = sorted(MUTATIONS)
    while (cases is None or stats.cases < cases) and (seconds is None or time.monotonic() - started < seconds):
        _, original = rng.choice(with_asm if rng.random() < 0.8 else files)
        kind = names[stats.cases % len(names)]
        data = MUTATIONS[kind](original, rng)
        if rng.random() < 0.3:      # sometimes a second mutation on top
            data = MUTATIONS[rng.choice(names)](data, rng)
        crashes, measure, made = run_case(data, rng, settings, measure_memory=measure_memory)
        stats.cases += 1
        stats.requests += made
        stats.record(kind, measure, len(data))
        for crash in crashes:
            signature = crash.signature()
            if signature not in stats.crashes:
                stats.crashes[signature] = crash
                if crash_dir is not None:
                    _save(crash_dir, crash)
                if progress:
                    print(f"crash ({crash.stage}): {crash.error.strip().splitlines()[-1]}", flush=True)
        batch.append(data)
        if cli_every and len(batch) >= cli_every:
            problem = check_cli(batch)
            stats.cli_runs += 1
            if problem is not None:
                stats.cli_failures.append(problem)
                if crash_dir is not None:
                    _save_batch(crash_dir, batch, problem)
            batch = []
        if progress and stats.cases % 500 == 0:
            print(f"{stats.cases} cases, {len(stats.crashes)} crashes, {time.monotonic() - started:.0f} s", flush=True)
    return stats


def _save(crash_dir: Path, crash: Crash) -> None:
    crash_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(crash.data).hexdigest()[:12]
    (crash_dir / f"{crash.stage}-{digest}.rs").write_bytes(crash.data)
    (crash_dir / f"{crash.stage}-{digest}.txt").write_text(
        f"{crash.error}\nreplay: python tools/fuzz.py --replay {crash_dir / f'{crash.stage}-{digest}.rs'}\n")


def _save_batch(crash_dir: Path, batch: list[bytes], problem: str) -> None:
    folder = crash_dir / f"cli-{hashlib.sha1(b''.join(batch)).hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    for index, data in enumerate(batch):
        (folder / f"m{index:04d}.rs").write_bytes(data)
    (folder / "problem.txt").write_text(problem + f"\nreplay: python -m asm_ls --check {folder} --format json\n")


def report(stats: Stats, elapsed: float) -> str:
    lines = [f"cases run: {stats.cases} ({stats.requests} editor requests, {stats.cli_runs} asm-ls --check runs) "
             f"in {elapsed:.0f} s",
             f"crashes: {len(stats.crashes)} distinct" + "".join(f"\n  {sig}" for sig in stats.crashes),
             f"--check failures: {len(stats.cli_failures)}" + "".join(f"\n  {p.splitlines()[0]}"
                                                                      for p in stats.cli_failures),
             "worst per mutation class (analysis time, tracemalloc peak, largest input):"]
    for kind, (seconds, peak, size) in sorted(stats.worst.items()):
        lines.append(f"  {kind:16} {seconds * 1000:8.1f} ms  {peak / 1e6:7.1f} MB  {size / 1e3:7.1f} kB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", nargs="+", default=[str(ROOT / "tests" / "fixtures"), str(ROOT / "examples")])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-every", type=int, default=200, help="run asm-ls --check over every N mutants (0: never)")
    parser.add_argument("--crashes", default="fuzz-crashes", help="where crashing inputs are saved")
    parser.add_argument("--no-memory", action="store_true", help="skip tracemalloc (faster, no memory figures)")
    parser.add_argument("--replay", metavar="FILE", help="run one saved input and print its traceback")
    args = parser.parse_args(argv)
    if args.replay:
        crashes, measure, _ = run_case(Path(args.replay).read_bytes(), random.Random(args.seed), Settings(assemble=True))
        for crash in crashes:
            print(f"--- {crash.stage}\n{crash.error}")
        print(f"{len(crashes)} crash(es); analysis {measure.seconds * 1000:.1f} ms")
        return 1 if crashes else 0
    files = corpus_files(args.corpus)
    if not files:
        print("no .rs files in the corpus", file=sys.stderr)
        return 2
    started = time.monotonic()
    stats = campaign(files, args.seed, args.cases, args.seconds, args.cli_every, crash_dir=Path(args.crashes),
                     measure_memory=not args.no_memory, progress=True)
    print(f"corpus: {len(files)} files from {', '.join(args.corpus)}; seed {args.seed}")
    print(report(stats, time.monotonic() - started))
    return 1 if stats.crashes or stats.cli_failures else 0


if __name__ == "__main__":
    sys.exit(main())
