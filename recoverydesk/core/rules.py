"""Every number the phase engine uses, with the defaults of DESIGN.md §5.1.

One frozen object so that the engine stays a pure function of (episode, rules, day), and a
physiotherapist's different thresholds are a settings change, not a code change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from recoverydesk.core.model import ValidationError


def _per_phase(**values: int) -> Mapping[str, int]:
    return dict(values)


@dataclasses.dataclass(frozen=True, slots=True)
class Rules:
    """Thresholds of §5.1. Per-phase maps are keyed by phase id."""

    min_days: Mapping[str, int] = dataclasses.field(
        default_factory=lambda: _per_phase(rest=3, walk=4, low_impact=7, run=7))
    advance_threshold: Mapping[str, int] = dataclasses.field(
        default_factory=lambda: _per_phase(rest=3, walk=3, low_impact=2, run=2))
    evidence_days: Mapping[str, int] = dataclasses.field(
        default_factory=lambda: _per_phase(rest=0, walk=2, low_impact=3, run=3))
    gate_window_days: int = 3
    regress_activity_pain_above: int = 5       # R1
    flare_rise: int = 3                        # R2
    morning_rising_days: int = 3               # R3
    spike_factor: float = 1.10                 # single run vs the longest of the last 30 days
    spike_lookback_days: int = 30
    weekly_rise_factor: float = 1.30           # 7-day distance vs the 7 days before
    ratio_warn_above: float = 1.5              # acute:chronic workload ratio
    ratio_bands: tuple[float, float, float] = (0.8, 1.3, 1.5)
    clinician_after_days: int = 42
    clinician_min_drop_points: float = 2.0
    clinician_min_drop_fraction: float = 0.30
    episode_review_days: int = 90
    auto_advance: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        """Build rules from stored settings, keeping defaults for anything absent."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError("setting", unknown[0], "one of " + ", ".join(sorted(known)))
        values = dict(data)
        if "ratio_bands" in values:
            values["ratio_bands"] = tuple(values["ratio_bands"])
        return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    return value
