"""Files and blocks per second: tree-sitter parsing alone, the front-end check, and the check with the assembler
(run on demand; it prints figures and asserts nothing).

usage: python tests/benchmarks/throughput.py [DIR...] [--each] [--generated N] [--target T ...] [--repeat N]
                                             [--modes parse,front-end,assemble]

Corpora: the DIRs together (crate or workspace checkouts, e.g. the real crates in /work/realcrates; with ``--each``
also each DIR on its own) and, with
``--generated N`` (default 2000; 0: none), a workspace of N ``.rs`` files written by :func:`generate_workspace`
into a temporary directory.  For each corpus and mode, in a fresh child process (so that peak RSS is the mode's own;
the fastest of ``--repeat`` runs for the first two modes):

- ``parse``: read every file and parse it with the parser asm-ls uses (``asm_ls.syntax.treesitter.parse``): the floor;
- ``front-end``: read, register every file with the module index (``Project.add``, sharing the parse), then
  ``analyze`` each with its context: everything ``asm-ls --check --no-assemble`` does but printing;
- ``assemble``: the same with the assembler-backed checks (rustc on PATH), counting rustc runs per file and target.

It prints files, blocks (resolved blocks, one per architecture a call is checked for), seconds, CPU seconds (rustc's
included), files/s, blocks/s, peak RSS and the ratio front-end / parse.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from asm_ls.analysis import FileContext, Settings, analyze, mentions_inline_assembly  # noqa: E402
from asm_ls.cli.files import discover  # noqa: E402
from asm_ls.cli.main import fewer_collections  # noqa: E402
from asm_ls.machine import backend  # noqa: E402
from asm_ls.model.target import host_target, parse_target  # noqa: E402
from asm_ls.project import Project  # noqa: E402
from asm_ls.syntax.parsed import ParsedFile  # noqa: E402
from asm_ls.syntax.source import SourceFile  # noqa: E402
from asm_ls.syntax.treesitter import parse  # noqa: E402

MODES = ("parse", "front-end", "assemble")


# --- the generated workspace -----------------------------------------------------------------------

_PLAIN_ITEMS = (
    """/// A value with a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Item{n} {{
    pub name: String,
    pub values: Vec<u{bits}>,
}}

impl Item{n} {{
    pub fn new(name: &str) -> Self {{
        Self {{ name: name.to_string(), values: Vec::with_capacity({n}) }}
    }}

    pub fn total(&self) -> u64 {{
        self.values.iter().map(|v| *v as u64).sum::<u64>() + {n}
    }}
}}
""",
    """macro_rules! getter_{n} {{
    ($name:ident, $ty:ty) => {{
        pub fn $name(&self) -> $ty {{
            self.$name
        }}
    }};
}}

pub enum State{n} {{
    Idle,
    Running {{ ticks: u{bits} }},
    Done(Result<u32, String>),
}}

impl core::fmt::Display for State{n} {{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{
        match self {{
            State{n}::Idle => write!(f, "idle"),
            State{n}::Running {{ ticks }} => write!(f, "running {{}}", ticks),
            State{n}::Done(result) => write!(f, "done {{:?}}", result),
        }}
    }}
}}
""",
    """pub trait Visitor{n} {{
    fn visit(&mut self, depth: usize) -> bool;
    fn finish(self) -> u{bits} where Self: Sized {{ {n} }}
}}

#[cfg(feature = "std")]
pub fn describe_{n}<T: core::fmt::Debug>(items: &[T]) -> String {{
    items.iter().map(|item| format!("{{:?}}", item)).collect::<Vec<_>>().join(", ")
}}

#[cfg(test)]
mod tests_{n} {{
    use super::*;

