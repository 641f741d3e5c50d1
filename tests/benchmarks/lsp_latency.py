"""The language server's responsiveness on a large file (run on demand; nothing is asserted).

usage: python tests/benchmarks/lsp_latency.py [--edits N] [--requests N] [--cold N] [--seed S] [--keep FILE]
           [--file FILE] [--assembler on|off] [--budget SECONDS]
       python tests/benchmarks/lsp_latency.py --open-files N DIR...

Generates a Rust file of about 5,000 lines with 300 inline-assembly calls (x86_64 ``asm!`` with
named and positional operands, options and ``clobber_abi``; ``global_asm!``; blocks under
``#[cfg(target_arch = "aarch64")]``; a few deliberate errors, two of them the assembler's), or takes a
real one (``--file``, checked for the host; its template strings are the edit and request points), starts
the real server (``python -m asm_ls``) over stdio with pygls's client, and prints the figures of issue 15's table:

- initialize time (from starting the process to the answer), and the time from ``didOpen`` to the
  first ``publishDiagnostics`` and to the assembler's;
- ``didChange`` latency, for one-character edits inside templates spread over the file, then for edits all
  inside one block: each timed from sending ``didChange`` to the first ``publishDiagnostics`` for that version
  (raw: the server's debounce included; it is adaptive, at most 150 ms, unless ``ASM_LS_DEBOUNCE_MS`` sets it)
  and to the assembler's publication for it (when the file has assembler findings, so that there is one); the
  server's CPU time per edit (its own threads, not rustc: the figure the machine's load disturbs least); how
  often a first publication lacked assembler errors the previous version's last one had (flicker);
- hover and completion latency at registers, register classes, options and placeholders, and of a
  hover sent right after an edit;
- a typing burst (edits faster than the assembler): the time from the last edit to its assembler
  publication, and the most rustc processes the server ran at once;
- the server process's resident memory (``VmRSS`` and peak ``VmHWM`` from ``/proc``) after initialize, after
  open, after 60 and 150 edits; with ``--open-files N``, after opening the N largest files with inline assembly
  under the directories given.

``--assembler off`` runs the same with the assembler off.  The server analyses the generated file for x86_64 and
aarch64 (``initializationOptions.targets``), so both kinds of block are checked.  The whole run is bounded
(``--budget``, 150 s by default; phases are cut short rather than overrun it) and always ends the server:
``shutdown`` and ``exit``, then its process group is killed if it is still running.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import math
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
SERVER_COMMAND = [sys.executable, "-m", "asm_ls"]
DEBOUNCE_ENV = "ASM_LS_DEBOUNCE_MS"
DEFAULT_DEBOUNCE_MS = 150
TARGETS = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]
REQUEST_TIMEOUT = 20.0
OPEN_TIMEOUT = 60.0
TOTAL_BUDGET = 150.0        # seconds; phases are skipped rather than overrun this
ASSEMBLER_ERROR = "assembler-error"
BURST_EDITS = 8
BURST_GAP = 0.25            # seconds between the burst's edits: past the debounce, within an assembler pass
BURST_TEXT = "nop\\n"      # a new first line for a template: the block must be assembled again


# --- the generated file ----------------------------------------------------------------------------

@dataclass
class Point:
    """A position of interest in the generated file (0-based line, UTF-16 column; ASCII only)."""
    line: int
    character: int
    kind: str


@dataclass
class Generated:
    text: str = ""
    blocks: int = 0
    errors: int = 0                                       # blocks written with a deliberate error
    hovers: list[Point] = field(default_factory=list)     # registers, classes, options, placeholders
    completions: list[Point] = field(default_factory=list)
    edits: list[Point] = field(default_factory=list)      # one per template line: just inside the quote


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.out = Generated()

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend(line.split("\n"))

    def mark(self, line_index: int, needle: str, kind: str, completion: bool = False, offset: int = 0) -> None:
        """Record the first ``needle`` on the line as a hover point (its middle) and, with
        ``completion``, as a completion point (``offset`` characters into it)."""
        text = self.lines[line_index]
        column = text.find(needle)
        if column < 0:
            return
        self.out.hovers.append(Point(line_index, column + max(0, len(needle) // 2), kind))
        if completion:
            self.out.completions.append(Point(line_index, column + offset, kind))

    def block(self, lines: list[str], error: bool = False) -> None:
        """Add one function or item holding one inline-assembly call; marks its points."""
        start = len(self.lines)
        self.add(*lines)
        self.out.blocks += 1
        self.out.errors += error
        for index in range(start, len(self.lines)):
            text = self.lines[index]
            stripped = text.strip()
            if stripped.startswith('"') or 'asm!("' in text:
                quote = text.index('"')
                self.out.edits.append(Point(index, quote + 1, "template"))
                if "{" in text[quote:]:
                    brace = text.index("{", quote)
                    self.out.hovers.append(Point(index, brace + 1, "placeholder"))
                    self.out.completions.append(Point(index, brace + 1, "placeholder"))
            for needle, kind, completes, offset in (("in(reg)", "class", True, 3), ("out(reg)", "class", True, 4),
                                                    ("(xmm_reg)", "class", True, 1), ("(vreg)", "class", True, 1),
                                                    ('("eax")', "register", True, 2), ('("rdi")', "register", True, 2),
                                                    ('("x9")', "register", True, 2), ('("cl")', "register", False, 0),
                                                    ("options(", "option", True, 8), ("nomem", "option", False, 0),
                                                    ("nostack", "option", False, 0), ("clobber_abi(", "abi", True, 13)):
                if needle in text:
                    self.mark(index, needle, kind, completes, offset)
        self.add("")


def generate(seed: int = 1, blocks: int = 300, target_lines: int = 5000) -> Generated:
    """About ``target_lines`` lines of Rust with ``blocks`` inline-assembly calls (the ordinary code
    between them is padded with documentation comments to reach the size)."""
    out = _generate(seed, blocks, 0)
    padding = round(max(0, target_lines - out.text.count("\n")) / blocks)
    return _generate(seed, blocks, padding) if padding else out


def _generate(seed: int, blocks: int, padding: int) -> Generated:
    rng = random.Random(seed)
    w = Writer()
    w.add("//! Generated by tests/benchmarks/lsp_latency.py: a large file of inline assembly.",
          "#![allow(dead_code, unused_variables, unused_unsafe)]",
          "",
          "#[cfg(target_arch = \"x86_64\")]",
          "use core::arch::x86_64::__m128;",
          "use core::arch::{asm, global_asm};",
          "")
    kinds = ["named", "positional", "clobber", "rdtsc", "sse", "loop", "global", "aarch64", "aarch64_named",
             "named", "positional", "loop"]
    error_at = set(rng.sample(range(blocks), 8))
    rejected_at = set(rng.sample(sorted(set(range(blocks)) - error_at), 2))     # the assembler's errors
    for i in range(blocks):
        kind = "error" if i in error_at else "rejected" if i in rejected_at else kinds[i % len(kinds)]
        _filler(w, i, rng, padding)
        w.block(_block(kind, i, rng), error=kind in ("error", "rejected"))
    w.out.text = "\n".join(w.lines) + "\n"
    return w.out


def _filler(w: Writer, i: int, rng: random.Random, padding: int) -> None:
    """Ordinary Rust before a block: documentation, sometimes a struct, a plain function."""
    w.add(f"/// Helper number {i}: nothing here is inline assembly.",
          *[f"/// (documentation line {n + 1})" for n in range(padding)])
    if i % 6 == 0:
        w.add("#[derive(Clone, Copy, Debug, Default)]", f"pub struct State{i} {{", "    pub a: u64,",
              "    pub b: u32,", "}", "")
    if i % 2 == 0:
        w.add(f"pub fn plain_{i}(values: &[u64]) -> u64 {{", "    let mut total = 0u64;",
              "    for (index, value) in values.iter().enumerate() {",
              f"        total = total.wrapping_add(value.rotate_left((index as u32) % {rng.randint(3, 61)}));",
              "    }", "    total", "}", "")


def _block(kind: str, i: int, rng: random.Random) -> list[str]:
    x86 = '#[cfg(target_arch = "x86_64")]'
    arm = '#[cfg(target_arch = "aarch64")]'
    k = rng.randint(1, 31)
    if kind == "named":
        return [x86, f"pub unsafe fn add_{i}(a: u64, b: u64) -> u64 {{", "    let out: u64;", "    asm!(",
                '        "mov {out}, {a}",', '        "add {out}, {b}",', f'        "add {{out}}, {k}",',
                "        a = in(reg) a,", "        b = in(reg) b,", "        out = out(reg) out,",
                "        options(pure, nomem, nostack),", "    );", "    out", "}"]
    if kind == "positional":
        return [x86, f"pub unsafe fn rotl_{i}(x: u32, n: u8) -> u32 {{", "    let mut v = x;",
                '    asm!("rol {0:e}, cl", inout(reg) v, in("cl") n, options(nomem, nostack));',
                f'    asm!("xor {{0:e}}, {k}", "bswap {{0:e}}", inout(reg) v, options(pure, nomem, nostack));',
                "    v", "}"]
    if kind == "clobber":
        return [x86, f'pub unsafe fn call_{i}(f: extern "C" fn(u64) -> u64, x: u64) -> u64 {{', "    let r: u64;",
                "    asm!(", '        "call {f}",', "        f = in(reg) f,", '        inlateout("rdi") x => _,',
                '        lateout("rax") r,', '        clobber_abi("C"),', "    );", "    r", "}"]
    if kind == "rdtsc":
        return [x86, f"pub fn cycles_{i}() -> u64 {{", "    let lo: u32;", "    let hi: u32;",
                '    unsafe { asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags)) };',
                "    ((hi as u64) << 32) | lo as u64", "}"]
    if kind == "sse":
        return [x86, f"pub unsafe fn addps_{i}(a: __m128, b: __m128) -> __m128 {{", "    let mut v = a;",
                '    asm!("addps {0}, {1}", inout(xmm_reg) v, in(xmm_reg) b, options(pure, nomem, nostack));',
                "    v", "}"]
    if kind == "loop":
        return [x86, f"pub unsafe fn count_{i}(n: u64) -> u64 {{", "    let mut acc: u64 = 0;", "    asm!(",
                '        "2:",', '        "add {acc}, {n}",', '        "dec {n}",', '        "jnz 2b",',
                "        n = inout(reg) n => _,", "        acc = inout(reg) acc,", "        options(nomem, nostack),",
                "    );", "    acc", "}"]
    if kind == "global":
        return [x86, "global_asm!(", f'    ".globl asm_helper_{i}",', f'    "asm_helper_{i}:",',
                '    "    lea rax, [rdi + {off}]",', '    "    ret",', f"    off = const {k * 8},", ");"]
    if kind == "aarch64":
        return [arm, f"pub unsafe fn ldadd_{i}(p: *mut u64, v: u64) -> u64 {{", "    let old: u64;",
                '    asm!("ldadd {v}, {old}, [{p}]", p = in(reg) p, v = in(reg) v, old = out(reg) old, '
                'options(nostack));', "    old", "}"]
    if kind == "aarch64_named":
        return [arm, f"pub unsafe fn madd_{i}(a: u64, b: u64, c: u64) -> u64 {{", "    let r: u64;", "    asm!(",
                '        "madd {r}, {a}, {b}, {c}",', f'        "add {{r}}, {{r}}, #{k}",', "        a = in(reg) a,",
                "        b = in(reg) b,", "        c = in(reg) c,", "        r = lateout(reg) r,",
                '        out("x9") _,',
                "        options(pure, nomem, nostack),", "    );", "    r", "}"]
    if kind == "rejected":       # fine for the front end, not for the assembler
        return [x86, f"pub unsafe fn bad_mnemonic_{i}(x: u64) -> u64 {{", "    let mut v = x;",
                '    asm!("addd {0}, 1", inout(reg) v, options(nomem, nostack));', "    v", "}"]
    # a deliberate error, one of several kinds
    variant = i % 4
    if variant == 0:        # unknown register class
        return [x86, f"pub unsafe fn bad_class_{i}(x: u64) {{", '    asm!("nop {0}", in(foo) x);', "}"]
    if variant == 1:        # mutually exclusive options
        return [x86, f"pub unsafe fn bad_options_{i}(x: u64) -> u64 {{", "    let y: u64;",
                '    asm!("mov {0}, {1}", out(reg) y, in(reg) x, options(nomem, readonly));', "    y", "}"]
    if variant == 2:        # reference to an argument that does not exist
        return [x86, f"pub unsafe fn bad_index_{i}(x: u64) {{", '    asm!("mov rax, {1}", in(reg) x, out("rax") _);',
                "}"]
    return [x86, f"pub unsafe fn bad_abi_{i}() {{", '    asm!("nop", clobber_abi("D"));', "}"]


# --- the client ------------------------------------------------------------------------------------

class Client(LanguageClient):
    """pygls's client, timing each publication as it arrives."""

    def __init__(self) -> None:
        super().__init__("asm-ls-benchmark", "0")
        self.arrivals: dict[tuple[str, int | None], tuple[float, int]] = {}
        self.publications: list[tuple[float, str, int | None, int]] = []   # every one: time, uri, version, and
                                                                           # its assembler errors
        self.messages: list[str] = []
        self.changed = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.arrivals.setdefault((params.uri, params.version), (time.perf_counter(), len(params.diagnostics)))
            self.publications.append((time.perf_counter(), params.uri, params.version,
                                      sum(d.code == ASSEMBLER_ERROR for d in params.diagnostics)))
            self.changed.set()

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            self.messages.append(params.message)

        @self.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def publication(self, uri: str, version: int, timeout: float) -> tuple[float, int]:
        """The arrival time and diagnostic count of the publication for ``version``."""
        deadline = time.perf_counter() + timeout
        while (uri, version) not in self.arrivals:
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no publishDiagnostics for version {version} within {timeout:.0f} s")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        return self.arrivals[(uri, version)]

    async def assembled(self, uri: str, version: int, timeout: float) -> tuple[float, int] | None:
        """The arrival time and assembler-error count of the assembler's publication for ``version``: the second
        (the file has assembler errors, so there is one); None when none came within ``timeout``."""
        deadline = time.perf_counter() + timeout
        while True:
            found = [(at, errors) for at, u, v, errors in self.publications if u == uri and v == version]
            if len(found) > 1:
                return found[1]
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def insert(self, uri: str, version: int, point: Point, text: str) -> None:
        """``didChange``: ``text`` inserted at ``point``."""
        position = types.Position(point.line, point.character)
        self.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=position, end=position),
                                                                    text=text)]))

    def errors_of(self, uri: str, version: int) -> list[int]:
        """The assembler-error counts of the publications for ``version``, in arrival order."""
        return [errors for _, u, v, errors in self.publications if u == uri and v == version]


