"""Hover texts (asm_ls.ide.hover) and what locate finds at an offset (asm_ls.ide.locate)."""

from __future__ import annotations

import pytest

from asm_ls.analysis import Settings
from asm_ls.ide import locate as loc
from asm_ls.ide.hover import hover
from asm_ls.model.target import parse_target
from ide_helpers import HEAD, analyzed, at

X86 = HEAD + """pub unsafe fn f(x: u64) -> u64 {
    let y: u64;
    asm!(".p2align 4\\n mov {y:e}, {0}\\n .cfi_startproc\\n .intel_thing\\n mov rax, {0:z}",
         in(reg) x, y = out(reg) y, in("eax") 1, out("xmm3") _, out("rbx") _,
         options(nomem, nostack), clobber_abi("C"));
    y
}
"""


def settings_for(*triples: str) -> Settings:
    return Settings(targets=[parse_target(t) for t in triples or ("x86_64-unknown-linux-gnu",)])


def hover_at(text: str, needle: str, delta: int = 0, occurrence: int = 0, *triples: str):
    source, result = analyzed(text, *triples)
    offset = at(text, needle, delta, occurrence)
    found = hover(result.model, offset, settings_for(*triples))
    return source, found


def test_locate_kinds():
    _, result = analyzed(X86)
    model = result.model
    cases = [
        ("asm!", 1, loc.MACRO, "asm!"),
        (".p2align", 3, loc.DIRECTIVE, ".p2align"),
        ("{y:e}", 1, loc.PLACEHOLDER, "y"),
        ("{y:e}", 3, loc.PLACEHOLDER, "e"),
        ("mov", 1, loc.MNEMONIC, "mov"),
        ("rax", 1, loc.WORD, "rax"),
        ("in(reg)", 0, loc.OPERAND_KEYWORD, "in"),
        ("in(reg)", 4, loc.REGISTER_CLASS, "reg"),
        ("y = out", 0, loc.OPERAND_NAME, "y"),
        ('"eax"', 2, loc.REGISTER, "eax"),
        ("nostack", 2, loc.OPTION, "nostack"),
        ("options", 1, loc.OPTIONS_KEYWORD, "options"),
        ('"C"', 1, loc.CLOBBER_ABI, "C"),
        ("clobber_abi", 1, loc.CLOBBER_ABI_KEYWORD, "clobber_abi"),
        (") x,", 2, loc.EXPRESSION, "x"),
    ]
    for needle, delta, kind, text in cases:
        site = loc.locate(model, at(X86, needle, delta))
        assert site is not None, needle
        assert (site.kind, site.text) == (kind, text), needle


def test_locate_outside_calls_and_at_edges():
    _, result = analyzed(X86)
    assert loc.locate(result.model, 0) is None
    assert loc.locate(result.model, at(X86, "let y")) is None
    assert loc.locate(result.model, len(X86.encode()) + 10) is None
    assert loc.locate(result.model, -5) is None


def test_locate_operand_maps_to_model():
    _, result = analyzed(X86)
    site = loc.locate(result.model, at(X86, "y = out", 5))
    operand = loc.operand_at(site, result.model.blocks[0])
    assert operand is not None and (operand.index, operand.name, operand.kind) == (1, "y", "out")


def test_locate_works_on_unparsed_arguments():
    text = HEAD + 'pub unsafe fn f() { asm!("nop", in() 1, in("ea) 2, options(no)); }\n'
    _, result = analyzed(text)
    model = result.model
    assert model.blocks[0].block.parse_errors
    site = loc.locate(model, at(text, "in()", 3))
    assert (site.kind, site.prefix) == (loc.REGISTER_CLASS, "")
    site = loc.locate(model, at(text, '"ea)', 3))
    assert (site.kind, site.prefix) == (loc.REGISTER, "ea")
    site = loc.locate(model, at(text, "(no)", 3))
    assert (site.kind, site.prefix) == (loc.OPTION, "no")


