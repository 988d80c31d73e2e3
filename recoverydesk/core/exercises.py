"""The exercise library: shipped TOML content, checked once at load (DESIGN.md §1, §2).

Each exercise lives in ``resources/exercises/<id>.toml`` with its drawing in
``resources/illustrations/``. Content is data so a physiotherapist can change a dose or a
caution without touching code; it is validated strictly at start-up because a typo in a dose
("hold_s = 2000") would otherwise reach a runner with a sore back as advice. Every problem is
refused with a message that names the file and the field, so the fix is obvious.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
import types
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from recoverydesk.core import shipped
from recoverydesk.core.model import PHASES
from recoverydesk.core.plan import ContentError

CATEGORIES: tuple[str, ...] = ("mobility", "stretch", "strength", "balance", "drill", "cardio")
"""What kind of work an exercise is; the Exercises view groups and labels by it."""

TARGETS: tuple[str, ...] = (
    "lower_back", "core", "glutes", "hips", "hamstrings", "quadriceps", "calves", "whole_body",
)
"""The body areas the Exercises view can filter on. A fixed list keeps filters meaningful."""

FIELDS: tuple[str, ...] = (
    "id", "name", "phases", "category", "targets", "muscles", "equipment", "dose", "steps",
    "cues", "cautions", "illustration",
)
"""Every key an exercise file must have, and the only keys it may have."""

# Sane ranges for a dose. They are wide enough for any reasonable prescription and narrow
# enough to catch a slipped digit.
SETS_RANGE = (1, 10)
REPS_RANGE = (1, 50)
HOLD_RANGE = (5, 300)
MINUTES_RANGE = (1, 120)
REST_RANGE = (0, 300)

_ID_RE = re.compile(r"[a-z][a-z0-9_]*")
_DAYS_RE = re.compile(r"(?P<first>[0-9]+)(?:-(?P<last>[0-9]+)|(?P<open>\+))?")
_SVG_TAGS = ("svg", "{http://www.w3.org/2000/svg}svg")
_MAX_TEXT = 200
"""Longest step, cue or caution: each is one short sentence read mid-exercise."""


class ExerciseContentError(ContentError):
    """Exercise content is broken; the app refuses to start with it.

    A ContentError like the plan's, so one ``except ContentError`` at start-up covers all
    shipped content. The message reads ``exercises/plank.toml: 'steps' must have 3 to 6 items``.

    Attributes:
        file: The file, relative to the resources folder (``exercises/plank.toml``).
        field: The offending key (``steps``, ``dose.walk.reps``), or None when the file as a
            whole is unreadable.
        problem: What is wrong, in words.
    """

    def __init__(self, file: str, field: str | None, problem: str) -> None:
        super().__init__(file, f"'{field}' {problem}" if field else problem, field)
        self.problem = problem


@dataclasses.dataclass(frozen=True, slots=True)
class Dose:
    """How much of an exercise one phase asks for.

    Exactly one shape is set: ``sets`` × ``reps`` (repetitions), ``hold_s`` × ``reps``
    (holds of so many seconds, repeated), or ``minutes`` (a continuous session). ``rest_s``
    is the pause between sets or holds, when the content gives one.
    """

    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    rest_s: int | None = None

    @property
    def kind(self) -> str:
        """``reps``, ``hold`` or ``minutes``: tells guided mode to count reps or count down."""
        if self.minutes is not None:
            return "minutes"
        if self.hold_s is not None:
            return "hold"
        return "reps"

    def describe(self) -> str:
        """Say the dose the way a physiotherapist writes it: "3 × 10", "hold 20 s × 3", "20 min"."""
        if self.minutes is not None:
            return f"{self.minutes} min"
        if self.hold_s is not None:
            return f"hold {self.hold_s} s" + (f" × {self.reps}" if self.reps != 1 else "")
        return f"{self.sets} × {self.reps}"


@dataclasses.dataclass(frozen=True, slots=True)
class DayDose:
    """A dose for some days of a phase, when the plan builds up day by day (walk 10 → 30 min).

    ``first_day`` counts from 1 within the phase; ``last_day`` is None for "and every later day".
    """

    first_day: int
    last_day: int | None
    dose: Dose

    def covers(self, phase_day: int) -> bool:
        return self.first_day <= phase_day and (self.last_day is None or phase_day <= self.last_day)


@dataclasses.dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of the library, as validated from its TOML file.

    ``phases``, ``targets`` and ``doses`` keep the plan order of PHASES and the order of TARGETS,
    whatever order the file used, so the window lists them the same way every time.
    ``doses`` holds one dose per phase: for a dose that builds up day by day, the one the phase
    starts with (what a runner meets next); ``day_doses`` holds the day-by-day steps of the
    phases that have them, so guided mode times what the calendar says on each day.
    """

    id: str
    name: str
    phases: tuple[str, ...]
    category: str
    targets: tuple[str, ...]
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    doses: Mapping[str, Dose] = dataclasses.field(hash=False)
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    cautions: tuple[str, ...]
    illustration: str
    day_doses: Mapping[str, tuple[DayDose, ...]] = dataclasses.field(
        default_factory=lambda: types.MappingProxyType({}), hash=False)

    def dose_for(self, phase: str, phase_day: int | None = None) -> Dose | None:
        """The dose for ``phase`` (on ``phase_day``, counting from 1, when the dose builds up
        day by day), or None when the exercise is not part of that phase."""
        if phase_day is not None:
            for step in self.day_doses.get(phase, ()):
                if step.covers(phase_day):
                    return step.dose
        return self.doses.get(phase)


