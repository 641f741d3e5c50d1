"""asm_ls/data/calls.json, ordering.json and allocation.json (the contract analysis's models of what the code calls, of
ordering instructions and of the registers the allocator may give): valid against their schemas; every register calls.json names is a register of its architectures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asm_ls.model.arch import arch_data

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "asm_ls" / "data" / "calls.json").read_text())


@pytest.mark.parametrize("name", ["calls", "ordering", "allocation"])
def test_validates_against_schema(name):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads((ROOT / "asm_ls" / "data" / f"{name}.json").read_text()))


@pytest.mark.parametrize("entry", DATA["kernel_calls"], ids=lambda e: f"{e['arch'][0]}-{e['os'][0]}")
def test_registers_are_the_architectures(entry):
    for arch in entry["arch"]:
        data = arch_data(arch)
        names = entry["returns"] + entry["clobbers"]
        assert [name for name in names if data.canonical(name) is None] == [], arch
