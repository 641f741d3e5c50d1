"""The toolchain a project pins (``rust-toolchain.toml`` ``channel``) and whether its rustc had a rule yet.

A rule rustc added after the pinned toolchain (``asm!`` refused in naked functions since ``naked_asm!``) stays
silent: that rustc accepts the code.  A channel asm-ls cannot date (``stable``, ``nightly``, a custom name) is
taken as recent, like the rustc on the machine.
"""

from __future__ import annotations

import re

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
_DATED = re.compile(r"^(nightly|beta)-(\d{4}-\d{2}-\d{2})$")


def has_rule(channel: str | None, since_version: str, since_nightly: str) -> bool:
    """Whether the rustc of ``channel`` has a rule added in release ``since_version`` (``1.83.0``) and in the
    nightlies from ``since_nightly`` (``2024-10-07``); empty: the rule is older than any pin asm-ls dates."""
    if not channel:
        return True
    channel = channel.strip().split("-x86_64")[0]
    dated = _DATED.match(channel)
    if dated is not None:
        return not since_nightly or dated.group(2) >= since_nightly
    version = _VERSION.match(channel)
    if version is not None and since_version:
        pinned = tuple(int(part or 0) for part in version.groups())
        return pinned >= tuple(int(part) for part in since_version.split("."))
    return True