class Library:
    """All exercises, in a stable order: by the first phase they belong to, then category, then
    name, so the list reads like the plan itself (gentle mobility first, drills last)."""

    __slots__ = ("_by_id", "_exercises", "_root")

    def __init__(self, exercises: Iterable[Exercise], root: Traversable) -> None:
        def order(e: Exercise) -> tuple[int, int, str]:
            return PHASES.index(e.phases[0]), CATEGORIES.index(e.category), e.name.casefold()

        self._exercises = tuple(sorted(exercises, key=order))
        self._by_id = {e.id: e for e in self._exercises}
        self._root = root

    def __len__(self) -> int:
        return len(self._exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def all(self) -> tuple[Exercise, ...]:
        return self._exercises

    def ids(self) -> frozenset[str]:
        """Every exercise id; the plan checks its references against these."""
        return frozenset(self._by_id)

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; KeyError names an unknown id (a content bug elsewhere)."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise KeyError(f"unknown exercise {exercise_id!r}") from None

    def require(self, exercise_ids: Iterable[str], source: str) -> None:
        """Refuse content in ``source`` (e.g. ``plan.toml``) that points to missing exercises.

        The plan and the library are edited separately; checking at start-up turns a renamed
        exercise into a clear error instead of a dead link in the Today view.
        """
        unknown = sorted(set(exercise_ids) - self._by_id.keys())
        if unknown:
            raise ExerciseContentError(
                source, "exercises", "names unknown exercise " + ", ".join(map(repr, unknown)))

    def filter(self, phase: str | None = None, target: str | None = None,
               text: str = "") -> tuple[Exercise, ...]:
        """The exercises that match every given criterion, in library order.

        ``text`` is matched case-insensitively anywhere in the name, so "bridge" finds both
        glute bridges. An unknown phase or target is a programming error and raises ValueError
        rather than quietly showing an empty list.
        """
        if phase is not None and phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(PHASES)}")
        if target is not None and target not in TARGETS:
            raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
        needle = " ".join(text.split()).casefold()
        return tuple(
            e for e in self._exercises
            if (phase is None or phase in e.phases)
            and (target is None or target in e.targets)
            and needle in e.name.casefold()
        )

    def illustration_path(self, exercise: Exercise) -> Traversable:
        """Where the exercise's SVG lives; a real Path for the shipped library in a wheel or
        a checkout, which QSvgRenderer can open by name."""
        return self._root.joinpath("illustrations", exercise.illustration)


def load_library(root: Traversable | Path | str | None = None) -> Library:
    """Load and check every exercise under ``root`` (default: the shipped resources).

    The shipped library is read once per process and cached; pass ``root`` (a folder holding
    ``exercises/`` and ``illustrations/``) to load other content, as the tests do.
    Raises ExerciseContentError naming the file and field of the first problem found.
    """
    if root is None:
        return _shipped_library()
    return _load(Path(root) if isinstance(root, str) else root)


