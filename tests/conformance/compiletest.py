"""What compiletest makes of a rustc test file: its ``//@`` directives, its revisions, and for each
revision (each "run") the target, edition, target features, target CPU and cfgs it is compiled with.

A run is a dict with the keys of ``expected.json``'s entries (``test_path``, ``revision``, ``target``,
``target_kind``, ``compile_flags``, ``edition``, ``mode``, ``directives``), so ``run.py`` (which reads
those entries) and ``compiling.py`` (which reads the files) share :func:`run_config`.
"""

from __future__ import annotations

import functools
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HOST_TRIPLE = "x86_64-unknown-linux-gnu"   # compiletest's host for tests without a target
DEFAULT_EDITION = "2015"                   # compiletest's default edition
PASS_MODES = ("build-pass", "check-pass", "run-pass")
_MODES = PASS_MODES + ("build-fail", "check-fail", "run-fail")
# A rustc test that names an architecture (``only-x86_64``) runs on a host of that
# architecture; --arch-as-triple checks it for this triple instead of the bare architecture.
ARCH_TRIPLES = {
    "x86_64": "x86_64-unknown-linux-gnu", "x86": "i686-unknown-linux-gnu",
    "aarch64": "aarch64-unknown-linux-gnu", "arm": "armv7-unknown-linux-gnueabihf",
    "arm64ec": "arm64ec-pc-windows-msvc", "riscv64": "riscv64gc-unknown-linux-gnu",
    "riscv32": "riscv32gc-unknown-linux-gnu", "loongarch64": "loongarch64-unknown-linux-gnu",
    "s390x": "s390x-unknown-linux-gnu", "powerpc64": "powerpc64le-unknown-linux-gnu",
}
# ``//@ name``, ``//@ name: value``, ``//@[a,b] name: value``, ``//@ [a] name``, ``//@ name a comment``
_DIRECTIVE = re.compile(r"^\s*//@\s*(?:\[([^\]]*)\])?\s*([A-Za-z0-9_.-]+)(?:\s*:\s*(.*?)|\s+.*?)?\s*$")


# --------------------------------------------------------------------------------------------
# Directives and runs


def read_directives(text: str) -> list[dict]:
    """Every ``//@`` directive of a test file as ``{"revisions", "name", "value"}`` (``revisions``:
    None, or the revisions a ``//@[..]`` prefix restricts it to)."""
    directives = []
    for line in text.splitlines():
        match = _DIRECTIVE.match(line)
        if not match:
            continue
        scope, name, value = match.groups()
        revisions = [r for r in re.split(r"[\s,]+", scope) if r] if scope is not None else None
        directives.append({"revisions": revisions, "name": name, "value": value})
    return directives


def _applies(directive: dict, revision: str | None) -> bool:
    return directive["revisions"] is None or revision in directive["revisions"]


def _only_target(name: str) -> tuple[str, str] | None:
    """(target, kind) of an ``only-<x>`` directive that names an architecture or a target triple;
    None for the others (``only-linux``, ``only-64bit``, ``only-msvc``...)."""
    value = name[len("only-"):]
    from_asm_ls = _target_names()
    if value in from_asm_ls[0]:
        return value, "arch"
    if value in from_asm_ls[1] or value.count("-") >= 2:
        return value, "triple"
    return None


@functools.lru_cache(maxsize=1)
def _target_names() -> tuple[frozenset[str], frozenset[str]]:
    from asm_ls.model.target_data import ARCHITECTURES, known_targets

    return frozenset(ARCHITECTURES), frozenset(known_targets())