def test_register_hover():
    source, found = hover_at(X86, '"eax"', 1)
    text = found.markdown
    assert source.text(found.start, found.end) == "eax"
    assert "**register `eax`** (x86_64), rustc's `ax`" in text
    assert "Class `reg`; also allowed in `reg_abcd`." in text
    assert "`eax` (`:e`, 32-bit)" in text and "`rax` (`:r`, 64-bit, default)" in text
    assert "`eax` names the 32-bit view." in text
    assert "Caller-saved under the `x86_64_sysv` ABI" in text


def test_register_hover_callee_saved_and_filtered():
    _, found = hover_at(X86, '"rbx"', 1)
    assert "Callee-saved under the `x86_64_sysv` ABI" in found.markdown
    assert "rbx is used internally by LLVM" in found.markdown


def test_register_in_template_text():
    _, found = hover_at(X86, "rax,", 1)
    assert found is not None and "**register `rax`**" in found.markdown


def test_reserved_register():
    text = HEAD + 'pub unsafe fn f() { asm!("nop", out("rsp") _); }\n'
    _, found = hover_at(text, '"rsp"', 1)
    assert "Reserved: the stack pointer cannot be used as an operand for inline asm." in found.markdown


def test_class_hover():
    _, found = hover_at(X86, "in(reg)", 4)
    text = found.markdown
    assert text.startswith("**register class `reg`** (x86_64)")
    assert "Registers: `ax`, `bx`" in text
    assert "Types: `i16`, `i32`, `i64`" in text
    assert "`e` → `eax`" in text and "`r` → `rax` (default)" in text


def test_class_hover_features_and_clobber_only():
    text = HEAD + 'pub unsafe fn f(x: u64) { asm!("nop", in(xmm_reg) x, out(x87_reg) _); }\n'
    _, found = hover_at(text, "xmm_reg", 1)
    assert "Needs the `sse` target feature." in found.markdown
    _, found = hover_at(text, "x87_reg", 1)
    assert "Only usable as a clobber" in found.markdown


def test_option_hover():
    _, found = hover_at(X86, "nomem", 1)
    assert found.markdown.startswith("**option `nomem`**")
    assert "undefined behaviour" in found.markdown
    text = HEAD + 'core::arch::global_asm!("nop", options(nomem));\n'
    _, found = hover_at(text, "nomem", 1)
    assert "Not accepted by `global_asm!`." in found.markdown


@pytest.mark.parametrize("option", ["pure", "nomem", "readonly", "preserves_flags", "noreturn", "nostack",
                                    "att_syntax", "raw", "may_unwind"])
def test_every_option_has_text(option):
    text = HEAD + f'pub unsafe fn f() {{ asm!("nop", options({option})); }}\n'
    _, found = hover_at(text, option, 1)
    assert found is not None and f"option `{option}`" in found.markdown


def test_operand_keyword_hover():
    _, found = hover_at(X86, "y = out", 4)
    assert found.markdown.startswith("**`out` operand**")
    assert "Operand 1: `y = out(reg) y` (class `reg`); in the template: `{y}`." in found.markdown


def test_explicit_register_operand_hover():
    _, found = hover_at(X86, 'in("eax")', 0)
    assert "register `ax`, class `reg`" in found.markdown
    assert "explicit register cannot be named in the template" in found.markdown


def test_placeholder_hover_with_modifier():
    _, found = hover_at(X86, "{y:e}", 1)
    assert "**placeholder `{y:e}`**" in found.markdown
    assert "Modifier `e`: the register is printed like `eax` (32-bit view)." in found.markdown


def test_placeholder_hover_default_and_invalid_modifier():
    _, found = hover_at(X86, "{0}", 1)
    assert "default `r` form, e.g. `rax` (64-bit)" in found.markdown
    _, found = hover_at(X86, "{0:z}", 1)
    assert "`z` is not a modifier of class `reg` (valid: `l`, `x`, `e`, `r`)." in found.markdown


def test_placeholder_for_const_and_unbound():
    text = HEAD + 'pub unsafe fn f() { asm!("mov eax, {c} {9}", c = const 5); }\n'
    _, found = hover_at(text, "{c}", 1)
    assert "Replaced by the constant's value" in found.markdown
    _, found = hover_at(text, "{9}", 1)
    assert "Refers to no operand" in found.markdown


