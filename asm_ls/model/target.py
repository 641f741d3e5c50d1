"""Targets: a target triple or a bare architecture name, reduced to what the checks need."""

from __future__ import annotations

import functools
import json
import platform
from importlib import resources
from dataclasses import dataclass, field, replace

from asm_ls.model.cfg_eval import ARCHITECTURES

_ARCH_PREFIXES = (
    ("x86_64", "x86_64"), ("amd64", "x86_64"), ("i386", "x86"), ("i486", "x86"), ("i586", "x86"),
    ("i686", "x86"), ("x86", "x86"), ("aarch64_be", "aarch64"), ("aarch64", "aarch64"), ("arm64ec", "arm64ec"),
    ("arm64", "aarch64"), ("armeb", "arm"), ("arm", "arm"), ("thumb", "arm"), ("riscv32", "riscv32"),
    ("riscv64", "riscv64"), ("loongarch32", "loongarch32"), ("loongarch64", "loongarch64"), ("s390x", "s390x"),
    ("powerpc64", "powerpc64"), ("powerpc", "powerpc"), ("mips64r6", "mips64r6"), ("mipsisa64r6", "mips64r6"),
    ("mipsisa32r6", "mips32r6"), ("mips64", "mips64"), ("mips", "mips"), ("sparc64", "sparc64"),
    ("sparcv9", "sparc64"), ("sparc", "sparc"), ("m68k", "m68k"), ("avr", "avr"), ("hexagon", "hexagon"),
    ("bpf", "bpf"), ("msp430", "msp430"), ("nvptx64", "nvptx64"), ("csky", "csky"), ("wasm32", "wasm32"),
    ("wasm64", "wasm64"), ("spirv", "spirv"), ("xtensa", "xtensa"),
)


@dataclass(frozen=True)
class Target:
    """``triple`` is empty when only the architecture is known; ``os``/``env`` are then unknown
    and checks that depend on them stay silent."""

    arch: str
    triple: str = ""
    os: str = ""
    env: str = ""
    abi: str = ""
    features: frozenset[str] = field(default_factory=frozenset)
    features_known: bool = False    # False: feature-dependent checks stay silent
    explicit: bool = False          # chosen by the user, not inferred from #[cfg]
    known: bool = False             # a built-in target: os, env, abi and spec facts are known
    reloc_model: str = "pic"
    is_like_windows: bool = False
    is_like_darwin: bool = False
    is_like_aix: bool = False
    allow_experimental_reg: bool = False
    binary_format: str = "elf"      # the object format (rustc's spec `binary-format`): elf, mach-o, coff, wasm, xcoff
    cpu: str = ""                   # `-C target-cpu`; empty: the target's default
    # True: ``features`` are all the build enables.  False: a build may enable features no file shows (build scripts,
    # RUSTFLAGS), so a missing feature is a warning, not an error.
    features_complete: bool = False

    def with_features(self, extra: tuple[str, ...]) -> "Target":
        """This target inside a function with ``#[target_feature(enable = ...)]`` (with the
        features those imply: avx2 turns on avx)."""
        if not extra:
            return self
        enabled = set(self.features)
        for feature in extra:
            enabled.add(feature)
            enabled.update(implied_features(self.arch, feature))
        return replace(self, features=frozenset(enabled))

    def display(self) -> str:
        return self.triple or self.arch


class TargetError(ValueError):
    pass


def arch_of_triple(triple: str) -> str | None:
    first = triple.split("-", 1)[0]
    if first in ARCHITECTURES:
        return first
    for prefix, arch in _ARCH_PREFIXES:
        if first.startswith(prefix):
            return arch
    return None


@functools.lru_cache(maxsize=1)
def _targets_data() -> dict:
    text = resources.files("asm_ls.data").joinpath("targets.json").read_text(encoding="utf-8")
    return json.loads(text)


def known_targets() -> dict[str, dict]:
    """rustc's built-in targets with their cfg values (asm_ls/data/targets.json)."""
    return _targets_data()["targets"]


def apply_feature_flags(target: Target, flags: list[str]) -> Target:
    """``-C target-feature=+a,-b``: enable (with what each implies) or disable features."""
    if not flags:
        return target
    enabled = set(target.features)
    for flag in flags:
        name = flag.lstrip("+-")
        if flag.startswith("-"):
            enabled.discard(name)
        else:
            enabled.add(name)
            enabled.update(implied_features(target.arch, name))
    return replace(target, features=frozenset(enabled))


def implied_features(arch: str, feature: str) -> tuple[str, ...]:
    """Features rustc turns on together with ``feature`` on this architecture."""
    return tuple(_targets_data().get("implied_features", {}).get(arch, {}).get(feature, ()))


@functools.lru_cache(maxsize=None)
def arch_features(arch: str) -> frozenset[str] | None:
    """Every target feature rustc knows on an architecture; None when not recorded."""
    features = _targets_data().get("arch_features", {}).get(arch)
    return frozenset(features) if features is not None else None


def parse_target(spec: str) -> Target:
    spec = spec.strip()
    if spec in ARCHITECTURES:
        return Target(arch=spec, explicit=True)
    info = known_targets().get(spec)
    if info is not None:
        return Target(arch=info["arch"], triple=spec, os=info.get("os", ""), env=info.get("env", ""),
                      abi=info.get("abi", ""), features=frozenset(info.get("features", ())),
                      features_known=True, explicit=True, known=True,
                      reloc_model=info.get("reloc_model", "pic"),
                      is_like_windows=info.get("is_like_windows", False),
                      is_like_darwin=info.get("is_like_darwin", False),
                      is_like_aix=info.get("is_like_aix", False),
                      binary_format=info.get("binary_format", "elf"))
    arch = arch_of_triple(spec)
    if arch is None or "-" not in spec:
        raise TargetError(f"unknown target `{spec}`: give a target triple (x86_64-unknown-linux-gnu) "
                          f"or an architecture ({', '.join(ARCHITECTURES[:6])}, ...)")
    # A custom target: only its architecture is known.
    return Target(arch=arch, triple=spec, explicit=True)


def host_target() -> Target:
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "x86_64": "x86_64", "i686": "x86", "i386": "x86", "arm64": "aarch64",
            "aarch64": "aarch64", "riscv64": "riscv64", "ppc64le": "powerpc64", "ppc64": "powerpc64",
            "s390x": "s390x", "loongarch64": "loongarch64"}.get(machine, machine)
    system = platform.system().lower()
    triples = {
        ("x86_64", "linux"): "x86_64-unknown-linux-gnu", ("aarch64", "linux"): "aarch64-unknown-linux-gnu",
        ("x86_64", "darwin"): "x86_64-apple-darwin", ("aarch64", "darwin"): "aarch64-apple-darwin",
        ("x86_64", "windows"): "x86_64-pc-windows-msvc", ("aarch64", "windows"): "aarch64-pc-windows-msvc",
    }
    triple = triples.get((arch, system))
    if triple and triple in known_targets():
        return replace(parse_target(triple), explicit=False)
    return Target(arch=arch if arch in ARCHITECTURES else "x86_64")
