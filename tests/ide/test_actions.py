"""Quick fixes (asm_ls.ide.actions): each fix applied to the text gives exactly the expected text."""

from __future__ import annotations

from ide_helpers import HEAD, analyzed, apply, at

from asm_ls.diagnostics import Diagnostic
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
    ]   # `$1` is AT&T: dropping `att_syntax` would not assemble
    text = fn('    asm!("mov ecx, eax", options(att_syntax));\n')
    assert fixes(text, "wrong-syntax", "x86_64-unknown-linux-gnu") == [
        ("Write `%ecx`", True, fn('    asm!("mov %ecx, eax", options(att_syntax));\n')),
        ("Remove option `att_syntax`", False, fn('    asm!("mov ecx, eax");\n')),
    ]


def machine_fixes(text, code, needle, data):
    """The fixes for a contract diagnostic (which needs the assembler) built by hand on ``needle``."""
    _, result = analyzed(text)
    start = at(text, needle)
    diagnostic = Diagnostic(code, "", start, start + len(needle.encode("utf-8")), target="x86_64", data=data)
    return [(fix.title, fix.preferred, apply(text, fix.edits)) for fix in actions.quick_fixes(result.model, diagnostic)]


def test_add_the_missing_clobber_before_the_options():
    add = {"add": ['out("rcx") _']}
    text = fn('    asm!("syscall", in("rax") 39u64, lateout("rax") _, options(nostack));\n')
    assert machine_fixes(text, "undeclared-clobber", "syscall", add) == [
        ('Add `out("rcx") _`', True,
         fn('    asm!("syscall", in("rax") 39u64, lateout("rax") _, out("rcx") _, options(nostack));\n'))]
    text = fn('    asm!(\n        "syscall",\n        in("rax") 39u64,\n        clobber_abi("C"),\n'
              '        options(nostack),\n    );\n')
    assert machine_fixes(text, "undeclared-clobber", "syscall", add) == [
        ('Add `out("rcx") _`', True,
         fn('    asm!(\n        "syscall",\n        in("rax") 39u64,\n        out("rcx") _,\n        clobber_abi("C"),\n'
            '        options(nostack),\n    );\n'))]


def test_add_the_missing_clobbers_at_the_end():
    add = {"add": ['out("rcx") _', 'out("r11") _']}
    text = fn('    asm!("syscall", in("rax") 39u64,);\n')
    assert machine_fixes(text, "undeclared-clobber", "syscall", add) == [
        ('Add `out("rcx") _`, `out("r11") _`', True,
         fn('    asm!("syscall", in("rax") 39u64, out("rcx") _, out("r11") _,);\n'))]
    text = fn('    asm!(\n        "syscall",\n        in("rax") 39u64,\n    );\n')
    assert machine_fixes(text, "undeclared-clobber", "syscall", add) == [
        ('Add `out("rcx") _`, `out("r11") _`', True,
         fn('    asm!(\n        "syscall",\n        in("rax") 39u64,\n        out("rcx") _,\n        out("r11") _,\n    );\n'))]
    text = fn('    asm!("syscall",\n         in("rax") 39u64);\n')
    assert machine_fixes(text, "undeclared-clobber", "syscall", {"add": ['out("rcx") _']}) == [
        ('Add `out("rcx") _`', True, fn('    asm!("syscall",\n         in("rax") 39u64,\n         out("rcx") _);\n'))]
    assert machine_fixes(text, "undeclared-clobber", "syscall", {}) == []