def balanced_sample(points: list[Point], count: int, rng: random.Random) -> list[Point]:
    """``count`` points taken in turn from each kind (registers, options, placeholders...)."""
    by_kind: dict[str, list[Point]] = {}
    for point in points:
        by_kind.setdefault(point.kind, []).append(point)
    for group in by_kind.values():
        rng.shuffle(group)
    sample: list[Point] = []
    while len(sample) < count and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(sample) < count:
                sample.append(by_kind[kind].pop())
    rng.shuffle(sample)
    return sample


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KiB; empty when /proc cannot tell."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


def rustc_children(pid: int) -> int:
    """How many rustc processes the server ``pid`` has started that are still running."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, _, rest = stat.partition("(")[2].rpartition(")")
        fields = rest.split()
        if name.startswith("rustc") and len(fields) > 1 and fields[0] != "Z" and fields[1] == str(pid):
            count += 1
    return count


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


# --- the run ---------------------------------------------------------------------------------------

@dataclass
class Report:
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def timing(self, name: str, seconds: list[float], minus: float = 0.0) -> None:
        if not seconds:
            self.rows.append((name, "0", "-", "-", "-"))
            return
        ms = [(s - minus) * 1000 for s in seconds]
        self.rows.append((name, str(len(ms)), f"{statistics.median(ms):.1f}", f"{percentile(ms, 0.95):.1f}",
                          f"{max(ms):.1f}"))

    def single(self, name: str, value: str) -> None:
        self.rows.append((name, "1", value, "", ""))

    def print(self) -> None:
        header = ("measure", "n", "p50", "p95", "max")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(5)]
        line = lambda row: "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                                     for i, cell in enumerate(row))
        print(line(header))
        print("  ".join("-" * width for width in widths))
        for row in self.rows:
            print(line(row))
        for note in self.notes:
            print(note)


def from_file(path: Path) -> Generated:
    """A real file as the benchmark's subject: the start of each template string of its inline-assembly calls is an
    edit, hover and completion point."""
    text = path.read_text(encoding="utf-8")
    out = Generated(text=text)
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    for call in CALL.finditer(text):
        out.blocks += 1
        depth, index = 1, call.end()
        while depth and index < len(text):
            if text[index] == '"':
                line = bisect.bisect_right(line_starts, index) - 1
                column = len(text[line_starts[line]:index + 1].encode("utf-16-le")) // 2
                for points in (out.edits, out.hovers, out.completions):
                    points.append(Point(line, column, "template"))
                index = text.find('"', index + 1) + 1 or len(text)     # past the string (escapes aside)
                continue
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(text[index], 0)
            index += 1
    return out


CALL = re.compile(r"\b(?:asm|global_asm|naked_asm)!\s*[(\[{]")


def cpu_ms(pid: int) -> float:
    """The CPU time (user + system) the process has used, in ms (its own threads; not its children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class Session:
    """One benchmark run against one server: the client, the document, its version, the edits sent."""
    client: Client
    uri: str
    pid: int
    report: Report
    assembler: bool         # the assembler is on and publishes after the front end (the file has its findings)
    version: int = 1
    edits: int = 0
    memory: dict[str, dict[str, int]] = field(default_factory=dict)

    def insert(self, point: Point, text: str, shifted: list[Point]) -> None:
        self.version += 1
        self.edits += 1
        self.client.insert(self.uri, self.version, point, text)
        for other in shifted:      # later points on the same line move right
            if other.line == point.line and other.character >= point.character and other is not point:
                other.character += len(text)
        if self.edits in MEMORY_AT:
            self.memory[f"after {self.edits} edits"] = rss_kib(self.pid)


MEMORY_AT = (60, 150)
SETTLE = 5.0            # seconds given to the background work after the last file opens


async def edit_phase(bench: Session, name: str, points: list[Point], shifted: list[Point], debounce_ms: int,
                     budget_end: float) -> None:
    """Edits at ``points``, one at a time: each awaited to its first publication and (assembler on) to the
    assembler's; prints the latency figures, the server's CPU per edit and flicker."""
    client, uri, report = bench.client, bench.uri, bench.report
    change_times: list[float] = []
    assembled_times: list[float] = []
    cpu: list[float] = []
    flickers = 0
    last_errors = client.errors_of(uri, bench.version)[-1:] or [0]
    for point in points:
        if time.perf_counter() > budget_end:
            report.notes.append(f"{name}: phase cut short (time budget)")
            break
        used = cpu_ms(bench.pid)
        t0 = time.perf_counter()
        bench.insert(point, " ", shifted)
        arrived, _ = await client.publication(uri, bench.version, REQUEST_TIMEOUT)
        change_times.append(arrived - t0)
        if bench.assembler:
            assembled = await client.assembled(uri, bench.version, REQUEST_TIMEOUT)
            if assembled is not None:
                assembled_times.append(assembled[0] - t0)
        cpu.append((cpu_ms(bench.pid) - used) / 1000)
        errors = client.errors_of(uri, bench.version)
        flickers += bool(errors) and errors[0] < last_errors[-1]
        last_errors = errors or last_errors
    report.timing(f"{name}: didChange -> publishDiagnostics, raw (ms)", change_times)
    report.timing(f"{name}: didChange -> publishDiagnostics, minus {debounce_ms} ms (ms)", change_times,
                  debounce_ms / 1000)
    if bench.assembler:
        report.timing(f"{name}: didChange -> the assembler's publishDiagnostics (ms)", assembled_times)
    report.timing(f"{name}: server CPU per edit (ms)", cpu)
    report.notes.append(f"{name}: flicker: {flickers}/{len(change_times)} edits' first publication lacked "
                        "assembler errors the previous version showed")


async def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    budget_end = started + args.budget
    workdir = Path(tempfile.mkdtemp(prefix="asm-ls-bench-"))
    if args.file:
        path = Path(args.file).resolve()
        generated = from_file(path)
        targets: list[str] = []
    else:
        generated = generate(args.seed)
        path = Path(args.keep).resolve() if args.keep else workdir / "big_asm.rs"
        path.write_text(generated.text)
        targets = TARGETS
    assembler = args.assembler == "on"
    uri = path.resolve().as_uri()
    lines = generated.text.count("\n")
    debounce_ms = _debounce_ms()
    report = Report()
    print(f"file: {path} ({lines} lines, {len(generated.text) // 1024} KiB, {generated.blocks} asm calls, "
          f"{generated.errors} with deliberate errors); targets: {', '.join(targets) or 'the host'}; "
          f"assembler {args.assembler}; debounce {debounce_ms} ms{'' if DEBOUNCE_ENV in os.environ else ' at most'}; "
          f"{os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    client = Client()
    t_start = time.perf_counter()
    await client.start_io(*SERVER_COMMAND, env=env, cwd=str(workdir), start_new_session=True)
    process = client._server
    pid = process.pid
    stderr = asyncio.ensure_future(_drain(process))      # nothing reads the server's stderr pipe otherwise
    try:
        options: dict = {"assemble": assembler}
        if targets:
            options["targets"] = targets
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(configuration=False),
                text_document=types.TextDocumentClientCapabilities(
                    publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
                    hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
                    completion=types.CompletionClientCapabilities(completion_item=types.ClientCompletionItemOptions(
                        documentation_format=[types.MarkupKind.Markdown])))),
            initialization_options=options,
            root_uri=workdir.as_uri())), REQUEST_TIMEOUT)
        client.initialized(types.InitializedParams())
        report.single("initialize, from starting the server (ms)", f"{(time.perf_counter() - t_start) * 1000:.0f}")
        bench = Session(client, uri, pid, report, False)
        bench.memory["after initialize"] = rss_kib(pid)

        t0 = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="rust", version=bench.version, text=generated.text)))
        arrived, count = await client.publication(uri, bench.version, OPEN_TIMEOUT)
        report.single("didOpen -> first publishDiagnostics (ms)", f"{(arrived - t0) * 1000:.0f}")
        assembled = await client.assembled(uri, bench.version, OPEN_TIMEOUT) if assembler else None
        if assembled is not None:
            report.single("didOpen -> the assembler's publishDiagnostics (ms)", f"{(assembled[0] - t0) * 1000:.0f}")
        report.notes.append(f"diagnostics on open: {count}; assembler errors: {assembled[1] if assembled else 0}")
        bench.assembler = assembled is not None
        if assembler and assembled is None:
            report.notes.append("the assembler has no findings in this file: its passes publish nothing to time")
        bench.memory["after open"] = rss_kib(pid)

        # didChange: one-character edits inside templates, spread over the file, then all inside one block
        rng = random.Random(args.seed)
        chosen = rng.sample(generated.edits, min(args.edits, len(generated.edits)))
        shifted = generated.hovers + generated.completions + generated.edits
        await edit_phase(bench, "spread over the file", chosen, shifted, debounce_ms, budget_end - 60)
        one = chosen[0]
        await edit_phase(bench, "inside one block", [one] * args.edits, shifted, debounce_ms, budget_end - 45)

        # hover and completion on the settled document (its analysis is cached by the server)
        document = types.TextDocumentIdentifier(uri=uri)

        def hover(p: Point):
            return client.text_document_hover_async(types.HoverParams(
                text_document=document, position=types.Position(p.line, p.character)))

        def completion(p: Point):
            return client.text_document_completion_async(types.CompletionParams(
                text_document=document, position=types.Position(p.line, p.character)))

        for name, points, send in (("hover", generated.hovers, hover),
                                   ("completion", generated.completions, completion)):
            sample = balanced_sample(points, args.requests, rng)
            times: list[float] = []
            kinds: dict[str, list[int]] = {}
            by_kind: dict[str, list[float]] = {}
            for point in sample:
                if time.perf_counter() > budget_end - 30:
                    report.notes.append(f"{name} phase cut short (time budget)")
                    break
                t0 = time.perf_counter()
                result = await asyncio.wait_for(send(point), REQUEST_TIMEOUT)
                times.append(time.perf_counter() - t0)
                answered = result is not None and (name == "hover" or bool(getattr(result, "items", None)))
                kinds.setdefault(point.kind, [0, 0])[answered] += 1
                by_kind.setdefault(point.kind, []).append(times[-1])
            report.timing(f"{name} (ms)", times)
            report.notes.append(f"{name}: {sum(n[1] for n in kinds.values())}/{len(times)} answered non-empty; "
                                "answered/sent by position: "
                                + ", ".join(f"{k} {n[1]}/{sum(n)}" for k, n in sorted(kinds.items()))
                                + "; median ms by position: "
                                + ", ".join(f"{k} {statistics.median(t) * 1000:.1f}"
                                            for k, t in sorted(by_kind.items())))

        # a hover (at the edited place) sent right after an edit, before the debounced run
        cold: list[float] = []
        for point in chosen[:args.cold]:
            if time.perf_counter() > budget_end - 25:
                break
            bench.insert(point, " ", shifted)
            t0 = time.perf_counter()
            await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(point.line, point.character))), REQUEST_TIMEOUT)
            cold.append(time.perf_counter() - t0)
            await client.publication(uri, bench.version, REQUEST_TIMEOUT)
        report.timing("hover right after an edit (ms)", cold)

        # a burst of edits faster than the assembler: stale passes should not pile up rustc processes
        if bench.assembler:
            burst_rustc = [0]
            burst_start = bench.version

            async def count_rustc() -> None:
                while True:
                    burst_rustc[0] = max(burst_rustc[0], rustc_children(pid))
                    await asyncio.sleep(0.02)

            sampler = asyncio.ensure_future(count_rustc())
            for point in chosen[:BURST_EDITS]:
                if time.perf_counter() > budget_end - 20:
                    report.notes.append("burst phase cut short (time budget)")
                    break
                bench.insert(point, BURST_TEXT, [])
                t0 = time.perf_counter()
                await asyncio.sleep(BURST_GAP)
            if bench.version > burst_start:
                assembled = await client.assembled(uri, bench.version, REQUEST_TIMEOUT)
                report.single(f"burst of {bench.version - burst_start} edits {BURST_GAP * 1000:.0f} ms apart: last "
                              "edit -> its assembler publication (ms)",
                              f"{(assembled[0] - t0) * 1000:.0f}" if assembled else "-")
            sampler.cancel()
            report.notes.append(f"burst: at most {burst_rustc[0]} rustc running at once")

        # memory: more edits, each awaited to its first publication, until MEMORY_AT's last count
        more = [point for point in generated.edits]
        while bench.edits < MEMORY_AT[-1] and more and time.perf_counter() < budget_end - 5:
            point = more[bench.edits % len(more)]
            bench.insert(point, " ", shifted)
            await client.publication(uri, bench.version, REQUEST_TIMEOUT)
        bench.memory["at the end"] = rss_kib(pid)

        report.notes.append("memory (server process, MiB): " + "; ".join(
            f"{when}: RSS {m.get('VmRSS', 0) / 1024:.0f}" + (f", peak {m['VmHWM'] / 1024:.0f}" if "VmHWM" in m else "")
            for when, m in bench.memory.items()))
        errors = [m for m in client.messages if "failed" in m or "invalid" in m]
        if errors:
            report.notes.append(f"server reported {len(errors)} problem(s); first: {errors[0].splitlines()[0]}")
    finally:
        await _shut_down(client, process)
        stderr.cancel()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report.notes.append(f"total run: {time.perf_counter() - started:.1f} s")
    report.print()
    return 0


