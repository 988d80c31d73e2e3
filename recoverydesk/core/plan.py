"""The phase plan and the red-flag texts, read from TOML and checked once at start (DESIGN §2, §4).

What each phase asks of the runner is content, not code: a physiotherapist can change a walk
from 20 to 15 minutes by editing ``resources/plan.toml``. Because the window, the calendar and
the clinician report all trust this content blindly, it is validated completely when loaded:
a mistake in a TOML file is refused at start with a message naming the file, the place and the
field, instead of surfacing weeks later as an empty calendar cell or a missing warning.

Files (all under the resource folder, ``recoverydesk.resources`` in the wheel):

- ``plan.toml``: one table per phase id of :data:`~recoverydesk.core.model.PHASES` with
  ``name``, ``summary``, ``advance_hint``, ``[[<phase>.checklist]]`` items (``id``, ``text``,
  optional ``exercise``) and ``[[<phase>.prescription]]`` entries (``days`` such as ``"1"``,
  ``"2-3"`` or ``"8+"``, ``label``, ``exercises``). Prescriptions are listed in day order, start
  on day 1, leave no gaps, do not overlap, and the last one is open-ended (``"N+"``) so that
  every day of a phase, however long it lasts, has a prescription.
  The ``run`` phase also has ``[[run.ladder]]`` stages (§5.3): ``run_min``, ``walk_min``,
  ``repeats``; the engine reads their session minutes (``Plan.ladder_minutes``).
- ``red_flags.toml``: top-level texts (:data:`RED_FLAG_TEXT_KEYS`: a banner per tier, the
  screen's pause and hold banners, ``not_improving``), then one table per red-flag id of
  :data:`~recoverydesk.core.model.RED_FLAGS` with ``label``, ``explanation``, ``urgency`` (its
  tier: ``"emergency"``, ``"urgent"`` or ``"soon"``, DESIGN §4) and ``advice``.
- ``risk_screen.toml``: ``intro``, then one table per risk id of
  :data:`~recoverydesk.core.model.RISKS` with ``question``, ``short``, ``why`` and ``level``
  (``"check_first"`` or ``"check_before_running"``, DESIGN §4.1).
- ``texts.toml``: ``disclaimer``, ``about``, ``heat_ice_hint`` and ``report_disclaimer``.

:attr:`Content.texts` holds every loose text of the last two files under its own key
(:data:`TEXT_KEYS`). Unknown keys are refused everywhere: a misspelt key would otherwise be
silently ignored and its text would never be shown.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import pathlib
import re
import tomllib
import types
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from recoverydesk.core import shipped
from recoverydesk.core.model import PHASES, RED_FLAGS, RISKS

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

URGENCIES: tuple[str, ...] = ("emergency", "urgent", "soon")
"""The tiers of §4: ``emergency`` seek care now; ``urgent`` the same day; ``soon`` within a
week or so."""
RISK_LEVELS: tuple[str, ...] = ("check_first", "check_before_running")
"""§4.1: a "check first" yes pauses; a single "check before running" yes holds running."""

RED_FLAG_TEXT_KEYS: tuple[str, ...] = ("banner_emergency", "banner_urgent", "banner_soon",
                                       "banner_screen", "banner_hold", "not_improving")
"""Loose texts at the top of red_flags.toml."""

OTHER_TEXT_KEYS: tuple[str, ...] = ("disclaimer", "about", "heat_ice_hint", "report_disclaimer")
"""Texts of texts.toml."""

TEXT_KEYS: tuple[str, ...] = RED_FLAG_TEXT_KEYS + OTHER_TEXT_KEYS
"""Every key of :attr:`Content.texts`."""

MAX_LABEL = 32
"""Longest prescription label, in characters: it has to fit a calendar cell."""

_PHASE_KEYS = ("name", "summary", "advance_hint", "checklist", "prescription", "ladder")
_LADDER_KEYS = ("run_min", "walk_min", "repeats", "label")
_RISK_KEYS = ("question", "short", "why", "level")
_ITEM_KEYS = ("id", "text", "exercise")
_PRESCRIPTION_KEYS = ("days", "label", "exercises")
_FLAG_KEYS = ("label", "explanation", "urgency", "advice")
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_DAYS = re.compile(r"(?P<first>[0-9]+)(?:-(?P<last>[0-9]+)|(?P<open>\+))?")


class ContentError(Exception):
    """Shipped or edited content is broken; the app cannot start on it.

    The message names the file, where in it, and the field, e.g.
    ``plan.toml: phase 'walk' checklist item 2: 'text' is missing``.

    Attributes:
        file: The file name, e.g. ``plan.toml``.
        field: The offending key (``text``, ``days``…), or None when the file as a whole is bad.
    """

    def __init__(self, file: str, message: str, field: str | None = None) -> None:
        self.file = file
        self.field = field
        super().__init__(f"{file}: {message}")


# --- the content ---------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One thing today asks of the runner in a phase; ticks are stored by ``id``.

    Attributes:
        id: Unique within its phase and stable, since stored ticks refer to it.
        text: What to do, in the runner's words.
        exercise: The exercise library id this item opens, if any.
    """

    id: str
    text: str
    exercise: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Prescription:
    """What a range of days within a phase asks for, e.g. days 2–3 of ``walk``: "walk 15 min".

    Attributes:
        first_day: First phase day it applies to, counting from 1.
        last_day: Last phase day it applies to, or None when it goes on for every later day.
        label: Short words for a calendar cell.
        exercises: Exercise ids suggested for those days.
    """

    first_day: int
    last_day: int | None
    label: str
    exercises: tuple[str, ...] = ()

    def covers(self, phase_day: int) -> bool:
        return self.first_day <= phase_day and (self.last_day is None or phase_day <= self.last_day)

    @property
    def days(self) -> str:
        """The range as written in plan.toml: ``"1"``, ``"2-3"`` or ``"8+"``."""
        if self.last_day is None:
            return f"{self.first_day}+"
        if self.last_day == self.first_day:
            return str(self.first_day)
        return f"{self.first_day}-{self.last_day}"


