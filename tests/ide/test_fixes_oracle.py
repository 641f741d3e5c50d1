"""Every quick fix, applied to a minimal reproduction of its finding, leaves code rustc accepts
(``--emit metadata``; ``--emit obj`` for the assembler's and the contract analysis's findings,
which LLVM must assemble) and that asm-ls no longer reports the finding on."""

from __future__ import annotations

from pathlib import Path

import pytest

import oracle
from ide_helpers import HEAD, analyzed, apply
from oracle.rustc_oracle import check

from asm_ls.analysis import Settings
from asm_ls.diagnostics.fix import FIXES, SAFE, UNSAFE, spec_of
from asm_ls.ide import actions
from asm_ls.machine.assemble import assemble_file
from asm_ls.model.target import parse_target

pytestmark = pytest.mark.skipif(oracle.available() is not None, reason=str(oracle.available()))

TARGET = "x86_64-unknown-linux-gnu"


def fn(body: str) -> str:
    return HEAD + "pub unsafe fn f(x: u64) -> u64 {\n" + body + "    x\n}\n"


# code -> (text, emit, the fixes' titles[, target])
CASES = {
    "option-not-allowed": ('core::arch::global_asm!("nop", options(nomem));\n', "metadata",
                           ["Remove option `nomem`"]),
    "modifier-not-allowed": (fn('    asm!("mov eax, {0:e}", const 5, out("eax") _);\n'), "metadata",
                             ["Remove modifier `e`"]),
    "wrong-syntax": (fn('    asm!("inc ecx", out("ecx") _, options(att_syntax));\n'), "obj",
                     ["Write `%ecx`", "Remove option `att_syntax`"]),
    "att-syntax-not-x86": ('pub unsafe fn f() {\n    asm!("nop", options(att_syntax, nostack));\n}\n', "metadata",
                           ["Remove option `att_syntax`"], "aarch64-unknown-linux-gnu"),
    "unused-argument": (fn('    asm!("nop // {0}", in(reg) x, in(reg) x);\n'), "metadata",
                        ["Remove unused argument `in(reg) x`"]),
    "unknown-argument-name": (fn('    let count: u64;\n    asm!("mov {cnt}, 1", count = out(reg) count);\n'
                                 '    let _ = count;\n'), "metadata", ["Change `{cnt}` to `{count}`"]),
    "duplicate-option": (fn('    asm!("nop", options(nomem, nostack, nomem));\n'), "metadata",
                         ["Remove option `nomem`"]),
    "invalid-modifier": (fn('    asm!("mov {0:q}, 1", out(reg) _);\n'), "metadata", None),
    "asm-requires-unsafe": (HEAD + 'pub fn f() {\n    asm!("nop");\n}\n', "metadata", ["Wrap in `unsafe { }`"]),
    "asm-sub-register": (fn('    asm!("mov {0}, 1", out(reg) _, in("eax") x as u32);\n'.replace(
        'out(reg) _, in("eax") x as u32', 'in(reg) x as u32')), "metadata", ["Use modifier `e`"]),
    "named-asm-labels": (fn('    asm!("foo: jmp foo");\n'), "metadata", ["Rename label `foo` to `2`"]),
    "unbalanced-directive": (fn('    asm!(".pushsection .text.x, \\"ax\\"", "nop");\n'), "obj",
                             ["Add `.popsection` at the end of the block"]),
    "undeclared-clobber": (fn('    asm!("syscall", in("rax") 39u64, lateout("rax") _, options(nostack));\n'), "obj",
                           ['Add `lateout("r11") _`', "Add all missing clobbers of the block (2)",
                            'Add `lateout("rcx") _`', "Add all missing clobbers of the block (2)"]),
    "input-overwritten": (fn('    asm!("add {0}, 1", in(reg) x, options(nomem, nostack));\n'), "obj", None),
    "memory-with-nomem": (fn('    asm!("mov {0}, [{1}]", lateout(reg) _, in(reg) x, options(nomem, nostack));\n'), "obj",
                          ["Replace option `nomem` with `readonly`"]),
    "write-with-readonly": (fn('    let y: u64;\n    asm!("mov [{1}], {1}", "mov {0}, 1", out(reg) y, in(reg) x, '
                               'options(readonly, pure, nostack));\n    let _ = y;\n'),
                            "obj", ["Remove options `readonly` and `pure`"]),
    "flags-not-preserved": (fn('    asm!("add {0}, 1", inout(reg) x => _, options(preserves_flags));\n'), "obj",
                            ["Remove option `preserves_flags`"]),
    "stack-with-nostack": (fn('    asm!("push rax", "pop rax", options(nostack));\n'), "obj",
                           ["Remove option `nostack`", "Remove option `nostack`"]),
    "direction-flag-set": (fn('    asm!("std");\n'), "obj", ["Add `cld` at the end of the block"]),
    "call-without-clobber-abi": (HEAD + 'extern "C" fn g() {}\npub unsafe fn f() {\n'
                                 '    asm!("call {0}", sym g, lateout("rax") _);\n}\n', "obj",
                                 ['Add `clobber_abi("C")`']),
}


def findings(text: str, emit: str, target: str = TARGET):
    settings = Settings(targets=[parse_target(target)])
    source, result = analyzed(text, target)
    found = list(result.diagnostics)
    if emit == "obj":
        found += assemble_file(result.model, source, settings, front_end=result.diagnostics)
    return result.model, found


def test_every_fixable_code_has_a_case():
    assert sorted(actions.FIXABLE) == sorted(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_fix_leaves_code_rustc_accepts(code, tmp_path: Path):
    text, emit, titles, *target = CASES[code]
    target = target[0] if target else TARGET
    model, found = findings(text, emit, target)
    mine = [d for d in found if d.code == code]
    assert mine, [(d.code, d.message) for d in found]
    # the finding carries its fix as typed data of its code's kind (the front end's made with the finding)
    assert all(isinstance(spec_of(d), FIXES[code]) for d in mine)
    if emit == "metadata":
        assert all(d.fix is not None for d in mine)
    fixes = [fix for d in mine for fix in actions.quick_fixes(model, d, found)]
    if titles is not None:
        assert [fix.title for fix in fixes] == titles
    assert fixes and all(fix.applicability in (SAFE, UNSAFE) for fix in fixes)
    for fix in fixes:
        fixed = apply(text, fix.edits)
        path = tmp_path / "fixed.rs"
        path.write_text(fixed)
        verdict = check(path, None if target == TARGET else target, emit)
        assert (verdict.status, verdict.diagnostics) == (0, []), (fix.title, fixed)
        if fix.title != "Add all missing clobbers of the block (2)" and len(mine) > 1:
            continue
        _, again = findings(fixed, emit, target)
        assert [d.message for d in again if d.code == code] == [], (fix.title, fixed)
