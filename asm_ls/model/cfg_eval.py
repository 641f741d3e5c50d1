"""Three-valued evaluation of ``#[cfg]`` predicates for a target architecture (and, when it is a
known target, its OS, environment, families, pointer width and default features).

Predicates asm-ls cannot know (custom cfgs, most features) are unknown (None); cfgs set only by
tools that generate no code (``doc``, ``miri``...) are false.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from asm_ls.model.target_data import ARCHITECTURES, POINTER_WIDTH, arch_features
from asm_ls.syntax.cfg import Cfg

if TYPE_CHECKING:
    from asm_ls.model.target import Target

__all__ = ["ARCHITECTURES", "POINTER_WIDTH", "CfgValues", "evaluate", "evaluate_all", "satisfiable", "named_architectures",
           "required_features"]


# Cfgs the user picks freely (Cargo features and build modes), unrelated to the target.
_FREE_KEYS = ("feature",)
_FREE_FLAGS = ("test", "debug_assertions", "doctest")
# Set only by tools that generate no code (rustdoc, docs.rs, Miri, rustfmt, Clippy): never in a build whose inline
# assembly reaches rustc's lowering and LLVM, so code under them is checked as if they were unset.
_NO_CODEGEN_FLAGS = ("doc", "docsrs", "miri", "rustfmt", "clippy")
_TARGET_FAMILIES = ("unix", "windows", "wasm")


def evaluate(cfg: Cfg, arch: str, target: Target | None = None, free: bool | None = None) -> bool | None:
    """``cfg`` for an architecture (and, when ``target`` is a known triple, its OS, environment
    and default features).  ``free`` is the value given to free cfgs (Cargo features...);
    None leaves them unknown."""
    op = cfg.op
    if op == "not":
        value = evaluate(cfg.args[0], arch, target, free)
        return None if value is None else not value
    if op in ("all", "any"):
        values = [evaluate(arg, arch, target, free) for arg in cfg.args]
        decisive = op == "any"
        if any(value is decisive for value in values):
            return decisive
        return (not decisive) if all(value is (not decisive) for value in values) else None
    if op == "flag":
        if cfg.key in ("true", "false"):
            return cfg.key == "true"
        if cfg.key in _FREE_FLAGS:
            return free
        if cfg.key in _NO_CODEGEN_FLAGS:
            return False
        if cfg.key in _TARGET_FAMILIES and target is not None and target.known:
            return cfg.key in _families(target)
        return None
    if op == "eq":
        return _evaluate_eq(cfg.key, cfg.value, arch, target, free)
    return None


def _families(target: Target) -> frozenset[str]:
    """The target's ``target_family`` values (from rustc's data; guessed from the OS for a target without it)."""
    if target.families:
        return target.families
    if target.os == "windows":
        return frozenset({"windows"})
    if target.arch.startswith("wasm"):
        return frozenset({"wasm"})
    return frozenset({"unix"}) if target.os not in ("none", "uefi", "", "unknown") else frozenset()


def _evaluate_eq(key: str, value: str, arch: str, target: Target | None, free: bool | None) -> bool | None:
    if key == "target_arch":
        return value == arch
    if key in _FREE_KEYS:
        return free
    if key == "target_pointer_width":
        width = (target.pointer_width if target is not None else "") or POINTER_WIDTH.get(arch)
        return value == width if width else None
    if key == "target_feature":
        # A feature the architecture does not have is never enabled on it.
        known = arch_features(arch)
        if known is None or value not in known:
            return False
        if target is not None and target.features_known and value in target.features:
            return True
        return None
    if target is not None and target.known:
        if key == "target_os":
            return value == target.os
        if key == "target_env":
            return value == target.env
        if key == "target_abi":
            return value == target.abi
        if key == "target_family":
            return value in _families(target)
        if key == "target_vendor" and target.vendor:
            return value == target.vendor
    return None


def evaluate_all(cfgs: list[Cfg], arch: str, target: Target | None = None, free: bool | None = None) -> bool | None:
    if not cfgs:
        return True         # all() of nothing (most arguments have no #[cfg])
    return evaluate(Cfg("all", tuple(cfgs)), arch, target, free)


def satisfiable(cfgs: list[Cfg], arch: str, target: Target | None = None) -> bool:
    """Whether some choice of the free cfgs (Cargo features...) certainly compiles the code
    for this target: false when it hinges on cfgs asm-ls cannot know (build-script flags)."""
    return any(evaluate_all(cfgs, arch, target, free) is True for free in (True, False))


def required_features(cfgs: list[Cfg]) -> tuple[str, ...]:
    """The target features code under all of ``cfgs`` is only compiled with (``target_feature = "x"`` in them or
    in an ``all(..)`` of them)."""
    found: list[str] = []
    for cfg in cfgs:
        if cfg.op == "eq" and cfg.key == "target_feature" and cfg.value not in found:
            found.append(cfg.value)
        elif cfg.op == "all":
            found += [feature for feature in required_features(list(cfg.args)) if feature not in found]
    return tuple(found)


def named_architectures(cfg: Cfg) -> frozenset[str]:
    """Every architecture a ``target_arch = ".."`` predicate inside ``cfg`` names."""
    if cfg.op == "eq":
        return frozenset({cfg.value}) if cfg.key == "target_arch" else frozenset()
    return frozenset().union(*(named_architectures(arg) for arg in cfg.args)) if cfg.args else frozenset()


@dataclass(frozen=True)
class CfgValues:
    """cfg values given from outside (``--cfg``, like rustc's): the names set, and whether
    every other custom cfg is unset (true of a plain rustc invocation, not of a Cargo build
    where build scripts add their own)."""

    names: frozenset[str] = frozenset()          # `name` or `key="value"`
    exhaustive: bool = False

    def apply(self, cfg: Cfg) -> Cfg:
        if cfg.op in ("all", "any", "not"):
            return Cfg(cfg.op, tuple(self.apply(arg) for arg in cfg.args))
        if cfg.op == "flag" and cfg.key not in ("true", "false"):
            if cfg.key in self.names:
                return Cfg("flag", key="true")
            if self.exhaustive and cfg.key not in _TARGET_FAMILIES and cfg.key not in _FREE_FLAGS:
                return Cfg("flag", key="false")
        if cfg.op == "eq" and not cfg.key.startswith("target_"):
            if f'{cfg.key}="{cfg.value}"' in self.names:
                return Cfg("flag", key="true")
            if self.exhaustive and cfg.key not in _FREE_KEYS:
                return Cfg("flag", key="false")
        return cfg

    def apply_all(self, cfgs: list[Cfg]) -> list[Cfg]:
        if not self.names and not self.exhaustive:
            return cfgs
        return [self.apply(cfg) for cfg in cfgs]