@dataclasses.dataclass(frozen=True, slots=True)
class LadderStage:
    """One stage of the walk–run ladder (§5.3): run ``run_min`` / walk ``walk_min`` ×
    ``repeats`` (a walk of 0 is continuous running); ``label`` is its session in words, what
    Today and the Calendar prescribe."""

    stage: int
    run_min: int
    walk_min: int
    repeats: int
    label: str

    @property
    def minutes(self) -> int:
        """The whole session, walks included, as a watch records it."""
        return (self.run_min + self.walk_min) * self.repeats


@dataclasses.dataclass(frozen=True, slots=True)
class PhasePlan:
    """Everything one phase asks for (DESIGN §2).

    Attributes:
        id: A phase id of ``model.PHASES``.
        name: Display name ("Return to run").
        summary: One paragraph on what the phase asks.
        advance_hint: What the next phase will ask; shown when confirming an advance.
        checklist: Today's items, the same every day of the phase.
        prescriptions: Day ranges in order, from day 1, the last one open-ended.
    """

    id: str
    name: str
    summary: str
    advance_hint: str
    checklist: tuple[ChecklistItem, ...]
    prescriptions: tuple[Prescription, ...]
    ladder: tuple[LadderStage, ...] = ()

    def prescription_for(self, phase_day: int) -> Prescription:
        """The prescription for day ``phase_day`` (1 = the phase's first day) of this phase.

        Every day from 1 on has one: the loader refuses plans with gaps or without an
        open-ended last entry.
        """
        if phase_day < 1:
            raise ValueError(f"phase days count from 1, not {phase_day}")
        for prescription in self.prescriptions:
            if prescription.covers(phase_day):
                return prescription
        raise AssertionError("unreachable: validated prescriptions cover every day")

    def checklist_item(self, item_id: str) -> ChecklistItem:
        """The checklist item with this id; KeyError when the phase has none."""
        for item in self.checklist:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """The whole plan: one :class:`PhasePlan` per phase id, in the order of ``model.PHASES``."""

    phases: Mapping[str, PhasePlan]

    def phase(self, phase_id: str) -> PhasePlan:
        """The plan of a phase; KeyError for an unknown id."""
        return self.phases[phase_id]

    def name(self, phase_id: str) -> str:
        """The display name of a phase ("Low-impact")."""
        return self.phases[phase_id].name

    @property
    def ladder(self) -> tuple[LadderStage, ...]:
        return self.phases["run"].ladder

    @property
    def ladder_minutes(self) -> tuple[int, ...]:
        """Each stage's session minutes, what ``Rules.ladder_minutes`` takes."""
        return tuple(s.minutes for s in self.ladder)

    def __iter__(self) -> Iterator[PhasePlan]:
        return iter(self.phases.values())


