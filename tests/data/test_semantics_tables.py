"""asm_ls/data/semantics/*.json (the table engine's instruction tables): valid against their schema, one per
architecture whose engine is `table`, naming only registers of that architecture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asm_ls.machine.semantics import machine_facts
from asm_ls.model.arch import arch_data

ROOT = Path(__file__).resolve().parents[2]
TABLES = sorted((ROOT / "asm_ls" / "data" / "semantics").glob("*.json"))


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_validates_against_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "semantics-table.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text()))


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.stem)
def test_table_is_its_architectures(path):
    table = json.loads(path.read_text())
    arch = table["architecture"]
    assert machine_facts(arch).engine == "table" and machine_facts(arch).table == path.stem
    data = arch_data(arch)
    named = [table.get("zero_means_none")] + [name for row in table["instructions"]
                                              for name in row.get("implicit_reads", []) + row.get("implicit_writes", [])]
    assert [name for name in named if name and data.canonical(name) is None] == []
    listed = [m for row in table["instructions"] for m in row.get("mnemonics", [])]
    assert len(listed) == len(set(listed)), "a mnemonic in two rows"
