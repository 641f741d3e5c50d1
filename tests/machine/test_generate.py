"""The generated text and its map back to the source: escapes, raw strings, several template strings, placeholders,
doubled braces, refused directives, the crate and the module's line table."""

from __future__ import annotations

from asm_ls.machine.generate import generate_crate, module_lines, rust_string, statements
from machine_helpers import generated


def wrap(body: str) -> str:
    return "use std::arch::asm;\npub unsafe fn f(x: u64) {\n    " + body + ";\n}\n"


def origin_text(src, line, first: int, last: int) -> str:
    spans = [o for o in line.origin[first:last] if o is not None]
    return src.text(min(s for s, _ in spans), max(e for _, e in spans))


def test_several_template_strings_are_lines_with_their_source():
    src, block = generated(wrap('asm!("nop", "addd {0}, 1", in(reg) x)'))
    assert [line.text for line in block.lines] == ["nop", "addd rax, 1"]
    assert origin_text(src, block.lines[1], 0, 4) == "addd"
    assert origin_text(src, block.lines[1], 5, 8) == "{0}"          # the substituted register maps to `{0}`
    assert origin_text(src, block.lines[1], 5, 6) == "{0}"
    assert origin_text(src, block.lines[1], 10, 11) == "1"


def test_escapes_map_to_their_source_characters():
    src, block = generated(wrap(r'asm!("mov eax, 1\n\tadd eax, \x32", ".ascii \"a\\n\"")'))
    assert [line.text for line in block.lines] == ["mov eax, 1", "\tadd eax, 2", '.ascii "a\\n"']
    assert origin_text(src, block.lines[1], 0, 1) == r"\t"
    assert origin_text(src, block.lines[1], 10, 11) == r"\x32"
    assert origin_text(src, block.lines[2], 7, 8) == r"\""
    assert origin_text(src, block.lines[2], 8, 10) == r"a\\"


def test_line_continuation_and_multiline_string():
    src, block = generated(wrap('asm!("nop\\n\\\n          addd eax, 1")'))
    assert [line.text for line in block.lines] == ["nop", "addd eax, 1"]
    assert origin_text(src, block.lines[1], 0, 4) == "addd"


def test_raw_strings_and_doubled_braces():
    src, block = generated(wrap('asm!(r#"mov {0}, "{{x}}""#, in(reg) x)'))
    assert block.lines[0].text == 'mov rax, "{x}"'
    assert origin_text(src, block.lines[0], 9, 10) == '"'
    assert origin_text(src, block.lines[0], 10, 11) == "{{"
    assert origin_text(src, block.lines[0], 12, 13) == "}}"


def test_option_raw_keeps_braces():
    src, block = generated("use std::arch::global_asm;\nglobal_asm!(\"push {{r4}}\", \"{x}\", options(raw));\n")
    assert [line.text for line in block.lines] == ["push {{r4}}", "{x}"]
    assert origin_text(src, block.lines[1], 0, 3) == "{x}"


def test_refused_directives_are_blanked_and_reported():
    src, block = generated(wrap('asm!("nop; .incbin \\"/etc/passwd\\"", ".INCLUDE \\"x.s\\"", "nop")'))
    assert "incbin" not in "".join(line.text for line in block.lines).lower()
    assert "include" not in "".join(line.text for line in block.lines).lower()
    assert [src.text(r.start, r.end) for r in block.refused] == ['.incbin \\"/etc/passwd\\"', '.INCLUDE \\"x.s\\"']
    assert [r.word for r in block.refused] == [".incbin", ".INCLUDE"]
    assert block.lines[0].text.startswith("nop; ")


def test_macro_composed_directive_names_are_refused():
    src, block = generated(wrap(r'asm!(".macro m a", ".inc\\a \"f\"", ".endm", "m bin")'))
    assert block.lines[1].text.strip() == ""
    assert [r.word for r in block.refused] == ['.inc\\a']


def test_unknown_const_marks_its_line():
    src, block = generated(wrap('asm!("mov eax, {}", "nop", const N)'))
    assert [line.stand_in for line in block.lines] == [True, False]
    assert block.lines[0].text == "mov eax, 0"


def test_label_operands_are_defined_in_the_block():
    src, block = generated(wrap('asm!("jmp {}", label { return; })'))
    assert block.lines[0].text.startswith("jmp asmls_label_")
    assert block.lines[0].text.split()[1] + ":" in block.suffix


def test_crate_and_module_lines():
    src, intel = generated(wrap('asm!("nop", "nop")'))
    src, att = generated(wrap('asm!("movq %rax, %rbx", options(att_syntax))'))
    crate = generate_crate([intel, att])
    assert "#![no_core]" in crate and crate.count("global_asm!(") == 1 and "options(raw)" in crate
    lines = module_lines([intel, att], True)
    texts = [text for _, _, text in lines]
    assert texts[:3] == [".intel_syntax", ".intel_syntax", intel.prefix[0]]
    assert texts[-1] == ".att_syntax" and ".att_syntax" in texts[2:-1]
    assert [(p, i) for p, i, t in lines if t == "movq %rax, %rbx"] == [(1, 0)]


def test_rust_string():
    assert rust_string('a"b\\c\td') == '"a\\"b\\\\c\\u{9}d"'


def test_statements():
    assert statements("nop; add eax, 1 # c; x", ("#",)) == [(0, 3), (5, 15)]
    assert statements('.ascii "a;b"; nop') == [(0, 12), (14, 17)]
    assert statements("ldr x0, [x1] // x;y", ()) == [(0, 12)]
    assert statements("mov r0, r1 @ c", ("@",)) == [(0, 10)]


def test_intel_asm_drops_dollars_like_llvm_inline_asm():
    src, block = generated(wrap('asm!("int $$0x80", "mov eax, {}", in(reg) x)'))
    assert block.lines[0].text == "int 0x80"
    src, block = generated(wrap('asm!("movl $$1, %eax", options(att_syntax))'))
    assert block.lines[0].text == "movl $$1, %eax"
    src, block = generated("use std::arch::global_asm;\nglobal_asm!(\"int $$0x80\");\n")
    assert block.lines[0].text == "int $$0x80"