@functools.cache
def _shipped_library() -> Library:
    return _load(shipped.ROOT)


def _load(root: Traversable) -> Library:
    folder = root.joinpath("exercises")
    if not folder.is_dir():
        raise ExerciseContentError("exercises", None, "the folder is missing")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")),
                   key=lambda f: f.name)
    if not files:
        raise ExerciseContentError("exercises", None, "the folder holds no .toml files")
    return Library((_read_exercise(root, f) for f in files), root)


# --- validation -----------------------------------------------------------------------------

class _Checker:
    """Reads one file's fields, raising with the file's name on the first problem."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, field: str | None, problem: str) -> ExerciseContentError:
        return ExerciseContentError(self.path, field, problem)

    def text(self, field: str, value: Any, longest: int = _MAX_TEXT) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be a non-empty string")
        if len(value) > longest:
            raise self.fail(field, f"must be at most {longest} characters")
        return value.strip()

    def choice(self, field: str, value: Any, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(field, f"must be one of {', '.join(allowed)} (got {value!r})")
        return value

    def texts(self, field: str, value: Any, low: int, high: int,
              longest: int = _MAX_TEXT) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(field, "must be a list of strings")
        if not low <= len(value) <= high:
            raise self.fail(field, f"must have {low} to {high} items (has {len(value)})")
        if not all(isinstance(v, str) and v.strip() and len(v) <= longest for v in value):
            raise self.fail(field, f"items must be non-empty strings of at most {longest} "
                                   "characters")
        items = tuple(v.strip() for v in value)
        if len(set(items)) != len(items):
            raise self.fail(field, "must not repeat an item")
        return items

    def choices(self, field: str, value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
        items = self.texts(field, value, 1, len(allowed))
        for item in items:
            self.choice(field, item, allowed)
        return tuple(a for a in allowed if a in items)

    def number(self, field: str, value: Any, bounds: tuple[int, int]) -> int:
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(field, f"must be a whole number from {low} to {high} (got {value!r})")
        return value

    def dose(self, field: str, value: Any) -> Dose:
        if not isinstance(value, dict):
            raise self.fail(field, "must be a table")
        keys = set(value) - {"rest_s"}
        if keys == {"sets", "reps"}:
            dose = Dose(sets=self.number(f"{field}.sets", value["sets"], SETS_RANGE),
                        reps=self.number(f"{field}.reps", value["reps"], REPS_RANGE))
        elif keys == {"hold_s", "reps"}:
            dose = Dose(hold_s=self.number(f"{field}.hold_s", value["hold_s"], HOLD_RANGE),
                        reps=self.number(f"{field}.reps", value["reps"], REPS_RANGE))
        elif keys == {"minutes"}:
            if "rest_s" in value:
                raise self.fail(field, "must not give rest_s with minutes")
            return Dose(minutes=self.number(f"{field}.minutes", value["minutes"], MINUTES_RANGE))
        else:
            raise self.fail(field, "must be exactly one of {sets, reps}, {hold_s, reps} or "
                                   f"{{minutes}}, optionally with rest_s (got {sorted(value)})")
        if "rest_s" in value:
            rest = self.number(f"{field}.rest_s", value["rest_s"], REST_RANGE)
            dose = dataclasses.replace(dose, rest_s=rest)
        return dose


def _read_exercise(root: Traversable, file: Traversable) -> Exercise:
    check = _Checker(f"exercises/{file.name}")
    try:
        data = tomllib.loads(file.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise check.fail(None, f"not valid UTF-8 TOML ({exc})") from exc

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise check.fail(unknown[0], "is not a known field; expected only " + ", ".join(FIELDS))
    for field in FIELDS:
        if field not in data:
            raise check.fail(field, "is missing")

    exercise_id = data["id"]
    stem = file.name.removesuffix(".toml")
    if not isinstance(exercise_id, str) or not _ID_RE.fullmatch(exercise_id):
        raise check.fail("id", "must be lowercase letters, digits and underscores")
    if exercise_id != stem:
        raise check.fail("id", f"must equal the file name {stem!r} (got {exercise_id!r})")

    phases = check.choices("phases", data["phases"], PHASES)
    day_doses = _read_doses(check, data["dose"], phases)
    doses = types.MappingProxyType({p: steps[0].dose for p, steps in day_doses.items()})
    illustration = _check_illustration(check, root, data["illustration"])
    return Exercise(
        id=exercise_id,
        name=check.text("name", data["name"], 60),
        phases=phases,
        category=check.choice("category", data["category"], CATEGORIES),
        targets=check.choices("targets", data["targets"], TARGETS),
        muscles=check.texts("muscles", data["muscles"], 1, 8, 40),
        equipment=check.texts("equipment", data["equipment"], 0, 5, 40),
        doses=doses,
        steps=check.texts("steps", data["steps"], 3, 6),
        cues=check.texts("cues", data["cues"], 1, 4),
        cautions=check.texts("cautions", data["cautions"], 1, 4),
        illustration=illustration,
        day_doses=types.MappingProxyType(
            {p: steps for p, steps in day_doses.items() if len(steps) > 1}),
    )


def _read_doses(check: _Checker, value: Any,
                phases: tuple[str, ...]) -> Mapping[str, tuple[DayDose, ...]]:
    """A dose for every listed phase and none for the others: the Today view must never show
    an exercise without saying how much of it to do.

    A phase's dose is one table (``[dose.walk]``), or day-by-day steps (``[[dose.walk]]``
    entries, each with ``days`` as in plan.toml: "1", "2-3", "5+") that start on day 1, leave
    no gap and end open, so every day of the phase has exactly one dose.
    """
    if not isinstance(value, dict):
        raise check.fail("dose", "must be a table with one entry per phase")
    for phase in phases:
        if phase not in value:
            raise check.fail(f"dose.{phase}", "is missing; every listed phase needs a dose")
    extra = sorted(set(value) - set(phases))
    if extra:
        raise check.fail(f"dose.{extra[0]}", "is given for a phase not listed in 'phases'")
    return types.MappingProxyType({p: _read_steps(check, f"dose.{p}", value[p]) for p in phases})


def _read_steps(check: _Checker, field: str, value: Any) -> tuple[DayDose, ...]:
    if not isinstance(value, list):
        return (DayDose(1, None, check.dose(field, value)),)
    if not value:
        raise check.fail(field, "must not be an empty list")
    steps: list[DayDose] = []
    for number, entry in enumerate(value, start=1):
        where = f"{field}[{number}]"
        if not isinstance(entry, dict):
            raise check.fail(where, "must be a table")
        raw = entry.get("days")
        match = _DAYS_RE.fullmatch(raw.strip()) if isinstance(raw, str) else None
        if match is None:
            raise check.fail(f"{where}.days", f"must be text such as \"1\", \"2-3\" or \"5+\" "
                                              f"(got {raw!r})")
        first = int(match["first"])
        last = None if match["open"] else int(match["last"] or first)
        expected = 1 if not steps else steps[-1].last_day
        if expected is None or first != (1 if not steps else expected + 1) or (
                last is not None and last < first):
            raise check.fail(f"{where}.days", f"is {raw!r}; the steps must start on day 1 and "
                                              "follow on in order without gaps or overlaps")
        dose = check.dose(where, {k: v for k, v in entry.items() if k != "days"})
        steps.append(DayDose(first, last, dose))
    if steps[-1].last_day is not None:
        raise check.fail(f"{field}[{len(steps)}].days",
                         "the last step must be open-ended (e.g. \"5+\") so every later day has "
                         "a dose")
    return tuple(steps)


def _check_illustration(check: _Checker, root: Traversable, value: Any) -> str:
    name = check.text("illustration", value, 80)
    if "/" in name or "\\" in name or not name.endswith(".svg") or name.startswith("."):
        raise check.fail("illustration", f"must be a plain .svg file name (got {name!r})")
    svg = root.joinpath("illustrations", name)
    if not svg.is_file():
        raise check.fail("illustration", f"names illustrations/{name}, which does not exist")
    try:
        tag = SafeET.fromstring(svg.read_bytes()).tag
    except Exception as exc:  # defusedxml raises ParseError or its own refusals
        raise check.fail("illustration", f"illustrations/{name} is not well-formed XML ({exc})"
                         ) from exc
    if tag not in _SVG_TAGS:
        raise check.fail("illustration", f"illustrations/{name} has no <svg> root (got {tag})")
    return name
