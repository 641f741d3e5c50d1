import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def asm_ls_wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once per test session (tests/install/fresh_install.py)."""
    from install.fresh_install import build_wheel
    return build_wheel(tmp_path_factory.mktemp("wheel"))
