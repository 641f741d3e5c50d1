"""Formatting of templates (asm_ls/ide/template_format.py, formatting.py, machine/compare.py): the exact text for
each architecture and literal kind, what is left as written and why, the byte comparison that decides, and
idempotence."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from asm_ls.analysis import Settings, analyze
from asm_ls.ide import formatting
from asm_ls.ide.formatting import FORMATTED, LEFT, UNCHANGED, format_model
from asm_ls.ide.template_format import Edit, block_pieces, template_edits
from asm_ls.model.build import build_file
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile

needs_rustc = pytest.mark.skipif(shutil.which("rustc") is None, reason="no rustc on PATH")


def formatted(text: str, *triples: str, rustc: str | None = None, within=None):
    """(the text after formatting, [(kind, status, reason)] per block)."""
    source = SourceFile.from_text(text)
    settings = Settings(targets=[parse_target(t) for t in triples or ("x86_64-unknown-linux-gnu",)])
    result = format_model(analyze(source, settings).model, rustc, within)
    return result.apply(source.data).decode(), [(b.kind, b.status, b.reason) for b in result.blocks]


def once_more(text: str, *triples: str) -> None:
    again, blocks = formatted(text, *triples)
    assert again == text and all(status == UNCHANGED for _, status, _ in blocks)


INTEL = '''use std::arch::asm;

pub fn intel(x: u64) -> u64 {
    let y: u64;
    unsafe {
        asm!("mov   {0},{1}\\n  add {0} , 1   # one more\\n\\n", out(reg) y, in(reg) x);
        asm!(
            // a Rust comment between the arguments
            "2:\\tdec {0}",
            /* another */ "jnz    2b",
            inout(reg) y => _,
        );
    }
    y
}
'''

INTEL_FORMATTED = '''use std::arch::asm;

pub fn intel(x: u64) -> u64 {
    let y: u64;
    unsafe {
        asm!("mov {0}, {1}",
             "add {0}, 1   # one more", out(reg) y, in(reg) x);
        asm!(
            // a Rust comment between the arguments
            "2: dec {0}",
            /* another */ "jnz 2b",
            inout(reg) y => _,
        );
    }
    y
}
'''


@needs_rustc
def test_x86_64_intel_with_comments_between_arguments():
    text, blocks = formatted(INTEL)
    assert text == INTEL_FORMATTED
    assert blocks == [("asm", FORMATTED, None), ("asm", FORMATTED, None)]
    once_more(text)


ATT = '''pub fn att(x: u32) -> u32 {
    let y: u32;
    unsafe {
        core::arch::asm!("movl  {1:e},{0:e}\\n\\taddl $1 ,{0:e}", out(reg) y, in(reg) x, options(att_syntax));
    }
    y
}
'''


@needs_rustc
def test_x86_64_att_syntax():
    text, blocks = formatted(ATT)
    assert text == '''pub fn att(x: u32) -> u32 {
    let y: u32;
    unsafe {
        core::arch::asm!("movl {1:e}, {0:e}",
                         "addl $1, {0:e}", out(reg) y, in(reg) x, options(att_syntax));
    }
    y
}
'''
    assert blocks == [("asm", FORMATTED, None)]
    once_more(text)


ARM = '''#[cfg(target_arch = "aarch64")]
pub unsafe fn a64(p: *const u64) -> u64 {
    let v: u64;
    core::arch::asm!(
        "ldr {v},[{p},#8]\\n   add {v},{v} ,#1 // bump",
        "1:  cbz {v}, 1b",
        p = in(reg) p, v = out(reg) v,
    );
    v
}
'''


@needs_rustc
def test_aarch64_brackets_kept_immediates_not_comments():
    text, blocks = formatted(ARM, "aarch64-unknown-linux-gnu")
    assert text == '''#[cfg(target_arch = "aarch64")]
pub unsafe fn a64(p: *const u64) -> u64 {
    let v: u64;
    core::arch::asm!(
        "ldr {v}, [{p},#8]",
        "add {v}, {v}, #1 // bump",
        "1: cbz {v}, 1b",
        p = in(reg) p, v = out(reg) v,
    );
    v
}
'''
    assert blocks == [("asm", FORMATTED, None)]


RISCV = '''#[cfg(target_arch = "riscv64")]
pub unsafe fn rv(x: usize) -> usize {
    let y: usize;
    core::arch::asm!(r"
        addi   {y},{x},  1   # add
        csrr {y},   mcycle
    ", x = in(reg) x, y = out(reg) y);
    y
}
'''


@needs_rustc
def test_riscv_multiline_raw_string_becomes_raw_literals():
    text, blocks = formatted(RISCV, "riscv64gc-unknown-linux-gnu")
    assert text == '''#[cfg(target_arch = "riscv64")]
pub unsafe fn rv(x: usize) -> usize {
    let y: usize;
    core::arch::asm!(r"addi {y}, {x}, 1   # add",
                     r"csrr {y}, mcycle", x = in(reg) x, y = out(reg) y);
    y
}
'''
    assert blocks == [("asm", FORMATTED, None)]
    once_more(text, "riscv64gc-unknown-linux-gnu")


RAW_HASHES = '''pub fn f() {
    unsafe {
        std::arch::asm!(
            r#"
            mov  rax,1
            .byte 0x90 , 0x90
            "#,
            out("rax") _,
        );
    }
}
'''


@needs_rustc
def test_raw_string_keeps_its_hashes():
    text, _ = formatted(RAW_HASHES)
    assert text == '''pub fn f() {
    unsafe {
        std::arch::asm!(
            r#"mov rax, 1"#,
            r#".byte 0x90, 0x90"#,
            out("rax") _,
        );
    }
}
'''


ESCAPES = '''use std::arch::global_asm;

global_asm!(
    ".globl   my_func\\nmy_func:\\n    mov eax,  42\\n    ret",
    ".pushsection .rodata\\n.ascii \\"a,  b\\\\tc\\"  ,  \\"\\\\x41\\"\\n.popsection",
    "nop;nop\\n\\
     int3",
);
'''


@needs_rustc
def test_global_asm_escapes_and_continuations():
    text, blocks = formatted(ESCAPES)
    assert text == '''use std::arch::global_asm;

global_asm!(
    ".globl my_func",
    "my_func:",
    "mov eax, 42",
    "ret",
    ".pushsection .rodata",
    ".ascii \\"a,  b\\\\tc\\", \\"\\\\x41\\"",
    ".popsection",
    "nop; nop",
    "int3",
);
'''
    assert blocks == [("global_asm", FORMATTED, None)]
    once_more(text)


NAKED = '''use std::arch::naked_asm;

#[unsafe(naked)]
pub extern "C" fn naked() -> u32 {
    naked_asm!("mov  eax,1\\n  ret")
}
'''


@needs_rustc
def test_naked_asm():
    text, blocks = formatted(NAKED)
    assert text == '''use std::arch::naked_asm;

#[unsafe(naked)]
pub extern "C" fn naked() -> u32 {
    naked_asm!("mov eax, 1",
               "ret")
}
'''
    assert blocks == [("naked_asm", FORMATTED, None)]


LEFT_ALONE = '''use std::arch::asm;

macro_rules! twice {
    ($t:literal) => { unsafe { asm!($t, "nop\\n nop") } };
}

pub fn f() {
    unsafe {
        asm!(concat!("nop\\n", "nop"), "mov  eax,1", out("eax") _);
        asm!("bogus   rax,rbx");
        asm!("nop", "/* a\\n b,c */ nop");
    }
}
'''


@needs_rustc
def test_what_cannot_be_compared_is_left_with_why():
    text, blocks = formatted(LEFT_ALONE)
    assert text == LEFT_ALONE.replace('"mov  eax,1"', '"mov eax, 1"').replace(
        'asm!("nop", "/* a\\n b,c */ nop")', 'asm!("nop", "/* a",\n             " b,c */ nop")')
    assert blocks == [
        ("asm", LEFT, "some template text is not known here (a macro argument or another macro's output)"),
        ("asm", FORMATTED, None),
        ("asm", LEFT, "it does not assemble (invalid instruction mnemonic 'bogus')"),
        ("asm", FORMATTED, None),
    ]


def test_without_rustc_nothing_changes():
    text, blocks = formatted(INTEL, rustc="/nonexistent/rustc")
    assert text == INTEL
    reason = "`/nonexistent/rustc` was not found, so the assembled bytes cannot be compared"
    assert blocks == [("asm", LEFT, reason), ("asm", LEFT, reason)]


def test_errors_leave_the_block():
    text = 'pub fn f() { unsafe { std::arch::asm!("mov  {},{}", in(reg) 1) } }\n'
    assert formatted(text) == (text, [("asm", LEFT, "it has errors (invalid reference to argument at index 1)")])


@needs_rustc
def test_range_formatting_formats_the_blocks_it_touches():
    start = INTEL.index("asm!(\n")
    text, blocks = formatted(INTEL, within=(start, start + 1))
    assert blocks == [("asm", FORMATTED, None)]
    assert text == INTEL.replace('"2:\\tdec {0}"', '"2: dec {0}"').replace('"jnz    2b"', '"jnz 2b"')


@needs_rustc
def test_a_format_that_changes_bytes_is_not_applied(monkeypatch):
    """The assembler decides: a (wrong) edit that changes an instruction is refused."""
    real = formatting.template_edits

    def wrong(*args):
        edits = real(*args)
        return [Edit(edit.start, edit.end, edit.text.replace("add {0}, 1", "add {0}, 2")) for edit in edits]

    monkeypatch.setattr(formatting, "template_edits", wrong)
    text, blocks = formatted(INTEL)
    assert blocks[0] == ("asm", LEFT, "the formatted block assembles to other bytes")
    assert blocks[1] == ("asm", FORMATTED, None)
    assert "add {0} , 1" in text


# -- idempotence: the pure format, on generated templates ---------------------------------------------------

_WORDS = st.sampled_from(["mov", "add", ".byte", "1:", "foo:", "{0}", "{x:e}", "{{", "}}", "[rax+8]", "(%rsp)",
                          "#", "//", "/*", "*/", ";", ",", "\"a, b\"", "'", "$1", "\\\\", "\\t", "\\n", "\\\"", " ",
                          "  ", "\\n  ", "0x10", "rax"])


def _format_source(text: str) -> str:
    data = text.encode()
    model = build_file(SourceFile(data), configured=["x86_64"])
    edits = []
    for call in model.calls:
        blocks = [r.block for r in model.blocks if r.block.call is call]
        found = template_edits(block_pieces(blocks), data, ("#",), False)
        edits += [] if isinstance(found, str) else found
    return formatting.apply_edits(data, edits).decode()


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=12).map("".join), min_size=1, max_size=3),
       st.sampled_from(['"{}"', 'r"{}"']))
def test_formatting_twice_is_formatting_once(templates, quote):
    pieces = ", ".join(quote.format(t) if quote == '"{}"' else quote.format(t.replace('"', "'"))
                       for t in templates)
    text = f"fn f() {{\n    asm!({pieces});\n}}\n"
    once = _format_source(text)
    assert _format_source(once) == once


CFG_PIECE = '''pub fn f() {
    unsafe {
        std::arch::asm!(
            #[cfg(target_arch = "x86_64")]
            "
            mov  rax,1
            ",
            "nop\\n nop",
            out("rax") _,
        );
    }
}
'''


@needs_rustc
def test_a_literal_with_a_cfg_stays_one_literal():
    text, blocks = formatted(CFG_PIECE)
    assert text == CFG_PIECE.replace('"nop\\n nop"', '"nop",\n            "nop"')
    assert blocks == [("asm", FORMATTED, None)]


def test_a_block_no_configuration_builds_is_left():
    text = 'pub fn f() {\n    #[cfg(any())]\n    unsafe { std::arch::asm!("mov  eax,1") }\n}\n'
    assert formatted(text) == (text, [("asm", LEFT, "no target is known to build it")])
    done = 'pub fn f() {\n    #[cfg(any())]\n    unsafe { std::arch::asm!("mov eax, 1") }\n}\n'
    assert formatted(done) == (done, [("asm", UNCHANGED, None)])
