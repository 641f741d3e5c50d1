"""asm_ls/data/object_formats.json: valid against its schema, and a framing for every object format of rustc's
built-in targets (asm_ls/data/targets.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "asm_ls" / "data"
SCHEMA = ROOT / "schemas" / "object-formats.schema.json"


def test_validates_against_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads((DATA / "object_formats.json").read_text()))


def test_every_targets_format_is_framed():
    formats = json.loads((DATA / "object_formats.json").read_text())["formats"]
    targets = json.loads((DATA / "targets.json").read_text())["targets"]
    assert {info["binary_format"] for info in targets.values()} <= set(formats)


def test_naked_functions_have_no_cfi_frame_of_their_own():
    """rustc emits none (rustc_codegen_ssa/src/mir/naked_asm.rs): a body that opens one must assemble."""
    formats = json.loads((DATA / "object_formats.json").read_text())["formats"]
    for frame in formats.values():
        assert not any(".cfi_" in line for line in frame["naked_functions"]["begin"] + frame["naked_functions"]["end"])
