"""asm-ls: a language server and CI checker for Rust inline assembly."""

__version__ = "0.1.0"
