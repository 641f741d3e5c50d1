"""Completion (asm_ls.ide.completion), also on half-typed text whose arguments do not parse and
text so broken that the call is only found after repair (asm_ls.ide.locate.repair)."""

from __future__ import annotations

import json
from importlib import resources

from asm_ls.analysis import Settings
from asm_ls.ide.completion import complete, complete_source
from asm_ls.ide.locate import repair
from asm_ls.model.target import parse_target
from asm_ls.syntax.source import SourceFile
from ide_helpers import HEAD, analyzed

FN = HEAD + "pub unsafe fn f(x: u64) {\n    "
END = "\n}\n"


def run(snippet: str, *triples: str):
    """Completion at the `|` of ``snippet`` (inside a function unless it is a global_asm!):
    (the replaced text, the labels)."""
    text = snippet if snippet.startswith(("global_asm", "core::")) else FN + snippet + END
    offset = len(text[:text.index("|")].encode())
    text = text.replace("|", "", 1)
    source = SourceFile.from_text(text)
    settings = Settings(targets=[parse_target(t) for t in triples or ("x86_64-unknown-linux-gnu",)])
    found = complete_source(source, offset, settings)
    if found is None:
        return None, []
    return source.text(found.start, found.end), [item.label for item in found.items]


def items(snippet: str, *triples: str):
    text = FN + snippet + END
    offset = len(text[:text.index("|")].encode())
    source = SourceFile.from_text(text.replace("|", "", 1))
    settings = Settings(targets=[parse_target(t) for t in triples or ("x86_64-unknown-linux-gnu",)])
    return complete_source(source, offset, settings).items


def arch(name: str) -> dict:
    return json.loads(resources.files("asm_ls.data").joinpath("arch", f"{name}.json").read_text())


def test_classes_and_quoted_registers_in_empty_operand():
    replaced, labels = run('asm!("nop", in(|) x);')
    assert replaced == ""
    data = arch("x86")
    usable = [c["name"] for c in data["classes"] if not c["clobber_only"]]
    assert labels[:len(usable)] == usable
    assert '"rax"' in labels and '"eax"' in labels
    assert "x87_reg" not in labels and '"st(0)"' not in labels      # clobber-only: never an input


def test_class_prefix_is_replaced():
    replaced, labels = run('asm!("nop", in(re|g) x);')
    assert replaced == "reg"
    assert "reg" in labels


def test_registers_inside_quotes():
    replaced, labels = run('asm!("nop", in("ea|") x);')
    assert replaced == "ea"
    assert "eax" in labels and "rax" in labels
    assert '"eax"' not in labels
    assert "rbx" not in labels and "ebx" not in labels      # rejected on x86_64 by rustc
    assert "rsp" not in labels                              # reserved


def test_clobbers_offer_clobber_only_registers():
    _, labels = run('asm!("nop", out("|") _);')
    assert "st(0)" in labels and "k0" in labels


def test_registers_follow_the_architecture():
    _, labels = run('asm!("nop", in("|") x);', "aarch64-unknown-linux-gnu")
    assert "x0" in labels and "w0" in labels and "eax" not in labels
    _, labels = run('asm!("nop", in(|) x);', "riscv64gc-unknown-linux-gnu")
    assert labels[0] == "reg" and "freg" in labels


def test_unquoted_registers_insert_literals():
    found = items('asm!("nop", in(|) x);')
    rax = next(item for item in found if item.label == '"rax"')
    assert (rax.text, rax.filter_text, rax.kind) == ('"rax"', "rax", "register")
    reg = next(item for item in found if item.label == "reg")
    assert reg.kind == "register_class" and reg.documentation.startswith("**register class `reg`**")


def test_options_exclude_written_ones():
    replaced, labels = run('asm!("nop", options(nomem, no|));')
    assert replaced == "no"
    # not `readonly`: rustc rejects it together with `nomem`
    assert labels == ["pure", "preserves_flags", "noreturn", "nostack", "may_unwind", "att_syntax", "raw"]


def test_options_of_global_asm_and_other_architectures():
    _, labels = run('global_asm!("nop", options(|));')
    assert labels == ["att_syntax", "raw"]
    _, labels = run('asm!("nop", options(|));', "aarch64-unknown-linux-gnu")
    assert "att_syntax" not in labels and "nomem" in labels


def test_clobber_abis():
    replaced, labels = run('asm!("nop", clobber_abi("|"));')
    assert replaced == ""
    assert labels == ["C", "system", "efiapi", "win64", "sysv64"]
    _, labels = run('asm!("nop", clobber_abi(|));')
    assert labels[0] == '"C"'
    _, labels = run('asm!("nop", clobber_abi("|"));', "mips-unknown-linux-gnu")
    assert labels == []


def test_operand_names_and_indices():
    replaced, labels = run('asm!("mov {|}", a = in(reg) x, in(reg) x, in("eax") x, c = const 1);')
    assert replaced == ""
    assert labels == ["a", "1", "c"]        # explicit registers cannot be named


def test_operand_name_prefix():
    replaced, labels = run('asm!("mov {ab|}", abc = in(reg) x);')
    assert replaced == "ab"
    assert labels == ["abc"]


