"""The exercise doses agree with the plan's calendar, phase by phase and day by day.

The calendar says "walk 30 min" or "cross-train 30–40 min"; guided mode times the dose of the
exercise the day names. If the two disagree, the runner is told one thing and timed another.
These tests read the shipped plan.toml and exercises/*.toml (no copies of their numbers here)
and fail on any disagreement:

- a day whose label gives minutes ("swim 30 min", "yoga or pilates 25 min", "cross-train
  30–40 min") must name at least one timed session (in its prescription or the phase's
  checklist, as the walk's "Today's walk" item does), and every timed session that day asks
  for (what guided mode runs) must last those minutes, or fall inside the range;
- a day whose label gives no minutes must not name a timed session (nothing to time it by);
- on a run day the timed drills (the cadence drill) must fit inside one run bout of the day
  ("run 1 min / walk 2 min × 6": at most 1 minute), since they are run within it.

Timed sessions are the exercises whose dose that day is in minutes; drills are category
``drill``. The walk–run ladder (DESIGN §5.3) is checked the same way: each stage's label reads
its own numbers (``session_minutes`` = (run + walk) × repeats), each stage's run bout holds the
run days' drills, and every run day of the calendar prescribes a ladder stage, in stage order.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from recoverydesk.core.adherence import todays_exercises
from recoverydesk.core.exercises import Exercise, Library, load_library
from recoverydesk.core.plan import PhasePlan, Plan, Prescription, load_content

OPEN_ENDED_DAYS = 30
"""How far past its first day an open-ended prescription ("8+") is checked."""

_MINUTES = re.compile(r"(\d+)(?:\s*[–-]\s*(\d+))?\s*min\b")
_INTERVALS = re.compile(r"run (\d+) min / walk (\d+) min × (\d+)")
_CONTINUOUS = re.compile(r"run (\d+) min")
_STAGE = re.compile(r"run (\d+) min(?: / walk (\d+) min × (\d+)| continuous)$")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_content().plan


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def days_of(prescription: Prescription) -> range:
    last = prescription.last_day or prescription.first_day + OPEN_ENDED_DAYS
    return range(prescription.first_day, last + 1)


def minutes_in(label: str) -> tuple[int, int] | None:
    """The label's minutes as (low, high): "walk 30 min" → (30, 30), "30–40 min" → (30, 40)."""
    match = _MINUTES.search(label)
    if match is None:
        return None
    low = int(match[1])
    return low, int(match[2] or low)


def run_bout(label: str) -> int | None:
    """The longest continuous running a run day's label asks for, or None on other days."""
    if match := _INTERVALS.search(label):
        return int(match[1])
    if match := _CONTINUOUS.match(label):
        return int(match[1])
    return None


def session_minutes(run: int, walk: int, repeats: int) -> int:
    """A walk–run session's length, walks included (DESIGN §5.3)."""
    return (run + walk) * repeats


def timed(exercise: Exercise, phase: str, day: int) -> int | None:
    dose = exercise.dose_for(phase, day)
    return dose.minutes if dose is not None else None


def check_run_day(library: Library, phase: str, day: int, ids: list[str],
                  bout: int) -> list[str]:
    """Every timed drill fits inside one run bout of ``bout`` minutes."""
    problems = []
    for exercise_id in ids:
        exercise = library.get(exercise_id)
        minutes = timed(exercise, phase, day)
        if exercise.category == "drill" and minutes is not None and minutes > bout:
            problems.append(f"{phase} day {day}: {exercise_id} takes {minutes} min, longer than "
                            f"the day's {bout}-minute run bout")
    return problems


def check_day(library: Library, phase: PhasePlan, day: int, plan: Plan) -> list[str]:
    prescription = phase.prescription_for(day)
    label = prescription.label
    ids = [i for i in todays_exercises(plan, phase.id, day) if i in library]
    bout = run_bout(label)
    if bout is not None:
        return check_run_day(library, phase.id, day, ids, bout)
    sessions = {i: m for i in ids
                if library.get(i).category != "drill"
                and (m := timed(library.get(i), phase.id, day)) is not None}
    wanted = minutes_in(label)
    if wanted is None:
        return [f"{phase.id} day {day} ({label!r}) gives no minutes but names timed "
                f"{i} ({m} min)" for i, m in sessions.items()]
    low, high = wanted
    problems = [f"{phase.id} day {day}: {label!r} but {i} is dosed {m} min"
                for i, m in sessions.items() if not low <= m <= high]
    if not sessions:
        problems.append(f"{phase.id} day {day}: {label!r} names no timed session")
    return problems


