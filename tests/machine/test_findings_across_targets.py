"""Findings of one block under several configurations: one per code, place and wording, naming every architecture it
was made for once, whoever (the assembler, the contract analysis) already merged some of them."""

from __future__ import annotations

import pytest

from asm_ls.analysis import Settings, analyze
from asm_ls.model.target import parse_target
from machine_helpers import rustc_missing, source

pytestmark = pytest.mark.skipif(rustc_missing() is not None, reason=rustc_missing() or "")


def test_two_findings_on_one_instruction_stay_two_and_name_each_architecture_once() -> None:
    text = ('#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]\n#[no_mangle]\n'
            'pub unsafe extern "C" fn divide() {\n    core::arch::asm!("idiv ecx", in("ecx") 1u32);\n}\n')
    src = source(text)
    settings = Settings(targets=[parse_target("x86_64-unknown-linux-gnu"), parse_target("i686-unknown-linux-gnu")],
                        assemble=True)
    found = [(d.code, d.message, d.target, d.notes) for d in analyze(src, settings).diagnostics
             if d.code == "undeclared-clobber"]
    assert sorted(found) == [
        ("undeclared-clobber", "`idiv` writes `eax`, which is not declared as an output or clobber", "x86, x86_64", ()),
        ("undeclared-clobber", "`idiv` writes `edx`, which is not declared as an output or clobber", "x86, x86_64", ())]