    #[test]
    fn adds() {{
        assert_eq!(2 + {n}, {n} + 2);
    }}
}}
""",
)

# "asm" inside other words: such a file is analysed although it has no inline assembly.
_WASM_ITEM = """pub fn wasm_helper_{n}(input: &[u8]) -> Option<usize> {{
    // Mentions "asm" only inside other words: wasm, Plasma.
    let mut count = 0usize;
    for (index, byte) in input.iter().enumerate() {{
        if *byte == b'{c}' {{
            count += index;
        }}
    }}
    if count > {n} {{ Some(count) }} else {{ None }}
}}
"""

_X86_BLOCKS = (
    """pub unsafe fn add_{n}(mut x: u64, y: u64) -> u64 {{
    asm!("add {{0}}, {{1}}", "add {{0}}, {imm}", inout(reg) x, in(reg) y, options(pure, nomem, nostack));
    x + {n}
}}
""",
    """pub fn rdtsc_{n}() -> u64 {{
    let lo: u32;
    let hi: u32;
    unsafe {{ asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags)); }}
    ((hi as u64) << 32) | lo as u64 + {n}
}}
""",
    """pub unsafe fn copy_{n}(dst: *mut u8, src: *const u8, len: usize) {{
    asm!(
        "rep movsb",
        inout("rcx") len => _,
        inout("rdi") dst => _,
        inout("rsi") src => _,
        options(nostack, preserves_flags),
    );
}}
""",
    """pub unsafe fn shifted_{n}(x: u32) -> u32 {{
    let out: u32;
    asm!("mov {{o:e}}, {{i:e}}", "shl {{o:e}}, {s}", o = out(reg) out, i = in(reg) x, s = const {s},
         options(pure, nomem, nostack));
    out
}}
""",
)

_AARCH64_BLOCKS = (
    """#[cfg(target_arch = "aarch64")]
pub fn counter_{n}() -> u64 {{
    let ticks: u64;
    unsafe {{ core::arch::asm!("mrs {{t}}, cntvct_el0", t = out(reg) ticks, options(nomem, nostack)); }}
    ticks + {n}
}}
""",
    """#[cfg(target_arch = "aarch64")]
pub unsafe fn load_{n}(p: *const u64) -> u64 {{
    let v: u64;
    core::arch::asm!("ldr {{v}}, [{{p}}, #{off}]", v = out(reg) v, p = in(reg) p, options(readonly, nostack));
    v
}}
""",
)

_RISCV_BLOCK = """#[cfg(any(target_arch = "riscv64", target_arch = "riscv32"))]
pub fn hart_{n}() -> usize {{
    let id: usize;
    unsafe {{ core::arch::asm!("csrr {{0}}, mhartid", out(reg) id, options(nomem, nostack)); }}
    id + {n}
}}
"""

_CFG_IF_BLOCK = """cfg_if::cfg_if! {{
    if #[cfg(target_arch = "x86_64")] {{
        pub fn pause_{n}() {{ unsafe {{ core::arch::asm!("pause", options(nomem, nostack, preserves_flags)); }} }}
    }} else if #[cfg(target_arch = "aarch64")] {{
        pub fn pause_{n}() {{ unsafe {{ core::arch::asm!("yield", options(nomem, nostack, preserves_flags)); }} }}
    }} else {{
        pub fn pause_{n}() {{}}
    }}
}}
"""

_MACRO_BLOCK = """macro_rules! barrier_{n} {{
    () => {{
        unsafe {{ core::arch::asm!("", options(nostack, preserves_flags)) }}
    }};
    ($insn:literal) => {{
        unsafe {{ core::arch::asm!($insn, options(nomem, nostack)) }}
    }};
}}

pub fn fence_{n}() {{
    barrier_{n}!();
    barrier_{n}!("mfence");
}}
"""

_RENAMED_BLOCK = """use core::arch::asm as raw_asm_{n};