def runs_of(root: Path, path: Path) -> list[dict]:
    """One run per revision (one run without revisions) of the test file ``path``, read from its
    header as compiletest reads it.  ``test_path`` is relative to ``root`` (the rust checkout)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    directives = read_directives(text)
    revisions = [r for d in directives if d["name"] == "revisions" and d["value"]
                 for r in re.split(r"[\s,]+", d["value"]) if r]
    runs = []
    for revision in revisions or [None]:
        mine = [d for d in directives if _applies(d, revision)]
        flags = " ".join(d["value"] for d in mine if d["name"] == "compile-flags" and d["value"])
        target = kind = None
        for d in mine:
            only = _only_target(d["name"]) if d["name"].startswith("only-") else None
            if only and (kind is None or only[1] == "triple"):
                target, kind = only
        flag_target = parse_compile_flags(flags).target
        if flag_target:
            target, kind = flag_target, "triple"
        modes = [d["name"] for d in mine if d["name"] in _MODES]
        editions = [d["value"] for d in mine if d["name"] == "edition" and d["value"]]
        runs.append({"test_path": path.relative_to(root).as_posix(), "revision": revision, "target": target,
                     "target_kind": kind, "compile_flags": flags or None,
                     "edition": editions[-1] if editions else None, "mode": modes[-1] if modes else None,
                     "directives": directives})
    return runs


# --------------------------------------------------------------------------------------------
# Flags and configurations


@dataclass
class CompileFlags:
    target: str | None = None
    edition: str | None = None
    features: list[str] = field(default_factory=list)   # "+x" / "-x"
    cpu: str | None = None
    cfgs: list[str] = field(default_factory=list)       # `name` or `key="value"`
    ignored: list[str] = field(default_factory=list)


_VALUED = ("--target", "--edition", "-C", "--crate-type", "--emit", "-Z", "--cfg")


def parse_compile_flags(flags: str | None) -> CompileFlags:
    """What a compile-flags string says about the target, the edition, target features and CPU and
    cfgs; every other flag is kept in ``ignored``."""
    result = CompileFlags()
    try:
        words = shlex.split(flags or "")
    except ValueError:
        words = (flags or "").split()
    i = 0
    while i < len(words):
        word, value = words[i], None
        if word in _VALUED:
            value = words[i + 1] if i + 1 < len(words) else ""
            i += 1
        elif word.startswith("-C") and len(word) > 2:      # -Ctarget-feature=+x
            word, value = "-C", word[2:]
        elif "=" in word and word.split("=", 1)[0] in _VALUED:
            word, value = word.split("=", 1)
        i += 1
        codegen = value.replace("_", "-").split("=", 1) if word == "-C" and value is not None else [""]
        if word == "--target":
            result.target = value
        elif word == "--edition":
            result.edition = value
        elif word == "--cfg":
            result.cfgs.append(value.replace(" ", ""))
        elif codegen[0] == "target-feature" and len(codegen) == 2:
            result.features.extend(part for part in value.split("=", 1)[1].split(",") if part)
        elif codegen[0] == "target-cpu" and len(codegen) == 2:
            result.cpu = value.split("=", 1)[1]
        else:
            result.ignored.append(word if value is None else f"{word} {value}")
    return result


@dataclass
class RunConfig:
    target: str
    edition: str
    features: list[str]           # "+x" / "-x" (with those of a target CPU)
    ignored_flags: list[str]
    revision: str | None = None   # compiletest passes `--cfg <revision>`; no other custom cfg is set
    cfgs: list[str] = field(default_factory=list)   # the compile flags' --cfg
    cpu: str | None = None
    features_unknown: bool = False   # a target CPU whose features rustc could not list

    @property
    def cfg_names(self) -> frozenset[str]:
        return frozenset(self.cfgs + ([self.revision] if self.revision else []))

    def describe(self) -> str:
        parts = [f"target={self.target}"]
        if self.revision:
            parts.append(f"rev={self.revision}")
        if self.cpu:
            parts.append(f"cpu={self.cpu}" + ("(features unknown)" if self.features_unknown else ""))
        if self.features:
            parts.append("features=" + ",".join(self.features))
        if self.cfgs:
            parts.append("cfg=" + ",".join(self.cfgs))
        parts.append(f"edition={self.edition}")
        return " ".join(parts)


def run_config(entry: dict, arch_as_triple: bool = False, apply_features: bool = False) -> RunConfig:
    """The configuration asm-ls checks a run with: its target (the compile flags' or the entry's,
    else the host), edition, and with ``apply_features`` its target features and target CPU."""
    flags = parse_compile_flags(entry.get("compile_flags"))
    target = entry.get("target") or flags.target
    if not target:
        target = HOST_TRIPLE
    elif entry.get("target_kind") == "arch" and arch_as_triple:
        target = ARCH_TRIPLES.get(target, target)
    edition = entry.get("edition") or flags.edition or DEFAULT_EDITION
    features, ignored = list(flags.features), list(flags.ignored)
    config = RunConfig(target, edition, features, ignored, entry.get("revision"), list(flags.cfgs), flags.cpu)
    if not apply_features:
        if features:
            ignored.append("-C target-feature=" + ",".join(features))
        if flags.cpu:
            ignored.append(f"-C target-cpu={flags.cpu}")
        config.features, config.cpu = [], None
    elif flags.cpu:
        implied = cpu_features(ARCH_TRIPLES.get(target, target), flags.cpu)
        if implied is None:
            config.features_unknown = True
        else:
            config.features = ["+" + name for name in implied] + features
    return config


def cpu_features(triple: str, cpu: str, rustc: str = "rustc") -> list[str] | None:
    """The target features ``-C target-cpu=cpu`` adds on ``triple``, as this machine's rustc lists
    them (``--print cfg``); None when rustc cannot say."""
    base = _printed_features(rustc, triple, None)
    with_cpu = _printed_features(rustc, triple, cpu)
    if base is None or with_cpu is None:
        return None
    return sorted(with_cpu - base)


@functools.lru_cache(maxsize=64)
def _printed_features(rustc: str, triple: str, cpu: str | None) -> frozenset[str] | None:
    command = [rustc, "--print", "cfg", "--target", triple] + (["-C", f"target-cpu={cpu}"] if cpu else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return frozenset(m.group(1) for m in re.finditer(r'^target_feature="([^"]+)"$', done.stdout, re.M))
