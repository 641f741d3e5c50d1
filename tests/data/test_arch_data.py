"""Tests of the architecture data files (asm_ls/data/arch/*.json)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archdata import Arch, Target, data_files, load, SCHEMA, SUB_REGISTER_LINT  # noqa: E402
from predict import Op, predict  # noqa: E402
from oracle.rustc_oracle import check as rustc_verdict  # noqa: E402

HOST = "x86_64-unknown-linux-gnu"

# Targets checked with the oracle, per data file.
TARGETS = {
    "x86": ["x86_64-unknown-linux-gnu", "i686-unknown-linux-gnu", "x86_64-pc-windows-msvc"],
    "aarch64": ["aarch64-unknown-linux-gnu", "arm64ec-pc-windows-msvc", "aarch64-apple-darwin"],
    "arm": ["armv7-unknown-linux-gnueabihf", "thumbv7em-none-eabihf", "thumbv6m-none-eabi",
            "armv7a-none-eabi", "thumbv7a-pc-windows-msvc", "armv7s-apple-ios", "thumbv8m.main-none-eabihf"],
    "riscv": ["riscv64gc-unknown-linux-gnu", "riscv32imac-unknown-none-elf", "riscv32e-unknown-none-elf"],
    "loongarch": ["loongarch64-unknown-linux-gnu", "loongarch64-unknown-none-softfloat", "loongarch32-unknown-none"],
    "s390x": ["s390x-unknown-linux-gnu"],
    "powerpc": ["powerpc64le-unknown-linux-gnu", "powerpc-unknown-linux-gnu",
                "powerpc64-ibm-aix", "powerpc-unknown-linux-gnuspe"],
    "mips": ["mips64-unknown-linux-gnuabi64", "mipsel-unknown-linux-gnu", "mipsisa64r6-unknown-linux-gnuabi64",
             "mipsisa32r6-unknown-linux-gnu"],
    "sparc": ["sparc64-unknown-linux-gnu", "sparc-unknown-none-elf"],
    "m68k": ["m68k-unknown-linux-gnu"],
    "avr": ["avr-none"],
    "hexagon": ["hexagon-unknown-linux-musl"],
    "bpf": ["bpfel-unknown-none"],
    "msp430": ["msp430-none-elf"],
    "nvptx": ["nvptx64-nvidia-cuda"],
    "csky": ["csky-unknown-linux-gnuabiv2", "csky-unknown-linux-gnuabiv2hf"],
    "wasm": ["wasm32-unknown-unknown", "wasm64-unknown-unknown"],
    "spirv": [],  # rustc 1.95 has no spirv target
}

SCALARS = ["i32", "i64", "i16", "i8", "f32", "f64", "i128"]


def _files():
    return [pytest.param(p, id=p.stem) for p in data_files()]


# ---------------------------------------------------------------- schema / structure

@pytest.mark.parametrize("path", _files())
def test_validates_against_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(load(path))


@pytest.mark.parametrize("path", _files())
def test_internal_consistency(path):
    d = load(path)
    assert d["name"] == path.stem
    assert d["rustc"]["commit"] == "eb1fde22682d0eebf7e6a56df523ad6b2f0a4b30"
    arch = Arch(d)  # asserts that aliases are unique
    class_names = [c["name"] for c in d["classes"]]
    assert len(class_names) == len(set(class_names))
    reserved = {n for r in d["reserved"] for n in r["names"]}
    for r in d["registers"]:
        assert r["aliases"][0] == r["name"]
        assert all(c in arch.classes for c in r["classes"]), r
        assert not (set(r["aliases"]) & reserved), r
    for c in d["classes"]:
        for s in c["suggest_class"]:
            assert s["class"] in arch.classes
        types = [t["type"] for t in c["types"]]
        if c["clobber_only"] is True:
            assert not types, c["name"]
    for o in d["overlaps"]:
        assert o["reg"] in arch.regs and (o["reg"] in o["overlapping"] or not o["overlapping"])
        assert all(x in arch.regs for x in o["overlapping"]), o
    for a in d["clobber_abis"]:
        missing = [x for x in a["clobbers"] if x not in arch.regs]
        assert not missing, (a["abi"], missing)
        assert len(a["clobbers"]) == len(set(a["clobbers"]))
    covered = {t for f in data_files() for t in load(f)["target_arches"]}
    assert set(d["target_arches"]) <= covered


# ---------------------------------------------------------------- oracle

def _cases(arch: Arch, t: Target):
    """Yield (list of Op, text of the operands) - one asm! block each."""
    def pick(cls):
        usable = arch.usable_types(cls, t)
        for s in SCALARS:
            if s in usable:
                return s
        return None

    for r in arch.data["registers"]:
        cls = r["classes"][0]
        for a in r["aliases"]:
            # no usable scalar type (clobber-only class, missing feature, vector-only class):
            # use i32 and expect rustc's complaint about it
            yield [Op("in", a, True, pick(cls) or "i32")]
            yield [Op("out", a, True, None)]
        if len(r["aliases"]) > 1 and pick(cls):
            ty = pick(cls)
            yield [Op("in", r["aliases"][0], True, ty), Op("in", r["aliases"][-1], True, ty)]
        if pick(cls):
            ty = pick(cls)
            yield [Op("in", r["name"], True, ty), Op("lateout", r["name"], True, ty)]
            yield [Op("in", r["name"], True, ty), Op("out", r["name"], True, ty)]
    for reserved in arch.data["reserved"]:
        for n in reserved["names"]:
            yield [Op("in", n, True, "i32")]
    yield [Op("in", "no_such_reg", True, "i32")]
    yield [Op("in", "no_such_class", False, "i32")]
    # every pair of registers (not just the pairs the data says overlap): in/in in both
    # orders (rustc's overlap relation is not symmetric), out _/out _ in one order
    names = [r["name"] for r in arch.data["registers"]]
    picks = {n: pick(arch.class_of(n)) for n in names}
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i == j:
                continue
            if picks[a] and picks[b]:
                yield [Op("in", a, True, picks[a]), Op("in", b, True, picks[b])]
            if i < j:
                yield [Op("out", a, True, None), Op("out", b, True, None)]
    for c in arch.data["classes"]:
        yield [Op("in", c["name"], False, pick(c["name"]) or "i32")]
        yield [Op("out", c["name"], False, None)]
        for s in SCALARS:  # every usable scalar type, for the sub-register lint
            if s in arch.usable_types(c["name"], t):
                yield [Op("in", c["name"], False, s)]
        for ch in "abcdefghijklmnopqrstuvwxyz":
            yield [Op("out", c["name"], False, None, ch)]


def _render(ops):
    parts = []
    for op in ops:
        spec = f'"{op.spec}"' if op.explicit else op.spec
        parts.append(f"{op.kind}({spec}) {('v_' + op.ty) if op.ty else '_'}")
    tmpl = " ".join("{%d%s}" % (i, ":" + op.modifier if op.modifier else "")
                    for i, op in enumerate(ops) if not op.explicit or op.modifier)
    return f'asm!("{tmpl}", {", ".join(parts)});'


def _all_targets():
    out = []
    for p in data_files():
        for triple in TARGETS.get(p.stem, []):
            out.append(pytest.param(p, triple, id=f"{p.stem}-{triple}"))
    return out


@pytest.mark.oracle
@pytest.mark.parametrize("path,triple", _all_targets())
def test_oracle_registers(path, triple):
    if shutil.which("rustc") is None:
        pytest.skip("rustc is not on PATH")
    d = load(path)
    try:
        t = Target.from_rustc(triple)
    except subprocess.CalledProcessError:
        pytest.skip(f"rustc does not know target {triple}")
    assert t.arch in d["target_arches"], (triple, t.arch)
    arch = Arch(d)
    stable = d["stable"] or t.arch in d.get("stable_arches", [])
    header = []
    if not stable:
        header.append("#![feature(asm_experimental_arch)]")
    if triple == HOST:
        header.append("use std::arch::asm;")
    params = ", ".join(f"mut v_{s}: {s}" for s in SCALARS)
    lines = header + [f"pub unsafe fn f({params}) {{"]
    expected: dict[int, Counter] = {}
    cases = list(_cases(arch, t))
    for ops in cases:
        lines.append("    " + _render(ops))
        expected[len(lines)] = Counter(m for _, m in predict(arch, t, ops))
    # clobber_abi names
    supported = arch.clobber_abi_supported(t)
    for name in supported + ["no_such_abi"]:
        lines.append(f'    asm!("", clobber_abi("{name}"));')
        if name in supported:
            msgs = Counter()
        elif supported:
            msgs = Counter(["invalid ABI for `clobber_abi`"])
        else:
            msgs = Counter(["`clobber_abi` is not supported on this target"])
        expected[len(lines)] = msgs
    lines.append("}")
    with tempfile.TemporaryDirectory() as td:
        src = Path(td) / "regs.rs"
        src.write_text("\n".join(lines) + "\n")
        verdict = rustc_verdict(src, triple, "metadata")
    got: dict[int, Counter] = {}
    for diag in verdict.diagnostics:
        if diag["level"] != "error" and diag["message"] != SUB_REGISTER_LINT:
            continue
        got.setdefault(diag["line"], Counter())[diag["message"]] += 1
    mismatches = []
    for ln in sorted(set(expected) | set(got)):
        e, g = expected.get(ln, Counter()), got.get(ln, Counter())
        if e != g:
            mismatches.append(f"line {ln}: {lines[ln - 1].strip()}\n   expected {sorted(e.elements())}"
                              f"\n   rustc    {sorted(g.elements())}")
    assert not mismatches, f"{len(mismatches)} mismatches on {triple}:\n" + "\n".join(mismatches[:60])
