"""Diagnostics: the one record every layer reports problems with, and the registry of codes."""

from asm_ls.diagnostics.diagnostic import Diagnostic, Related

__all__ = ["Diagnostic", "Related"]
