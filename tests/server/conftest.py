"""pytest configuration for the language-server tests: the harness is importable, and every
coroutine test here runs under pytest-asyncio whatever the project-wide asyncio mode is."""

import inspect
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        function = getattr(item, "function", None)
        if (function is not None and inspect.iscoroutinefunction(function) and here in Path(item.path).parents
                and item.get_closest_marker("asyncio") is None):
            item.add_marker(pytest.mark.asyncio)
