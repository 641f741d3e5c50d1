"""The data files about targets: every ``target_arch`` rustc knows (``data/architectures.json``:
pointer width, the built-in target an architecture is assembled for, the host's names) and
rustc's built-in targets with their cfg values and features (``data/targets.json``, written by
``tools/gen_targets.py``).  Read once; nothing here imports the rest of the model."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    return json.loads(resources.files("asm_ls.data").joinpath(name).read_text(encoding="utf-8"))


def _architectures() -> dict[str, dict]:
    return _load("architectures.json")["architectures"]


# target_arch values rustc knows, in the data file's order.
ARCHITECTURES: tuple[str, ...] = tuple(_architectures())
POINTER_WIDTH: dict[str, str] = {arch: facts["pointer_width"] for arch, facts in _architectures().items()
                                 if "pointer_width" in facts}


def default_triple(arch: str) -> str | None:
    """The built-in target a block is assembled for when only its architecture is known."""
    return _architectures().get(arch, {}).get("default_triple")


def also_assembled_for(arch: str) -> tuple[str, ...]:
    """Other targets whose assembler must agree before a finding stands when only the architecture is known."""
    return tuple(_architectures().get(arch, {}).get("also_assembled_for", ()))


def path_family(name: str) -> tuple[str, ...] | None:
    """The architectures a directory or file named ``name`` holds code for (``x86/``: x86 and x86_64)."""
    family = _load("architectures.json")["path_families"].get(name)
    if family is not None:
        return tuple(family)
    return (name,) if name in _architectures() else None


def host_arch(machine: str) -> str | None:
    """The target_arch of a machine name as ``platform.machine()`` gives it."""
    return _load("architectures.json")["machine_names"].get(machine.lower())


def host_triple(arch: str, system: str) -> str | None:
    return _load("architectures.json")["host_triples"].get(f"{arch} {system.lower()}")


def rust_feature_name(arch: str, llvm_name: str) -> str:
    """rustc's name of a target feature LLVM calls ``llvm_name`` (``fullfp16`` -> ``fp16`` on aarch64)."""
    return _load("architectures.json").get("llvm_feature_names", {}).get(arch, {}).get(llvm_name, llvm_name)


def known_targets() -> dict[str, dict]:
    """rustc's built-in targets with their cfg values (asm_ls/data/targets.json)."""
    return _load("targets.json")["targets"]


def implied_features(arch: str, feature: str) -> tuple[str, ...]:
    """Features rustc turns on together with ``feature`` on this architecture."""
    return tuple(_load("targets.json").get("implied_features", {}).get(arch, {}).get(feature, ()))


@functools.lru_cache(maxsize=None)
def arch_features(arch: str) -> frozenset[str] | None:
    """Every target feature rustc knows on an architecture; None when not recorded."""
    features = _load("targets.json").get("arch_features", {}).get(arch)
    return frozenset(features) if features is not None else None
