"""The settings object and its validation.  ``parse_config`` never raises: every invalid part is
reported as a problem naming its key and replaced by its default; the valid parts are kept.

Key names follow ``schemas/config.schema.json`` (camelCase where a name has two words)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from asm_ls.diagnostics.codes import SEVERITIES, registry
from asm_ls.model.target import Target, TargetError, apply_feature_flags, host_target, parse_target

if TYPE_CHECKING:
    from asm_ls.analysis import Settings

SECTION = "asm-ls"
EDITIONS = ("2015", "2018", "2021", "2024")
SEVERITY_LEVELS = (*SEVERITIES, "off")
KEYS = ("targets", "targetFeatures", "targetCpu", "cfg", "severity", "disabled", "edition", "assemble", "rustc",
        "exclude", "$schema")      # "$schema": for config files
_FEATURE = re.compile(r"[+-][A-Za-z0-9][A-Za-z0-9_.-]*")     # rustc's names: `+v8.1a`, `-crt-static`
_CPU = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
_CFG = re.compile(r'[A-Za-z_][A-Za-z0-9_]*(\s*=\s*"[^"\\]*")?')


@dataclass(frozen=True)
class Config:
    """Validated settings; ``given``: the keys the source set (what a layer above overrides)."""

    targets: tuple[Target, ...] = ()          # empty: the host
    target_features: tuple[str, ...] = ()     # "+avx2", "-sse4.1", as rustc's -C target-feature
    target_cpu: str | None = None             # as rustc's -C target-cpu; None: the target's own
    cfg: tuple[str, ...] = ()                 # `name` or `key="value"`, as rustc's --cfg
    severity: dict[str, str] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    edition: str = "2021"
    assemble: bool = True
    rustc: str | None = None
    exclude: tuple[str, ...] = ()             # gitignore-style globs, relative to the workspace root
    given: frozenset[str] = field(default=frozenset(), compare=False)

    def to_analysis(self, with_assembler: bool = False) -> Settings:
        """The analysis settings.  ``with_assembler``: the analysis itself runs the assembler
        (the CLI); the server leaves it off and runs the assembler after the front end."""
        from asm_ls.analysis import Settings      # the analysis loads on first use (the server starts without it)
        from asm_ls.model.cfg_eval import CfgValues

        flags = list(self.target_features)
        targets = [apply_feature_flags(target, flags) for target in (list(self.targets) or [host_target()])]
        if self.target_cpu:
            # the CPU turns on features of its own, which asm-ls does not know
            targets = [replace(target, cpu=self.target_cpu, features_known=False) for target in targets]
        return Settings(targets=targets, disabled=self.disabled, severities=dict(self.severity),
                        edition=self.edition, cfg=CfgValues(frozenset(spec.replace(" ", "") for spec in self.cfg)),
                        assemble=with_assembler and self.assemble, rustc=self.rustc)

    def under(self, override: Config) -> Config:
        """These settings with ``override``'s given keys on top: each given key replaces this
        one's, except ``severity``, merged code by code (the override's entry wins)."""
        changes: dict[str, Any] = {}
        for name in override.given:
            attribute = _ATTRIBUTES[name]
            changes[attribute] = getattr(override, attribute)
        if "severity" in override.given:
            changes["severity"] = {**self.severity, **override.severity}
        return replace(self, **changes, given=self.given | override.given)


_ATTRIBUTES = {"targets": "targets", "targetFeatures": "target_features", "targetCpu": "target_cpu", "cfg": "cfg",
               "severity": "severity", "disabled": "disabled", "edition": "edition", "assemble": "assemble", "rustc": "rustc",
               "exclude": "exclude"}


def parse_config(raw: Any) -> tuple[Config, list[str]]:
    """Settings from client JSON or a config file table, and the problems found.  ``None``
    means defaults; ``{"asm-ls": {...}}`` (a whole client configuration) is unwrapped."""
    if raw is None:
        return Config(), []
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return Config(), [f"settings must be an object, not {_kind(raw)}"]
    problems = [f"unknown setting `{key}`" for key in raw if key not in KEYS]
    config = Config(
        targets=_targets(raw.get("targets"), problems),
        target_features=_matching(raw.get("targetFeatures"), "targetFeatures", _FEATURE,
                                  "a target feature with its sign (`+avx2`, `-sse4.1`)", problems),
        target_cpu=_cpu(raw.get("targetCpu"), problems),
        cfg=_matching(raw.get("cfg"), "cfg", _CFG, 'a cfg name or `key="value"`', problems),
        severity=_severity(raw.get("severity"), problems),
        disabled=_disabled(raw.get("disabled"), problems),
        edition=_edition(raw.get("edition"), problems),
        assemble=_flag(raw.get("assemble", True), "assemble", problems),
        rustc=_path(raw.get("rustc"), "rustc", problems),
        exclude=_matching(raw.get("exclude"), "exclude", re.compile(r"\S(.*\S)?"), "a non-empty glob pattern",
                          problems),
        given=frozenset(key for key in raw if key in _ATTRIBUTES),
    )
    return config, problems


def _targets(value: Any, problems: list[str]) -> tuple[Target, ...]:
    if value is None:
        return ()
    if not _is_string_list(value):
        problems.append("`targets` must be a list of target triples or architecture names")
        return ()
    targets = []
    for spec in value:
        try:
            targets.append(parse_target(spec))
        except TargetError as error:
            problems.append(f"`targets`: {error}")
    return tuple(targets)


def _matching(value: Any, name: str, pattern: re.Pattern, what: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not _is_string_list(value):
        problems.append(f"`{name}` must be a list of strings")
        return ()
    kept = []
    for item in value:
        if pattern.fullmatch(item):
            kept.append(item)
        else:
            problems.append(f"`{name}`: {item!r} is not {what}")
    return tuple(kept)


def _severity(value: Any, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append("`severity` must be an object mapping diagnostic codes to severities")
        return {}
    known = registry()
    out = {}
    for code, level in value.items():
        if code not in known:
            problems.append(f"`severity`: unknown diagnostic code `{code}`")
        elif level not in SEVERITY_LEVELS:
            problems.append(f"`severity.{code}` must be one of {', '.join(SEVERITY_LEVELS)}, not {level!r}")
        else:
            out[code] = level
    return out


def _disabled(value: Any, problems: list[str]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not _is_string_list(value):
        problems.append("`disabled` must be a list of diagnostic codes")
        return frozenset()
    known = registry()
    for code in value:
        if code not in known:
            problems.append(f"`disabled`: unknown diagnostic code `{code}`")
    return frozenset(code for code in value if code in known)


def _edition(value: Any, problems: list[str]) -> str:
    if value is None:
        return "2021"
    if value not in EDITIONS or not isinstance(value, str):
        problems.append(f"`edition` must be one of {', '.join(EDITIONS)} (a string), not {value!r}")
        return "2021"
    return value


def _flag(value: Any, name: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(f"`{name}` must be true or false, not {value!r}")
    return True


def _cpu(value: Any, problems: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and _CPU.fullmatch(value)):
        return value
    problems.append(f"`targetCpu`: {value!r} is not a CPU name (`x86-64-v3`, `cortex-m4`)")
    return None


def _path(value: Any, name: str, problems: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    problems.append(f"`{name}` must be a path (a non-empty string)")
    return None


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)
