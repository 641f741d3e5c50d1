"""End to end with the rustc on this machine: LLVM's message at the exact template characters, cfg'd architectures,
refused directives, the cache; a missing rustc and a hanging one."""

from __future__ import annotations

import stat
import time

import pytest

from asm_ls.analysis import analyze
from asm_ls.machine import backend
from asm_ls.machine.assemble import _caret, assemble_file
from asm_ls.machine.cache import CACHE, FindingsCache
from asm_ls.model.target import parse_target
from machine_helpers import rustc_missing, settings, source

needs_rustc = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")

HOST = "use std::arch::asm;\n"


def run(text: str, *targets: str, **extra):
    src = source(text)
    config = settings(*targets, **extra)
    result = analyze(src, config)
    found = assemble_file(result.model, src, config, result.diagnostics)
    return src, result, [(d.code, d.severity, d.message, src.text(d.start, d.end), d.target) for d in found]


def _not_analysed(arch: str) -> tuple:
    """The one note a clean block of an architecture without instruction semantics gets."""
    return ("contract-not-analysed", "information",
            f"the contract analysis did not run on this block: asm-ls has no instruction semantics for {arch}", "asm", arch)


@pytest.fixture(autouse=True)
def fresh_cache():
    CACHE.clear()
    yield
    CACHE.clear()


@needs_rustc
def test_bad_mnemonic_at_the_mnemonic():
    text = HOST + 'pub unsafe fn f(x: u64) {\n    asm!("nop", "addd {0}, 1", in(reg) x);\n}\n'
    src, _, found = run(text)
    assert found == [("assembler-error", "error", "invalid instruction mnemonic 'addd'", "addd", "x86_64")]


@needs_rustc
def test_bad_operand_on_the_operand():
    text = 'pub unsafe fn f(x: u64) {\n    asm!("add {0}, {0}, #1", "add x0, [x1]", in(reg) x);\n}\n'
    _, _, found = run(text, "aarch64-unknown-linux-gnu")
    assert found == [("assembler-error", "error", "invalid operand for instruction", "[x1]", "aarch64")]


@needs_rustc
def test_caret_on_a_substituted_register_maps_to_the_placeholder():
    text = 'pub unsafe fn f(x: u64) {\n    asm!("ldr {0}, [{0:w}]", in(reg) x);\n}\n'
    _, _, found = run(text, "aarch64-unknown-linux-gnu")
    assert found == [("assembler-error", "error", "invalid operand for instruction", "{0:w}", "aarch64")]


@needs_rustc
def test_scale_factor_caret():
    text = HOST + 'pub unsafe fn f(x: u64) {\n    asm!("mov eax, [{0}+{0}*3]", in(reg) x);\n}\n'
    _, _, found = run(text)
    assert found == [("assembler-error", "error", "scale factor in address must be 1, 2, 4 or 8", "3", "x86_64")]


@needs_rustc
def test_unknown_directive_and_warning():
    text = HOST + ('pub unsafe fn f() {\n    asm!(".foo 1", "movl (%rax, 2), %eax", options(att_syntax));\n}\n')
    _, _, found = run(text)
    assert found == [("assembler-error", "error", "unknown directive", ".foo 1", "x86_64"),
                     ("assembler-warning", "warning", "scale factor without index register is ignored", "2",
                      "x86_64")]


@needs_rustc
def test_valid_blocks_are_clean():
    text = HOST + ('pub unsafe fn f(x: u64) -> u64 {\n    let y: u64;\n'
                   '    asm!("mov {0}, {1}", "add {0:e}, 1", "jmp {2}", out(reg) y, in(reg) x, label {});\n'
                   '    asm!("movq {0}, %rax", in(reg) x, out("rax") _, options(att_syntax));\n    y\n}\n'
                   'std::arch::global_asm!(".globl g", "g:", "ret");\n')
    assert run(text)[2] == []


@needs_rustc
def test_cfg_block_assembled_for_its_architecture():
    text = HOST + ('#[cfg(target_arch = "aarch64")]\npub unsafe fn f(x: u64) {\n'
                   '    asm!("add {0}, {0}, #1", "addd x0, x0", in(reg) x);\n}\n')
    _, _, found = run(text)         # the host is x86_64
    assert [(code, text, target) for code, _, _, text, target in found] == \
        [("assembler-error", "addd x0, x0", "aarch64")]
    assert found[0][2].startswith("unrecognized instruction mnemonic")


@needs_rustc
def test_incbin_is_refused_and_never_read(monkeypatch, tmp_path):
    secret = tmp_path / "secret.bin"
    seen = []
    original = backend.compile_crate

    def spy(rustc, crate, *args, **kwargs):
        seen.append(crate)
        return original(rustc, crate, *args, **kwargs)

    monkeypatch.setattr(backend, "compile_crate", spy)
    text = HOST + f'pub unsafe fn f() {{\n    asm!("nop", ".incbin \\"{secret}\\"", "nop");\n}}\n'
    _, result, found = run(text)
    assert [(code, severity, text) for code, severity, _, text, _ in found] == \
        [("assembler-directive-refused", "warning", f'.incbin \\"{secret}\\"')]
    assert seen and all("incbin" not in crate and str(secret) not in crate for crate in seen)


