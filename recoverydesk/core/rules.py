"""Every number the phase engine uses, with the defaults of DESIGN.md §5.1, §5.3 and §5.4.

One frozen object so that the engine stays a pure function of (episode, rules, day), and a
physiotherapist's different thresholds are a settings change, not a code change. The ladder's
sessions are content (resources/plan.toml); ``ladder_minutes`` is filled from it by the caller
and defaults to the §5.3 table so that the engine also works without the content loaded.
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
    advance_threshold: Mapping[str, int] = dataclasses.field(            # G3
        default_factory=lambda: _per_phase(rest=4, walk=3, low_impact=2, run=3))
    evidence_days: Mapping[str, int] = dataclasses.field(                # G5
        default_factory=lambda: _per_phase(rest=0, walk=2, low_impact=3))
    gate_window_days: int = 3                  # G2
    gate_rise_tolerance: int = 1               # G4: worst(D) - worst(D-2) allowed
    ready_test_window_days: int = 7            # G6: a pass in D-6..D
    regress_activity_pain_above: int = 5       # R1
    flare_rise: int = 3                        # R2: daily(D) - daily(D-1) at least this...
    flare_floor: int = 5                       # R2: ...and daily(D) at least this
    morning_rising_days: int = 3               # R3
    morning_floor: int = 3                     # R3: m(D) at least this
    pause_risks: frozenset[str] = frozenset({"cancer_history", "weight_loss", "immune"})
    pause_risk_count: int = 2                  # §4.1: this many yes answers pause
    # The ladder (§5.3).
    ladder_minutes: tuple[int, ...] = (18, 20, 25, 25, 28, 27, 26, 15, 20)
    ladder_from_full_stage: int = 6
    ladder_setback_stages: int = 2
    ladder_setback_floor: int = 2              # at or below this stage a setback is a phase
    ladder_setback_window_days: int = 7        # a second setback in D-6..D-1 is a phase
    ladder_bad_pain: int = 6                   # P at least this: went badly
    ladder_bad_morning_rise: int = 2           # M >= B + this: went badly
    ladder_good_pain: int = 3                  # P at most this...
    ladder_good_morning_rise: int = 1          # ...M <= B + this...
    ladder_good_morning: int = 3               # ...and M at most this: went well
    ladder_done_fraction: float = 0.80         # a session counts when this much was run
    layoff_days: int = 7                       # rule 0: each further full week without a run
    # Load cautions (§5.1) and the weekly guide (§5.4).
    stage_caution_factor: float = 1.25
    spike_factor: float = 1.10
    spike_lookback_days: int = 30
    weekly_rise_factor: float = 1.30
    guide_baseline_fraction: float = 0.5
    guide_first_factor: float = 1.30
    guide_growth: float = 1.10
    guide_tolerated_fraction: float = 0.75
    guide_ladder_notice_weeks: int = 4
    # Notices (§5.1).
    clinician_after_days: int = 42
    clinician_min_drop_points: float = 2.0
    clinician_min_drop_fraction: float = 0.30
    clinician_mean_floor: float = 3.0
    high_pain_from_day: int = 28
    high_pain_mean: float = 5.0
    rising_points: float = 2.0
    rising_lookback_days: int = 14
    episode_review_days: int = 90
    notice_every_days: int = 7
    recovered_days: int = 14
    recovered_worst: int = 1
    auto_advance: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rules:
        """Build rules from stored settings, keeping defaults for anything absent.

        Settings written by engine v1 that v2 no longer has (the workload ratio's) are dropped.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k not in _RETIRED}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError("setting", unknown[0], "one of " + ", ".join(sorted(known)))
        if "ladder_minutes" in values:
            values["ladder_minutes"] = tuple(values["ladder_minutes"])
        if "pause_risks" in values:
            values["pause_risks"] = frozenset(values["pause_risks"])
        return cls(**values)

    def with_ladder(self, minutes: tuple[int, ...]) -> Rules:
        """These rules with the ladder's session minutes from the plan content."""
        return dataclasses.replace(self, ladder_minutes=tuple(minutes))


_RETIRED = frozenset({"ratio_warn_above", "ratio_bands", "morning_rising_days_v1"})


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, frozenset):
        return sorted(value)
    return value