@dataclasses.dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign the runner can tick (DESIGN §4), with what it means and what to do.

    Attributes:
        id: A red-flag id of ``model.RED_FLAGS``.
        label: What the runner ticks.
        explanation: One or two sentences on why it matters.
        urgency: ``emergency`` (seek care now) or ``soon`` (see a clinician within days).
        advice: What to do about it.
    """

    id: str
    label: str
    explanation: str
    urgency: str
    advice: str

    @property
    def emergency(self) -> bool:
        return self.urgency == "emergency"

    @property
    def tier(self) -> str:
        return self.urgency


@dataclasses.dataclass(frozen=True, slots=True)
class Risk:
    """A risk-screen question (§4.1), with why it is asked and its level."""

    id: str
    question: str
    short: str
    why: str
    level: str


@dataclasses.dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from the resource folder.

    Attributes:
        plan: The phase plan.
        red_flags: One :class:`RedFlag` per id, in the order of ``model.RED_FLAGS``.
        texts: The loose texts, keyed by :data:`TEXT_KEYS` (banners, notices, disclaimer, about).
    """

    plan: Plan
    red_flags: Mapping[str, RedFlag]
    texts: Mapping[str, str]
    risks: Mapping[str, Risk] = dataclasses.field(default_factory=dict)
    screen_intro: str = ""


def exercise_ids_named(plan: Plan) -> set[str]:
    """Every exercise id the plan's checklists and prescriptions name.

    The exercise library lives in other files; it uses this to check that nothing the plan
    points the runner to is missing.
    """
    named: set[str] = set()
    for phase in plan:
        named.update(item.exercise for item in phase.checklist if item.exercise is not None)
        for prescription in phase.prescriptions:
            named.update(prescription.exercises)
    return named


# --- loading -------------------------------------------------------------------------------

def load_content(root: Traversable | os.PathLike[str] | str | None = None) -> Content:
    """Load and validate plan.toml, red_flags.toml and texts.toml.

    Args:
        root: The folder holding the three files; None for the content shipped with the app.
            Only the shipped content is cached (it cannot change while the app runs); a folder
            given explicitly is read afresh each time so tests can edit and reload it.

    Raises:
        ContentError: A file is missing, is not valid TOML, or breaks a rule; the message names
            the file and the field.
    """
    if root is None:
        return _load_shipped()
    if isinstance(root, (str, os.PathLike)):
        root = pathlib.Path(root)
    return _load(root)


@functools.cache
def _load_shipped() -> Content:
    return _load(None)


def _load(root: Traversable | None) -> Content:
    """The content in ``root``; None for the shipped files."""
    plan = _parse_plan(_read(root, "plan.toml"))
    red_flags, flag_texts = _parse_red_flags(_read(root, "red_flags.toml"))
    other_texts = _parse_texts(_read(root, "texts.toml"))
    texts = {key: {**flag_texts, **other_texts}[key] for key in TEXT_KEYS}
    risks, intro = _parse_risks(_read(root, "risk_screen.toml"))
    return Content(plan, types.MappingProxyType(red_flags), types.MappingProxyType(texts),
                   types.MappingProxyType(risks), intro)


