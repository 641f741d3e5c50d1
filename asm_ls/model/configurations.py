"""The configurations a block is built under: the one owner of that decision.

A configuration is a target (triple or bare architecture, with its features) that some build compiles a block for,
and whether that is certain.  Every check, the assembler and the contract analysis take a block's configurations
from here; nothing else decides which targets a block is checked for.

Where the targets come from, first that says: the settings (``--target``, ``targets``), the project's files
(``project_build.py``), else the host (a guess).  Then, per block, its cfgs (the ``mod`` chain's and its own):

- cfgs that single out architectures (every architecture they allow is one a ``target_arch`` in them names):
  those architectures, each with a target of the build (or a built-in one) where the cfgs hold; certain when some
  choice of the free cfgs (Cargo features...) compiles the block there, unless the build names targets of some of
  those architectures and none of this one (then nobody is known to compile it there: a guess);
- other cfgs: each target of the build where they are not false; certain when the targets are the settings' or
  the project's, the file's place in its crate is known, and the cfgs hold there;
- a file no ``mod`` declaration reaches, checked with the host default: an architecture its path names (a folder
  ``x86/``), as a guess.

A configuration that is not certain is a guess: a guess may silence a finding, never create one
(``analysis.py`` and the assembler take a block that fails under a guess but is clean on another stable
architecture as written for that one).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from asm_ls.model.arch import arch_data
from asm_ls.model.cfg_eval import CfgValues, evaluate_all, named_architectures, satisfiable
from asm_ls.model.project_build import ProjectBuild
from asm_ls.model.target import Target, builtin_target, default_target
from asm_ls.model.target_data import ARCHITECTURES, known_targets, path_family
from asm_ls.syntax.cfg import Cfg

SETTINGS, PROJECT, LISTED, HOST, CFG, PATH = "settings", "project", "listed", "host", "cfg", "path"


@dataclass(frozen=True)
class Configuration:
    """One target a block is built for; ``origin``: who said so (``SETTINGS``; ``PROJECT``: Cargo's ``[build]
    target``; ``LISTED``: a list of targets of which some build each block, from ``rust-toolchain.toml`` or
    docs.rs; ``HOST``; ``CFG``: the block's cfgs single out the architecture; ``PATH``: a folder's name)."""

    target: Target
    certain: bool
    origin: str
    experimental_possible: bool = False     # the crate may enable `asm_experimental_arch` (a guess that fits no
                                            # stable architecture may be code for an experimental one)
    alternatives: tuple[Target, ...] = ()   # the build's other targets of this architecture (a guess is tried on
                                            # them before it is reported)

    @property
    def arch(self) -> str:
        return self.target.arch


@dataclass(frozen=True)
class BuildTargets:
    """The targets a file is built for before its cfgs are looked at."""

    targets: tuple[Target, ...]
    origin: str
    named_by: str = ""      # the project file that named them

    @property
    def assertive(self) -> bool:
        """Whether someone said these targets build the code (not the host default)."""
        return self.origin in (SETTINGS, PROJECT)

    def describe(self) -> str:
        """The targets and who named them: ``riscv64gc-unknown-none-elf (.cargo/config.toml)``."""
        names = ", ".join(target.display() for target in self.targets)
        where = {SETTINGS: "settings", PROJECT: _short(self.named_by) or "project",
                 LISTED: f"some of them, {_short(self.named_by)}", HOST: "host default"}[self.origin]
        return f"{names} ({where})"


def _short(path: str) -> str:
    """A project file's name with its folder when that is ``.cargo`` (``.cargo/config.toml``)."""
    if not path:
        return ""
    file = Path(path)
    return f"{file.parent.name}/{file.name}" if file.parent.name == ".cargo" else file.name


def build_targets(settings_targets: list[Target], project: ProjectBuild | None) -> BuildTargets:
    """Settings first (a target given explicitly), then the project's files, then the host default."""
    chosen = [target for target in settings_targets if target.explicit]
    if chosen:
        return BuildTargets(tuple(chosen), SETTINGS)
    if project is not None and project.targets:
        return BuildTargets(project.targets, PROJECT if project.every else LISTED, project.named_by)
    return BuildTargets(tuple(settings_targets), HOST)


