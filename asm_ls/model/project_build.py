"""What a project's own files say it builds for, so a crate is checked for its real targets with no
settings: ``.cargo/config.toml`` (``[build] target``, a triple, a list or a custom target JSON
file; ``rustflags`` of ``[build]`` and ``[target.<triple>]``), ``RUSTFLAGS``, ``rust-toolchain.toml``
(``[toolchain] targets`` and ``channel``) and the package's ``[package.metadata.docs.rs]``
(``targets``, ``default-target``).

Cargo reads its configuration from the directory it runs in and every parent; a file is taken to
be built from its own directory, so each directory up from it counts, nearest first.
"""

from __future__ import annotations

import json
import os
import shlex
import threading
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from asm_ls.model.target import Target, TargetError, apply_feature_flags, builtin_target, parse_target
from asm_ls.model.target_data import default_triple, known_targets


@dataclass(frozen=True)
class ProjectBuild:
    """``targets``: what the project builds for (empty: its files do not say); ``named_by``: the file that said
    it; ``every``: every crate is built for each of them (Cargo's ``[build] target``), not only for some of them
    (the targets ``rust-toolchain.toml`` installs or docs.rs documents: the host is built too, and a crate may be
    meant for one of them only); ``channel``: the toolchain it pins, None when it pins none."""

    targets: tuple[Target, ...] = ()
    named_by: str = ""
    channel: str | None = None
    every: bool = False


NOTHING = ProjectBuild()
_CACHE: dict[tuple, ProjectBuild] = {}
_LOCK = threading.Lock()


def project_build(file: Path, environ: dict[str, str] | None = None) -> ProjectBuild:
    """The build the files above ``file`` describe (cached per directory and the files' modification times)."""
    environ = os.environ if environ is None else environ
    directory = file.parent
    sources = _sources(directory)
    key = (directory, tuple((path, _stamp(path)) for path in sources), environ.get("RUSTFLAGS", ""))
    with _LOCK:
        found = _CACHE.get(key)
    if found is None:
        found = _read(sources, environ.get("RUSTFLAGS"))
        with _LOCK:
            if len(_CACHE) > 4096:
                _CACHE.clear()
            _CACHE[key] = found
    return found


_NAMES = (".cargo/config.toml", ".cargo/config", "rust-toolchain.toml", "rust-toolchain", "Cargo.toml")


def _sources(directory: Path) -> list[Path]:
    found = []
    for current in (directory, *directory.parents):
        for name in _NAMES:
            candidate = current / name
            if candidate.is_file():
                found.append(candidate)
    return found


def _stamp(path: Path) -> tuple:
    try:
        status = path.stat()
    except OSError:
        return ()
    return status.st_mtime_ns, status.st_size


def _read(sources: list[Path], rustflags: str | None) -> ProjectBuild:
    targets: tuple[Target, ...] = ()
    named_by = ""
    every = False
    channel: str | None = None
    flags_by_triple: dict[str, list[str]] = {}
    build_flags: list[str] | None = None
    for path in sources:        # nearest first: the first to say a thing decides it
        data = _toml(path)
        if data is None:
            if path.name == "rust-toolchain" and channel is None:
                channel = _plain_channel(path)
            continue
        if path.parent.name == ".cargo":
            build = data.get("build") if isinstance(data.get("build"), dict) else {}
            if not targets:
                targets = _targets(build.get("target"), path.parent.parent)
                named_by, every = (str(path), True) if targets else (named_by, every)
            if build_flags is None and isinstance(build.get("rustflags"), (list, str)):
                build_flags = _flag_list(build["rustflags"])
            for triple, table in (data.get("target") or {}).items():
                if isinstance(table, dict) and isinstance(table.get("rustflags"), (list, str)):
                    flags_by_triple.setdefault(triple, _flag_list(table["rustflags"]))
        elif path.name == "rust-toolchain.toml":
            toolchain = data.get("toolchain") if isinstance(data.get("toolchain"), dict) else {}
            if channel is None and isinstance(toolchain.get("channel"), str):
                channel = toolchain["channel"]
            if not targets:
                targets = _targets(toolchain.get("targets"), path.parent)
                named_by = str(path) if targets else named_by
        elif path.name == "Cargo.toml" and not targets:
            docs = ((data.get("package") or {}).get("metadata") or {}).get("docs", {})
            docs = docs.get("rs") if isinstance(docs, dict) else None
            if isinstance(docs, dict):
                targets = _targets(docs.get("targets") or docs.get("default-target"), path.parent)
                named_by = str(path) if targets else named_by
    out = []
    for target in targets:
        # RUSTFLAGS replaces every rustflags of the configuration, as Cargo does.
        flags = shlex.split(rustflags) if rustflags else flags_by_triple.get(target.triple, build_flags or [])
        out.append(_with_flags(target, flags))
    return ProjectBuild(tuple(out), named_by, channel, every)


