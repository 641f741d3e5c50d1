"""The server's settings: the client's (``initializationOptions``, ``workspace/didChangeConfiguration``)
over the workspace's settings file, both read by the one parser of :mod:`asm_ls.config`.

Precedence: a setting the client gives replaces the file's (``severity`` is merged code by
code, the client's entry winning); the file's settings replace the defaults."""

from __future__ import annotations

from typing import Any

from asm_ls.config.schema import EDITIONS, KEYS, SECTION, SEVERITY_LEVELS, Config, parse_config

ServerSettings = Config

__all__ = ["EDITIONS", "KEYS", "SECTION", "SEVERITY_LEVELS", "ServerSettings", "parse_settings", "layered"]


def parse_settings(raw: Any) -> tuple[ServerSettings, list[str]]:
    """The client's settings and the problems found (see :func:`asm_ls.config.parse_config`)."""
    return parse_config(raw)


def layered(file_config: Config | None, client: Config) -> Config:
    """The settings in force: the client's over the file's."""
    return client if file_config is None else file_config.under(client)
