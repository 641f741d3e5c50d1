"""Quick fixes (asm_ls.ide.actions): each fix applied to the text gives exactly the expected text."""

from __future__ import annotations

from ide_helpers import HEAD, analyzed, apply

from asm_ls.ide import actions


def fixes(text, code, *triples):
    """(title, preferred, fixed text) of every fix for the diagnostics with ``code``."""
    _, result = analyzed(text, *triples)
    diagnostics = [d for d in result.diagnostics if d.code == code]
    assert diagnostics, [d.code for d in result.diagnostics]
    return [(fix.title, fix.preferred, apply(text, fix.edits))
            for diagnostic in diagnostics for fix in actions.quick_fixes(result.model, diagnostic)]


def fn(body: str, signature: str = "pub unsafe fn f(x: u64)") -> str:
    return HEAD + signature + " {\n" + body + "}\n"


def test_remove_one_unused_argument_with_its_comma():
    text = fn('    asm!("nop {0}", in(reg) x, in(reg) x, options(nomem));\n')
    assert fixes(text, "unused-argument") == [
        ("Remove unused argument `in(reg) x`", True, fn('    asm!("nop {0}", in(reg) x, options(nomem));\n'))]


def test_remove_unused_arguments_renumbers_placeholders():
    text = fn('    asm!("nop {2}, {3:e}", in(reg) x, const 1, in(reg) x, in(reg) x);\n')
    assert fixes(text, "unused-argument") == [
        ("Remove unused arguments", True, fn('    asm!("nop {0}, {1:e}", in(reg) x, in(reg) x);\n'))]


def test_remove_unused_arguments_on_their_own_lines():
    text = fn('    asm!(\n        "nop {\\x32}",\n        in(reg) x,\n        in(reg) x,\n        in(reg) x,\n    );\n')
    assert fixes(text, "unused-argument") == [
        ("Remove unused arguments", True, fn('    asm!(\n        "nop {0}",\n        in(reg) x,\n    );\n'))]


def test_remove_named_unused_argument():
    text = fn('    asm!("nop {0}",\n         in(reg) x, y = in(reg) x);\n')
    assert fixes(text, "unused-argument") == [
        ("Remove unused argument `y = in(reg) x`", True, fn('    asm!("nop {0}",\n         in(reg) x);\n'))]


def test_no_removal_when_a_renumbered_placeholder_is_not_exact():
    text = fn('    asm!(concat!("nop {1}", ""), in(reg) x, in(reg) x);\n')
    assert fixes(text, "unused-argument") == []


def test_remove_duplicate_option():
    text = fn('    asm!("nop", options(nomem, nostack, nomem));\n')
    assert fixes(text, "duplicate-option") == [
        ("Remove option `nomem`", True, fn('    asm!("nop", options(nomem, nostack));\n'))]
    text = fn('    asm!("nop", options(nomem, nomem, nostack));\n')
    assert fixes(text, "duplicate-option") == [
        ("Remove option `nomem`", True, fn('    asm!("nop", options(nomem, nostack));\n'))]


def test_remove_option_not_allowed_and_its_empty_group():
    text = HEAD + 'core::arch::global_asm!("nop", options(nomem));\n'
    assert fixes(text, "option-not-allowed") == [
        ("Remove option `nomem`", True, HEAD + 'core::arch::global_asm!("nop");\n')]


def test_remove_modifier_not_allowed():
    text = fn('    asm!("mov eax, {0:e}", const 5);\n')
    assert fixes(text, "modifier-not-allowed") == [
        ("Remove modifier `e`", True, fn('    asm!("mov eax, {0}", const 5);\n'))]
    escaped = fn('    asm!("mov eax, {0\\x3ae}", const 5);\n')
    assert fixes(escaped, "modifier-not-allowed") == [
        ("Remove modifier `e`", True, fn('    asm!("mov eax, {0}", const 5);\n'))]