def test_every_dose_agrees_with_the_calendar(plan: Plan, library: Library) -> None:
    problems = [problem
                for phase in plan
                for prescription in phase.prescriptions
                for day in days_of(prescription)
                for problem in check_day(library, phase, day, plan)]
    assert problems == []


def test_walks_are_timed_as_the_calendar_grows_them(plan: Plan, library: Library) -> None:
    """The example the review found: "walk 30 min" from day 5 timed as 20 minutes."""
    walk = plan.phase("walk")
    for day in range(1, 10):
        label_minutes = minutes_in(walk.prescription_for(day).label)
        assert label_minutes is not None
        assert timed(library.get("brisk_walking"), "walk", day) == label_minutes[0], day


def test_the_checker_catches_a_mismatch(plan: Plan, library: Library) -> None:
    """The checks above can fail: a label edited to disagree with its doses is reported."""
    walk = plan.phase("walk")
    bent = Prescription(5, None, "walk 45 min", walk.prescription_for(5).exercises)
    phase = PhasePlan(walk.id, walk.name, walk.summary, walk.advance_hint, walk.checklist,
                      (*walk.prescriptions[:-1], bent))
    edited = Plan({**plan.phases, "walk": phase})
    assert check_day(library, phase, 5, edited) == [
        "walk day 5: 'walk 45 min' but brisk_walking is dosed 30 min"]
    run = plan.phase("run")
    first = run.prescription_for(1)
    assert run_bout(first.label) is not None
    drills = [i for i in todays_exercises(plan, "run", 1)
              if library.get(i).category == "drill" and timed(library.get(i), "run", 1)]
    assert drills, "a run day names a timed drill"
    assert check_run_day(library, "run", 1, drills, 0) != []


def test_label_parsing() -> None:
    assert minutes_in("cross-train 30–40 min") == (30, 40)
    assert minutes_in("walk 10 min") == (10, 10)
    assert minutes_in("core + hip strength") is None
    assert run_bout("run 1 min / walk 2 min × 6") == 1
    assert run_bout("run 20 min easy") == 20
    assert run_bout("strength + easy walk") is None
    assert session_minutes(1, 2, 6) == 18


def stage_numbers(label: str) -> tuple[int, int, int] | None:
    """A ladder label's (run, walk, repeats): "run 15 min continuous" → (15, 0, 1)."""
    match = _STAGE.fullmatch(label)
    if match is None:
        return None
    return int(match[1]), int(match[2] or 0), int(match[3] or 1)


def check_ladder(plan: Plan) -> list[str]:
    """Each stage's label says its numbers; the calendar's run days follow the stages."""
    problems = []
    for stage in plan.ladder:
        numbers = stage_numbers(stage.label)
        if numbers != (stage.run_min, stage.walk_min, stage.repeats):
            problems.append(f"stage {stage.stage}: {stage.label!r} but the stage is run "
                            f"{stage.run_min} / walk {stage.walk_min} × {stage.repeats}")
        elif session_minutes(*numbers) != stage.minutes:
            problems.append(f"stage {stage.stage}: {stage.label!r} is not {stage.minutes} min")
    labels = [stage.label for stage in plan.ladder]
    run_days = [p.label for p in plan.phase("run").prescriptions if run_bout(p.label)]
    for label in run_days:
        if label not in labels:
            problems.append(f"run day {label!r} is no ladder stage")
    order = [labels.index(label) for label in run_days if label in labels]
    if order != sorted(order):
        problems.append(f"run days out of stage order: {run_days}")
    return problems


def test_the_ladder_and_the_run_days_agree(plan: Plan, library: Library) -> None:
    assert check_ladder(plan) == []
    drills = [i for i in todays_exercises(plan, "run", 1) if library.get(i).category == "drill"]
    for stage in plan.ladder:
        assert check_run_day(library, "run", 1, drills, stage.run_min) == [], stage


def test_the_ladder_check_catches_a_mismatch(plan: Plan) -> None:
    """DESIGN's stage 3 is run 3 / walk 2 × 5; a label saying walk 1 is reported."""
    run = plan.phase("run")
    third = plan.ladder[2]
    bent_stage = dataclasses.replace(third, label="run 3 min / walk 1 min × 5")
    ladder = (*run.ladder[:2], bent_stage, *run.ladder[3:])
    edited = Plan({**plan.phases, "run": dataclasses.replace(run, ladder=ladder)})
    assert check_ladder(edited) == [
        "stage 3: 'run 3 min / walk 1 min × 5' but the stage is run 3 / walk 2 × 5",
        "run day 'run 3 min / walk 2 min × 5' is no ladder stage"]
    assert stage_numbers("run 20 min continuous") == (20, 0, 1)
