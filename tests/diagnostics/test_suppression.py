"""`// asm-ls: allow(code, ...)`: what a comment covers, its problems (invalid-suppression), the
allowances left unused (unused-suppression), and the machine-code codes judged only once the
assembler ran, alike in one pass (the CLI) and in two (the server's front end, then assembler)."""

from __future__ import annotations

import shutil

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.model.target import parse_target
from asm_ls.server.publisher import Outcome, run_assembler
from asm_ls.syntax.source import SourceFile

X86 = [parse_target("x86_64-unknown-linux-gnu")]
HEAD = "use std::arch::asm;\npub unsafe fn f(x: u64) {\n"
UNUSED = "unused suppression: nothing here is reported as `{}`"
NEVER_USED = "argument never used"


def found(body: str, **settings) -> list[tuple]:
    source = SourceFile.from_text(HEAD + body + "}\n")
    result = analyze(source, Settings(targets=X86, **settings))
    return [(d.code, d.message, d.severity, source.range(d.start, d.end).as_list()) for d in result.diagnostics]


def test_a_trailing_comment_covers_its_line():
    assert found('    asm!("{}", in(reg) x, in(reg) x); // asm-ls: allow(unused-argument)\n') == []
    # the next line is not covered
    assert [d[0] for d in found('    asm!("nop"); // asm-ls: allow(unused-argument)\n'
                                '    asm!("{}", in(reg) x, in(reg) x);\n')] == ["unused-suppression", "unused-argument"]


def test_a_comment_above_a_call_covers_the_whole_call():
    body = ('    // why: the second operand is read by the callee\n'
            '    // asm-ls: allow(unused-argument)\n'
            '    #[allow(unused_unsafe)]\n'
            '    unsafe {\n'
            '        asm!("{}",\n             in(reg) x,\n             in(reg) x);\n'
            '    }\n')
    # the comment is above `unsafe {`, not above the call: nothing is covered there
    assert [d[0] for d in found(body)] == ["unused-suppression", "unused-argument"]
    body = ('    // asm-ls: allow(unused-argument)\n'
            '    #[cfg(target_arch = "x86_64")]\n'
            '    asm!("{}",\n         in(reg) x,\n         in(reg) x);\n')
    assert found(body) == []


def test_a_blank_line_ends_the_comment_s_reach():
    assert found('    // asm-ls: allow(unused-argument)\n\n    asm!("{}", in(reg) x, in(reg) x);\n') == [
        ("unused-suppression", UNUSED.format("unused-argument"), "warning", [2, 21, 2, 36]),
        ("unused-argument", NEVER_USED, "error", [4, 26, 4, 35]),
    ]


def test_problems_of_the_comment():
    body = ('    asm!("nop"); // asm-ls: allow(unused-argumnet, duplicate-option)\n'
            '    asm!("nop"); // asm-ls: allow()\n'
            '    asm!("nop"); // asm-ls: deny(duplicate-option)\n')
    assert found(body) == [
        ("invalid-suppression", "unknown diagnostic code `unused-argumnet`", "warning", [2, 34, 2, 49]),
        ("unused-suppression", UNUSED.format("duplicate-option"), "warning", [2, 51, 2, 67]),
        ("invalid-suppression", "expected `allow(code, ...)` after `asm-ls:`", "warning", [3, 17, 3, 35]),
        ("invalid-suppression", "expected `allow(code, ...)` after `asm-ls:`", "warning", [4, 17, 4, 50]),
    ]


def test_only_plain_line_comments_count():
    body = ('    /// asm-ls: allow(unused-argument)\n'
            '    asm!("{}", in(reg) x, in(reg) x);\n'
            '    asm!("// asm-ls: allow(unused-argument)", in(reg) x);\n')
    assert [d[0] for d in found(body)] == ["unused-argument", "unused-argument"]


def test_settings_apply_to_the_new_codes_and_off_codes_are_not_judged():
    body = '    asm!("nop"); // asm-ls: allow(unused-argument, bad-code)\n'
    assert [d[0] for d in found(body, severities={"invalid-suppression": "off"})] == ["unused-suppression"]
    assert [d[0] for d in found(body, disabled=frozenset({"unused-argument"}))] == ["invalid-suppression"]
    assert [d[0] for d in found(body, severities={"unused-argument": "off"})] == ["invalid-suppression"]


def test_machine_codes_are_not_judged_without_the_assembler():
    body = '    asm!("nop"); // asm-ls: allow(undeclared-clobber, assembler-error)\n'
    assert found(body) == []
    # asked for, but no rustc to run it
    assert [d[0] for d in found(body, assemble=True, rustc="/nonexistent/rustc")] == ["assembler-unavailable"]


ASSEMBLER = ('    // asm-ls: allow(assembler-error, undeclared-clobber)\n'
             '    asm!("addd {0}, 5", in(reg) x);\n'
             '    asm!("mov rax, 1"); // asm-ls: allow(undeclared-clobber)\n'
             '    asm!("nop"); // asm-ls: allow(flags-not-preserved, unused-argument)\n')


@pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not on PATH: the assembler cannot run")
def test_machine_codes_in_one_pass_and_in_two():
    source = SourceFile.from_text(HEAD + ASSEMBLER + "}\n")
    one_pass = analyze(source, Settings(targets=X86, assemble=True)).diagnostics
    summary = [(d.code, d.message, source.range(d.start, d.end).as_list()) for d in one_pass]
    # (the first block does not assemble: its undeclared-clobber allowance cannot be judged)
    assert summary == [
        ("unused-suppression", UNUSED.format("flags-not-preserved"), [5, 34, 5, 53]),
        ("unused-suppression", UNUSED.format("unused-argument"), [5, 55, 5, 70]),
    ]
    # the server: the front end first (machine codes not judged yet), then the assembler
    front = analyze(source, Settings(targets=X86))
    assert [(d.code, source.range(d.start, d.end).as_list()) for d in front.diagnostics] == [
        ("unused-suppression", [5, 55, 5, 70])]
    outcome = run_assembler(Outcome([], result=front, source=source), Settings(targets=X86, assemble=True),
                            "utf-16", "file:///x.rs")
    assert outcome.error is None
    assert [(d.code, d.message, [d.range.start.line, d.range.start.character, d.range.end.line,
                                 d.range.end.character]) for d in outcome.diagnostics] == summary
