"""Every number the phase engine uses, with the defaults of DESIGN.md §5.1.

One frozen object so that the engine stays a pure function of (episode, rules, day), and a
physiotherapist's different thresholds are a settings change, not a code change.
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
        """Build rules from stored or imported settings, keeping defaults for anything absent.

        Every value is checked (see :func:`validate_rules`): a file must never be able to
        switch the safety gate off or crash the engine. Raises ValidationError naming the
        first bad field, e.g. ``rules.gate_window_days``.
        """
        return validate_rules(data, cls())


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    return value


LIMITS: dict[str, tuple[float, float]] = {
    "min_days": (1, 365),                   # G1: at least one day in every phase
    "advance_threshold": (0, 10),           # G3: a pain score
    "evidence_days": (0, 365),
    "gate_window_days": (1, 28),            # G2: at least the day itself
    "regress_activity_pain_above": (0, 10),
    "flare_rise": (1, 10),
    "morning_rising_days": (1, 28),
    "spike_factor": (1.0, 10.0),
    "spike_lookback_days": (1, 365),
    "weekly_rise_factor": (1.0, 10.0),
    "ratio_warn_above": (0.1, 10.0),
    "ratio_bands": (0.1, 10.0),
    "clinician_after_days": (1, 3650),
    "clinician_min_drop_points": (0, 10),
    "clinician_min_drop_fraction": (0, 1),
    "episode_review_days": (1, 3650),
}
"""Allowed ranges of the settings whose meaning needs one. A setting not listed is checked by
the type of its default: whole numbers 0–3650 (days and counts), decimals 0–100, yes/no."""

_GENERIC: dict[type, tuple[float, float]] = {int: (0, 3650), float: (0, 100)}


def validate_rules(data: Mapping[str, Any], defaults: Rules | None = None) -> Rules:
    """Check settings against the fields of :class:`Rules` and return the rules they make.

    Generic over the fields: each value must have the shape of its default (a number, a
    yes/no, a table with the same phases, a list of the same length) and lie in its range
    (``LIMITS`` or the type's own). Relations: the workload bands must rise. Used by JSON
    import, by the store when it reads its settings and by the Preferences dialog.
    """
    defaults = defaults or Rules()
    if not isinstance(data, Mapping):
        raise ValidationError("rules", data, "an object of named settings")
    fields = {f.name: f for f in dataclasses.fields(Rules)}
    unknown = sorted(str(k) for k in data if k not in fields)
    if unknown:
        raise ValidationError("setting", unknown[0], "one of " + ", ".join(sorted(fields)))
    values: dict[str, Any] = {}
    for name, value in data.items():
        values[name] = _checked(f"rules.{name}", value, getattr(defaults, name),
                                LIMITS.get(name))
    rules = dataclasses.replace(defaults, **values)
    bands = rules.ratio_bands
    if list(bands) != sorted(bands) or len(set(bands)) != len(bands):
        raise ValidationError("rules.ratio_bands", list(bands), "numbers that rise")
    return rules


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
