"""The data a runner records, and the rules that keep it sane (DESIGN.md §3, §4).

Everything here is plain data. Validation lives next to the data so that the store, the
command line, the importers and the window all refuse the same things with the same words.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recoverydesk.core.psfs import PsfsScore

PHASES: tuple[str, ...] = ("rest", "walk", "low_impact", "run", "full")
"""Phase ids in plan order. Display names and content live in resources/plan.toml."""

KINDS: tuple[str, ...] = (
    "walk", "run", "swim", "cycle", "elliptical", "yoga", "pilates", "strength", "other",
)
MAX_CADENCE_SPM = 300
"""No runner takes five steps a second; a larger average is a damaged file."""

SOURCES: tuple[str, ...] = ("manual", "gpx", "tcx", "fit", "csv")
RED_FLAGS: tuple[str, ...] = (
    "bladder_bowel", "saddle_numbness", "sexual_function", "both_legs", "major_trauma",
    "chest_pain", "weakness", "fever", "trauma", "lump", "numbness", "radiating_pain",
    "constant_pain", "bone_stress",
)
"""Red-flag ids (§4), most urgent first. Their tiers and the texts a runner reads live in
resources/red_flags.toml; the engine treats every id alike (any red flag pauses)."""
RISKS: tuple[str, ...] = (
    "cancer_history", "weight_loss", "immune", "age_onset", "steroids", "osteoporosis", "energy",
)
"""Risk-screen question ids (§4.1). Questions, levels and reasons live in
resources/risk_screen.toml; which ones pause is the ``Rules.pause_risks`` setting."""
ACTION_KINDS: tuple[str, ...] = ("advance", "clearance", "ready", "screen")
UNITS: tuple[str, ...] = ("km", "mi")
BODY_SITES: tuple[str, ...] = (
    "low_back_left", "low_back_centre", "low_back_right", "buttock_left", "buttock_right",
    "thigh_left", "thigh_right", "below_knee_left", "below_knee_right",
)
"""Body-map region ids (§3), back to feet. Their names live in resources/outcomes.toml."""
BELOW_KNEE_SITES: frozenset[str] = frozenset({"below_knee_left", "below_knee_right"})
MAX_STIFFNESS_MIN = 240

EARLIEST_DATE = datetime.date(1990, 1, 1)
MAX_DISTANCE_M = 300_000.0
MAX_DURATION_S = 24 * 3600.0
MAX_NOTES = 10_000
METRES_PER_UNIT = {"km": 1000.0, "mi": 1609.344}


class ValidationError(ValueError):
    """Bad input, refused before anything is written.

    Attributes:
        field: The name of the field as the user knows it (``pain``, ``distance``…).
        value: What was given.
        allowed: The rule it broke, in words ("a whole number from 0 to 10").
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not allowed; it must be {allowed}")


@dataclasses.dataclass(frozen=True, slots=True)
class Activity:
    """One session of movement on a day: typed by hand or read from a file.

    Distances are metres and durations seconds; km or miles is only a display choice.
    ``duration_s`` is the moving (or timer) time, ``elapsed_s`` first to last sample.
    """

    day: datetime.date
    kind: str
    distance_m: float | None = None
    duration_s: float | None = None
    pain: int | None = None
    start_time: datetime.datetime | None = None
    elapsed_s: float | None = None
    source: str = "manual"
    file_sha256: str | None = None
    id: int | None = None
    """The store's row id; None until stored."""
    cadence_spm: float | None = None
    """Average running cadence in steps a minute, from the file; None when not recorded."""


