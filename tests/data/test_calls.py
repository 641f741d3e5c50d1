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


NUMBERS = json.loads((ROOT / "asm_ls" / "data" / "call_numbers.json").read_text())


def test_call_numbers_validate_against_their_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "call-numbers.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(NUMBERS)


def test_numbered_calls_name_known_tables_and_registers():
    """Every table a convention names exists; every number register is its architecture's; every call of a table has
    a memory classification; a table gives each number to one call."""
    for entry in DATA["kernel_calls"] + DATA.get("call_targets", []):
        for arch, tables in entry.get("numbers", {}).items():
            assert arch in entry["arch"] and all(table in NUMBERS["tables"] for table in tables), entry["convention"]
        for arch in entry["arch"]:
            if "number" in entry:
                assert arch_data(arch).canonical(entry["number"]) is not None, (arch, entry["number"])
    for name, table in NUMBERS["tables"].items():
        assert all(call in NUMBERS["memory"] for call in table["numbers"]), name
        assert len(set(table["numbers"].values())) == len(table["numbers"]), name


@pytest.mark.parametrize("entry", DATA.get("call_targets", []), ids=lambda e: e["name"])
def test_call_target_registers_are_the_architectures(entry):
    for arch in entry["arch"]:
        data = arch_data(arch)
        assert [name for name in entry["returns"] + entry["clobbers"] if data.canonical(name) is None] == [], arch