pub unsafe fn swap_{n}(mut a: u64, mut b: u64) -> (u64, u64) {{
    raw_asm_{n}!("xchg {{a}}, {{b}}", a = inout(reg) a, b = inout(reg) b, options(nomem, nostack, preserves_flags));
    (a, b)
}}
"""

_GLOBAL_BLOCK = """core::arch::global_asm!(
    ".globl entry_{n}",
    "entry_{n}:",
    "    mov eax, {value}",
    "    ret",
    value = const {n},
);
"""

_NAKED_BLOCK = """#[unsafe(naked)]
pub extern "C" fn trampoline_{n}() -> u64 {{
    core::arch::naked_asm!("mov rax, {n}", "ret")
}}
"""

_MISTAKE_BLOCK = """pub unsafe fn broken_{n}(x: u64) {{
    asm!("addd {{0}}, 1", in(reg) x, options(nostack, nostack));
}}
"""


def _plain_file(rng: random.Random, n: int) -> str:
    parts = ["//! Generated module without inline assembly.\n\nuse core::fmt;\n\n"]
    for index in range(rng.randint(2, 6)):
        template = _WASM_ITEM if rng.random() < 0.02 else rng.choice(_PLAIN_ITEMS)
        parts.append(template.format(n=n * 10 + index, bits=rng.choice((8, 16, 32, 64)), c=rng.choice("abcxyz")))
        parts.append("\n")
    return "".join(parts)


def _asm_file(rng: random.Random, n: int, x86_only: bool) -> str:
    """A file with several blocks: x86_64 (unconditional: for an ``x86_64/`` module, or guessed for the host),
    aarch64 and RISC-V under ``#[cfg]``, ``cfg_if!``, a macro, a renamed ``asm``, ``global_asm!``, ``naked_asm!``."""
    parts = ["//! Generated module with inline assembly.\n\n#![allow(unused)]\nuse core::arch::asm;\n\n"]
    kinds = [rng.choice(_X86_BLOCKS) for _ in range(rng.randint(1, 4))]
    if not x86_only:
        kinds += rng.sample(_AARCH64_BLOCKS, rng.randint(0, 2))
        kinds += [_RISCV_BLOCK] * rng.randint(0, 1)
    for extra, chance in ((_CFG_IF_BLOCK, 0.3), (_MACRO_BLOCK, 0.3), (_RENAMED_BLOCK, 0.2), (_GLOBAL_BLOCK, 0.15),
                          (_NAKED_BLOCK, 0.1), (_MISTAKE_BLOCK, 0.05)):
        if rng.random() < chance:
            kinds.append(extra)
    for index, template in enumerate(kinds):
        k = n * 10 + index
        parts.append(template.format(n=k, s=k % 31 + 1, off=8 * (k % 16), value=k, imm=k % 1000))
        parts.append("\n")
        if rng.random() < 0.5:
            parts.append(rng.choice(_PLAIN_ITEMS).format(n=k, bits=64, c="q") + "\n")
    return "".join(parts)