def test_modifiers_of_the_bound_operand():
    replaced, labels = run('asm!("mov {a:|}", a = in(reg) x);')
    assert replaced == ""
    assert labels == ["l", "x", "e", "r"]
    replaced, labels = run('asm!("mov {0:e|}", in(xmm_reg) x);')
    assert replaced == "e"
    assert labels == ["x", "y", "z"]
    _, labels = run('asm!("mov {0:|}", in(reg) x);', "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
    assert set(labels) == {"l", "x", "e", "r", "w"}


def test_modifier_details():
    found = items('asm!("mov {a:|}", a = in(reg) x);')
    assert [item.detail for item in found] == ["e.g. al", "e.g. ax (16-bit)", "e.g. eax (32-bit)",
                                               "e.g. rax (64-bit), the default"]


def test_modifiers_when_the_arguments_do_not_parse():
    replaced, labels = run('asm!("mov {x:|}", x = in(reg) 1, in() 2);')
    assert labels == ["l", "x", "e", "r"]
    _, labels = run('asm!("mov {|}", x = in(reg) 1, in() 2);')
    assert labels == ["x", "1"]


def test_directives_at_statement_start():
    replaced, labels = run('asm!("nop\\n  .p2|");')
    assert replaced == ".p2"
    assert ".p2align" in labels and ".cfi_startproc" in labels
    assert ".seh_proc" not in labels                # Windows only
    _, labels = run('asm!("nop\\n  .|");', "x86_64-pc-windows-msvc")
    assert ".seh_proc" in labels and ".cfi_startproc" not in labels
    _, labels = run('asm!("mov eax, .|");')
    assert labels == []                             # not at the start of a statement
    _, labels = run('asm!("lbl: .b|");')
    assert ".byte" in labels


def test_argument_keywords():
    replaced, labels = run('asm!("nop", |);')
    assert replaced == ""
    assert labels[:10] == ["in", "out", "lateout", "inout", "inlateout", "const", "sym", "label", "options",
                           "clobber_abi"]
    assert labels[10:13] == ['"bt"', '"in"', '"ja"']       # before the operands: another template string
    _, labels = run('asm!("nop", in(reg) x, |);')
    assert labels == ["in", "out", "lateout", "inout", "inlateout", "const", "sym", "label", "options", "clobber_abi"]
    _, labels = run('global_asm!("nop", |);')
    assert labels == ["const", "sym", "options"]
    replaced, labels = run('asm!("nop", opt|);')
    assert replaced == "opt"


def test_unclosed_text_is_repaired():
    for snippet, replaced, label in [
        ('asm!("nop", in(|', "", "reg"),
        ('asm!("nop", in("r|', "r", "rax"),
        ('asm!("nop", options(n|', "n", "nomem"),
        ('asm!("nop", clobber_abi("|', "", "C"),
    ]:
        got, labels = run(snippet)
        assert got == replaced and label in labels, snippet


def test_repair_closes_only_what_is_open():
    source = SourceFile.from_text('asm!("a", in("x')
    assert repair(source, len(source.data)).data == b'asm!("a", in("x"));'
    closed = SourceFile.from_text('asm!("a"); foo(')
    assert repair(closed, len(closed.data)) is None
    assert repair(SourceFile.from_text("fn f() {"), 8) is None


def test_nothing_outside_calls_or_in_expressions():
    assert run('let y = (|);')[1] == []
    assert run('asm!("nop", in(reg) x|);')[1] == []
    _, result = analyzed("")
    assert complete(result.model, 0) is None


def test_mnemonics_at_statement_start():
    replaced, labels = run('asm!("nop\\n  cmovn|");')
    assert replaced == "cmovn"
    assert labels == ["cmovna", "cmovnb", "cmovnc", "cmovne", "cmovng", "cmovnl", "cmovno", "cmovnp", "cmovns",
                      "cmovnz", "cmovnae", "cmovnbe", "cmovnge", "cmovnle"]
    found = items('asm!("ad|");')
    assert [item.label for item in found][:4] == ["adc", "add", "adcx", "adox"]      # the shortest first
    assert found[1].kind == "mnemonic" and found[1].detail == "Add (x86_64)"
    assert found[1].documentation == ("**Add**\n\nFlags written: CF, PF, AF, ZF, SF, OF.\n\n"
                                      "[Reference](https://www.felixcloutier.com/x86/add)")
    _, labels = run('asm!("lbl: ld|r x0, [x1]");', "aarch64-unknown-linux-gnu")
    assert labels[:3] == ["ld1", "ld2", "ld3"] and "ldr" in labels and "ldxr" in labels
    _, labels = run('asm!("nop; AD|");')        # typed in capitals: still offered, lowercase
    assert "add" in labels
    _, labels = run('asm!("c.ad|");', "riscv64gc-unknown-linux-gnu")
    assert labels == ["c.add", "c.addi", "c.addw", "c.addiw", "c.addi16sp", "c.addi4spn"]


def test_mnemonics_are_bounded_and_exact_first():
    _, labels = run('asm!("|");')
    assert len(labels) == 200 and labels[:3] == ["bt", "in", "ja"]     # an empty statement: the shortest first
    _, labels = run('asm!("v|");')                  # the AVX names alone are more than 200
    assert len(labels) == 200 and len(set(labels)) == 200
    _, labels = run('asm!("mov|");')
    assert labels[0] == "mov" and len(labels) <= 200
    _, labels = run('asm!("mov eax, e|");')
    assert "eax" not in labels and "add" not in labels      # not at the start of a statement: operands
    _, labels = run('asm!("ad|");', "arm-unknown-linux-gnueabihf")
    assert labels == ["adc", "add", "adr", "adcs", "adds", "addw"]      # no capstone decoder: the documented ones
