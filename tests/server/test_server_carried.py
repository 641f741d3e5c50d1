"""The assembler findings the server carries from one text to the next follow their blocks."""

from __future__ import annotations

from asm_ls.analysis import Settings, analyze
from asm_ls.diagnostics import Diagnostic
from asm_ls.server.carried import Carried
from asm_ls.syntax.source import SourceFile

BEFORE = '''pub fn f() { unsafe { core::arch::asm!("nop") } }
pub fn g() { unsafe { core::arch::asm!("addd rax, 1") } }
pub fn h() { unsafe { core::arch::asm!("addd rax, 1") } }
'''


def _model(text: str, settings: Settings):
    source = SourceFile.from_text(text)
    return analyze(source, settings).model, source.data


def test_carried_findings_move_with_their_block_and_leave_a_changed_one():
    settings = Settings()
    model, data = _model(BEFORE, settings)
    g, h = data.index(b'"addd'), data.rindex(b'"addd')
    found = [Diagnostic("assembler-error", "in g", g + 1, g + 5), Diagnostic("assembler-error", "in h", h + 1, h + 5)]
    carried = Carried.of(model, data, settings, found)
    after = "// moved\n" + BEFORE.replace('"nop"', '"pause"').replace('h() { unsafe { core::arch::asm!("addd',
                                                                   'h() { unsafe { core::arch::asm!("subb')
    model, data = _model(after, settings)
    [moved] = carried.carried_to(model, data, settings)
    assert (moved.message, data[moved.start:moved.end]) == ("in g", b"addd")
    assert carried.carried_to(model, data, Settings()) == []      # other settings: nothing carried
    model, data = _model("\n" + BEFORE, settings)                 # the same text twice: matched in order
    assert [(d.message, d.start) for d in carried.carried_to(model, data, settings)] == \
        [("in g", g + 2), ("in h", h + 2)]


def test_a_refuted_guess_is_carried_with_its_block_and_drops_the_guess_s_findings():
    from asm_ls.analysis import without_refuted_guesses

    settings = Settings()
    model, data = _model(BEFORE, settings)
    g = next(r.block for r in model.blocks if data[r.block.start:r.block.end].find(b"addd") >= 0)
    carried = Carried.of(model, data, settings, [], [(g.start, g.end, "x86_64")])
    model, data = _model("// moved\n" + BEFORE, settings)
    [(start, end, arch)] = carried.refuted_in(model, data, settings)
    assert (data[start:end].count(b"addd"), arch) == (1, "x86_64") and start == g.start + len("// moved\n")
    inside = Diagnostic("asm-sub-register", "guess", start + 2, start + 4, target="x86_64")
    both = Diagnostic("asm-sub-register", "guess", start + 2, start + 4, target="x86_64, aarch64")
    outside = Diagnostic("asm-sub-register", "other", end + 2, end + 4, target="x86_64")
    assert [(d.message, d.target) for d in without_refuted_guesses([inside, both, outside], [(start, end, arch)])] \
        == [("guess", "aarch64"), ("other", "x86_64")]
    assert carried.refuted_in(model, data, Settings()) == []
