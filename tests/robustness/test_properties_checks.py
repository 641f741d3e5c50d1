"""Properties of the checks over generated files (several blocks, architectures chosen by ``#[cfg]``, registers and
classes from the architecture data, modifiers, options, naked functions, ``global_asm!``): every diagnostic lies
inside the document, carries a registered code and severity and an architecture the block is built for, and the
result does not depend on anything but the text and the settings."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from asm_ls.analysis import Settings, analyze
from asm_ls.diagnostics.codes import registry
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile
from bounds import bounded
from fuzz import check_ranges, dry_backend

ARCH_DIR = Path(__file__).resolve().parents[2] / "asm_ls" / "data" / "arch"
# rustc's target_arch values, and the data file describing each
ARCHES = {"x86_64": "x86", "x86": "x86", "aarch64": "aarch64", "arm": "arm", "riscv64": "riscv", "loongarch64":
          "loongarch", "s390x": "s390x", "powerpc64": "powerpc", "mips": "mips", "avr": "avr", "bpf": "bpf"}
TRIPLES = ["x86_64-unknown-linux-gnu", "i686-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
           "armv7-unknown-linux-gnueabihf", "riscv64gc-unknown-linux-gnu", "x86_64", "aarch64"]


def _names(data_file: str) -> tuple[list[str], list[str], list[str]]:
    data = json.loads((ARCH_DIR / f"{data_file}.json").read_text())
    classes = [entry["name"] for entry in data["classes"]]
    registers = [alias for entry in data["registers"] for alias in entry.get("aliases", [entry["name"]])]
    modifiers = sorted({m["char"] for entry in data["classes"] for m in entry.get("modifiers", [])})
    return classes, registers, modifiers


NAMES = {arch: _names(data_file) for arch, data_file in ARCHES.items()}
SEVERITIES = {"error", "warning", "information", "hint"}


@st.composite
def block(draw, arch: str) -> str:
    classes, registers, modifiers = NAMES[arch]
    operands = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["in", "out", "inout", "lateout", "inlateout", "const", "sym"]))
        if kind == "const":
            operands.append(draw(st.sampled_from(["const 5", "const N", "const -1", "const 1 << 70"])))
            continue
        if kind == "sym":
            operands.append("sym f")
            continue
        reg = draw(st.one_of(st.sampled_from(classes), st.sampled_from(registers).map(lambda r: f'"{r}"'),
                             st.sampled_from(["nonsense", '"nonsense"'])))
        value = "_" if kind in ("out", "lateout") and draw(st.booleans()) else draw(st.sampled_from(["x", "y", "z"]))
        if kind in ("inout", "inlateout") and draw(st.booleans()):
            value = f"{value} => y"
        name = draw(st.sampled_from(["", "", "a = ", "b = "]))
        operands.append(f"{name}{kind}({reg}) {value}")
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        words = draw(st.lists(st.sampled_from(
            ["nop", "mov", "{}", "{0}", "{1}", "{a}", "{b}", "{9}", ",", "1:", "jmp 1b", "0:", ".intel_syntax",
             ".att_syntax", ".byte 1", ".incbin \\\"x\\\"", ".section .text", ".pushsection x", ".popsection", "//",
             "#", ";", "\\n", "{{", "}}", "[", "]", "%rax", "ret", "foo:", ".L1:"]
            + [f"{{0:{m}}}" for m in modifiers[:4]]), max_size=6))
        pieces.append('"' + " ".join(words) + '"')
    options = draw(st.lists(st.sampled_from(["nomem", "readonly", "pure", "nostack", "noreturn", "att_syntax", "raw",
                                             "preserves_flags", "may_unwind"]), max_size=3, unique=True))
    args = pieces + operands
    if options:
        args.append(f"options({', '.join(options)})")
    if draw(st.booleans()):
        args.append('clobber_abi("C")')
    return "asm!(" + ", ".join(args) + ")"


@st.composite
def rust_file(draw) -> str:
    out = ["#![allow(unused)]", "use std::arch::asm;", "const N: usize = 4;", "pub extern \"C\" fn f() {}"]
    for index in range(draw(st.integers(1, 4))):
        arch = draw(st.sampled_from(sorted(ARCHES)))
        cfg = draw(st.sampled_from([f'#[cfg(target_arch = "{arch}")]', "", f'#[cfg(not(target_arch = "{arch}"))]',
                                    f'#[cfg(any(target_arch = "{arch}", target_arch = "x86_64"))]']))
        naked = draw(st.sampled_from(["", "", "#[unsafe(naked)]"]))
        body = draw(st.lists(block(arch), min_size=1, max_size=3))
        if naked:
            body = ["core::arch::naked_asm!(\"ret\")"] if draw(st.booleans()) else body
            out.append(f'{cfg}\n{naked}\npub unsafe extern "C" fn g{index}() {{\n    ' + ";\n    ".join(body) + "\n}")
        else:
            wrapper = draw(st.sampled_from(["pub unsafe fn", "pub fn"]))
            out.append(f"{cfg}\n{wrapper} g{index}(x: u64, mut y: u64, z: u32) {{\n    "
                       + ";\n    ".join(body) + ";\n}")
    if draw(st.booleans()):
        out.append('std::arch::global_asm!(".globl h", "h:", "{}", "ret", const 1);')
    return "\n".join(out) + "\n"


@given(rust_file(), st.lists(st.sampled_from(TRIPLES), min_size=1, max_size=2, unique=True), st.booleans())
@bounded(150)
def test_every_diagnostic_is_inside_the_document_and_well_formed(text, triples, assemble):
    source = SourceFile.from_text(text)
    settings = Settings(targets=[parse_target(t) for t in triples], assemble=assemble)
    with dry_backend():
        result = analyze(source, settings)
        again = analyze(source, settings)
    check_ranges(source, result.diagnostics)
    codes = registry()
    built_for = {resolved.arch for resolved in result.model.blocks} | set(ARCHES)
    for diagnostic in result.diagnostics:
        assert diagnostic.code in codes, diagnostic.code
        assert diagnostic.severity in SEVERITIES
        assert diagnostic.message.strip()
        if diagnostic.target:
            assert set(diagnostic.target.split(", ")) <= built_for, diagnostic
    assert result.diagnostics == sorted(result.diagnostics, key=type(result.diagnostics[0]).sort_key) \
        if result.diagnostics else True
    assert again.diagnostics == result.diagnostics
