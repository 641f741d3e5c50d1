"""The campaign's bounds: hypothesis runs a fixed set of examples (``derandomize``: the same ones on every run, so
CI is reproducible and a failure replays), ``ASM_LS_FUZZ_SCALE=N`` runs N times as many on demand."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def scale() -> int:
    return max(1, int(os.environ.get("ASM_LS_FUZZ_SCALE", "1")))


def bounded(examples: int) -> settings:
    """Settings for a property test that runs ``examples`` examples in CI."""
    return settings(max_examples=examples * scale(), derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
