"""What ``--check`` checks and with which settings: the files below the given paths, less the
workspace's ``exclude``d ones, each with its workspace's settings file (``asm-ls.toml`` or
Cargo metadata, :mod:`asm_ls.config.workspace`) under the command-line options."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from asm_ls.analysis import Settings
from asm_ls.cli.files import discover
from asm_ls.config import Config, ConfigFile, find_workspace_root, load_config_file, parse_config
from asm_ls.config.globs import IgnoreRules

# command-line option -> settings key, for the options that override the settings file
_OPTIONS = {"--target": "targets", "--target-feature": "targetFeatures", "--target-cpu": "targetCpu", "--cfg": "cfg",
            "--rustc": "rustc"}


def command_line_config(args: argparse.Namespace) -> tuple[Config, list[str]]:
    """The options given on the command line, as settings that override the file's."""
    raw: dict = {}
    if args.target:
        raw["targets"] = args.target
    flags = [flag for value in args.target_feature for flag in value.split(",") if flag.strip()]
    if flags:
        raw["targetFeatures"] = [flag.strip() if flag.strip()[0] in "+-" else "+" + flag.strip() for flag in flags]
    if args.target_cpu is not None:
        raw["targetCpu"] = args.target_cpu
    if args.cfg:
        raw["cfg"] = args.cfg
    if args.no_assemble:
        raw["assemble"] = False
    if args.rustc is not None:
        raw["rustc"] = args.rustc
    config, problems = parse_config(raw)
    for option, key in _OPTIONS.items():
        problems = [problem.replace(f"`{key}`", f"`{option}`") for problem in problems]
    return config, problems


@dataclass
class Plan:
    files: list[Path] = field(default_factory=list)
    settings: dict[Path, Settings] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)            # missing paths
    config_problems: list[str] = field(default_factory=list)     # invalid settings files

    def settings_for(self, path: Path) -> Settings:
        return self.settings[path]


def plan(paths: list[str], options: Config, follow_symlinks: bool = False) -> Plan:
    """The files to check and their settings; the settings files of the workspaces the paths
    lie in are read once each."""
    result = Plan()
    workspaces: dict[Path | None, tuple[Settings, IgnoreRules | None]] = {}
    seen: set[Path] = set()
    for name in paths:
        root = find_workspace_root(name)
        if root not in workspaces:
            workspaces[root] = _workspace(root, options, result.config_problems)
        settings, exclude = workspaces[root]
        files, problems = discover([name], follow_symlinks)
        result.problems.extend(problems)
        for path in files:
            key = path.resolve()
            if key in seen or (exclude is not None and exclude.excludes(key)):
                continue
            seen.add(key)
            result.files.append(path)
            result.settings[path] = settings
    return result


def _workspace(root: Path | None, options: Config, problems: list[str]) -> tuple[Settings, IgnoreRules | None]:
    loaded = load_config_file(root) if root is not None else ConfigFile(Path("."))
    problems.extend(problem for problem in loaded.problems if problem not in problems)
    config = loaded.config.under(options)
    exclude = IgnoreRules(root, config.exclude) if root is not None and config.exclude else None
    return config.to_analysis(with_assembler=True), exclude
