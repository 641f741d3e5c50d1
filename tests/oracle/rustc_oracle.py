#!/usr/bin/env python3
"""rustc's verdict on one Rust file, for any target: the oracle every ``"rustc": true``
expectation of the tests is checked against.

    python tests/oracle/rustc_oracle.py FILE [--target TRIPLE] [--emit metadata|obj] [--rustc PATH]

prints one JSON object per diagnostic rustc gives with a location, in rustc's order::

    {"level": "error", "message": "...", "code": "E0133" | null,
     "line": 3, "col": 5, "end_line": 3, "end_col": 9}

(the primary span, 1-based, end column exclusive as rustc counts it), and exits with rustc's
status.  ``--emit metadata`` stops after the front end (what ``cargo check`` sees); ``--emit obj``
(the default) also lets LLVM assemble the templates of the code it generates.

Only the rustc on the machine runs (no cargo, no build script), on a copy of the file in a
temporary directory.  For the host target the file is compiled as it is, with std.  Other
targets have no std installed: the copy is compiled as a ``no_core`` crate (``-Z crate-attr``,
allowed on a stable rustc by ``RUSTC_BOOTSTRAP=1``) with :data:`CORE_STUB` added after the last
line, so every line keeps its number; such a file calls ``asm!``, ``global_asm!`` and
``naked_asm!`` unqualified and uses only primitive types, raw pointers and items of its own.

Importable too: :func:`check` returns the same diagnostics as dictionaries.  Nothing but the
standard library is needed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

EDITION = "2021"
EMITS = ("metadata", "obj")

# The few lang items and macros a no_core crate needs for what the fixtures write: the sizedness
# traits (rustc 1.95 has three), `Copy` for the values operands take, `Sync` and `Freeze` for
# statics, and the three assembly macros, which rustc builds in.
CORE_STUB = """
// ---- added by tests/oracle/rustc_oracle.py: a stand-in for core on a target without std ----
#[lang = "pointee_sized"] pub trait PointeeSized {}
#[lang = "meta_sized"] pub trait MetaSized: PointeeSized {}
#[lang = "sized"] pub trait Sized: MetaSized {}
#[lang = "copy"] pub trait Copy {}
#[lang = "sync"] pub unsafe trait Sync {}
#[lang = "freeze"] pub unsafe auto trait Freeze {}
#[lang = "drop_in_place"] pub unsafe fn drop_in_place<T: ?Sized>(_: *mut T) {}
macro_rules! stub_impls {
    ($trait_:ident for $($ty:ty),*) => { $(impl $trait_ for $ty {})* };
    (unsafe $trait_:ident for $($ty:ty),*) => { $(unsafe impl $trait_ for $ty {})* };
}
stub_impls!(Copy for bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);
stub_impls!(unsafe Sync for u8, u16, u32, u64, usize);
impl<T: ?Sized> Copy for *const T {}
impl<T: ?Sized> Copy for *mut T {}
#[rustc_builtin_macro] pub macro asm("assembly template", $(operands,)* $(options($(option),*))?) {}
#[rustc_builtin_macro] pub macro global_asm("assembly template", $(operands,)* $(options($(option),*))?) {}
#[rustc_builtin_macro] pub macro naked_asm("assembly template", $(operands,)* $(options($(option),*))?) {}
"""

NO_CORE_ATTRIBUTES = (
    "no_core",
    "feature(no_core, lang_items, rustc_attrs, decl_macro, auto_traits)",
    "allow(internal_features, unused)",
)


@dataclass
class Verdict:
    """What rustc said: its exit status and its located diagnostics, in its order."""

    status: int
    diagnostics: list[dict] = field(default_factory=list)


@functools.lru_cache(maxsize=None)
def host_triple(rustc: str = "rustc") -> str:
    """The target ``rustc`` compiles for by default (``host:`` of ``rustc -vV``)."""
    info = subprocess.run([rustc, "-vV"], capture_output=True, text=True, check=True).stdout
    for line in info.splitlines():
        key, _, value = line.partition(": ")
        if key == "host":
            return value.strip()
    raise RuntimeError(f"`{rustc} -vV` names no host")


def compile_command(rustc: str, source: Path, target: str, emit: str, output: Path, no_core: bool) -> list[str]:
    command = [rustc, "--edition", EDITION, "--crate-type", "lib", "--target", target,
               f"--emit={emit}", "--error-format=json", "-o", str(output)]
    if no_core:
        for attribute in NO_CORE_ATTRIBUTES:
            command += ["-Z", f"crate-attr={attribute}"]
    return command + [str(source)]


def located(message: dict) -> dict | None:
    """A diagnostic of rustc's JSON output in the oracle's shape, or None when it has no span
    (``aborting due to...``, command-line warnings)."""
    spans = message.get("spans") or []
    if not spans:
        return None
    span = next((s for s in spans if s.get("is_primary")), spans[0])
    return {"level": message["level"], "message": message["message"],
            "code": (message.get("code") or {}).get("code"),
            "line": span["line_start"], "col": span["column_start"],
            "end_line": span["line_end"], "end_col": span["column_end"]}


def parse_output(stderr: str) -> list[dict]:
    found = []
    for line in stderr.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue                      # an ICE or a linker message: not rustc's JSON
        entry = located(message) if isinstance(message, dict) else None
        if entry is not None:
            found.append(entry)
    return found


def check(path: str | Path, target: str | None = None, emit: str = "obj", rustc: str = "rustc",
          timeout: float | None = 120) -> Verdict:
    """Compile ``path`` for ``target`` (default: the host) and return rustc's verdict."""
    if emit not in EMITS:
        raise ValueError(f"emit must be one of {EMITS}, not {emit!r}")
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    host = host_triple(rustc)
    target = target or host
    no_core = target != host
    env = dict(os.environ)
    if no_core:
        text = text + "\n" + CORE_STUB
        env["RUSTC_BOOTSTRAP"] = "1"
    with tempfile.TemporaryDirectory(prefix="rustc-oracle-") as scratch:
        copy = Path(scratch) / path.name
        copy.write_text(text, encoding="utf-8")
        command = compile_command(rustc, copy, target, emit, Path(scratch) / "out", no_core)
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    return Verdict(result.returncode, parse_output(result.stderr))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rustc's diagnostics on one Rust file, as JSON lines")
    parser.add_argument("file", type=Path)
    parser.add_argument("--target", help="target triple (default: rustc's host)")
    parser.add_argument("--emit", choices=EMITS, default="obj",
                        help="metadata: front-end checks only; obj: LLVM assembles the templates too (default)")
    parser.add_argument("--rustc", default=os.environ.get("RUSTC", "rustc"),
                        help="the rustc to run (default: $RUSTC, else rustc on PATH)")
    args = parser.parse_args(argv)
    verdict = check(args.file, args.target, args.emit, args.rustc, timeout=None)
    for diagnostic in verdict.diagnostics:
        print(json.dumps(diagnostic, ensure_ascii=False))
    return verdict.status


if __name__ == "__main__":
    sys.exit(main())
