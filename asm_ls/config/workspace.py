"""Where a workspace's settings file is: the Cargo workspace root above a path, and the
settings found there.

The root is the directory of the nearest ``Cargo.toml`` with a ``[workspace]`` table above the
path, else of the outermost ``Cargo.toml`` (a package alone), else the nearest directory holding
an ``asm-ls.toml``.  At the root, ``asm-ls.toml`` wins over ``[workspace.metadata.asm-ls]``,
which wins over ``[package.metadata.asm-ls]``: the first one found is the only one read."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from asm_ls.config.schema import Config, parse_config
from asm_ls.syntax.source import read_regular_file

CONFIG_NAME = "asm-ls.toml"
MANIFEST = "Cargo.toml"
_METADATA_TABLES = ("workspace", "package")


@dataclass(frozen=True)
class ConfigFile:
    """The settings read at a workspace root.  ``origin``: where they come from, for messages
    (``asm-ls.toml``, ``Cargo.toml [workspace.metadata.asm-ls]``), None when the root has none;
    ``problems``: what was wrong with them, each naming the file and the key."""

    root: Path
    config: Config = field(default_factory=Config)
    origin: str | None = None
    problems: tuple[str, ...] = ()


def find_workspace_root(start: Path | str) -> Path | None:
    """The workspace root for a file or directory (see the module docstring); None when no
    ``Cargo.toml`` or ``asm-ls.toml`` is above it."""
    start = Path(start).resolve()
    directories = [start, *start.parents] if start.is_dir() else list(start.parents)
    outermost_package = None
    nearest_config = None
    for directory in directories:
        manifest = _read_toml(directory / MANIFEST)
        if isinstance(manifest, dict) and "workspace" in manifest:
            return directory
        if manifest is not None:
            outermost_package = directory
        if nearest_config is None and (directory / CONFIG_NAME).is_file():
            nearest_config = directory
    return outermost_package or nearest_config


def load_config_file(root: Path) -> ConfigFile:
    """The settings at ``root``; never raises: an unreadable file or invalid TOML is a problem."""
    config_path = root / CONFIG_NAME
    if config_path.is_file():
        data = _read_toml(config_path)
        if isinstance(data, str):
            return ConfigFile(root, origin=CONFIG_NAME, problems=(f"{config_path}: {data}",))
        return _parsed(root, data, CONFIG_NAME, config_path, "")
    manifest_path = root / MANIFEST
    manifest = _read_toml(manifest_path)
    if isinstance(manifest, str):
        return ConfigFile(root, problems=(f"{manifest_path}: {manifest}",))
    for table in _METADATA_TABLES:
        section = ((manifest or {}).get(table) or {}).get("metadata", {}) if isinstance(manifest, dict) else {}
        raw = section.get("asm-ls") if isinstance(section, dict) else None
        if raw is not None:
            origin = f"{MANIFEST} [{table}.metadata.asm-ls]"
            return _parsed(root, raw, origin, manifest_path, f"{table}.metadata.asm-ls.")
    return ConfigFile(root)


def _parsed(root: Path, raw: object, origin: str, path: Path, prefix: str) -> ConfigFile:
    if not isinstance(raw, dict):
        return ConfigFile(root, origin=origin, problems=(f"{path}: `{prefix.rstrip('.')}` must be a table",))
    config, problems = parse_config(raw)
    return ConfigFile(root, config, origin, tuple(f"{path}: {_prefixed(problem, prefix)}" for problem in problems))


def _prefixed(problem: str, prefix: str) -> str:
    """A problem with the key spelt as in the file (``package.metadata.asm-ls.targets``)."""
    if not prefix:
        return problem
    return problem.replace("`", "`" + prefix, 1) if "`" in problem else problem


def _read_toml(path: Path) -> dict | str | None:
    """The file's table; a message when it exists but cannot be read; None when it is missing."""
    try:
        text = read_regular_file(path).decode("utf-8")     # a FIFO named asm-ls.toml is not read
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot read: {getattr(error, 'strerror', None) or error}"
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return f"invalid TOML: {error}"
