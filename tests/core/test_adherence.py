"""Week adherence and today's exercise list (recoverydesk/core/adherence.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from recoverydesk.core.adherence import todays_exercises, week_adherence, week_window
from recoverydesk.core.plan import ChecklistItem, PhasePlan, Plan, Prescription, load_content

TODAY = dt.date(2026, 3, 20)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def test_week_window_is_today_and_the_six_days_before() -> None:
    assert week_window(TODAY) == (dt.date(2026, 3, 14), TODAY)


def test_counts_days_not_repetitions() -> None:
    done = {day(0): {"plank": 3}, day(-1): {"plank": 1}, day(-2): {"clamshell": 2}}
    assert week_adherence(done, ["plank", "clamshell"], TODAY) == {"plank": 2, "clamshell": 1}


@pytest.mark.parametrize(("offset", "counted"), [
    (0, True), (-6, True), (-7, False), (1, False), (-30, False),
])
def test_only_the_last_seven_days_count(offset: int, counted: bool) -> None:
    assert week_adherence({day(offset): {"plank": 1}}, ["plank"], TODAY) == {"plank": int(counted)}


def test_every_asked_exercise_is_reported_and_others_ignored() -> None:
    done = {day(0): {"bird_dog": 1, "plank": 0}}
    assert week_adherence(done, ["plank", "dead_bug"], TODAY) == {"plank": 0, "dead_bug": 0}


def test_seven_of_seven() -> None:
    done = {day(-i): {"cat_cow": 1} for i in range(10)}
    assert week_adherence(done, ["cat_cow"], TODAY) == {"cat_cow": 7}


def _plan() -> Plan:
    phase = PhasePlan(
        id="rest", name="Rest", summary="s", advance_hint="h",
        checklist=(ChecklistItem("a", "A", "cat_cow"), ChecklistItem("b", "B"),
                   ChecklistItem("c", "C", "pelvic_clock"), ChecklistItem("d", "D", "cat_cow")),
        prescriptions=(Prescription(1, 1, "day one", ("knee_to_chest", "cat_cow")),
                       Prescription(2, None, "later", ("pelvic_tilt",))),
    )
    return Plan({"rest": phase})


@pytest.mark.parametrize(("phase_day", "expected"), [
    (1, ["knee_to_chest", "cat_cow", "pelvic_clock"]),
    (2, ["pelvic_tilt", "cat_cow", "pelvic_clock"]),
    (40, ["pelvic_tilt", "cat_cow", "pelvic_clock"]),
])
def test_todays_exercises_prescription_then_checklist_once_each(
        phase_day: int, expected: list[str]) -> None:
    assert todays_exercises(_plan(), "rest", phase_day) == expected


def test_todays_exercises_on_the_shipped_plan() -> None:
    plan = load_content().plan
    assert todays_exercises(plan, "rest", 20) == [
        "knee_to_chest", "pelvic_tilt", "cat_cow", "pelvic_clock"]
    walk = todays_exercises(plan, "walk", 1)
    assert walk[:3] == ["glute_bridge", "hamstring_stretch_lying", "knee_to_chest"]
    assert "brisk_walking" in walk and len(walk) == len(set(walk))