def _toml(path: Path) -> dict | None:
    if path.name == "rust-toolchain":
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _plain_channel(path: Path) -> str | None:
    """The legacy ``rust-toolchain`` file: the channel alone, or TOML."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        toolchain = tomllib.loads(text).get("toolchain", {})
        return toolchain.get("channel") if isinstance(toolchain, dict) else None
    except tomllib.TOMLDecodeError:
        return text.split()[0] if text else None


def _targets(value, base: Path) -> tuple[Target, ...]:
    names = [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)] \
        if isinstance(value, list) else []
    out = []
    for name in names:
        target = _custom_target(base / name) if name.endswith(".json") else _builtin(name)
        if target is not None and target not in out:
            out.append(target)
    return tuple(out)


def _builtin(name: str) -> Target | None:
    """A built-in target the project names.  Its features are not taken as complete: build tools and command lines
    add their own (``-C target-feature`` from an xtask, a Makefile's ``--target``), so checks that depend on a
    feature being absent stay silent."""
    try:
        return replace(parse_target(name), explicit=True, features_known=False)
    except TargetError:
        return None


def _custom_target(path: Path) -> Target | None:
    """A target specification file: its architecture, OS and features, assembled with a built-in target of the same
    architecture (rustc needs one it knows)."""
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    arch = spec.get("arch") if isinstance(spec, dict) else None
    if not isinstance(arch, str):
        return None
    os_name = spec.get("os", "none") if isinstance(spec.get("os", "none"), str) else "none"
    stand_in = next((triple for triple, info in known_targets().items()
                     if info["arch"] == arch and info.get("os") == os_name), default_triple(arch))
    info = known_targets().get(stand_in or "")
    if info is None:
        return Target(arch=arch, label=path.name)
    families = spec.get("target-family", [])
    target = replace(builtin_target(stand_in, info), features_known=False, label=path.name, os=os_name,
                     env=spec.get("env", "") if isinstance(spec.get("env", ""), str) else "",
                     abi=spec.get("abi", "") if isinstance(spec.get("abi", ""), str) else "",
                     pointer_width=str(spec.get("target-pointer-width", info.get("pointer_width", ""))),
                     families=frozenset(families if isinstance(families, list) else [families]))
    if isinstance(spec.get("cpu"), str) and spec["cpu"] != "generic":
        target = replace(target, cpu=spec["cpu"])
    features = spec.get("features")
    if isinstance(features, str) and features:
        target = apply_feature_flags(target, [flag for flag in features.split(",") if flag])
    return target


def _flag_list(value) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else [str(item) for item in value]


def _with_flags(target: Target, flags: list[str]) -> Target:
    """``-C target-feature=+a,-b`` and ``-C target-cpu=CPU`` from rustflags, on top of the target's own."""
    features: list[str] = []
    for option, value in _codegen_options(flags):
        if option == "target-feature":
            features += [item for item in value.split(",") if item]
        elif option == "target-cpu" and value:
            target = replace(target, cpu=value)
    return apply_feature_flags(target, features)


def _codegen_options(flags: list[str]) -> list[tuple[str, str]]:
    """``-C name=value`` and ``-Cname=value`` options, in order."""
    found = []
    for position, flag in enumerate(flags):
        option = flag[2:] if flag.startswith("-C") and len(flag) > 2 else \
            flags[position + 1] if flag == "-C" and position + 1 < len(flags) else None
        if option and "=" in option:
            name, value = option.split("=", 1)
            found.append((name, value))
    return found
