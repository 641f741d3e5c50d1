"""LLVM's "instruction requires ..." errors: an instruction of a target feature (or CPU) the assembler was not given.

The features a build enables are not all in its files (build scripts, ``RUSTFLAGS``, ``.cargo/config.toml``, the CPU
of an AVR board), so unless the target's features are known to be complete such an error says which feature to
add to the settings instead of claiming the build fails."""

from __future__ import annotations

import re

from asm_ls.model.target import Target
from asm_ls.model.target_data import arch_features, rust_feature_name

CODE = "missing-target-feature"
_NAMED = re.compile(r"^instruction requires(?: the following)?:\s*(.+)$")
_UNNAMED = "instruction requires a CPU feature not currently enabled"
_QUOTED = re.compile(r"'([^']+)'")
_CONNECTIVES = ("or", "and")


def required_features(message: str, arch: str) -> list[str] | None:
    """The rustc names of the features an "instruction requires" message asks for (``[]``: a CPU feature LLVM does
    not name); None when the message is another error or names something that is not a target feature of the
    architecture (`64-bit mode`)."""
    if message == _UNNAMED:
        return []
    match = _NAMED.match(message)
    known = arch_features(arch)
    if match is None or known is None:
        return None
    listed = match.group(1)
    # RISC-V quotes each extension and describes it: 'Zicbom' (Cache-Block Management Instructions)
    names = _QUOTED.findall(listed) if "'" in listed else [word for word in listed.split()
                                                          if word not in _CONNECTIVES]
    features = []
    for name in names:
        feature = rust_feature_name(arch, name.lower())
        if feature not in known:
            return None
        if feature not in features:
            features.append(feature)
    return features or None


def missing_feature_message(message: str, features: list[str]) -> str:
    """LLVM's message with what to do about it."""
    if not features:
        return (f"{message}; if the build's CPU or target features provide the instruction, set the `targetCpu` "
                "setting (`--target-cpu`) or add the feature to the `targetFeatures` setting (`--target-feature`)")
    names = ", ".join(f"`{feature}`" for feature in features)
    if len(features) > 1 and " or " in message:
        return (f"{message}; none of the target features {names} is enabled here: if the build enables one of them, "
                f"add it to the `targetFeatures` setting (or `--target-feature`), e.g. `+{features[0]}`")
    flags = ",".join(f"+{feature}" for feature in features)
    what = f"the target feature {names} is" if len(features) == 1 else f"the target features {names} are"
    return (f"{message}; {what} not enabled here: if the build enables {'it' if len(features) == 1 else 'them'}, "
            f"add `{flags}` to the `targetFeatures` setting (or `--target-feature {flags}`)")


def missing_feature(message: str, arch: str, target: Target) -> str | None:
    """The ``missing-target-feature`` message for an LLVM error, None when it stays an ``assembler-error``: another
    error, or a target whose features are known to be complete."""
    if target.features_complete:
        return None
    features = required_features(message, arch)
    return None if features is None else missing_feature_message(message, features)
