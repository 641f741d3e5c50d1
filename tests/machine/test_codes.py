"""The machine layer's codes are in the registry (the lead appends /work/notes/assembler-codes.toml to codes.toml)."""

from __future__ import annotations

import pytest

from asm_ls.diagnostics.codes import registry
from asm_ls.machine.assemble import ERROR, REFUSED, UNAVAILABLE, WARNING

CODES = {ERROR: "error", WARNING: "warning", UNAVAILABLE: "information", REFUSED: "warning"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_registered_with_its_severity(code):
    entry = registry().get(code)
    if entry is None:
        pytest.skip(f"`{code}` is not in codes.toml yet (proposed in /work/notes/assembler-codes.toml)")
    assert entry.severity == CODES[code]