def generate_workspace(root: Path, files: int = 2000, seed: int = 1) -> list[Path]:
    """Write a crate of ``files`` ``.rs`` files under ``root`` (deterministic for a seed) and return their paths.

    ``src/lib.rs`` declares group modules ``src/gNN/mod.rs`` (some under ``#[cfg(feature)]``), each declaring leaf
    modules; about one leaf in six has inline assembly; one group in five also has an ``x86_64/`` sub-module declared
    under ``#[cfg(target_arch = "x86_64")]`` whose files hold unconditional x86-64 blocks (the module-index chain)."""
    rng = random.Random(seed)
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text('[package]\nname = "generated"\nversion = "0.1.0"\nedition = "2021"\n')
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)

    leaves = max(files - 1, 0)
    groups = max(1, min(leaves // 25, 99)) if leaves else 0
    # Distribute the leaves: group g gets leaves[g::groups]; its mod.rs counts as one of them.
    lib = ["//! Generated crate root.\n#![no_std]\n#![allow(dead_code)]\n\n"]
    per_group = [list(range(g, leaves, groups)) for g in range(groups)]
    for g, members in enumerate(per_group):
        if not members:
            continue
        lib.append(f'#[cfg(feature = "g{g:02}")]\n' if g % 7 == 3 else "")
        lib.append(f"pub mod g{g:02};\n")
        directory = src / f"g{g:02}"
        arch_module = g % 5 == 1 and len(members) > 3
        children = members[1:]
        arch_children = children[: len(children) // 3] if arch_module else []
        plain_children = children[len(arch_children):]
        mod_rs = [f"//! Group {g}.\n\n"]
        mod_rs += [f"pub mod m{n:04};\n" for n in plain_children]
        if arch_children:
            mod_rs.append('\n#[cfg(target_arch = "x86_64")]\npub mod x86_64;\n')
            write(directory / "x86_64" / "mod.rs", "".join(f"pub mod m{n:04};\n" for n in arch_children[1:]))
            for n in arch_children[1:]:
                write(directory / "x86_64" / f"m{n:04}.rs", _asm_file(rng, n, x86_only=True))
        mod_rs.append("\n" + _plain_file(rng, members[0]))
        write(directory / "mod.rs", "".join(mod_rs))
        for n in plain_children:
            text = _asm_file(rng, n, x86_only=False) if rng.random() < 0.12 else _plain_file(rng, n)
            write(directory / f"m{n:04}.rs", text)
    write(src / "lib.rs", "".join(lib))
    return written


# --- measuring ---------------------------------------------------------------------------------------

@dataclass
class Measurement:
    mode: str
    files: int
    blocks: int | None          # resolved blocks (None: the parse-only floor does not know)
    seconds: float
    cpu_seconds: float          # this process's CPU time and its children's (rustc)
    peak_rss_mb: float
    rustc_runs: int = 0
    assembled_file_targets: int = 0     # (file, target) pairs that went through rustc


def corpus_files(directories: list[str]) -> list[Path]:
    """The ``.rs`` files ``--check`` would read below ``directories``."""
    files, _ = discover(directories)
    return files


def measure(mode: str, files: list[Path], settings: Settings) -> Measurement:
    """Run one mode over ``files`` in this process, with the collector thresholds of ``asm-ls --check``."""
    with fewer_collections():
        return _measure(mode, files, settings)


def _measure(mode: str, files: list[Path], settings: Settings) -> Measurement:
    started, cpu = time.perf_counter(), _cpu()
    if mode == "parse":
        count = 0
        for path in files:
            parse(path.read_bytes())
            count += 1
        return Measurement(mode, count, None, time.perf_counter() - started, _cpu() - cpu, _peak_rss_mb())
    runs: list[tuple[str, str]] = []
    current = [""]
    original = backend.compile_crate

    def counting(rustc, crate, triple, *args, **kwargs):
        runs.append((current[0], triple))
        return original(rustc, crate, triple, *args, **kwargs)

    backend.compile_crate = counting
    try:
        settings = Settings(targets=settings.targets, cfg=settings.cfg, assemble=mode == "assemble",
                            rustc=settings.rustc)
        count = blocks = 0
        for _, result in analyses(files, settings, starting=lambda path: current.__setitem__(0, str(path))):
            count += 1
            blocks += len(result.model.blocks)
    finally:
        backend.compile_crate = original
    return Measurement(mode, count, blocks, time.perf_counter() - started, _cpu() - cpu, _peak_rss_mb(), len(runs),
                       len(set(runs)))


def analyses(files: list[Path], settings: Settings, starting=None):
    """(path, ``analyze`` result) for each readable UTF-8 file, as ``asm-ls --check`` would analyse it: every file
    registered with the module index first (sharing its parse), then each analysed with its context.  A generator:
    each analysis runs when its result is asked for, after ``starting(path)``."""
    project = Project()
    loaded: list[tuple[Path, SourceFile, ParsedFile | None]] = []
    for path in files:
        try:
            data = path.read_bytes()
            data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        source = SourceFile(data, str(path))
        parsed = ParsedFile(data)
        project.add(path, source, parsed)
        # Only the parses the analysis will read are kept (every file's tree would cost hundreds of MB).
        loaded.append((path, source, parsed if mentions_inline_assembly(data) else None))
    for path, source, parsed in loaded:
        if starting is not None:
            starting(path)
        # A text that mentions no inline assembly is not analysed: its context is not worked out either.
        context = project.context_for(path, load_parents=False) if parsed is not None else FileContext()
        yield path, analyze(source, settings, context, parsed)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure_in_child(mode: str, directories: list[str], targets: list[str]) -> Measurement:
    """``measure`` in a fresh interpreter, so that its peak RSS and caches are the mode's own."""
    command = [sys.executable, __file__, "--child", mode, *directories, "--generated", "0"]
    for target in targets:
        command += ["--target", target]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {mode} failed:\n{done.stderr}")
    return Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))


def _settings(targets: list[str]) -> Settings:
    return Settings(targets=[parse_target(target) for target in targets] or [host_target()])


def report(name: str, results: dict[str, Measurement]) -> str:
    """The table for one corpus: rates per wall-clock second, and the CPU seconds (the machine may be shared)."""
    lines = [f"{name}", f"  {'mode':<10} {'files':>6} {'blocks':>7} {'seconds':>8} {'cpu s':>7} {'files/s':>9} "
                        f"{'blocks/s':>9} {'peak RSS':>9} {'rustc runs':>10}"]
    blocks = next((r.blocks for r in results.values() if r.blocks is not None), None)
    for mode, result in results.items():
        count = result.blocks if result.blocks is not None else blocks
        files_rate = result.files / result.seconds if result.seconds else float("inf")
        block_rate = (count or 0) / result.seconds if result.seconds else float("inf")
        runs = f"{result.rustc_runs} / {result.assembled_file_targets}" if mode == "assemble" else ""
        lines.append(f"  {mode:<10} {result.files:>6} {count if count is not None else '-':>7} {result.seconds:>8.2f} "
                     f"{result.cpu_seconds:>7.2f} {files_rate:>9.1f} {block_rate:>9.1f} {result.peak_rss_mb:>6.0f} MB "
                     f"{runs:>10}")
    if "parse" in results and "front-end" in results and results["parse"].seconds and results["parse"].cpu_seconds:
        lines.append(f"  front-end / parse: {results['front-end'].seconds / results['parse'].seconds:.2f} "
                     f"(CPU time: {results['front-end'].cpu_seconds / results['parse'].cpu_seconds:.2f})")
    if "assemble" in results and results["assemble"].assembled_file_targets:
        result = results["assemble"]
        lines.append(f"  rustc runs per assembled (file, target): "
                     f"{result.rustc_runs / result.assembled_file_targets:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*")
    parser.add_argument("--generated", type=int, default=2000, help="files in the generated workspace (0: none)")
    parser.add_argument("--target", action="append", default=[])
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--each", action="store_true", help="also measure each directory on its own")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the parse and front-end modes; the fastest counts (the machine may be busy)")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = measure(args.child, corpus_files(args.dirs), _settings(args.target))
        print(json.dumps(asdict(result)))
        return 0
    modes = [mode for mode in args.modes.split(",") if mode]
    corpora = [(Path(directory).name, [directory]) for directory in args.dirs] if args.each else []
    if args.dirs and (len(args.dirs) > 1 or not args.each):
        corpora.append((", ".join(Path(directory).name for directory in args.dirs), args.dirs))
    with tempfile.TemporaryDirectory(prefix="asm-ls-bench-") as temporary:
        if args.generated:
            generate_workspace(Path(temporary), args.generated)
            corpora.append((f"generated workspace ({args.generated} files)", [temporary]))
        for name, directories in corpora:
            results = {mode: min((measure_in_child(mode, directories, args.target)
                                  for _ in range(1 if mode == "assemble" else args.repeat)),
                                 key=lambda result: result.cpu_seconds)
                       for mode in modes}
            print(report(name, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
