"""Lengths: everything inside kaartspel is in PDF points; users speak millimetres."""

from __future__ import annotations

MM = 72.0 / 25.4


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * MM


def to_mm(points: float) -> float:
    return points / MM
