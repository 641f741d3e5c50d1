"""pytest configuration for the language-server tests.

Every test module here marks itself ``pytest.mark.asyncio`` (with its loop scope), so the suite
runs under pytest-asyncio's default strict mode and under ``asyncio_mode = "auto"`` alike.  The
harness module beside this file is made importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
