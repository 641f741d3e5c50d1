"""Three-valued evaluation of ``#[cfg]`` predicates for a target architecture.

Only ``target_arch`` (and the derived ``target_pointer_width``, ``target_family``...) is known;
every other predicate is unknown (None), so a block is considered for an architecture unless
its predicates are definitely false there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from asm_ls.syntax.cfg import Cfg

if TYPE_CHECKING:
    from asm_ls.model.target import Target


def _arch_features(arch: str) -> frozenset[str] | None:
    from asm_ls.model.target import arch_features

    return arch_features(arch)

# target_arch values rustc knows, grouped by pointer width.
ARCHITECTURES = (
    "x86", "x86_64", "arm", "aarch64", "arm64ec", "riscv32", "riscv64", "loongarch32", "loongarch64",
    "s390x", "powerpc", "powerpc64", "mips", "mips64", "mips32r6", "mips64r6", "sparc", "sparc64",
    "m68k", "avr", "hexagon", "bpf", "msp430", "nvptx64", "csky", "wasm32", "wasm64", "spirv", "xtensa",
)
POINTER_WIDTH = {
    "x86": "32", "x86_64": "64", "arm": "32", "aarch64": "64", "arm64ec": "64", "riscv32": "32",
    "riscv64": "64", "loongarch32": "32", "loongarch64": "64", "s390x": "64", "powerpc": "32",
    "powerpc64": "64", "mips": "32", "mips64": "64", "mips32r6": "32", "mips64r6": "64", "sparc": "32",
    "sparc64": "64", "m68k": "32", "avr": "16", "hexagon": "32", "bpf": "64", "msp430": "16",
    "nvptx64": "64", "csky": "32", "wasm32": "32", "wasm64": "64", "xtensa": "32",
}


# Cfgs the user picks freely (Cargo features and build modes), unrelated to the target.
_FREE_KEYS = ("feature",)
_FREE_FLAGS = ("test", "debug_assertions", "doc", "docsrs", "miri", "doctest", "rustfmt", "clippy")
_TARGET_FAMILIES = {"unix": "unix", "windows": "windows", "wasm": "wasm"}


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
        if cfg.key in _TARGET_FAMILIES and target is not None and target.known:
            return _family(target) == _TARGET_FAMILIES[cfg.key] or (cfg.key == "unix" and _family(target) == "unix")
        return None
    if op == "eq":
        return _evaluate_eq(cfg.key, cfg.value, arch, target, free)
    return None


def _family(target: Target) -> str:
    if target.os == "windows":
        return "windows"
    if target.arch.startswith("wasm"):
        return "wasm"
    return "unix" if target.os not in ("none", "uefi", "", "unknown") else ""


def _evaluate_eq(key: str, value: str, arch: str, target: Target | None, free: bool | None) -> bool | None:
    if key == "target_arch":
        return value == arch
    if key in _FREE_KEYS:
        return free
    if key == "target_pointer_width" and arch in POINTER_WIDTH:
        return value == POINTER_WIDTH[arch]
    if key == "target_feature":
        # A feature the architecture does not have is never enabled on it.
        known = _arch_features(arch)
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
            return value == _family(target)
    return None


def evaluate_all(cfgs: list[Cfg], arch: str, target: Target | None = None, free: bool | None = None) -> bool | None:
    if not cfgs:
        return True         # all() of nothing (most arguments have no #[cfg])
    return evaluate(Cfg("all", tuple(cfgs)), arch, target, free)


def satisfiable(cfgs: list[Cfg], arch: str, target: Target | None = None) -> bool:
    """Whether some choice of the free cfgs (Cargo features...) certainly compiles the code
    for this target: false when it hinges on cfgs asm-ls cannot know (build-script flags)."""
    return any(evaluate_all(cfgs, arch, target, free) is True for free in (True, False))


def candidate_architectures(cfgs: list[Cfg], configured: list[str]) -> tuple[list[str], bool]:
    """The architectures to check a block for, and whether its cfgs chose them.

    Blocks whose cfgs single out a few architectures are checked for each of them; otherwise
    for the configured targets the cfgs allow.  An empty list: no architecture can be chosen.
    """
    possible = [arch for arch in ARCHITECTURES if evaluate_all(cfgs, arch) is not False]
    if len(possible) == len(ARCHITECTURES):
        return list(configured), False
    if len(possible) <= len(ARCHITECTURES) // 2:
        return possible, True
    return [arch for arch in configured if arch in possible], False


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
