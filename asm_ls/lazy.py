"""Modules imported on first use: the language server answers ``initialize`` before the analysis, the assembler
and capstone are loaded (see ARCHITECTURE.md, "Start-up")."""

from __future__ import annotations

import gc
import importlib
import sys
from types import ModuleType


def load(name: str) -> ModuleType:
    """The module ``name``, imported on first use; what that import made (modules, classes, functions: they live as
    long as the process) is then kept out of the cyclic collector's full passes, as ``server/main.py`` does with what
    start-up loaded."""
    fresh = name not in sys.modules
    module = importlib.import_module(name)      # waits for an import under way in another thread
    if fresh:
        gc.freeze()
    return module


class LazyModule:
    """Stands for the module ``name``, imported (under the import system's own lock, so from any thread) when one
    of its attributes is first read."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        module = self._module
        if module is None:
            module = self._module = load(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{'' if self._module is None else ' (loaded)'}>"
