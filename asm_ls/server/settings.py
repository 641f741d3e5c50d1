"""The server's one typed settings object: validated from client JSON, mapped to analysis Settings.

The accepted shape is ``schemas/config.schema.json``.  Validation never raises: every invalid
part is reported as a problem and replaced by its default, the valid parts are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asm_ls.analysis import Settings
from asm_ls.diagnostics.codes import SEVERITIES, registry
from asm_ls.model.target import Target, TargetError, host_target, parse_target

SECTION = "asm-ls"
EDITIONS = ("2015", "2018", "2021", "2024")
SEVERITY_LEVELS = (*SEVERITIES, "off")
KEYS = ("targets", "severity", "disabled", "edition", "assemble", "rustc", "$schema")     # "$schema": for config files


@dataclass(frozen=True)
class ServerSettings:
    targets: tuple[Target, ...] = ()          # empty: the host
    severity: dict[str, str] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    edition: str = "2021"
    assemble: bool = True
    rustc: str | None = None

    def to_analysis(self) -> Settings:
        """The front-end settings; the assembler runs separately, after the front end publishes."""
        return Settings(targets=list(self.targets) or [host_target()], disabled=self.disabled,
                        severities=dict(self.severity), edition=self.edition, rustc=self.rustc)


def parse_settings(raw: Any) -> tuple[ServerSettings, list[str]]:
    """Settings from ``initializationOptions`` or ``didChangeConfiguration`` JSON, and the problems
    found.  ``None`` means defaults; ``{"asm-ls": {...}}`` (a whole client configuration) is
    unwrapped."""
    if raw is None:
        return ServerSettings(), []
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return ServerSettings(), [f"settings must be an object, not {_kind(raw)}"]
    problems = [f"unknown setting `{key}`" for key in raw if key not in KEYS]
    settings = ServerSettings(
        targets=_targets(raw.get("targets"), problems),
        severity=_severity(raw.get("severity"), problems),
        disabled=_disabled(raw.get("disabled"), problems),
        edition=_edition(raw.get("edition"), problems),
        assemble=_flag(raw.get("assemble", True), "assemble", problems),
        rustc=_path(raw.get("rustc"), "rustc", problems),
    )
    return settings, problems


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