def _read(root: Traversable | None, name: str) -> dict[str, Any]:
    try:
        if root is None:
            return shipped.read_toml(name)
        raw = (root / name).read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ContentError(name, "the file is missing") from None
    except UnicodeDecodeError as error:
        raise ContentError(name, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(name, f"not valid TOML: {error}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ContentError(name, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(name, f"not valid TOML: {error}") from None


class _Checker:
    """Reads typed fields out of one TOML table, raising ContentError that says where."""

    def __init__(self, file: str, where: str, table: Any, allowed: tuple[str, ...]) -> None:
        self.file = file
        self.where = where
        if not isinstance(table, dict):
            raise ContentError(file, f"{where}: must be a table")
        self.table: dict[str, Any] = table
        for key in table:
            if key not in allowed:
                self.fail(key, f"unknown key {key!r}; allowed keys are {', '.join(allowed)}")

    def fail(self, field: str, problem: str) -> NoReturn:
        raise ContentError(self.file, f"{self.where}: {problem}", field)

    def text(self, field: str, *, optional: bool = False) -> str | None:
        if field not in self.table:
            if optional:
                return None
            self.fail(field, f"{field!r} is missing")
        value = self.table[field]
        if not isinstance(value, str):
            self.fail(field, f"{field!r} must be text in quotes, not {_toml_type(value)}")
        value = value.strip()
        if not value:
            self.fail(field, f"{field!r} is empty")
        return value

    def required_text(self, field: str) -> str:
        value = self.text(field)
        assert value is not None
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        """Text that must be one of ``allowed`` (an urgency, a level)."""
        value = self.required_text(field)
        if value not in allowed:
            self.fail(field, f"{field!r} is {value!r}; it must be one of {', '.join(allowed)}")
        return value

    def identifier(self, field: str, *, optional: bool = False) -> str | None:
        value = self.text(field, optional=optional)
        if value is not None and not _ID.fullmatch(value):
            self.fail(field, f"{field!r} is {value!r}; it must be snake_case "
                             "(lowercase letters, digits and underscores, starting with a letter)")
        return value

    def tables(self, field: str) -> list[Any]:
        if field not in self.table:
            self.fail(field, f"{field!r} is missing")
        value = self.table[field]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(field, f"{field!r} must be a list of tables ([[...{field}]])")
        if not value:
            self.fail(field, f"{field!r} is empty")
        return list(value)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _parse_plan(data: dict[str, Any]) -> Plan:
    file = "plan.toml"
    for key in data:
        if key not in PHASES:
            raise ContentError(file, f"unknown phase {key!r}; phases are {', '.join(PHASES)}", key)
    phases: dict[str, PhasePlan] = {}
    for phase_id in PHASES:
        if phase_id not in data:
            raise ContentError(file, f"phase {phase_id!r} is missing", phase_id)
        phases[phase_id] = _parse_phase(file, phase_id, data[phase_id])
    return Plan(types.MappingProxyType(phases))


def _parse_phase(file: str, phase_id: str, table: Any) -> PhasePlan:
    where = f"phase {phase_id!r}"
    check = _Checker(file, where, table, _PHASE_KEYS)
    name = check.required_text("name")
    summary = check.required_text("summary")
    advance_hint = check.required_text("advance_hint")

    items: list[ChecklistItem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(check.tables("checklist"), start=1):
        item = _Checker(file, f"{where} checklist item {number}", raw, _ITEM_KEYS)
        item_id = item.identifier("id")
        assert item_id is not None
        if item_id in seen:
            item.fail("id", f"'id' {item_id!r} is already used by item {seen[item_id]}")
        seen[item_id] = number
        text = item.required_text("text")
        items.append(ChecklistItem(item_id, text, item.identifier("exercise", optional=True)))

    prescriptions: list[Prescription] = []
    entries = check.tables("prescription")
    for number, raw in enumerate(entries, start=1):
        entry = _Checker(file, f"{where} prescription entry {number}", raw, _PRESCRIPTION_KEYS)
        first, last = _parse_days(entry)
        expected = 1 if not prescriptions else prescriptions[-1].last_day
        if not prescriptions:
            if first != 1:
                entry.fail("days", f"'days' starts on day {first}; the first entry must start "
                                   "on day 1")
        elif expected is None:
            entry.fail("days", "comes after an open-ended entry "
                               f"({prescriptions[-1].days!r}), which already covers every "
                               "later day")
        elif first > expected + 1:
            gap = (f"day {expected + 1}" if first == expected + 2
                   else f"days {expected + 1}-{first - 1}")
            entry.fail("days", f"'days' is {entry.table['days']!r}, leaving {gap} without a "
                               "prescription")
        elif first <= expected:
            entry.fail("days", f"'days' is {entry.table['days']!r}, overlapping the entry "
                               f"before ({prescriptions[-1].days!r}); entries must be in day "
                               "order without overlaps")
        label = entry.required_text("label")
        if len(label) > MAX_LABEL:
            entry.fail("label", f"'label' {label!r} is {len(label)} characters; a calendar cell "
                                f"fits at most {MAX_LABEL}")
        prescriptions.append(Prescription(first, last, label, _parse_exercises(entry)))
    if prescriptions[-1].last_day is not None:
        raise ContentError(
            file, f"{where} prescription entry {len(prescriptions)}: the last entry must be "
                  f"open-ended (e.g. '{prescriptions[-1].last_day + 1}+') so that every later "
                  "day has a prescription", "days")
    ladder: list[LadderStage] = []
    if phase_id == "run":
        for number, raw in enumerate(check.tables("ladder"), start=1):
            entry = _Checker(file, f"{where} ladder stage {number}", raw, _LADDER_KEYS)
            values = []
            for key, low in (("run_min", 1), ("walk_min", 0), ("repeats", 1)):
                value = entry.table.get(key)
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 240:
                    entry.fail(key, f"'{key}' must be a whole number from {low} to 240")
                values.append(value)
            label = entry.required_text("label")
            if len(label) > MAX_LABEL:
                entry.fail("label", f"'label' {label!r} is {len(label)} characters; a calendar "
                                    f"cell holds {MAX_LABEL}")
            run_min, walk_min, repeats = values
            ladder.append(LadderStage(number, run_min, walk_min, repeats, label))
        if not ladder:
            raise ContentError(file, f"{where}: the walk–run ladder has no stages", "ladder")
    elif "ladder" in table:
        check.fail("ladder", "only the run phase has a walk–run ladder")
    return PhasePlan(phase_id, name, summary, advance_hint, tuple(items), tuple(prescriptions),
                     tuple(ladder))


def _parse_days(entry: _Checker) -> tuple[int, int | None]:
    if "days" not in entry.table:
        entry.fail("days", "'days' is missing")
    raw = entry.table["days"]
    match = _DAYS.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        entry.fail("days", f"'days' is {raw!r}; it must be text such as \"1\", \"2-3\" or \"8+\"")
    assert match is not None
    first = int(match["first"])
    last = None if match["open"] else int(match["last"] or first)
    if first < 1 or (last is not None and last < first):
        entry.fail("days", f"'days' is {raw!r}; days count from 1 and a range must not run "
                           "backwards")
    return first, last


def _parse_exercises(entry: _Checker) -> tuple[str, ...]:
    if "exercises" not in entry.table:
        entry.fail("exercises", "'exercises' is missing (use [] for none)")
    raw = entry.table["exercises"]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        entry.fail("exercises", "'exercises' must be a list of exercise ids in quotes")
    for exercise in raw:
        if not _ID.fullmatch(exercise):
            entry.fail("exercises", f"'exercises' has {exercise!r}; exercise ids are snake_case")
    if len(set(raw)) != len(raw):
        duplicate = next(x for x in raw if raw.count(x) > 1)
        entry.fail("exercises", f"'exercises' names {duplicate!r} twice")
    return tuple(raw)


def _parse_red_flags(data: dict[str, Any]) -> tuple[dict[str, RedFlag], dict[str, str]]:
    file = "red_flags.toml"
    for key in data:
        if key not in RED_FLAGS and key not in RED_FLAG_TEXT_KEYS:
            raise ContentError(
                file, f"unknown key {key!r}; expected the texts {', '.join(RED_FLAG_TEXT_KEYS)} "
                      f"and the red flags {', '.join(RED_FLAGS)}", key)
    top = _Checker(file, "top level", {k: data[k] for k in RED_FLAG_TEXT_KEYS if k in data},
                   RED_FLAG_TEXT_KEYS)
    texts = {key: top.required_text(key) for key in RED_FLAG_TEXT_KEYS}
    flags: dict[str, RedFlag] = {}
    for flag_id in RED_FLAGS:
        if flag_id not in data:
            raise ContentError(file, f"red flag {flag_id!r} is missing", flag_id)
        check = _Checker(file, f"red flag {flag_id!r}", data[flag_id], _FLAG_KEYS)
        urgency = check.choice("urgency", URGENCIES)
        flags[flag_id] = RedFlag(flag_id, check.required_text("label"),
                                 check.required_text("explanation"), urgency,
                                 check.required_text("advice"))
    return flags, texts


def _parse_risks(data: dict[str, Any]) -> tuple[dict[str, Risk], str]:
    file = "risk_screen.toml"
    for key in data:
        if key not in RISKS and key != "intro":
            raise ContentError(file, f"unknown key {key!r}; expected intro and the risks "
                                     f"{', '.join(RISKS)}", key)
    intro = _Checker(file, "top level", {"intro": data.get("intro")} if "intro" in data else {},
                     ("intro",)).required_text("intro")
    risks: dict[str, Risk] = {}
    for risk_id in RISKS:
        if risk_id not in data:
            raise ContentError(file, f"risk {risk_id!r} is missing", risk_id)
        check = _Checker(file, f"risk {risk_id!r}", data[risk_id], _RISK_KEYS)
        level = check.choice("level", RISK_LEVELS)
        risks[risk_id] = Risk(risk_id, check.required_text("question"),
                              check.required_text("short"), check.required_text("why"), level)
    return risks, intro


def _parse_texts(data: dict[str, Any]) -> dict[str, str]:
    check = _Checker("texts.toml", "top level", data, OTHER_TEXT_KEYS)
    return {key: check.required_text(key) for key in OTHER_TEXT_KEYS}
