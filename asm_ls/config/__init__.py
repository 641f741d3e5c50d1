"""asm-ls settings, one parser for every source: the language server's client settings, the
``asm-ls.toml`` file and the ``[workspace.metadata.asm-ls]`` / ``[package.metadata.asm-ls]``
tables of ``Cargo.toml``.  The shape is ``schemas/config.schema.json``."""

from asm_ls.config.schema import Config, parse_config
from asm_ls.config.workspace import ConfigFile, find_workspace_root, load_config_file

__all__ = ["Config", "ConfigFile", "find_workspace_root", "load_config_file", "parse_config"]
