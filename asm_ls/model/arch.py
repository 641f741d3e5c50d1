"""Architecture facts: the data files under ``asm_ls/data/arch`` (validated by
``schemas/arch.schema.json``), and the evaluation of their conditions for a target.

Conditions are three-valued: for a target inferred from ``#[cfg]`` alone the OS, environment
and features are unknown, a condition on them is None, and checks treat None as "cannot know"
and stay silent.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from asm_ls.model.target import Target


@functools.lru_cache(maxsize=1)
def _all_data() -> dict[str, dict[str, Any]]:
    """target_arch -> the data of the file that covers it."""
    folder = resources.files("asm_ls.data").joinpath("arch")
    by_arch: dict[str, dict[str, Any]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            for arch in data["target_arches"]:
                by_arch[arch] = data
    return by_arch


@functools.lru_cache(maxsize=None)
def arch_data(arch: str) -> "ArchData | None":
    data = _all_data().get(arch)
    return ArchData(data) if data is not None else None


def known_architectures() -> list[str]:
    return sorted(_all_data())


@functools.lru_cache(maxsize=None)
def architectures_knowing(name: str) -> frozenset[str]:
    """The architectures that have a register (alias) or register class of this name."""
    found = set()
    for arch, data in _all_data().items():
        if any(c["name"] == name for c in data["classes"]) or \
                any(name in r["aliases"] for r in data["registers"]):
            found.add(arch)
    return frozenset(found)


def holds(condition: dict | None, target: Target, is_clobber: bool = False) -> bool | None:
    """Evaluate a data condition; None when the target's facts do not decide it."""
    if not condition:
        return True
    result: bool | None = True
    for key, value in condition.items():
        verdict = _one(key, value, target, is_clobber)
        if verdict is False:
            return False
        if verdict is None:
            result = None
    return result


def _one(key: str, value: Any, target: Target, is_clobber: bool) -> bool | None:
    if key == "arch":
        return target.arch in value
    if key in ("os", "env", "abi"):
        return getattr(target, key) in value if target.known else None
    if key == "target_feature":
        if all(feature in target.features for feature in value):
            return True
        return False if target.features_known else None
    if key == "not_target_feature":
        if any(feature in target.features for feature in value):
            return False
        return True if target.features_known else None
    if key == "reloc_model":
        return target.reloc_model in value if target.known else None
    if key in ("is_like_windows", "is_like_darwin", "is_like_aix"):
        return getattr(target, key) == value if target.known else None
    if key == "is_clobber":
        return is_clobber == value
    if key == "allow_experimental_reg":
        return target.allow_experimental_reg == value
    if key == "any":
        verdicts = [holds(item, target, is_clobber) for item in value]
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    if key == "all":
        return _all(value, target, is_clobber)
    if key == "not":
        verdict = holds(value, target, is_clobber)
        return None if verdict is None else not verdict
    raise KeyError(f"unknown condition key {key!r}")


def _all(items: list[dict], target: Target, is_clobber: bool) -> bool | None:
    verdicts = [holds(item, target, is_clobber) for item in items]
    if any(v is False for v in verdicts):
        return False
    return True if all(v is True for v in verdicts) else None


def first_holding(entries: list[dict], target: Target, is_clobber: bool = False) -> tuple[dict | None, bool]:
    """The first entry whose ``when`` holds (ordered lists in the data), and whether that
    answer is certain (no earlier entry was undecided)."""
    certain = True
    for entry in entries:
        verdict = holds(entry.get("when"), target, is_clobber)
        if verdict is True:
            return entry, certain
        if verdict is None:
            certain = False
    return None, certain


class ArchData:
    """One data file, indexed for the checks."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.name: str = data["name"]
        self.stable: bool = data.get("stable", True)
        self.classes: dict[str, dict] = {c["name"]: c for c in data["classes"]}
        self.class_order: list[str] = [c["name"] for c in data["classes"]]
        self.registers: dict[str, dict] = {r["name"]: r for r in data["registers"]}
        self.aliases: dict[str, str] = {}
        for register in data["registers"]:
            for alias in register["aliases"]:
                self.aliases[alias] = register["name"]
        self.overlaps: dict[str, list[dict]] = {}
        for entry in data.get("overlaps", []):
            self.overlaps.setdefault(entry["reg"], []).append(entry)

    def is_stable(self, arch: str) -> bool:
        """Whether rustc accepts inline assembly for this target_arch without
        ``#![feature(asm_experimental_arch)]``."""
        stable_arches = self.data.get("stable_arches")
        if stable_arches is not None:
            return arch in stable_arches
        return self.stable

    def reserved_reason(self, name: str, target: Target) -> tuple[str | None, bool]:
        """rustc's reason for rejecting ``name`` as an operand, and whether it is certain."""
        for entry in self.data.get("reserved", []):
            if name in entry["names"]:
                verdict = holds(entry.get("when"), target)
                if verdict is not False:
                    return entry["reason"], verdict is True
        return None, True

    def canonical(self, name: str) -> str | None:
        return self.aliases.get(name)

    def class_of(self, register: str) -> str:
        return self.registers[register]["classes"][0]

    def overlapping(self, register: str, target: Target) -> list[str]:
        for entry in self.overlaps.get(register, []):
            if holds(entry.get("when"), target) is not False:
                return entry["overlapping"]
        return [register]

    def valid_modifiers(self, class_name: str, target: Target) -> list[str]:
        return [m["char"] for m in self.classes[class_name].get("modifiers", [])
                if holds(m.get("when"), target) is not False]

    def default_modifier(self, class_name: str, target: Target) -> dict | None:
        entry, _ = first_holding(self.classes[class_name].get("default_modifier", []), target)
        return entry

    def clobber_only(self, class_name: str, target: Target) -> str | None:
        """None, or the rustc message kind: "clobber" or "stable"."""
        value = self.classes[class_name].get("clobber_only", False)
        if value is True:
            return "clobber"
        if isinstance(value, dict):
            if "when" in value and holds(value["when"], target) is True:
                return "clobber"
            if value.get("stable") and not target.allow_experimental_reg:
                return "stable"
        return None

    def filter_error(self, register: str, target: Target, is_clobber: bool) -> str | None:
        entry, certain = first_holding(self.registers[register].get("filters", []), target, is_clobber)
        if entry is None or not certain:
            return None
        return entry["error"]

    def class_features(self, class_name: str, target: Target) -> list[str]:
        entry, _ = first_holding(self.classes[class_name].get("features_by_target", []), target)
        if entry is not None:
            return entry["features"]
        return self.classes[class_name].get("features", [])

    def clobber_abi(self, name: str, target: Target) -> tuple[dict | None, bool]:
        """The ABI ``name`` resolves to, and whether that is certain for this target."""
        candidates = [entry for entry in self.data.get("clobber_abis", []) if name in entry["names"]]
        return first_holding(candidates, target)

    def clobber_abi_names(self, target: Target) -> list[str] | None:
        entry, certain = first_holding(self.data.get("clobber_abi_supported", []), target)
        if not certain:
            return None
        return entry["names"] if entry else []