async def open_files(args: argparse.Namespace) -> int:
    """``--open-files N DIR..``: the server's memory with the N largest files with inline assembly open."""
    files = sorted((path for directory in args.dirs for path in Path(directory).rglob("*.rs")
                    if path.is_file() and _has_call(path)), key=lambda path: -path.stat().st_size)[:args.open_files]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    client = Client()
    workdir = Path(tempfile.mkdtemp(prefix="asm-ls-bench-"))
    await client.start_io(*SERVER_COMMAND, env=env, cwd=str(workdir), start_new_session=True)
    process = client._server
    stderr = asyncio.ensure_future(_drain(process))
    started = time.perf_counter()
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True))),
            initialization_options={"assemble": args.assembler == "on"}, root_uri=workdir.as_uri())), REQUEST_TIMEOUT)
        client.initialized(types.InitializedParams())
        for path in files:
            if time.perf_counter() - started > TOTAL_BUDGET:
                break
            uri = path.resolve().as_uri()
            client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
                uri=uri, language_id="rust", version=1, text=path.read_text(encoding="utf-8", errors="replace"))))
            await client.publication(uri, 1, OPEN_TIMEOUT)
        await asyncio.sleep(SETTLE)     # the assembler passes still running
        memory = rss_kib(process.pid)
        size = sum(path.stat().st_size for path in files) // 1024
        print(f"{len(files)} files open ({size} KiB, the largest with inline assembly under {', '.join(args.dirs)}; "
              f"assembler {args.assembler}): server RSS {memory.get('VmRSS', 0) / 1024:.0f} MiB, "
              f"peak {memory.get('VmHWM', 0) / 1024:.0f} MiB, {time.perf_counter() - started:.1f} s")
    finally:
        await _shut_down(client, process)
        stderr.cancel()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _has_call(path: Path) -> bool:
    try:
        return CALL.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


