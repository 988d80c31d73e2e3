"""Every number the phase engine uses, with the defaults of DESIGN.md §5.1, §5.3 and §5.4.

One frozen object so that the engine stays a pure function of (episode, rules, day), and a
physiotherapist's different thresholds are a settings change, not a code change. The ladder's
sessions are content (resources/plan.toml); ``ladder_minutes`` is filled from it by the caller
and defaults to the §5.3 table so that the engine also works without the content loaded.
"""

from __future__ import annotations

import dataclasses
import math
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
        """Build rules from stored or imported settings, keeping defaults for anything absent.

        Every value is checked (see :func:`validate_rules`): a file must never be able to
        switch the safety gate off or crash the engine. Settings written by engine v1 that v2
        no longer has (the workload ratio's) are dropped. Raises ValidationError naming the
        first bad field, e.g. ``rules.gate_window_days``.
        """
        return validate_rules(data, cls())

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


LIMITS: dict[str, tuple[float, float]] = {
    "min_days": (1, 365),                   # G1: at least one day in every phase
    "advance_threshold": (0, 10),           # G3: a pain score
    "evidence_days": (0, 365),
    "gate_window_days": (1, 28),            # G2: at least the day itself
    "gate_rise_tolerance": (0, 10),
    "ready_test_window_days": (1, 28),
    "regress_activity_pain_above": (0, 10),
    "flare_rise": (1, 10),
    "flare_floor": (0, 10),
    "morning_rising_days": (2, 28),
    "morning_floor": (0, 10),
    "pause_risk_count": (1, 10),
    "ladder_minutes": (1, 240),
    "ladder_from_full_stage": (1, 9),
    "ladder_setback_stages": (1, 9),
    "ladder_setback_floor": (0, 9),
    "ladder_setback_window_days": (1, 28),
    "ladder_bad_pain": (0, 10),
    "ladder_bad_morning_rise": (0, 10),
    "ladder_good_pain": (0, 10),
    "ladder_good_morning_rise": (0, 10),
    "ladder_good_morning": (0, 10),
    "ladder_done_fraction": (0.0, 1.0),
    "layoff_days": (1, 365),
    "stage_caution_factor": (1.0, 10.0),
    "spike_factor": (1.0, 10.0),
    "spike_lookback_days": (1, 365),
    "weekly_rise_factor": (1.0, 10.0),
    "guide_baseline_fraction": (0.0, 1.0),
    "guide_first_factor": (1.0, 10.0),
    "guide_growth": (1.0, 10.0),
    "guide_tolerated_fraction": (0.0, 1.0),
    "clinician_after_days": (1, 3650),
    "clinician_min_drop_points": (0, 10),
    "clinician_min_drop_fraction": (0, 1),
    "clinician_mean_floor": (0, 10),
    "high_pain_mean": (0, 10),
    "rising_points": (0, 10),
    "episode_review_days": (1, 3650),
    "notice_every_days": (1, 365),
    "recovered_days": (1, 365),
    "recovered_worst": (0, 10),
}
"""Allowed ranges of the settings whose meaning needs one. A setting not listed is checked by
the type of its default: whole numbers 0–3650 (days and counts), decimals 0–100, yes/no."""

_GENERIC: dict[type, tuple[float, float]] = {int: (0, 3650), float: (0, 100)}


def validate_rules(data: Mapping[str, Any], defaults: Rules | None = None) -> Rules:
    """Check settings against the fields of :class:`Rules` and return the rules they make.

    Generic over the fields: each value must have the shape of its default (a number, a
    yes/no, a table with the same phases, a list of the same length, a set of known ids) and
    lie in its range (``LIMITS`` or the type's own). Used by JSON import, by the store when it
    reads its settings and by the Preferences dialog.
    """
    defaults = defaults or Rules()
    if not isinstance(data, Mapping):
        raise ValidationError("rules", data, "an object of named settings")
    fields = {f.name: f for f in dataclasses.fields(Rules)}
    values = {k: v for k, v in data.items() if k not in _RETIRED}
    unknown = sorted(str(k) for k in values if k not in fields)
    if unknown:
        raise ValidationError("setting", unknown[0], "one of " + ", ".join(sorted(fields)))
    checked = {name: _checked(f"rules.{name}", value, getattr(defaults, name), LIMITS.get(name))
               for name, value in values.items()}
    return dataclasses.replace(defaults, **checked)


def _checked(field: str, value: Any, default: Any,
             limits: tuple[float, float] | None) -> Any:
    """``value`` in the shape of ``default`` and within ``limits``, else ValidationError."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValidationError(field, value, "true or false")
        return value
    if isinstance(default, Mapping):
        if not isinstance(value, Mapping) or set(value) != set(default):
            raise ValidationError(field, value, "a table with a value for each of "
                                  + ", ".join(default))
        return {key: _checked(f"{field}.{key}", item, default[key], limits)
                for key, item in value.items()}
    if isinstance(default, frozenset):
        if not isinstance(value, list | tuple | set | frozenset) or not all(
                isinstance(item, str) for item in value):
            raise ValidationError(field, value, "a list of ids")
        return frozenset(value)
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or len(value) != len(default):
            raise ValidationError(field, value, f"a list of {len(default)} numbers")
        return tuple(_checked(f"{field}[{i}]", item, default[i], limits)
                     for i, item in enumerate(value))
    if isinstance(default, int | float):
        low, high = limits or _GENERIC[type(default)]
        whole = isinstance(default, int)
        ok_type = (isinstance(value, int) if whole else isinstance(value, int | float))
        if (isinstance(value, bool) or not ok_type or not math.isfinite(value)
                or not low <= value <= high):
            kind = "a whole number" if whole else "a number"
            raise ValidationError(field, value, f"{kind} from {low:g} to {high:g}")
        return value if whole else float(value)
    if not isinstance(value, type(default)):
        raise ValidationError(field, value, f"a value like {default!r}")
    return value