def test_clobber_abi_hover():
    _, found = hover_at(X86, '"C"', 1)
    assert "ABI `x86_64_sysv`: marks 73 registers clobbered: `ax`, `cx`" in found.markdown


def test_clobber_abi_hover_target_dependent():
    text = HEAD + 'pub unsafe fn f() { asm!("nop", clobber_abi("C")); }\n'
    _, found = hover_at(text, '"C"', 1, 0, "x86_64")
    assert "ABI `x86_64_sysv` (when not is_like_windows)" in found.markdown
    assert "ABI `x86_64_win` (when is_like_windows)" in found.markdown


def test_clobber_abi_not_supported():
    text = HEAD + 'pub unsafe fn f() { asm!("nop", clobber_abi("C")); }\n'
    _, found = hover_at(text, '"C"', 1, 0, "mips-unknown-linux-gnu")
    assert "`clobber_abi` is not supported on this target." in found.markdown


def test_directive_hover():
    _, found = hover_at(X86, ".p2align", 2)
    assert "Guaranteed by the Rust reference for inline assembly on every target." in found.markdown
    _, found = hover_at(X86, ".cfi_startproc", 2)
    assert "Guaranteed by the Rust reference for DWARF unwinding" in found.markdown
    _, found = hover_at(X86, ".intel_thing", 2)
    assert "Not among the directives the Rust reference guarantees" in found.markdown


def test_stateful_directive_hover():
    text = HEAD + 'pub unsafe fn f() { asm!(".pushsection .text\\n.popsection"); }\n'
    _, found = hover_at(text, ".pushsection", 1)
    assert "undo it with `.popsection`" in found.markdown


def test_several_architectures_get_sections():
    text = HEAD + 'pub unsafe fn f(x: u64) { asm!("nop {0}", in(reg) x); }\n'
    _, found = hover_at(text, "(reg)", 2, 0, "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    assert "*x86_64*" in found.markdown and "*aarch64*" in found.markdown
    assert "**register class `reg`** (aarch64)" in found.markdown


def test_no_hover_on_expressions_and_outside():
    for needle, delta in [(") x,", 2), ("let y", 0), ("fn f", 0)]:
        _, found = hover_at(X86, needle, delta)
        assert found is None, needle


def test_mnemonic_hover_without_the_machine_layer_is_the_documentation():
    _, found = hover_at(X86, "mov", 1)
    assert found.markdown == ("**instruction `mov {y:e}, {0}`** (x86_64): Move\n\n"
                              "[Reference](https://www.felixcloutier.com/x86/mov)")


def test_hover_never_raises_anywhere():
    texts = [X86, HEAD + 'pub unsafe fn f() { asm!("{", in(', HEAD + 'asm!(', HEAD + 'global_asm!("{x:}", options(',
             HEAD + 'pub unsafe fn f() { asm!(concat!("a {0", "}"), in(reg) 1, $x); }']
    for text in texts:
        _, result = analyzed(text)
        for offset in range(-1, len(text.encode()) + 2):
            hover(result.model, offset, settings_for())


def test_abi_role_per_possible_abi():
    text = HEAD + 'pub unsafe fn f() { asm!("nop", out("rsi") _, out("rax") _); }\n'
    _, found = hover_at(text, '"rsi"', 1, 0, "x86_64")
    assert "Caller-saved under the `x86_64_sysv` ABI" in found.markdown
    assert "callee-saved under the `x86_64_win` ABI" in found.markdown
    _, found = hover_at(text, '"rax"', 1, 0, "x86_64")
    assert "Caller-saved under the `C` ABI" in found.markdown


def test_placeholder_in_concat_template():
    text = HEAD + 'pub unsafe fn f(x: u64) { asm!(concat!("mov {0:e}, ", "{1}"), in(reg) x, in(xmm_reg) x); }\n'
    _, found = hover_at(text, "{1}", 1)
    assert "**placeholder `{1}`**" in found.markdown and "class `xmm_reg`" in found.markdown
    _, found = hover_at(text, "{0:e}", 3)
    assert "Modifier `e`" in found.markdown
