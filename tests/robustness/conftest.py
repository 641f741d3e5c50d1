"""pytest configuration for the robustness campaign: the language-server harness (``tests/server``) and the fuzz
engine (``tools/fuzz.py``) are importable from the tests here."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for extra in (HERE, HERE.parent / "server", HERE.parents[1] / "tools"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))