def test_make_an_overwritten_input_inout():
    text = fn('    asm!("add {0}, 1", in(reg) x, options(nostack));\n', "pub unsafe fn f(mut x: u64)")
    assert machine_fixes(text, "input-overwritten", "add", {"make_inout": "rax", "operand": 0}) == [
        ("Change to `inout(reg) x`", False,
         fn('    asm!("add {0}, 1", inout(reg) x, options(nostack));\n', "pub unsafe fn f(mut x: u64)")),
        ("Change to `inout(reg) x => _`", True,
         fn('    asm!("add {0}, 1", inout(reg) x => _, options(nostack));\n', "pub unsafe fn f(mut x: u64)")),
    ]
    text = fn('    asm!("mov {1}, 2", "add {n}, 1", in(reg) 1u64, n = in(reg) x * 2, in("rax") s.a[0]);\n',
              "pub unsafe fn f(x: u64, s: S)")
    assert machine_fixes(text, "input-overwritten", "add", {"make_inout": "ecx", "operand": 1}) == [
        ("Change to `inout(reg) x * 2 => _`", True,
         fn('    asm!("mov {1}, 2", "add {n}, 1", in(reg) 1u64, n = inout(reg) x * 2 => _, in("rax") s.a[0]);\n',
            "pub unsafe fn f(x: u64, s: S)"))]
    # `s` is not `mut`: only the discarding form compiles
    assert machine_fixes(text, "input-overwritten", "mov", {"make_inout": "rax", "operand": 2}) == [
        ('Change to `inout("rax") s.a[0] => _`', True,
         fn('    asm!("mov {1}, 2", "add {n}, 1", in(reg) 1u64, n = in(reg) x * 2, inout("rax") s.a[0] => _);\n',
            "pub unsafe fn f(x: u64, s: S)"))]
    immutable = fn('    asm!("add {0}, 1", in(reg) x, options(nostack));\n')
    assert [title for title, _, _ in machine_fixes(immutable, "input-overwritten", "add",
                                                    {"make_inout": "rax", "operand": 0})] == [
        "Change to `inout(reg) x => _`"]
    assert machine_fixes(text, "input-overwritten", "add", {"make_inout": "rax"}) == []
    assert machine_fixes(text, "input-overwritten", "mov", {"make_inout": "rax", "operand": 1})[0][0] == \
        "Change to `inout(reg) x * 2 => _`"


def test_use_the_suggested_sub_register_modifier():
    signature = "pub unsafe fn f(x: u32)"
    text = fn('    asm!("mov {0}, {0}", in(reg) x);\n', signature)
    assert fixes(text, "asm-sub-register") == [
        ("Use modifier `e`", True, fn('    asm!("mov {0:e}, {0:e}", in(reg) x);\n', signature))]
    text = fn('    asm!("inc {}", "mov {x}, {x\\x7d", in(reg) x, x = in(reg) x);\n', signature)
    assert fixes(text, "asm-sub-register") == [
        ("Use modifier `e`", True, fn('    asm!("inc {:e}", "mov {x}, {x\\x7d", in(reg) x, x = in(reg) x);\n', signature)),
        ("Use modifier `e`", True, fn('    asm!("inc {}", "mov {x:e}, {x:e\\x7d", in(reg) x, x = in(reg) x);\n', signature)),
    ]
    text = fn('    asm!(concat!("mov {0}", ", 1"), in(reg) x);\n', signature)
    assert fixes(text, "asm-sub-register") == []


def test_rename_a_named_label_to_a_numeric_one():
    text = fn('    asm!(\n        "jmp foo",\n        "mov eax, 2",\n        "foo: dec {0}",\n        "jnz foo // again",\n'
              '        in(reg) x,\n    );\n')
    assert fixes(text, "named-asm-labels") == [
        ("Rename label `foo` to `3`", True,
         fn('    asm!(\n        "jmp 3f",\n        "mov eax, 2",\n        "3: dec {0}",\n        "jnz 3b // again",\n'
            '        in(reg) x,\n    );\n'))]
    text = fn('    asm!(".Lx\\x3a nop; 2: jne .Lx", "jmp 1f", "1:", "9:");\n')
    assert fixes(text, "named-asm-labels") == [
        ("Rename label `.Lx` to `3`", True, fn('    asm!("3\\x3a nop; 2: jne 3b", "jmp 1f", "1:", "9:");\n'))]


