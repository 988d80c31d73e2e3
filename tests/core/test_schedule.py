"""The earliest projected schedule (core/schedule.py), with dates worked out by hand."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from recoverydesk.core.engine import DayStatus
from recoverydesk.core.plan import load_content
from recoverydesk.core.rules import Rules
from recoverydesk.core.schedule import FULL_DAYS_SHOWN, by_day, phase_length, project

PLAN = load_content().plan
RULES = Rules()


def status(day: str, phase: str, phase_day: int, *, next_phase: str | None = None,
           can_advance: bool = False, paused: bool = False,
           event: str | None = None) -> DayStatus:
    return DayStatus.make(dt.date.fromisoformat(day), phase, phase_day, paused=paused,
                          can_advance=can_advance, next_phase=next_phase, event=event)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_rest_day_3_with_the_gate_closed_needs_one_more_rest_day() -> None:
    # Worked example of DESIGN §5.2: on 03-03 rest day 3 the gate is closed (G3), so the
    # earliest gate day is tomorrow, rest day 4; walk then starts on 03-05.
    days = by_day(project(status("2026-03-03", "rest", 3), RULES, PLAN))
    assert (days[d("2026-03-04")].phase, days[d("2026-03-04")].phase_day) == ("rest", 4)
    assert days[d("2026-03-04")].label == "mobility + short walks"
    assert [(days[d(x)].phase, days[d(x)].phase_day) for x in
            ("2026-03-05", "2026-03-08", "2026-03-09", "2026-03-15", "2026-03-16",
             "2026-03-22", "2026-03-23")] == [
        ("walk", 1), ("walk", 4), ("low_impact", 1), ("low_impact", 7), ("run", 1),
        ("run", 7), ("full", 1)]
    assert days[d("2026-03-05")].label == "walk 10 min"
    assert days[d("2026-03-07")].label == "walk 20 min"
    assert days[d("2026-03-09")].label == "swim or cycle 20 min"
    assert days[d("2026-03-16")].label == "run 1 min / walk 2 min × 6"
    assert days[d("2026-03-23")].label == "easy runs + strength"


def test_projection_starts_tomorrow_and_runs_sixty_days_without_gaps() -> None:
    days = project(status("2026-03-03", "rest", 3), RULES, PLAN)
    assert days[0].day == d("2026-03-04")
    assert days[-1].day == d("2026-05-02")  # 03-04 + 59 days
    assert len(days) == 60
    assert all(b.day - a.day == dt.timedelta(days=1) for a, b in itertools.pairwise(days))


def test_rest_day_1_keeps_resting_until_its_minimum() -> None:
    days = project(status("2026-03-01", "rest", 1), RULES, PLAN)
    assert [(p.day, p.phase, p.phase_day) for p in days[:3]] == [
        (d("2026-03-02"), "rest", 2), (d("2026-03-03"), "rest", 3), (d("2026-03-04"), "walk", 1)]


@pytest.mark.parametrize("kwargs", [
    {"next_phase": "walk", "can_advance": True, "event": "advance"},   # advanced today
    {"can_advance": True},                                             # may still advance today
])
def test_an_advance_today_starts_the_next_phase_tomorrow(kwargs: dict[str, object]) -> None:
    days = by_day(project(status("2026-03-05", "rest", 5, **kwargs), RULES, PLAN))  # type: ignore[arg-type]
    assert (days[d("2026-03-06")].phase, days[d("2026-03-06")].phase_day) == ("walk", 1)
    assert (days[d("2026-03-09")].phase, days[d("2026-03-09")].phase_day) == ("walk", 4)
    assert days[d("2026-03-10")].phase == "low_impact"


def test_a_regression_today_restarts_the_lower_phase_tomorrow() -> None:
    # §5.2: walk day 2 on 03-07 regresses; rest starts afresh on 03-08 for three days.
    days = by_day(project(status("2026-03-07", "walk", 2, next_phase="rest",
                                 event="regression"), RULES, PLAN))
    assert [(days[d(x)].phase, days[d(x)].phase_day) for x in
            ("2026-03-08", "2026-03-10", "2026-03-11")] == [("rest", 1), ("rest", 3), ("walk", 1)]
    assert days[d("2026-03-08")].label == "rest + gentle mobility"


def test_past_the_minimum_with_a_closed_gate_the_phase_goes_on_one_more_day() -> None:
    days = project(status("2026-03-20", "low_impact", 9), RULES, PLAN)
    assert (days[0].day, days[0].phase, days[0].phase_day) == (d("2026-03-21"), "low_impact", 10)
    assert days[0].label == "cross-train 30–40 min"
    assert (days[1].phase, days[1].phase_day) == ("run", 1)


def test_a_clearance_today_needs_a_fresh_gate_window() -> None:
    # Walk day 6 cleared on 03-20: the gate may use only days after it, 03-21..03-23.
    days = project(status("2026-03-20", "walk", 6, event="clearance"), RULES, PLAN)
    assert [(p.phase, p.phase_day) for p in days[:4]] == [
        ("walk", 7), ("walk", 8), ("walk", 9), ("low_impact", 1)]


def test_nothing_is_projected_while_paused() -> None:
    assert project(status("2026-03-20", "walk", 3, paused=True, event="pause"), RULES,
                   PLAN) == []


def test_in_full_training_it_goes_on_with_the_next_days_of_full() -> None:
    days = project(status("2026-03-20", "full", 10), RULES, PLAN)
    assert len(days) == 60
    assert {p.phase for p in days} == {"full"}
    assert (days[0].phase_day, days[0].label) == (
        11, PLAN.phase("full").prescription_for(11).label)


def test_a_regression_from_full_goes_through_run_again() -> None:
    days = project(status("2026-03-20", "full", 4, next_phase="run", event="regression"),
                   RULES, PLAN)
    assert [(p.phase, p.phase_day) for p in (days[0], days[6], days[7])] == [
        ("run", 1), ("run", 7), ("full", 1)]


def test_a_phase_is_never_shorter_than_the_gate_window() -> None:
    rules = Rules(min_days={"rest": 1, "walk": 1, "low_impact": 7, "run": 7})
    assert phase_length(rules, "walk") == 3
    days = project(status("2026-03-05", "rest", 5, next_phase="walk", event="advance"),
                   rules, PLAN)
    assert [p.phase for p in days[:4]] == ["walk", "walk", "walk", "low_impact"]


def test_long_minimums_still_show_two_weeks_of_full_training() -> None:
    rules = Rules(min_days={"rest": 20, "walk": 20, "low_impact": 20, "run": 20})
    days = project(status("2026-03-01", "rest", 1), rules, PLAN, horizon=10)
    assert sum(p.phase != "full" for p in days) == 19 + 60
    assert sum(p.phase == "full" for p in days) == FULL_DAYS_SHOWN


LADDER = [stage.label for stage in PLAN.ladder]
BETWEEN = PLAN.phase("run").prescription_for(2).label


def test_run_days_follow_the_ladder_on_alternate_days() -> None:
    """§5.3: in `run` at stage 3 with no run today: stage 3 tomorrow, a day between, stage 4…
    and `run` lasts until the top stage has gone well (longer than its 7-day minimum)."""
    today = DayStatus.make(d("2026-05-10"), "run", 5, run_stage=3)
    days = project(today, RULES, PLAN, ladder=LADDER)
    runs = [p for p in days if p.phase == "run"]
    assert [p.label for p in runs[:4]] == [LADDER[2], BETWEEN, LADDER[3], BETWEEN]
    stages_left = len(LADDER) - 3 + 1
    assert len(runs) == 2 * stages_left
    assert [p.label for p in runs if p.label != BETWEEN] == LADDER[2:]
    assert days[len(runs)].phase == "full"


def test_after_a_run_today_the_next_run_is_the_day_after_tomorrow() -> None:
    today = DayStatus.make(d("2026-05-10"), "run", 5, run_stage=3)
    days = project(today, RULES, PLAN, ladder=LADDER, ran_today=True)
    assert [p.label for p in days[:3]] == [BETWEEN, LADDER[3], BETWEEN]


def test_an_advance_into_run_starts_the_ladder_at_stage_1() -> None:
    days = project(status("2026-05-10", "low_impact", 9, next_phase="run", event="advance"),
                   RULES, PLAN, ladder=LADDER)
    runs = [p for p in days if p.phase == "run"]
    assert runs[0].label == LADDER[0] and runs[0].phase_day == 1
    assert len(runs) == 2 * len(LADDER)
    assert not any(p.phase == "run" for p in days if p.day > runs[-1].day)


def test_nothing_is_projected_on_a_paused_run_day() -> None:
    today = DayStatus.make(d("2026-05-10"), "run", 5, run_stage=3, paused=True)
    assert project(today, RULES, PLAN, ladder=LADDER) == []