def test_replace_invalid_modifier():
    text = fn('    asm!("mov {0:h}, 1", in(reg) x);\n')
    assert fixes(text, "invalid-modifier") == [
        ("Use modifier `l`", False, fn('    asm!("mov {0:l}, 1", in(reg) x);\n')),
        ("Use modifier `x`", False, fn('    asm!("mov {0:x}, 1", in(reg) x);\n')),
        ("Use modifier `e`", False, fn('    asm!("mov {0:e}, 1", in(reg) x);\n')),
        ("Use modifier `r`", False, fn('    asm!("mov {0:r}, 1", in(reg) x);\n')),
        ("Remove modifier `h`", False, fn('    asm!("mov {0}, 1", in(reg) x);\n')),
    ]


def test_wrap_in_unsafe():
    text = fn('    let y = asm!("nop");\n', "pub fn f()")
    assert fixes(text, "asm-requires-unsafe") == [
        ("Wrap in `unsafe { }`", True, fn('    let y = unsafe { asm!("nop") };\n', "pub fn f()"))]


def test_append_the_undo_directive():
    text = fn('    asm!(\n        ".pushsection .foo",\n        "nop",\n        options(nostack),\n    );\n')
    assert fixes(text, "unbalanced-directive", "x86_64-unknown-linux-gnu") == [
        ("Add `.popsection` at the end of the block", True,
         fn('    asm!(\n        ".pushsection .foo",\n        "nop",\n        ".popsection",\n        options(nostack),\n    );\n'))]
    text = fn('    asm!(".pushsection .foo", "nop", in(reg) x);\n')
    assert fixes(text, "unbalanced-directive", "x86_64-unknown-linux-gnu") == [
        ("Add `.popsection` at the end of the block", True,
         fn('    asm!(".pushsection .foo", "nop", ".popsection", in(reg) x);\n'))]


def test_remove_att_syntax_off_x86():
    text = fn('    asm!("nop", options(att_syntax, nostack), options(att_syntax));\n')
    assert fixes(text, "att-syntax-not-x86", "aarch64-unknown-linux-gnu") == [
        ("Remove option `att_syntax`", True, fn('    asm!("nop", options(nostack));\n'))]


def test_wrong_syntax_in_an_intel_block():
    text = fn('    asm!("mov %eax, 1");\n')
    assert fixes(text, "wrong-syntax", "x86_64-unknown-linux-gnu") == [
        ("Write `eax`", True, fn('    asm!("mov eax, 1");\n')),
        ("Add `options(att_syntax)`", False, fn('    asm!("mov %eax, 1", options(att_syntax));\n')),
    ]
    text = fn('    asm!(\n        "mov %eax, 1",\n        options(nostack),\n    );\n')
    assert fixes(text, "wrong-syntax", "x86_64-unknown-linux-gnu")[1] == \
        ("Add `options(att_syntax)`", False, fn('    asm!(\n        "mov %eax, 1",\n        options(nostack, att_syntax),\n    );\n'))
    text = fn('    asm!(\n        "mov %eax, 1",\n    );\n')
    assert fixes(text, "wrong-syntax", "x86_64-unknown-linux-gnu")[1] == \
        ("Add `options(att_syntax)`", False, fn('    asm!(\n        "mov %eax, 1",\n        options(att_syntax),\n    );\n'))


def test_wrong_syntax_in_an_att_block():
    text = fn('    asm!("movl $1, eax", options(att_syntax));\n')
    assert fixes(text, "wrong-syntax", "x86_64-unknown-linux-gnu") == [
        ("Write `%eax`", True, fn('    asm!("movl $1, %eax", options(att_syntax));\n')),
        ("Remove option `att_syntax`", False, fn('    asm!("movl $1, eax");\n')),
    ]


def test_nothing_for_other_codes():
    text = fn('    asm!("{}");\n')
    _, result = analyzed(text)
    assert [d.code for d in result.diagnostics] == ["invalid-argument-index"]
    assert actions.quick_fixes(result.model, result.diagnostics[0]) == []