@dataclasses.dataclass(frozen=True, slots=True)
class DayLog:
    """A day's entry (§3). A day counts as *logged* for the engine when one exists."""

    day: datetime.date
    pain: int
    pain_activity: int | None = None
    pain_morning: int | None = None
    red_flags: frozenset[str] = frozenset()
    sleep_hours: float | None = None
    heat_ice_min: int | None = None
    notes: str = ""
    leg_pain: int | None = None
    """Worst leg pain today, apart from the back (nerve-root pain has its own scale)."""
    stiffness_min: int | None = None
    """Minutes of stiffness after getting up."""
    pain_sites: frozenset[str] = frozenset()
    """Where it hurt: body-map ids (BODY_SITES)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    """Something the user did to the plan on a day (§5.1): ``advance``, ``clearance`` (with a
    note), ``ready`` (a passed ready-to-run test) or ``screen`` (the risk screen's answers on
    that day: ``risks`` holds the ids answered yes, empty for a screen with no yes)."""

    day: datetime.date
    kind: str
    note: str = ""
    risks: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True, slots=True)
class EpisodeInfo:
    """The settings of one episode of back pain, chosen at first run."""

    start: datetime.date
    units: str = "km"
    baseline_weekly_m: float | None = None
    notes: str = ""
    id: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Episode:
    """Everything the engine needs to replay one episode, already loaded from the store."""

    info: EpisodeInfo
    logs: Mapping[datetime.date, DayLog]
    activities: tuple[Activity, ...] = ()
    actions: tuple[Action, ...] = ()
    psfs_scores: tuple[PsfsScore, ...] = ()
    """The weekly function scores (§3.1), for the PSFS notices only."""
    onset_before_45: bool | None = None
    """Whether the pain first began before 45 (the stiffness notice of §5.1)."""

    @property
    def start(self) -> datetime.date:
        return self.info.start

    def activities_on(self, day: datetime.date) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.day == day)

    def pain_activity(self, day: datetime.date) -> int | None:
        """The day's activity pain: as entered, else the largest pain given on its activities."""
        log = self.logs.get(day)
        if log is not None and log.pain_activity is not None:
            return log.pain_activity
        pains = [a.pain for a in self.activities if a.day == day and a.pain is not None]
        return max(pains) if pains else None

    def worst(self, day: datetime.date) -> int | None:
        """worst(D) of §3: the largest pain score present on a logged day, else None."""
        log = self.logs.get(day)
        if log is None:
            return None
        scores = [log.pain, self.pain_activity(day), log.pain_morning]
        return max(s for s in scores if s is not None)


# --- validation -----------------------------------------------------------------------------

def _check_int(field: str, value: Any, low: int, high: int, *, optional: bool) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        range_words = f"a whole number from {low} to {high}"
        raise ValidationError(field, value, range_words + (" or empty" if optional else ""))


def _check_number(field: str, value: Any, low: float, high: float, *, low_open: bool = False,
                  unit: str = "") -> None:
    if value is None:
        return
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if ok:
        ok = (low < value if low_open else low <= value) and value <= high
    if not ok:
        lower = f"more than {low:g}" if low_open else f"at least {low:g}"
        raise ValidationError(field, value, f"{lower} and at most {high:g}{unit}, or empty")


def check_date(field: str, day: Any, today: datetime.date) -> None:
    """Refuse dates before 1990 or after today (§3)."""
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ValidationError(field, day, "a date (YYYY-MM-DD)")
    if not EARLIEST_DATE <= day <= today:
        raise ValidationError(
            field, day.isoformat(),
            f"a date from {EARLIEST_DATE.isoformat()} to today ({today.isoformat()})",
        )


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(field: str, text: str, today: datetime.date) -> datetime.date:
    """Read a date typed as YYYY-MM-DD (a CLI option, a CSV cell) and check it as §3 does."""
    text = text.strip()
    try:
        # Exactly YYYY-MM-DD in ASCII digits: fromisoformat also takes week dates
        # (2026-W43-7) and other forms that are not what the runner is told to type.
        day = datetime.date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(field, text, "a date as YYYY-MM-DD")
    check_date(field, day, today)
    return day


def validate_day(log: DayLog, today: datetime.date) -> None:
    """Raise ValidationError for the first field of ``log`` that breaks §3."""
    check_date("date", log.day, today)
    _check_int("pain", log.pain, 0, 10, optional=False)
    _check_int("pain_activity", log.pain_activity, 0, 10, optional=True)
    _check_int("pain_morning", log.pain_morning, 0, 10, optional=True)
    unknown = sorted(set(log.red_flags) - set(RED_FLAGS))
    if unknown:
        raise ValidationError("red_flag", unknown[0], "one of " + ", ".join(RED_FLAGS))
    _check_number("sleep_hours", log.sleep_hours, 0, 24, unit=" hours")
    _check_int("heat_ice_min", log.heat_ice_min, 0, 240, optional=True)
    if not isinstance(log.notes, str) or len(log.notes) > MAX_NOTES:
        raise ValidationError("notes", f"{len(log.notes)} characters",
                              f"at most {MAX_NOTES:,} characters")
    _check_int("leg_pain", log.leg_pain, 0, 10, optional=True)
    _check_int("stiffness_min", log.stiffness_min, 0, MAX_STIFFNESS_MIN, optional=True)
    parse_pain_sites(log.pain_sites)


