"""The phase engine, day by day: DESIGN.md §5.1 rules and the §5.2 worked example."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from recoverydesk.core.engine import (
    DayStatus,
    check_advance,
    check_clearance,
    replay,
    status_on,
)
from recoverydesk.core.model import Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.rules import Rules

START = datetime.date(2026, 3, 1)
RULES = Rules()

Row = tuple[int, int | None, int | None] | None


def d(offset: int) -> datetime.date:
    """The day ``offset`` days after START (0 is the start)."""
    return START + datetime.timedelta(days=offset)


def episode(rows: list[Row], *, kinds: dict[int, tuple[str, ...]] | None = None,
            flags: dict[int, frozenset[str]] | None = None,
            advances: tuple[int, ...] = (), clearances: tuple[int, ...] = (),
            extra_logs: tuple[DayLog, ...] = (),
            extra_activities: tuple[Activity, ...] = ()) -> Episode:
    """Rows are (pain, pain_activity, pain_morning) per day from START; None = not logged."""
    logs = {}
    for i, row in enumerate(rows):
        if row is not None:
            logs[d(i)] = DayLog(d(i), row[0], row[1], row[2], (flags or {}).get(i, frozenset()))
    for log in extra_logs:
        logs[log.day] = log
    activities = [Activity(d(i), kind) for i, ks in (kinds or {}).items() for kind in ks]
    actions = [Action(d(i), "advance") for i in advances]
    actions += [Action(d(i), "clearance", "seen by GP, cleared") for i in clearances]
    return Episode(EpisodeInfo(START), logs, tuple(activities) + extra_activities,
                   tuple(actions))


def calm(n: int) -> list[Row]:
    """``n`` logged days of pain 1 with morning pain 1."""
    return [(1, None, 1)] * n


# Calm logs that take the plan through every phase on each phase's minimum: rest days 0–2,
# walk 3–6, low-impact 7–13, return to run 14–20, full training from day 21.
TO_FULL_ADVANCES = (2, 6, 13, 20)
TO_FULL_KINDS = {3: ("walk",), 4: ("walk",), 7: ("swim",), 8: ("cycle",), 9: ("yoga",),
                 14: ("run",), 16: ("run",), 18: ("run",)}


def failing(status: DayStatus) -> set[str]:
    return {r.rule for r in status.reasons if not r.ok}


def reason(status: DayStatus, rule: str) -> str:
    return next(r.detail for r in status.reasons if r.rule == rule)


# --- §5.2 worked example ----------------------------------------------------------------------

def worked_example(*, advance: bool = True) -> Episode:
    rows: list[Row] = [(6, None, 6), (4, None, 4), (3, None, 3), (3, None, 2), (2, None, 2),
                       (2, 3, 2), (2, 6, 2), (2, None, 2)]
    return episode(rows, kinds={5: ("walk",), 6: ("walk",)}, advances=(4,) if advance else ())


@pytest.mark.parametrize(
    ("offset", "phase", "phase_day", "can_advance", "failed", "event", "next_phase"),
    [
        (0, "rest", 1, False, {"G1", "G2", "G3", "G4"}, None, "rest"),
        (1, "rest", 2, False, {"G1", "G2", "G3", "G4"}, None, "rest"),
        (2, "rest", 3, False, {"G3"}, None, "rest"),
        (3, "rest", 4, False, {"G3"}, None, "rest"),
        (4, "rest", 5, True, set(), "advance", "walk"),
        (5, "walk", 1, False, {"G1", "G2", "G4", "G5"}, None, "walk"),
        (6, "walk", 2, False, {"R1", "R2"}, "regression", "rest"),
        (7, "rest", 1, False, {"G1", "G2", "G4"}, None, "rest"),
    ],
)
def test_worked_example_day_by_day(offset: int, phase: str, phase_day: int, can_advance: bool,
                                   failed: set[str], event: str | None,
                                   next_phase: str) -> None:
    status = replay(worked_example(), RULES, d(7))[offset]
    assert status.day == d(offset)
    assert (status.phase, status.phase_day, status.can_advance) == (phase, phase_day,
                                                                    can_advance)
    assert failing(status) == failed
    assert (status.event, status.next_phase, status.paused) == (event, next_phase, False)


def test_worked_example_sentences_name_the_day_and_the_numbers() -> None:
    days = replay(worked_example(), RULES, d(7))
    assert reason(days[2], "G3") == ("Pain was 6 on 1 March and 4 on 2 March; it must be 3 or "
                                     "less on three days in a row.")
    assert reason(days[3], "G3").startswith("Pain was 4 on 2 March;")
    assert "6" in reason(days[6], "R1") and "5" in reason(days[6], "R1")
    assert "Walk starts on 6 March" in reason(days[4], "advance")


def test_worked_example_without_the_advance_stays_in_rest() -> None:
    days = replay(worked_example(advance=False), RULES, d(7))
    assert days[4].can_advance and days[4].event is None and days[4].next_phase == "rest"
    assert [s.phase for s in days] == ["rest"] * 8
    # 03-07 still breaks R1 (activity pain 6 > 5): rest restarts from 03-08.
    assert days[6].event == "regression" and days[7].phase_day == 1


def test_status_json_record_has_the_cli_fields() -> None:
    record = status_on(worked_example(), RULES, d(4)).to_json()
    assert record["date"] == "2026-03-05"
    assert (record["phase"], record["phase_day"], record["paused"]) == ("rest", 5, False)
    assert (record["can_advance"], record["next_phase"]) == (True, "walk")
    assert {"rule": "G3", "ok": True}.items() <= record["reasons"][6].items()
    assert record["warnings"] == []


# --- rule tables ----------------------------------------------------------------------------

def test_replay_before_the_start_is_empty_and_status_refuses() -> None:
    assert replay(worked_example(), RULES, d(-1)) == []
    with pytest.raises(ValueError, match="before the episode's start"):
        status_on(worked_example(), RULES, d(-1))


def test_days_before_the_start_are_not_part_of_the_episode() -> None:
    early = tuple(DayLog(d(-k), 0, None, 0) for k in (1, 2, 3))
    walks = tuple(Activity(d(-k), "walk") for k in (1, 2))
    ep = episode([(5, None, 5), (1, None, 1), (1, None, 1)], extra_logs=early,
                 extra_activities=walks)
    days = replay(ep, RULES, d(2))
    # 0 → 5 across the start is no flare: the day before the start is not in the episode.
    assert days[0].event is None and "not logged" in reason(days[0], "R2")
    # The gate window cannot reach back before the start.
    assert "G2" in failing(days[1])
    assert days[2].can_advance is False and "G3" in failing(days[2])


@pytest.mark.parametrize(
    ("rows", "missing", "open_on"),
    [
        ([(4, None, 4)] * 3 + [None] + calm(4), "4 March is not logged", 6),
        ([(4, None, 4)] * 2 + [None, None] + calm(4), "3 March and 4 March are not logged", 6),
    ],
)
def test_g2_missing_day_inside_the_window(rows: list[Row], missing: str, open_on: int) -> None:
    days = replay(episode(rows), RULES, d(len(rows) - 1))
    assert "G2" in failing(days[4]) and missing in reason(days[4], "G2")
    assert "G2" in failing(days[5]) and "4 March is not logged" in reason(days[5], "G2")
    assert [s.can_advance for s in days].index(True) == open_on


def test_regression_out_of_rest_restarts_rest() -> None:
    rows = calm(4) + [(2, 6, 2), (1, None, 1)]
    days = replay(episode(rows), RULES, d(5))
    assert (days[4].event, days[4].next_phase, days[4].can_advance) == ("regression", "rest",
                                                                         False)
    assert (days[5].phase, days[5].phase_day) == ("rest", 1)


def test_regression_from_full_goes_back_to_return_to_run() -> None:
    rows = calm(22) + [(1, 7, 1), (1, None, 1)]
    days = replay(episode(rows, kinds=TO_FULL_KINDS, advances=TO_FULL_ADVANCES), RULES, d(23))
    assert [days[i].phase for i in (0, 3, 7, 14, 21)] == ["rest", "walk", "low_impact", "run",
                                                          "full"]
    assert days[22].event == "regression" and days[22].next_phase == "run"
    assert (days[23].phase, days[23].phase_day) == ("run", 1)


def test_full_training_has_no_gate_and_refuses_an_advance() -> None:
    ep = episode(calm(25), kinds=TO_FULL_KINDS, advances=TO_FULL_ADVANCES)
    status = status_on(ep, RULES, d(24))
    assert status.phase == "full" and not status.can_advance
    assert not {r.rule for r in status.reasons} & {"G1", "G2", "G3", "G4", "G5"}
    decision = check_advance(ep, RULES, d(24), d(30))
    assert not decision.accepted
    assert [r.rule for r in decision.reasons] == ["advance"]
    assert "last phase" in decision.reasons[0].detail


@pytest.mark.parametrize(
    ("yesterday", "today", "flare"),
    [((1, None, 1), (4, None, 1), True),     # worst 1 → 4: a rise of 3
     ((1, None, 1), (3, None, 1), False),    # a rise of 2 is not a flare
     ((1, None, 1), (1, 4, 1), True),        # the rise may come from activity pain
     ((1, None, 1), (1, None, 4), True),     # or from morning pain
     (None, (5, None, 5), False)],           # nothing the day before: no flare to judge
)
def test_r2_flare(yesterday: Row, today: Row, flare: bool) -> None:
    days = replay(episode(calm(3) + [yesterday, today]), RULES, d(4))
    assert (days[4].event == "regression") is flare
    assert ("R2" in failing(days[4])) is flare


@pytest.mark.parametrize(
    ("mornings", "rising"),
    [((1, 2, 3), True), ((0, 1, 2), True), ((1, 2, 2), False), ((2, 1, 2), False),
     ((1, None, 3), False)],
)
def test_r3_rising_morning_pain(mornings: tuple[int | None, ...], rising: bool) -> None:
    rows: list[Row] = calm(3) + [(2, None, m) for m in mornings]
    days = replay(episode(rows), RULES, d(5))
    assert (days[5].event == "regression") is rising
    assert ("R3" in failing(days[5])) is rising


@pytest.mark.parametrize(
    ("pain_activity", "regresses"), [(5, False), (6, True), (None, False)])
def test_r1_activity_pain_above_five(pain_activity: int | None, regresses: bool) -> None:
    days = replay(episode(calm(2) + [(3, None, 3), (3, pain_activity, 3)]), RULES, d(3))
    assert (days[3].event == "regression") is regresses
    assert ("R1" in failing(days[3])) is regresses


def test_r1_uses_the_activity_pain_when_the_day_has_none() -> None:
    painful_run = Activity(d(3), "run", 3000.0, pain=7)
    days = replay(episode(calm(4), extra_activities=(painful_run,)), RULES, d(3))
    assert days[3].event == "regression" and "7" in reason(days[3], "R1")


@pytest.mark.parametrize(
    ("worsts", "g4_ok"), [((1, 2, 3), False), ((3, 2, 3), True), ((3, 1, 2), True),
                          ((2, 2, 3), False)])
def test_g4_pain_not_rising(worsts: tuple[int, int, int], g4_ok: bool) -> None:
    rows: list[Row] = calm(3) + [(w, None, None) for w in worsts]
    status = replay(episode(rows), RULES, d(5))[5]
    assert ("G4" not in failing(status)) is g4_ok
    assert status.can_advance is g4_ok


@pytest.mark.parametrize(
    ("phase_kinds", "advances", "check_day", "ok"),
    [
        ({3: ("walk",)}, (2,), 6, False),                       # walk: 1 day of walks
        ({3: ("walk", "walk")}, (2,), 6, False),                # two walks, one day
        ({3: ("walk",), 5: ("walk",)}, (2,), 6, True),
        ({2: ("walk",), 3: ("walk",)}, (2,), 6, False),         # a walk before the phase
        ({7: ("swim",), 8: ("strength",), 9: ("cycle",)}, (2, 6), 13, False),
        ({7: ("swim",), 8: ("pilates",), 9: ("elliptical",)}, (2, 6), 13, True),
        ({14: ("run",), 15: ("run",), 16: ("walk",)}, (2, 6, 13), 20, False),
        ({14: ("run",), 15: ("run",), 16: ("run",)}, (2, 6, 13), 20, True),
    ],
)
def test_g5_activity_evidence_per_phase(phase_kinds: dict[int, tuple[str, ...]],
                                        advances: tuple[int, ...], check_day: int,
                                        ok: bool) -> None:
    # Earlier phases get the activities they need; the phase under test only its own.
    kinds = {**{k: v for k, v in TO_FULL_KINDS.items() if k < min(phase_kinds)}, **phase_kinds}
    ep = episode(calm(check_day + 1), kinds=kinds, advances=advances)
    status = status_on(ep, RULES, d(check_day))
    assert ("G5" not in failing(status)) is ok
    assert status.can_advance is ok


def test_rest_needs_no_activity() -> None:
    status = status_on(episode(calm(3)), RULES, d(2))
    assert status.can_advance and "needs no activity" in reason(status, "G5")


# --- pauses and clearances ----------------------------------------------------------------

FEVER = frozenset({"fever"})


def test_red_flag_pauses_that_day_and_stops_everything_until_cleared() -> None:
    rows: list[Row] = calm(3) + [(1, None, 1), (1, 8, 1), (1, None, 1), (1, None, 1)]
    days = replay(episode(rows, flags={3: FEVER}, advances=(5,)), RULES, d(6))
    assert days[2].can_advance and not days[2].paused
    assert (days[3].paused, days[3].event, days[3].can_advance) == (True, "pause", False)
    assert "fever" in reason(days[3], "pause")
    # Paused: no regression despite activity pain 8, no advance, days keep counting.
    assert days[4].event is None and days[4].paused and days[4].phase_day == 5
    assert days[5].ignored_advance and days[5].next_phase == "rest"
    assert "paused since 4 March" in reason(days[6], "pause")


def test_pause_and_clearance_on_the_same_day_ignores_the_clearance() -> None:
    days = replay(episode(calm(5), flags={3: FEVER}, clearances=(3,)), RULES, d(4))
    assert days[3].paused and days[3].event == "pause"
    assert "ignored" in reason(days[3], "clearance")
    assert days[4].paused
    assert not check_clearance(episode(calm(5), flags={3: FEVER}), RULES, d(3), d(9)).accepted


def test_clearance_ends_the_pause_and_the_gate_counts_only_later_days() -> None:
    ep = episode(calm(10), flags={3: FEVER}, clearances=(5,))
    days = replay(ep, RULES, d(9))
    assert days[4].paused
    assert (days[5].paused, days[5].event, days[5].can_advance) == (False, "clearance", False)
    assert "G2" in failing(days[6]) and "clearance on 6 March" in reason(days[6], "G2")
    assert "G2" in failing(days[7])
    assert days[8].can_advance and days[8].phase_day == 9


def test_clearance_while_not_paused_changes_nothing_and_is_refused() -> None:
    plain = replay(episode(calm(6)), RULES, d(5))
    stray = replay(episode(calm(6), clearances=(3,)), RULES, d(5))
    assert [(s.phase, s.can_advance, s.paused) for s in plain] == [
        (s.phase, s.can_advance, s.paused) for s in stray]
    assert stray[3].event is None
    decision = check_clearance(episode(calm(6)), RULES, d(3), d(9))
    assert not decision.accepted and "not paused" in decision.reasons[0].detail


def test_check_clearance_accepts_while_paused() -> None:
    ep = episode(calm(6), flags={2: FEVER})
    decision = check_clearance(ep, RULES, d(4), d(9))
    assert decision.accepted and "3 March" in decision.reasons[0].detail
    assert not check_clearance(ep, RULES, d(2), d(9)).accepted     # the red-flag day itself
    assert not check_clearance(ep, RULES, d(12), d(9)).accepted    # after today


def test_a_red_flag_while_paused_keeps_the_first_pause_date() -> None:
    days = replay(episode(calm(6), flags={1: FEVER, 3: frozenset({"numbness"})}), RULES, d(5))
    assert days[3].event == "pause" and "paused since 2 March" in reason(days[5], "pause")


# --- advancing ---------------------------------------------------------------------------

def test_advance_refused_while_the_gate_is_closed_lists_every_failing_rule() -> None:
    ep = worked_example(advance=False)
    first = check_advance(ep, RULES, d(0), d(7))
    assert not first.accepted
    assert [r.rule for r in first.reasons] == ["G1", "G2", "G3", "G4"]
    third = check_advance(ep, RULES, d(2), d(7))
    assert [r.rule for r in third.reasons] == ["G3"]
    assert check_advance(ep, RULES, d(4), d(7)).accepted


@pytest.mark.parametrize(
    ("day", "today", "words"),
    [(8, 7, "after today"), (-1, 7, "before this episode began")])
def test_advance_refused_outside_the_episode(day: int, today: int, words: str) -> None:
    decision = check_advance(worked_example(), RULES, d(day), d(today))
    assert not decision.accepted and words in decision.reasons[0].detail


def test_advance_refused_while_paused_on_clearance_and_regression_days() -> None:
    ep = episode(calm(9) + [(1, 6, 1)], flags={3: FEVER}, clearances=(5,))
    paused = check_advance(ep, RULES, d(4), d(20))
    assert not paused.accepted and [r.rule for r in paused.reasons] == ["pause"]
    cleared = check_advance(ep, RULES, d(5), d(20))
    assert not cleared.accepted and [r.rule for r in cleared.reasons] == ["advance"]
    regressed = check_advance(ep, RULES, d(9), d(20))
    assert not regressed.accepted and [r.rule for r in regressed.reasons] == ["R1", "R2"]


def test_editing_an_old_entry_makes_a_stored_advance_ignored() -> None:
    ep = worked_example()
    assert status_on(ep, RULES, d(5)).phase == "walk"
    logs = dict(ep.logs)
    logs[d(3)] = DayLog(d(3), 5, None, 2)   # 03-04 was really a 5
    edited = dataclasses.replace(ep, logs=logs)
    days = replay(edited, RULES, d(7))
    assert days[4].ignored_advance and days[4].event is None and days[4].next_phase == "rest"
    assert "ignored" in reason(days[4], "advance")
    assert (days[5].phase, days[5].phase_day) == ("rest", 6)
    # The answer for "today" (03-06) changes with the edit: Walk before, Rest after.
    assert (status_on(ep, RULES, d(5)).phase, status_on(edited, RULES, d(5)).phase) == (
        "walk", "rest")
    assert not check_advance(edited, RULES, d(4), d(7)).accepted


def test_auto_advance_moves_on_the_first_open_day() -> None:
    days = replay(episode(calm(8), kinds={3: ("walk",), 4: ("walk",)}),
                  Rules(auto_advance=True), d(7))
    assert [s.event for s in days].count("advance") == 2
    assert days[2].event == "advance" and days[3].phase == "walk"
    assert days[6].event == "advance" and days[7].phase == "low_impact"


# --- notices and guards ---------------------------------------------------------------------

def test_notice_when_pain_has_not_improved_after_six_weeks() -> None:
    stuck = replay(episode([(4, None, None)] * 43), RULES, d(42))
    assert stuck[41].notices == ()
    assert "please see a clinician" in stuck[42].notices[0]
    assert "4.0" in stuck[42].notices[0]


def test_no_notice_when_pain_dropped_enough() -> None:
    rows: list[Row] = [(6, None, None)] * 7 + [(3, None, None)] * 36
    assert replay(episode(rows), RULES, d(42))[42].notices == ()
    # A drop of 2 points that is not 30 % (8 → 6) is not enough.
    rows = [(8, None, None)] * 7 + [(6, None, None)] * 36
    assert len(replay(episode(rows), RULES, d(42))[42].notices) == 1


def test_notice_when_the_episode_is_over_ninety_days_old() -> None:
    rows: list[Row] = [(6, None, None)] * 7 + [(1, None, None)] * 85
    days = replay(episode(rows), RULES, d(91))
    assert days[90].notices == ()
    assert "more than 90 days ago" in days[91].notices[0]


def test_guards_only_on_run_and_full_days() -> None:
    runs = tuple(Activity(d(i), "run", 5000.0) for i in range(0, 26, 2))
    ep = episode(calm(26), kinds={k: v for k, v in TO_FULL_KINDS.items() if v != ("run",)},
                 advances=TO_FULL_ADVANCES, extra_activities=runs)
    days = replay(ep, RULES, d(25))
    assert all(s.guards == () for s in days[:14])
    assert all(any(g.id == "ratio" for g in s.guards) for s in days[14:])
    assert "ratio" in [g["id"] for g in days[14].to_json()["guards"]]