class Placer:
    """Places a file's blocks: their configurations from their cfgs, worked out once per distinct cfgs.

    ``module_known``: the file's place in its crate is known (a crate root, or reached by ``mod`` declarations);
    ``path``: the file's path, for the guess of a file that is not."""

    def __init__(self, build: BuildTargets, values: CfgValues | None = None, module_known: bool = True,
                 path: Path | None = None, experimental_possible: bool = False) -> None:
        self.build = build
        self.experimental_possible = experimental_possible
        self.values = values or CfgValues()
        self.module_known = module_known
        self.path_guess = path_architectures(path) if path is not None and not module_known else ()
        self._placed: dict[tuple[Cfg, ...], list[Configuration] | None] = {}

    def place(self, cfgs: list[Cfg]) -> list[Configuration] | None:
        """The configurations a block under ``cfgs`` (``--cfg`` values applied) is built under, one per
        architecture; empty when no known target builds it (only target-independent checks apply); None when
        no target at all can (``#[cfg(any())]``)."""
        key = tuple(cfgs)
        if key not in self._placed:
            self._placed[key] = self._place(list(cfgs))
        return self._placed[key]

    def _place(self, cfgs: list[Cfg]) -> list[Configuration] | None:
        singled_out = _singled_out(tuple(cfgs))
        if singled_out is None:
            return None
        if singled_out:
            # Of the architectures the cfgs allow, one no named target of the build has is a guess when another is
            # built (`any(riscv32, riscv64)` in a project that names riscv64 targets only): nobody compiles it there.
            built = {target.arch for target in self.build.targets} if self.build.origin != HOST else set()
            unbuilt = set(singled_out) - built if built & set(singled_out) else set()
            return [self._by_cfg(arch, cfgs, arch not in unbuilt) for arch in singled_out]
        targets, origin = self.build.targets, self.build.origin
        if self.path_guess and self.build.origin == HOST:
            targets, origin = tuple(default_target(arch) for arch in self.path_guess), PATH
        holding = [target for target in targets if evaluate_all(cfgs, target.arch, target) is not False]
        out: list[Configuration] = []
        for target in holding:
            if any(found.arch == target.arch for found in out):
                continue        # one configuration per architecture: the first target of it
            certain = self.build.assertive and self.module_known and satisfiable(cfgs, target.arch, target)
            others = tuple(other for other in holding if other.arch == target.arch and other is not target)
            out.append(Configuration(target, certain, origin, self.experimental_possible, others))
        return out

    def _by_cfg(self, arch: str, cfgs: list[Cfg], built: bool = True) -> Configuration:
        """A configuration for an architecture the cfgs single out: a target of the build where they hold, else
        the architecture alone (certain when some built-in target of it satisfies them and ``built``: no named target
        of the build leaves it out while building another architecture the cfgs allow; that target, the usual one
        first, is what the assembler runs, but its OS, features and spec facts stay unknown to the checks: asm-ls
        chose it)."""
        candidates = [target for target in self.build.targets if target.arch == arch]
        for target in candidates:
            if satisfiable(cfgs, arch, target):
                return Configuration(target, True, CFG)
        found = _builtin_where(arch, tuple(cfgs))
        if found is not None:       # assembled as that target (its object format), otherwise unknown to the checks
            return Configuration(replace(found, known=False, features_known=False, explicit=False), built, CFG)
        return Configuration(Target(arch=arch), built and satisfiable(cfgs, arch, Target(arch=arch)), CFG)


@functools.lru_cache(maxsize=4096)
def _singled_out(cfgs: tuple[Cfg, ...]) -> tuple[str, ...] | None:
    """The architectures the cfgs single out (every architecture they allow is named by one of their
    ``target_arch``s); () when they do not; None when they allow none."""
    possible = tuple(arch for arch in ARCHITECTURES if evaluate_all(list(cfgs), arch) is not False)
    if not possible:
        return None
    named = frozenset().union(*(named_architectures(cfg) for cfg in cfgs)) if cfgs else frozenset()
    return possible if set(possible) <= named else ()


@functools.lru_cache(maxsize=4096)
def _builtin_where(arch: str, cfgs: tuple[Cfg, ...]) -> Target | None:
    usual = default_target(arch)
    if usual.known and satisfiable(list(cfgs), arch, usual):
        return usual
    holding = [builtin_target(triple, info) for triple, info in sorted(known_targets().items())
               if info["arch"] == arch]
    holding = [target for target in holding if satisfiable(list(cfgs), arch, target)]
    return max(holding, key=lambda target: len(target.features)) if holding else None


def stable_architectures() -> tuple[str, ...]:
    """The architectures whose inline assembly is stable, in the data's order."""
    return tuple(arch for arch in ARCHITECTURES if (data := arch_data(arch)) is not None and data.is_stable(arch))


def path_architectures(path: Path) -> tuple[str, ...]:
    """The architectures a file's own name or one of its three nearest folders names (``arch/x86/mod.rs``)."""
    for name in [path.stem] + [parent.name for parent in list(path.parents)[:3]]:
        family = path_family(name)
        if family is not None:
            return family
    return ()