def validate_activity(activity: Activity, today: datetime.date) -> None:
    """Raise ValidationError for the first field of ``activity`` that breaks §3."""
    check_date("date", activity.day, today)
    if activity.kind not in KINDS:
        raise ValidationError("kind", activity.kind, "one of " + ", ".join(KINDS))
    _check_number("distance", activity.distance_m, 0, MAX_DISTANCE_M, unit=" metres")
    _check_number("duration", activity.duration_s, 0, MAX_DURATION_S, low_open=True,
                  unit=" seconds")
    _check_number("elapsed", activity.elapsed_s, 0, 7 * MAX_DURATION_S, unit=" seconds")
    _check_int("activity pain", activity.pain, 0, 10, optional=True)
    _check_number("cadence", activity.cadence_spm, 0, MAX_CADENCE_SPM, low_open=True,
                  unit=" steps a minute")
    if activity.source not in SOURCES:
        raise ValidationError("source", activity.source, "one of " + ", ".join(SOURCES))
    if activity.start_time is not None and activity.start_time.tzinfo is None:
        raise ValidationError("start_time", activity.start_time.isoformat(),
                              "a time with its UTC offset")


def validate_info(info: EpisodeInfo, today: datetime.date) -> None:
    check_date("start date", info.start, today)
    if info.units not in UNITS:
        raise ValidationError("units", info.units, "km or mi")
    _check_number("weekly distance", info.baseline_weekly_m, 0, 7 * MAX_DISTANCE_M,
                  unit=" metres")


def validate_action(action: Action, today: datetime.date) -> None:
    check_date("date", action.day, today)
    if action.kind not in ACTION_KINDS:
        raise ValidationError("action", action.kind, "one of " + ", ".join(ACTION_KINDS))
    parse_risks(action.risks)
    if action.risks and action.kind != "screen":
        raise ValidationError("risk", sorted(action.risks)[0], "given only with a risk screen")
    if action.kind == "clearance" and not action.note.strip():
        raise ValidationError("note", action.note,
                              "a few words on who cleared you (e.g. 'seen by GP, cleared')")


# --- units ----------------------------------------------------------------------------------

def to_metres(distance: float, units: str) -> float:
    return distance * METRES_PER_UNIT[units]


def from_metres(metres: float, units: str) -> float:
    return metres / METRES_PER_UNIT[units]


def describe_activity(activity: Activity, units: str) -> str:
    """Short words for one activity, e.g. "run 3.2 km 24:10" (distance in ``units``, the
    time on a clock as everywhere: mm:ss, or h:mm:ss from an hour)."""
    from recoverydesk.core import words  # words reads this module's kinds

    parts = [activity.kind]
    if activity.distance_m:
        parts.append(words.distance_text(activity.distance_m, units))
    if activity.duration_s:
        parts.append(words.duration_text(activity.duration_s))
    return " ".join(parts)


def parse_red_flags(text: str | Iterable[str]) -> frozenset[str]:
    """Read red flags from a ``;``-separated cell or a list, refusing unknown ids."""
    return _parse_ids(text, RED_FLAGS, "red_flag")


def parse_risks(text: str | Iterable[str]) -> frozenset[str]:
    """Read risk-screen yes answers from a ``;``-separated cell or a list, refusing unknown
    ids with the known ones named (§9: exit 2)."""
    return _parse_ids(text, RISKS, "risk")


def _parse_ids(text: str | Iterable[str], known: Sequence[str], field: str) -> frozenset[str]:
    items = text.split(";") if isinstance(text, str) else list(text)
    ids = frozenset(i.strip() for i in items if i.strip())
    unknown = sorted(ids - set(known))
    if unknown:
        raise ValidationError(field, unknown[0], "one of " + ", ".join(known))
    return ids


def parse_pain_sites(text: str | Iterable[str]) -> frozenset[str]:
    """Read body-map ids from a ``;``-separated cell or a list, refusing unknown ids with the
    known ones named."""
    return _parse_ids(text, BODY_SITES, "pain_sites")


def below_knee(sites: Iterable[str]) -> int:
    """How many legs the pain reached below the knee on (0, 1 or 2): the body map's
    suggestion of §3 points at one red flag for one leg and another for both."""
    return len(BELOW_KNEE_SITES.intersection(sites))
