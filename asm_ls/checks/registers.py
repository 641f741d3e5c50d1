"""Register operands against the architecture data (placeholder until the data lands)."""

from __future__ import annotations


def check_registers(resolved, target):
    return []