def test_rustc_missing_gives_one_information_and_nothing_else():
    text = HOST + ('pub unsafe fn f(x: u64) {\n    asm!("addd {}", in(reg) x);\n    asm!("nop", options(nomem, nomem));\n'
                   '}\n#[cfg(target_arch = "aarch64")]\npub unsafe fn g() { asm!("nop"); }\n')
    src = source(text)
    config = settings(rustc="/nonexistent/rustc")
    before = analyze(src, config).diagnostics
    found = assemble_file(analyze(src, config).model, src, config, before)
    assert [(d.code, d.severity) for d in found] == [("assembler-unavailable", "information")]
    assert "/nonexistent/rustc" in found[0].message
    assert analyze(src, config).diagnostics == before


def _fake_rustc(tmp_path, body: str) -> str:
    path = tmp_path / "rustc"
    path.write_text("#!/bin/sh\nif [ \"$1\" = \"-vV\" ]; then echo 'rustc 0.0.0-fake'; exit 0; fi\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_hanging_rustc_is_killed(tmp_path):
    pid_file = tmp_path / "pid"
    rustc = _fake_rustc(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait\n")
    text = HOST + 'pub unsafe fn f() {\n    asm!("nop");\n}\n'
    started = time.monotonic()
    _, _, found = run(text, rustc=rustc, assemble_timeout=1.0)
    assert time.monotonic() - started < 10
    assert [(code, severity) for code, severity, *_ in found] == [("assembler-unavailable", "information")]
    assert "did not finish within 1 s" in found[0][2]
    child = int(pid_file.read_text())
    time.sleep(0.2)
    try:                        # the whole process group was stopped (gone, or a zombie nobody reaps)
        state = open(f"/proc/{child}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X")


def test_failed_run_is_unavailable_with_rustcs_first_error(tmp_path):
    rustc = _fake_rustc(tmp_path, "echo 'error: could not find specification for target \"x\"' >&2\nexit 1\n")
    _, _, found = run(HOST + 'pub unsafe fn f() { asm!("nop"); }\n', rustc=rustc)
    assert [(code, severity) for code, severity, *_ in found] == [("assembler-unavailable", "information")]
    assert "could not find specification" in found[0][2]


def test_blocks_with_front_end_errors_are_not_assembled(monkeypatch):
    calls = []
    monkeypatch.setattr(backend, "compile_crate", lambda *args, **kwargs: calls.append(args) or backend.Run(0))
    text = HOST + 'pub unsafe fn f(x: u64) {\n    asm!("addd {}", in(reg) x, options(nomem, nomem));\n' \
                  '    asm!("addd {}", in(rsp) x);\n    asm!("addd {y}", in(reg) x);\n}\n'
    assert run(text, rustc=backend.find_rustc(None) or "/bin/true")[2] == []
    assert calls == []


@needs_rustc
def test_unchanged_blocks_are_not_assembled_again(monkeypatch):
    runs = []
    original = backend.compile_crate
    monkeypatch.setattr(backend, "compile_crate", lambda *a, **k: runs.append(1) or original(*a, **k))
    text = HOST + 'pub unsafe fn f(x: u64) {\n    asm!("addd {}", in(reg) x);\n}\n'
    first = run(text)[2]
    moved = run("\n\n// moved\n" + text)[2]
    assert len(runs) == 1 and first == moved and first[0][3] == "addd"


@needs_rustc
def test_fifty_blocks_one_run(monkeypatch):
    runs = []
    original = backend.compile_crate
    monkeypatch.setattr(backend, "compile_crate", lambda *a, **k: runs.append(1) or original(*a, **k))
    body = "".join(f'    asm!("mov {{0}}, {i}", "add{"d" if i % 10 == 3 else ""} {{0}}, {{0}}", inout(reg) x);\n'
                   for i in range(50))
    _, _, found = run(HOST + f"pub unsafe fn f(mut x: u64) {{\n{body}}}\n")
    assert len(runs) == 2       # one to assemble every block, one more for the contract analysis of the clean ones
    assert len(found) == 5 and all(text == "addd" for _, _, _, text, _ in found)


def test_caret_rules():
    line = "add x0, [x1], #4 // c"
    assert _caret(line, 0, ()) == (0, 16)         # at the mnemonic: the statement
    assert _caret(line, 8, ()) == (8, 12)         # at an operand: the operand
    assert _caret("mov rax, [rbx+4*]", 16, ()) == (16, 17)     # at a closing bracket: that character
    assert _caret("nop; .foo 1", 5, ()) == (5, 11)


def test_lru_cache_is_bounded():
    cache = FindingsCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and len(cache) == 2


@needs_rustc
def test_errors_without_a_line_are_placed_by_running_blocks_alone():
    text = ('#[cfg(target_arch = "aarch64")] pub unsafe fn i() { asm!("nop", "b 1f"); }\n'
            '#[cfg(target_arch = "aarch64")] pub unsafe fn j() { asm!("b .Lnowhere"); }\n'
            '#[cfg(target_arch = "aarch64")] pub unsafe fn k() { asm!("nop"); }\n')
    _, _, found = run(text)
    assert [(message, text) for _, _, message, text, _ in found] == [
        ("Undefined temporary symbol .Ltmp0", '"nop", "b 1f"'),             # a numeric label: the whole template
        ("Undefined temporary symbol .Lnowhere", ".Lnowhere"),
    ]


def test_findings_on_lines_with_unknown_const_values_are_dropped():
    from asm_ls.machine.assemble import Finding, _diagnostic
    from machine_helpers import generated
    src, block = generated(HOST + 'pub unsafe fn f() {\n    asm!("ror eax, {}", "addd eax, 1", const N);\n}\n')
    assert _diagnostic(Finding("error", "m", (), 0, 9, 10), block, ("#",), "x86_64", parse_target("x86_64-unknown-linux-gnu")) is None
    kept = _diagnostic(Finding("error", "m", (), 1, 0, 4), block, ("#",), "x86_64", parse_target("x86_64-unknown-linux-gnu"))
    assert src.text(kept.start, kept.end) == "addd"


@needs_rustc
def test_sym_const_and_label_operands_assemble():
    text = HOST + ('pub static S: u64 = 0;\npub unsafe fn f() {\n'
                   '    asm!("mov eax, {}", "lea rax, [rip + {}]", "jmp {}", const 0x10, sym S, label {}, out("rax") _);\n}\n')
    assert run(text)[2] == []


@needs_rustc
def test_guessed_host_target_leaves_foreign_blocks_alone():
    from asm_ls.analysis import Settings
    from asm_ls.model.target import host_target
    if host_target().arch != "x86_64" or host_target().explicit:
        pytest.skip("needs an x86_64 host")
    text = HOST + ('pub unsafe fn f() {\n    asm!("isb");\n    asm!("dsb sy", "isb");\n'
                   '    asm!("nop", "addd eax, 1", "nop");\n}\n')
    src = source(text)
    guessed = Settings()                     # the host, not chosen by the user
    result = analyze(src, guessed)
    found = assemble_file(result.model, src, guessed, result.diagnostics)
    note = ("checked as written for `arm`: this block does not assemble for `x86_64-unknown-linux-gnu`, a target "
            "asm-ls guessed (no `#[cfg]`, setting or project file says which targets build it)")
    assert [(d.code, d.severity, d.message, src.text(d.start, d.end)) for d in found] == [
        ("assumed-architecture", "information", note, "asm!"),
        ("assumed-architecture", "information", note, "asm!"),
        ("assembler-error", "error", "invalid instruction mnemonic 'addd'", "addd")]
    chosen = run(text, "x86_64-unknown-linux-gnu")[2]       # an explicit target: everything is reported
    assert [text for *_, text, _ in chosen] == ["isb", "dsb", "isb", "addd"]


@needs_rustc
def test_arm_without_a_triple_reports_what_both_profiles_reject():
    text = ('#[cfg(target_arch = "arm")]\npub unsafe fn f(x: u32) {\n'
            '    asm!("mrs {0}, PRIMASK", "addd {0}, {0}", out(reg) _);\n}\n')
    src, _, found = run(text)
    assert [text for *_, text, _ in found] == ["addd {0}, {0}"]
    explicit = run(text, "x86_64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf")[2]
    assert [text for *_, text, _ in explicit] == ["PRIMASK", "addd {0}, {0}"]


@needs_rustc
def test_avr_operands_get_registers_every_instruction_of_the_class_takes():
    """`muls` takes r16-r31 only; rustc's allocator may give a `reg` operand any of r2-r31 (here r24 and r22), so
    the substitution takes upper registers and the block assembles (rustc -C target-cpu=atmega328p agrees)."""
    text = ('#![feature(asm_experimental_arch)]\npub unsafe fn f(a: i8, b: i8) -> i16 {\n    let r: i16;\n'
            '    asm!("muls {a}, {b}", "movw {r}, r0", "clr r1", a = in(reg) a, b = in(reg) b, r = out(reg_iw) r);\n'
            '    r\n}\n')
    assert run(text, "avr-none")[2] == [_not_analysed("avr")]


@needs_rustc
def test_m68k_registers_reach_the_assembler_as_llvm_prints_them():
    # rustc assembles this for m68k-unknown-linux-gnu (oracle, --emit obj): LLVM prints `%d0`, not `d0`.
    text = ('#![feature(asm_experimental_arch)]\npub unsafe fn f(a: *mut u32) -> u8 {\n    let r: u8;\n'
            '    asm!("seq {r}", in("a0") a, r = lateout(reg_data) r, options(nostack));\n    r\n}\n')
    assert run(text, "m68k-unknown-linux-gnu")[2] == [_not_analysed("m68k")]
