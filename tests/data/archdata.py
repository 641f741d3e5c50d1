"""Test-side reader of asm_ls/data/arch/*.json: condition evaluation and predictions of
rustc's register/class diagnostics. Kept independent of the package's own loader on purpose,
so that the data itself (not one implementation of it) is what the oracle test checks."""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCH_DIR = ROOT / "asm_ls" / "data" / "arch"
SCHEMA = ROOT / "schemas" / "arch.schema.json"


TYPE_BITS = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "i128": 128, "f16": 16, "f32": 32, "f64": 64,
             "f128": 128}
SUB_REGISTER_LINT = "formatting may not be suitable for sub-register argument"


def data_files():
    return sorted(ARCH_DIR.glob("*.json"))


def load(path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@dataclass
class Target:
    triple: str
    arch: str
    os: str = "none"
    env: str = ""
    abi: str = ""
    features: set = field(default_factory=set)
    reloc_model: str = "pic"
    is_like_windows: bool = False
    is_like_darwin: bool = False
    is_like_aix: bool = False
    allow_experimental_reg: bool = False

    @classmethod
    def from_rustc(cls, triple: str) -> "Target":
        # RUSTC_BOOTSTRAP: list unstable target features too (rustc's asm checks see all of them)
        env = dict(os.environ, RUSTC_BOOTSTRAP="1")
        cfg = subprocess.run(["rustc", "--print", "cfg", "--target", triple],
                             capture_output=True, text=True, check=True, env=env).stdout
        vals: dict[str, list[str]] = {}
        for line in cfg.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                vals.setdefault(k, []).append(v.strip('"'))
        spec = json.loads(subprocess.run(
            ["rustc", "-Z", "unstable-options", "--print", "target-spec-json", "--target", triple],
            capture_output=True, text=True, check=True, env=env).stdout)
        return cls(triple=triple, arch=vals["target_arch"][0], os=vals.get("target_os", ["none"])[0],
                   env=vals.get("target_env", [""])[0], abi=vals.get("target_abi", [""])[0],
                   features=set(vals.get("target_feature", [])),
                   reloc_model=spec.get("relocation-model", "pic"),
                   is_like_windows=bool(spec.get("is-like-windows", False)),
                   is_like_darwin=bool(spec.get("is-like-darwin", False)),
                   is_like_aix=bool(spec.get("is-like-aix", False)))


def holds(cond: dict | None, t: Target, is_clobber: bool = False) -> bool:
    """Evaluate a data condition (see schemas/arch.schema.json $defs/condition)."""
    if not cond:
        return True
    for key, val in cond.items():
        if key == "arch":
            ok = t.arch in val
        elif key == "os":
            ok = t.os in val
        elif key == "env":
            ok = t.env in val
        elif key == "abi":
            ok = t.abi in val
        elif key == "target_feature":
            ok = all(f in t.features for f in val)
        elif key == "not_target_feature":
            ok = not any(f in t.features for f in val)
        elif key == "reloc_model":
            ok = t.reloc_model in val
        elif key == "is_like_windows":
            ok = t.is_like_windows == val
        elif key == "is_like_darwin":
            ok = t.is_like_darwin == val
        elif key == "is_like_aix":
            ok = t.is_like_aix == val
        elif key == "is_clobber":
            ok = is_clobber == val
        elif key == "allow_experimental_reg":
            ok = t.allow_experimental_reg == val
        elif key == "any":
            ok = any(holds(c, t, is_clobber) for c in val)
        elif key == "all":
            ok = all(holds(c, t, is_clobber) for c in val)
        elif key == "not":
            ok = not holds(val, t, is_clobber)
        else:
            raise KeyError(f"unknown condition key {key}")
        if not ok:
            return False
    return True


class Arch:
    def __init__(self, data: dict):
        self.data = data
        self.classes = {c["name"]: c for c in data["classes"]}
        self.regs = {r["name"]: r for r in data["registers"]}
        self.alias = {}
        for r in data["registers"]:
            for a in r["aliases"]:
                assert a not in self.alias, a
                self.alias[a] = r["name"]
        self.overlap = {o["reg"]: o["overlapping"] for o in data["overlaps"]}

    # --- parsing (AST lowering) ---
    def reserved_reason(self, name: str, t: Target):
        for r in self.data["reserved"]:
            if name in r["names"] and holds(r.get("when"), t):
                return r["reason"]
        return None

    def parse_reg(self, name: str, t: Target):
        """-> (canonical register name or None, error message or None)"""
        reason = self.reserved_reason(name, t)
        if reason is not None:
            return None, f"invalid register `{name}`: {reason}"
        if name in self.alias:
            return self.alias[name], None
        return None, f"invalid register `{name}`: unknown register"

    def class_of(self, reg: str) -> str:
        return self.regs[reg]["classes"][0]

    def clobber_only_error(self, cls: str, t: Target):
        co = self.classes[cls]["clobber_only"]
        if co is True or (isinstance(co, dict) and "when" in co and holds(co["when"], t)):
            return f"register class `{cls}` can only be used as a clobber, not as an input or output"
        if isinstance(co, dict) and co.get("stable") and not t.allow_experimental_reg:
            return f"register class `{cls}` can only be used as a clobber in stable"
        return None

    def valid_modifiers(self, cls: str, t: Target):
        return [m["char"] for m in self.classes[cls]["modifiers"] if holds(m.get("when"), t)]

    def suggest_modifier(self, cls: str, t: Target, type_bits: int):
        """-> modifier info dict or None (first matching rule decides)."""
        for rule in self.classes[cls]["suggest_modifier"]:
            if "type_bits" in rule and type_bits not in rule["type_bits"]:
                continue
            if not holds(rule.get("when"), t):
                continue
            return rule["modifier"]
        return None

    def default_modifier(self, cls: str, t: Target):
        for m in self.classes[cls]["default_modifier"]:
            if holds(m.get("when"), t):
                return m
        return None

    def overlapping(self, reg: str):
        return self.overlap.get(reg, [reg])

    # --- type check stage ---
    def filter_error(self, reg: str, t: Target, is_clobber: bool):
        for f in self.regs[reg]["filters"]:
            if holds(f["when"], t, is_clobber):
                return f"cannot use register `{reg}`: {f['error']}"
        return None

    def class_features(self, cls: str, t: Target):
        c = self.classes[cls]
        for e in c.get("features_by_target", []):
            if holds(e.get("when"), t):
                return e["features"]
        return c["features"]

    def feature_error(self, cls: str, t: Target):
        feats = self.class_features(cls, t)
        if not feats or any(f in t.features for f in feats):
            return None
        if len(feats) == 1:
            return f"register class `{cls}` requires the `{feats[0]}` target feature"
        return (f"register class `{cls}` requires at least one of the following target features: "
                + ", ".join(feats))

    def usable_types(self, cls: str, t: Target):
        out = []
        for ty in self.classes[cls]["types"]:
            if ty.get("experimental") and not t.allow_experimental_reg:
                continue
            if not holds(ty.get("when"), t):
                continue
            if ty["feature"] is not None and ty["feature"] not in t.features:
                continue
            out.append(ty["type"])
        return out

    def clobber_abi(self, name: str, t: Target):
        for e in self.data["clobber_abis"]:
            if name in e["names"] and holds(e.get("when"), t):
                return e
        return None

    def clobber_abi_supported(self, t: Target):
        for e in self.data["clobber_abi_supported"]:
            if holds(e.get("when"), t):
                return e["names"]
        return []
