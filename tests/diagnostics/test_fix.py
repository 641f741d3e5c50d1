"""Typed fixes (asm_ls.diagnostics.fix): the one table of fixable codes, the specs findings carry,
and the one reading of the contract analysis's dict hints."""

from __future__ import annotations

from asm_ls.diagnostics import Diagnostic
from asm_ls.diagnostics import fix
from asm_ls.diagnostics.codes import registry


def test_every_fixable_code_is_registered_and_has_a_spec_kind():
    assert set(fix.FIXES) <= set(registry())
    assert all(isinstance(kind, type) and kind.__module__ == fix.__name__ for kind in fix.FIXES.values())


def test_contract_hints_become_specs():
    assert fix.from_hints({"add": ['lateout("rcx") _', 'lateout("r11") _']}) == \
        fix.AddOperands(('lateout("rcx") _', 'lateout("r11") _'))
    assert fix.from_hints({"replace_option": ["nomem", "readonly"]}) == fix.ReplaceOption("nomem", "readonly")
    assert fix.from_hints({"replace_option": ["nomem", None]}) == fix.ReplaceOption("nomem")
    assert fix.from_hints({"remove_option": "nostack"}) == fix.ReplaceOption("nostack")
    assert fix.from_hints({"add_after": "cld"}) == fix.AppendLine("cld")
    assert fix.from_hints({"make_inout": "rax", "operand": 2}) == fix.MakeInout(2)
    for nothing in ({}, {"make_inout": "rax"}, {"add": []}, {"operand": True}, {"replace_option": [1, 2]}):
        assert fix.from_hints(nothing) is None


def test_a_finding_s_spec_must_be_its_code_s_kind():
    removal = Diagnostic("duplicate-option", "m", 0, 1, fix=fix.RemoveOption("nomem"))
    assert fix.spec_of(removal) == fix.RemoveOption("nomem")
    assert fix.spec_of(Diagnostic("duplicate-option", "m", 0, 1, fix=fix.WrapInUnsafe())) is None
    assert fix.spec_of(Diagnostic("invalid-template", "m", 0, 1, fix=fix.RemoveOption("nomem"))) is None
    # the typed spec wins over hints; hints only for codes whose kind they describe
    assert fix.spec_of(Diagnostic("stack-with-nostack", "m", 0, 1, data={"remove_option": "nostack"})) == \
        fix.ReplaceOption("nostack")
    assert fix.spec_of(Diagnostic("stack-with-nostack", "m", 0, 1, data={"add": ["x"]})) is None
