"""Targets: a target triple or a bare architecture name, reduced to what the checks need."""

from __future__ import annotations

import difflib
import platform
from dataclasses import dataclass, field, replace

from asm_ls.model.target_data import (ARCHITECTURES, POINTER_WIDTH, default_triple, host_arch, host_triple,
                                      implied_features, known_targets)

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
    pointer_width: str = ""         # "" : the architecture's usual width
    families: frozenset[str] = frozenset()     # target_family values (emscripten: unix and wasm)
    vendor: str = ""
    label: str = ""                 # how to name it when the triple is a stand-in (a custom target JSON file)
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
        return self.label or self.triple or self.arch


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


def parse_target(spec: str) -> Target:
    spec = spec.strip()
    if spec in ARCHITECTURES:
        return Target(arch=spec, explicit=True)
    info = known_targets().get(spec)
    if info is not None:
        return builtin_target(spec, info)
    arch = arch_of_triple(spec)
    if arch is None or spec.count("-") < 2:     # a triple has at least arch-vendor-os
        raise TargetError(f"unknown target `{spec}`{_did_you_mean(spec)}: give a target triple "
                          f"(x86_64-unknown-linux-gnu) or an architecture ({', '.join(ARCHITECTURES[:6])}, ...)")
    # A target this rustc's data does not list (a newer one): only its architecture is known.
    return Target(arch=arch, triple=spec, explicit=True)


def builtin_target(triple: str, info: dict) -> Target:
    """One of rustc's built-in targets, with the cfg values and spec facts of targets.json."""
    return Target(arch=info["arch"], triple=triple, os=info.get("os", ""), env=info.get("env", ""),
                  abi=info.get("abi", ""), features=frozenset(info.get("features", ())),
                  features_known=True, explicit=True, known=True,
                  reloc_model=info.get("reloc_model", "pic"),
                  is_like_windows=info.get("is_like_windows", False),
                  is_like_darwin=info.get("is_like_darwin", False),
                  is_like_aix=info.get("is_like_aix", False),
                  pointer_width=info.get("pointer_width", ""), families=frozenset(info.get("families", ())),
                  vendor=info.get("vendor", ""), binary_format=info.get("binary_format", "elf"))


def _did_you_mean(spec: str) -> str:
    """A close architecture name or triple (`x86-64` -> `x86_64`), as a clause."""
    normalized = spec.replace("-", "_")
    if normalized in ARCHITECTURES:
        return f" (did you mean `{normalized}`?)"
    close = difflib.get_close_matches(spec, list(ARCHITECTURES) + list(known_targets()), n=1, cutoff=0.8)
    return f" (did you mean `{close[0]}`?)" if close else ""


def default_target(arch: str) -> Target:
    """The built-in target an architecture is checked and assembled for when nothing names a triple (not chosen
    by the user: ``explicit`` False); a bare architecture when it has none."""
    triple = default_triple(arch)
    info = known_targets().get(triple) if triple else None
    return replace(builtin_target(triple, info), explicit=False) if info else Target(arch=arch)


def pointer_width_of(target: Target) -> str | None:
    return target.pointer_width or POINTER_WIDTH.get(target.arch)


def host_target() -> Target:
    """The machine asm-ls runs on (the default when nothing says what a file is built for: a guess)."""
    arch = host_arch(platform.machine()) or "x86_64"
    triple = host_triple(arch, platform.system())
    if triple and triple in known_targets():
        return replace(parse_target(triple), explicit=False)
    return Target(arch=arch)