async def _drain(process: asyncio.subprocess.Process) -> None:
    if process.stderr is not None:
        while await process.stderr.read(65536):
            pass


async def _shut_down(client: Client, process: asyncio.subprocess.Process) -> None:
    """shutdown + exit; then kill the server's process group if it is still there."""
    try:
        if process.returncode is None:
            await asyncio.wait_for(client.shutdown_async(None), 5)
            client.exit(None)
            await asyncio.wait_for(process.wait(), 5)
    except Exception:
        pass
    if process.returncode is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            await asyncio.wait_for(process.wait(), 5)
        except asyncio.TimeoutError:
            pass
    try:
        await asyncio.wait_for(client.stop(), 5)
    except Exception:
        pass


def _debounce_ms() -> int:
    try:
        return max(0, int(os.environ.get(DEBOUNCE_ENV, DEFAULT_DEBOUNCE_MS)))
    except ValueError:
        return DEFAULT_DEBOUNCE_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30, help="didChange edits to time (default 30)")
    parser.add_argument("--requests", type=int, default=100, help="hover and completion requests each (default 100)")
    parser.add_argument("--cold", type=int, default=5, help="hovers sent right after an edit (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="FILE", help="write the generated file here (else a temporary directory)")
    parser.add_argument("--file", help="a real file to edit instead of the generated one (checked for the host)")
    parser.add_argument("--budget", type=float, default=TOTAL_BUDGET,
                        help=f"seconds the whole run may take; phases are cut short past it (default {TOTAL_BUDGET:.0f})")
    parser.add_argument("--assembler", choices=("on", "off"), default="on", help="the assemble setting (default on)")
    parser.add_argument("--open-files", type=int, default=0, metavar="N",
                        help="instead: open the N largest files with inline assembly under DIRs, print the memory")
    parser.add_argument("dirs", nargs="*", help="the directories of --open-files")
    args = parser.parse_args()
    return asyncio.run(open_files(args) if args.open_files else run(args))


if __name__ == "__main__":
    sys.exit(main())
