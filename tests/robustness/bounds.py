"""The campaign's bounds: hypothesis runs a fixed set of examples (``derandomize``: the same ones on every run, so
CI is reproducible and a failure replays), ``ASM_LS_FUZZ_SCALE=N`` runs N times as many on demand."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings


def scale() -> int:
    return max(1, int(os.environ.get("ASM_LS_FUZZ_SCALE", "1")))


def bounded(examples: int, shrink: bool = True) -> settings:
    """Settings for a property test that runs ``examples`` examples in CI.  ``shrink=False`` reports a failing
    example as found, for tests whose examples are too costly to shrink within CI's time (a server per example)."""
    phases = list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(max_examples=examples * scale(), derandomize=True, deadline=None, database=None, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