def test_no_label_rename_when_the_name_is_used_otherwise():
    for body in ['    asm!("foo: nop", "lea rax, [rip + foo]");\n',
                 '    asm!("foo: nop", "jmp foo", ".global foo");\n',
                 '    asm!("foo: nop", "jmp foo // to foo");\n',
                 '    asm!("foo: nop", "foo: nop");\n',
                 '    asm!("foo: nop", concat!("jmp", " foo"));\n',
                 '    asm!("foo: jmp {foo}", foo = in(reg) 0u64);\n']:
        assert fixes(fn(body), "named-asm-labels") == [], body


def test_nothing_for_other_codes():
    text = fn('    asm!("{}");\n')
    _, result = analyzed(text)
    assert [d.code for d in result.diagnostics] == ["invalid-argument-index"]
    assert actions.quick_fixes(result.model, result.diagnostics[0]) == []


def test_a_placeholder_typo_is_corrected_and_its_argument_not_removed():
    text = fn('    let count: u64;\n    asm!("mov {cnt}, 1", count = out(reg) count);\n')
    assert fixes(text, "unknown-argument-name") == [
        ("Change `{cnt}` to `{count}`", True,
         fn('    let count: u64;\n    asm!("mov {count}, 1", count = out(reg) count);\n'))]
    assert fixes(text, "unused-argument") == []
    # no operand near the name: nothing to offer
    assert fixes(fn('    asm!("mov {zzz}, 1", count = out(reg) _);\n'), "unknown-argument-name") == []


def test_contract_option_fixes():
    text = fn('    asm!("mov {0}, [{1}]", lateout(reg) _, in(reg) x, options(nomem, nostack));\n')
    assert machine_fixes(text, "memory-with-nomem", "mov", {"replace_option": ["nomem", "readonly"]}) == [
        ("Replace option `nomem` with `readonly`", True,
         fn('    asm!("mov {0}, [{1}]", lateout(reg) _, in(reg) x, options(readonly, nostack));\n'))]
    text = fn('    asm!("mov [{1}], {1}", out(reg) _, in(reg) x, options(nomem, pure, nostack));\n')
    assert machine_fixes(text, "memory-with-nomem", "mov", {"replace_option": ["nomem", None]}) == [
        ("Remove options `nomem` and `pure`", True,
         fn('    asm!("mov [{1}], {1}", out(reg) _, in(reg) x, options(nostack));\n'))]
    text = fn('    asm!("add {0}, 1", inout(reg) x => _, options(preserves_flags));\n')
    assert machine_fixes(text, "flags-not-preserved", "add", {"remove_option": "preserves_flags"}) == [
        ("Remove option `preserves_flags`", True, fn('    asm!("add {0}, 1", inout(reg) x => _);\n'))]
    text = fn('    asm!("std", options(nostack));\n')
    assert machine_fixes(text, "direction-flag-set", "std\"", {"add_after": "cld"}) == [
        ("Add `cld` at the end of the block", True, fn('    asm!("std", "cld", options(nostack));\n'))]


def test_applicability_says_whether_a_fix_changes_what_the_code_does():
    def applicability(text, code, *triples):
        _, result = analyzed(text, *triples)
        return [(fix.title, fix.applicability) for d in result.diagnostics if d.code == code
                for fix in actions.quick_fixes(result.model, d)]

    assert applicability(fn('    asm!("nop", options(nomem, nomem));\n'), "duplicate-option") == \
        [("Remove option `nomem`", "safe")]
    assert applicability(fn('    asm!("mov {0:q}, 1", out(reg) _);\n'), "invalid-modifier") == \
        [("Use modifier `l`", "unsafe"), ("Use modifier `x`", "unsafe"), ("Use modifier `e`", "unsafe"),
         ("Use modifier `r`", "unsafe"), ("Remove modifier `q`", "unsafe")]
    text = fn('    asm!("add {0}, 1", in(reg) x, options(nostack));\n', "pub unsafe fn f(mut x: u64)")
    assert [(fix.title, fix.applicability) for fix in actions.quick_fixes(
        analyzed(text)[1].model, Diagnostic("input-overwritten", "", at(text, "add"), at(text, "add") + 3,
                                            target="x86_64", data={"operand": 0}))] == \
        [("Change to `inout(reg) x`", "unsafe"), ("Change to `inout(reg) x => _`", "safe")]
