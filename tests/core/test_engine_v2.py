"""Engine v2 rule by rule (DESIGN.md §5.1, §5.3, §5.4): worked examples and table tests."""

from __future__ import annotations

import datetime

import pytest

from recoverydesk.core.engine import DayStatus, check_clearance, replay
from recoverydesk.core.model import Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.rules import Rules

RULES = Rules()
ONE = datetime.timedelta(days=1)


class Story:
    """An episode written day by day: calm days (pain 1, morning 1) unless said otherwise."""

    def __init__(self, start: datetime.date = datetime.date(2026, 3, 1)) -> None:
        self.start = start
        self.logs: dict[datetime.date, DayLog] = {}
        self.acts: list[Activity] = []
        self.actions: list[Action] = []

    def d(self, i: int) -> datetime.date:
        return self.start + i * ONE

    def log(self, i: int, pain: int = 1, activity: int | None = None, morning: int | None = 1,
            flags: frozenset[str] = frozenset()) -> Story:
        self.logs[self.d(i)] = DayLog(self.d(i), pain, activity, morning, flags)
        return self

    def calm(self, first: int, last: int) -> Story:
        for i in range(first, last + 1):
            self.log(i)
        return self

    def act(self, i: int, kind: str, minutes: float | None = None, pain: int | None = None,
            metres: float | None = None) -> Story:
        self.acts.append(Activity(self.d(i), kind, metres,
                                  None if minutes is None else minutes * 60, pain))
        return self

    def action(self, i: int, kind: str, note: str = "", risks: frozenset[str] = frozenset(),
               ) -> Story:
        self.actions.append(Action(self.d(i), kind, note, risks))
        return self

    def to_run(self) -> Story:
        """Calm days 0–13 that reach ``run`` on day 14 at stage 1 (rest 0–2, walk 3–6,
        low-impact 7–13 with three sessions and a ready-to-run test on day 12)."""
        self.calm(0, 13)
        self.act(3, "walk").act(4, "walk").act(7, "swim").act(8, "cycle").act(9, "yoga")
        self.action(12, "ready")
        for i in (2, 6, 13):
            self.action(i, "advance")
        return self

    def climb(self, first: int, stages: int) -> Story:
        """From day ``first`` in run: a full session with pain 1 every other day, each
        judged well the next morning: ``stages`` steps up."""
        minutes = RULES.ladder_minutes
        day = first
        for k in range(stages):
            self.calm(day, day + 1)
            self.act(day, "run", minutes[k], pain=1)
            day += 2
        return self

    def episode(self, **info: object) -> Episode:
        return Episode(EpisodeInfo(self.start, **info), dict(self.logs),  # type: ignore[arg-type]
                       tuple(self.acts), tuple(self.actions))

    def replay(self, until: int, rules: Rules = RULES, **info: object) -> list[DayStatus]:
        return replay(self.episode(**info), rules, self.d(until))


def failing(status: DayStatus) -> set[str]:
    return {r.rule for r in status.reasons if not r.ok}


# --- §5.2 worked example --------------------------------------------------------------------

def test_worked_example_5_2() -> None:
    s = Story()
    for i, (p, a, m) in enumerate([(6, None, 6), (4, None, 4), (3, None, 3), (3, None, 2),
                                   (2, None, 2), (2, 3, 2), (2, 6, 2), (2, None, 2)]):
        s.log(i, p, a, m)
    s.act(5, "walk").act(6, "walk").action(4, "advance")
    days = s.replay(7)
    assert [(x.phase, x.phase_day, x.can_advance, x.event) for x in days] == [
        ("rest", 1, False, None), ("rest", 2, False, None), ("rest", 3, False, None),
        ("rest", 4, True, None), ("rest", 5, True, "advance"), ("walk", 1, False, None),
        ("walk", 2, False, "regression"), ("rest", 1, False, None)]
    assert failing(days[0]) >= {"G1"}
    assert failing(days[2]) == {"G3"}  # 03-01's worst 6 is above rest's 4
    assert failing(days[6]) == {"R1"}  # v2: R2 looks at pain and morning pain only


# --- §5.3 worked example and its alternative --------------------------------------------------

def ladder_example(*, activity_pain_on_11_may: bool = False) -> tuple[Story, dict[str, int]]:
    """Stage 3 reached on 8 May; runs on 10 and 11 May; pain 1 every day unless said."""
    s = Story(datetime.date(2026, 4, 21)).to_run()  # run from 5 May (day 14)
    s.climb(14, 2)                                   # stage 2 on 6 May, stage 3 on 8 May
    day = {f"{n} May": (datetime.date(2026, 5, n) - s.start).days for n in range(5, 30)}
    s.calm(day["9 May"], day["26 May"])
    s.act(day["10 May"], "run", 25, pain=2)
    s.act(day["11 May"], "run", 25, pain=3)
    s.log(day["12 May"], morning=3)
    if activity_pain_on_11_may:
        s.log(day["11 May"], activity=6)
    return s, day


def test_worked_example_5_3() -> None:
    s, day = ladder_example()
    days = s.replay(day["26 May"])
    stage = {k: days[v].run_stage for k, v in day.items() if v < len(days)}
    assert days[day["8 May"]].ladder == "up" and stage["8 May"] == 3
    assert stage["10 May"] == 3
    assert days[day["11 May"]].ladder == "up" and stage["11 May"] == 4
    assert days[day["12 May"]].ladder == "down" and stage["12 May"] == 3
    assert stage["18 May"] == 3
    assert days[day["19 May"]].ladder == "layoff" and stage["19 May"] == 2
    assert stage["25 May"] == 2
    assert stage["26 May"] == 1
    assert all(d.phase == "run" and not d.run_stage_done for d in days[day["5 May"]:])


def test_worked_example_5_3_alternative_setback() -> None:
    s, day = ladder_example(activity_pain_on_11_may=True)
    days = s.replay(day["13 May"])
    on_11 = days[day["11 May"]]
    assert on_11.event == "setback" and on_11.run_stage == 1 and on_11.phase == "run"
    assert on_11.next_phase == "run"
    assert days[day["12 May"]].ladder is None  # 11 May's run is not judged again
    assert days[day["12 May"]].run_stage == 1


# --- R2, R3 floors ------------------------------------------------------------

@pytest.mark.parametrize(("before", "after", "regress"), [
    ((1, 1), (4, 4), False),   # 1 -> 4: a bad day, not a flare (below 5)
    ((2, 2), (5, 5), True),    # a rise of 3 to 5
    ((3, 3), (5, 5), False),   # a rise of 2
    ((1, 1), (1, 5), True),    # the morning counts
    ((1, 1), (2, 2), False),
])
def test_r2_floor(before: tuple[int, int], after: tuple[int, int], regress: bool) -> None:
    s = Story().log(0, *before).log(1, before[0], None, before[1])
    s.log(2, after[0], None, after[1])
    assert ("R2" in failing(s.replay(2)[2])) is regress


def test_r2_ignores_pain_during_activity() -> None:
    s = Story().log(0).log(1, 1, None, 1).log(2, 1, 5, 1)
    assert s.replay(2)[2].event is None


@pytest.mark.parametrize(("mornings", "regress"), [
    ((0, 1, 2), False), ((1, 2, 3), True), ((2, 3, 3), False), ((0, 2, 4), True),
    ((None, 2, 4), False)])
def test_r3_floor(mornings: tuple[int | None, ...], regress: bool) -> None:
    s = Story()
    for i, m in enumerate(mornings):
        s.log(i, 1 if m is None else min(m, 2), None, m)
    assert ("R3" in failing(s.replay(2)[2])) is regress


# --- setbacks in run ---------------------------------------------------------------------------

def run_at_stage(stage: int) -> Story:
    return Story().to_run().climb(14, stage - 1)


@pytest.mark.parametrize(("stage", "event", "after"), [
    (5, "setback", 3), (3, "setback", 1), (2, "regression", None), (1, "regression", None)])
def test_setback_is_proportionate(stage: int, event: str, after: int | None) -> None:
    s = run_at_stage(stage)
    day = 14 + 2 * (stage - 1)
    s.log(day, 2, 7, 1)  # R1
    days = s.replay(day + 1)
    assert days[day].run_stage == (after if event == "setback" else stage)
    assert days[day].event == event
    assert days[day + 1].phase == ("run" if event == "setback" else "low_impact")


def test_second_setback_within_seven_days_steps_back_a_phase() -> None:
    s = run_at_stage(7)
    first = 14 + 12
    s.log(first, 2, 7, 1).calm(first + 1, first + 6).log(first + 6, 2, 7, 1)
    days = s.replay(first + 7)
    assert days[first].event == "setback" and days[first].run_stage == 5
    assert days[first + 6].event == "regression" and days[first + 7].phase == "low_impact"


def test_setback_eight_days_later_is_a_setback_again() -> None:
    s = run_at_stage(7)
    first = 14 + 12
    s.log(first, 2, 7, 1).calm(first + 1, first + 7).log(first + 7, 2, 7, 1)
    s.act(first + 3, "run", 10, pain=1)  # a short run holds the ladder and keeps off a layoff
    days = s.replay(first + 7)
    assert days[first + 4].ladder == "hold"
    assert days[first + 7].event == "setback" and days[first + 7].run_stage == 3


def test_passed_ladder_counts_as_stage_ten_for_a_setback() -> None:
    s = run_at_stage(1).climb(14, 9)
    top = 14 + 18
    days = s.replay(top)
    assert days[top].run_stage_done and days[top].run_stage == 9
    s.log(top + 1, 2, 7, 1)
    days = s.replay(top + 1)
    assert days[top + 1].event == "setback" and days[top + 1].run_stage == 8
    assert not days[top + 1].run_stage_done


def test_regression_from_full_enters_the_ladder_at_stage_six() -> None:
    s = run_at_stage(1).climb(14, 9)
    top = 14 + 18
    s.calm(top, top + 2).action(top + 2, "advance")
    days = s.replay(top + 2)
    assert days[top + 2].event == "advance", failing(days[top + 2])
    s.log(top + 4, 2, 7, 1)
    days = s.replay(top + 5)
    assert days[top + 3].phase == "full" and days[top + 4].event == "regression"
    assert days[top + 5].phase == "run" and days[top + 5].run_stage == 6


# --- the ladder's 24-hour step ---------------------------------------------------------------

def one_run(minutes: float | None, pain: int = 1, morning_after: int | None = 1,
            stage: int = 1) -> DayStatus:
    s = run_at_stage(stage)
    day = 14 + 2 * (stage - 1)
    s.calm(day, day + 1).act(day, "run", minutes, pain=pain).log(day + 1, 1, None, morning_after)
    return s.replay(day + 1)[day + 1]


@pytest.mark.parametrize(("minutes", "step"), [
    (18, "up"), (14.4, "up"), (14.3, "hold"), (None, "up"), (5, "hold")])
def test_the_80_percent_session_rule(minutes: float | None, step: str) -> None:
    assert one_run(minutes).ladder == step


@pytest.mark.parametrize(("pain", "morning", "step"), [
    (3, 1, "up"), (4, 1, "hold"), (5, 2, "hold"), (1, 3, "down"),
    (1, 2, "up"), (1, None, "hold")])
def test_went_well_badly_or_holds(pain: int, morning: int | None, step: str) -> None:
    assert one_run(18, pain, morning, stage=2 if step == "down" else 1).ladder == step


def test_a_run_with_pain_6_went_badly_when_the_day_itself_did_not_regress() -> None:
    s = run_at_stage(3)
    s.calm(18, 19).log(18, 1, 5, 1).act(18, "run", 25, pain=6)  # the day's activity pain: 5
    days = s.replay(19)
    assert days[18].event is None and days[19].ladder == "down" and days[19].run_stage == 2


def test_at_most_one_step_up_in_two_days() -> None:
    s = run_at_stage(1)
    s.calm(14, 17).act(14, "run", 18, pain=1).act(15, "run", 20, pain=1)
    days = s.replay(17)
    assert days[15].ladder == "up" and days[16].ladder == "hold"
    assert days[16].run_stage == 2


def test_step_down_from_a_passed_ladder_returns_to_stage_nine() -> None:
    s = run_at_stage(1).climb(14, 9)
    top = 14 + 18
    s.calm(top, top + 1).act(top, "run", 20, pain=1).log(top + 1, 1, None, 3)
    days = s.replay(top + 1)
    assert days[top].run_stage_done
    assert days[top + 1].ladder == "down" and days[top + 1].run_stage == 9
    assert not days[top + 1].run_stage_done


def test_layoff_steps_down_each_full_week_paused_or_not() -> None:
    s = run_at_stage(4)
    last = 14 + 6
    s.calm(last, last + 23).act(last, "run", 5, pain=1).log(last + 9, 1, None, 1,
                                                             frozenset({"numbness"}))
    days = s.replay(last + 23)
    stages = [days[last + k].run_stage for k in (7, 8, 14, 15, 22)]
    assert stages == [4, 3, 3, 2, 1]


# --- the gate ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("phase_days", "worst", "opens"), [
    ("rest", 4, True), ("rest", 5, False), ("walk", 3, True), ("walk", 4, False)])
def test_g3_thresholds(phase_days: str, worst: int, opens: bool) -> None:
    s = Story()
    if phase_days == "rest":
        s.log(0, worst, None, worst).log(1, worst, None, worst).log(2, worst, None, worst)
        day = 2
    else:
        s.calm(0, 2).action(2, "advance").act(3, "walk").act(4, "walk")
        for i in range(3, 7):
            s.log(i, worst, None, worst)
        day = 6
    assert s.replay(day)[day].can_advance is opens


@pytest.mark.parametrize(("worsts", "opens"), [((2, 3, 3), True), ((2, 3, 4), False),
                                               ((4, 2, 3), True)])
def test_g4_tolerance(worsts: tuple[int, ...], opens: bool) -> None:
    s = Story()
    for i, w in enumerate(worsts):
        s.log(i, w, None, None)
    day = s.replay(2)[2]
    assert day.can_advance is opens
    assert ("G4" in failing(day)) is not opens


def test_g5_ladder_must_be_passed() -> None:
    s = run_at_stage(1).climb(14, 8)
    days = s.replay(14 + 16)
    g5 = days[-1].reason("G5")
    assert g5 is not None and not g5.ok and g5.facts["left"] == 1
    s.climb(14 + 16, 1)
    days = s.replay(14 + 17)
    assert days[-1].ladder == "passed" and days[-1].run_stage_done and days[-1].can_advance


def test_g6_window_and_floor() -> None:
    base = Story().calm(0, 20).act(3, "walk").act(4, "walk").act(7, "swim").act(8, "cycle")
    base.act(9, "yoga").action(2, "advance").action(6, "advance")
    s = Story()
    s.logs, s.acts, s.actions = dict(base.logs), list(base.acts), [*base.actions,
                                                                   Action(s.d(7), "ready")]
    days = s.replay(20)
    assert days[13].can_advance            # the test on day 7 counts on days 7–13
    assert not days[14].can_advance and "G6" in failing(days[14])
    s.actions.append(Action(s.d(5), "ready"))  # before the phase began: never counts
    s.actions.remove(Action(s.d(7), "ready"))
    days = s.replay(20)
    assert not any(d.can_advance for d in days[7:21])


def test_g7_hold_and_its_clearance() -> None:
    s = Story().to_run()
    s.action(0, "screen", risks=frozenset({"osteoporosis"}))
    days = s.replay(14)
    assert days[0].hold and days[0].event == "hold" and not days[0].paused
    assert days[13].phase == "low_impact" and "G7" in failing(days[13])
    s.action(13, "clearance", "seen by GP, cleared")
    days = s.replay(14)
    assert days[13].event == "advance" and not days[13].hold
    assert days[14].phase == "run"


# --- pauses, holds and clearances ------------------------------------------------------------

def test_same_day_clearance_ends_the_pause_at_the_end_of_the_day() -> None:
    s = Story().calm(0, 8).log(3, flags=frozenset({"fever"}))
    s.action(3, "clearance", "seen by GP, cleared")
    days = s.replay(8)
    assert days[3].event == "clearance" and not days[3].paused
    assert not days[4].paused
    g2 = days[5].reason("G2")
    assert g2 is not None and g2.why == "after_clearance"
    assert days[6].can_advance  # 4, 5, 6 after the clearance


def test_check_clearance_accepts_the_flag_day() -> None:
    s = Story().calm(0, 3).log(3, flags=frozenset({"both_legs"}))
    today = s.d(3)
    assert check_clearance(s.episode(), RULES, s.d(3), today).accepted
    assert not check_clearance(s.episode(), RULES, s.d(2), today).accepted


@pytest.mark.parametrize(("risks", "paused", "hold"), [
    (frozenset({"cancer_history"}), True, False),
    (frozenset({"steroids", "energy"}), True, False),
    (frozenset({"age_onset"}), False, True),
    (frozenset(), False, False)])
def test_screen_pause_and_hold(risks: frozenset[str], paused: bool, hold: bool) -> None:
    s = Story().calm(0, 3).action(1, "screen", risks=risks)
    day = s.replay(3)[1]
    assert (day.paused, day.hold) == (paused, hold)
    if paused:
        assert day.pause_reason is not None and day.pause_reason["risks"] == risks


def test_a_single_check_before_running_yes_pauses_in_run() -> None:
    s = run_at_stage(2).action(17, "screen", risks=frozenset({"osteoporosis"}))
    day = s.replay(17)[17]
    assert day.paused and not day.hold


def test_a_screen_with_no_yes_ends_nothing() -> None:
    s = Story().calm(0, 5).action(0, "screen", risks=frozenset({"steroids"}))
    s.action(2, "screen")
    assert s.replay(5)[5].hold


def test_clearing_only_a_hold_restarts_nothing() -> None:
    s = Story().calm(0, 4).action(0, "screen", risks=frozenset({"steroids"}))
    s.action(2, "clearance", "seen by physio")
    days = s.replay(4)
    assert days[2].event == "hold_cleared" and days[2].can_advance  # judged as usual


# --- the whole way ---------------------------------------------------------------------------

def test_a_steady_runner_reaches_full_only_after_passing_the_ladder() -> None:
    s = Story().to_run()
    s.calm(14, 80)
    for i in range(14, 80, 2):
        s.act(i, "run", 30, pain=1)
    s.actions += [Action(s.d(i), "advance") for i in range(14, 80)]
    days = s.replay(80)
    first_full = next(i for i, d in enumerate(days) if d.phase == "full")
    assert days[first_full - 1].run_stage_done and days[first_full - 1].ladder == "passed"
    assert not any(d.run_stage_done for d in days[:first_full - 1])
    assert first_full >= 14 + 2 * 9  # nine stages, one step up at most every two days


def test_a_pain_free_runner_never_sees_a_see_a_clinician_notice() -> None:
    s = Story().to_run()
    for i in range(14, 200):
        s.log(i, 0, None, 0)
        if i % 2 == 0:
            s.act(i, "run", 30, pain=0, metres=5000)
    s.actions += [Action(s.d(i), "advance") for i in range(14, 200)]
    days = s.replay(199)
    assert days[-1].phase == "full"
    assert not any(n.id != "back_to_ladder" for d in days for n in d.notices)


def test_not_improving_notice_is_raised_at_most_once_a_week() -> None:
    s = Story()
    for i in range(60):
        s.log(i, 4, None, 4)
    days = s.replay(59)
    raised = [i for i, d in enumerate(days) if any(n.id == "not_improving" for n in d.notices)]
    assert raised and raised[0] == RULES.clinician_after_days
    assert all(b - a == 7 for a, b in zip(raised, raised[1:], strict=False))


def test_no_workload_ratio_anywhere() -> None:
    s = Story().to_run()
    s.calm(14, 40)
    for i in range(14, 40, 2):
        s.act(i, "run", 60, pain=1, metres=9000)
    for d in s.replay(40):
        text = str(d.to_json()).lower()
        assert "ratio" not in text and "workload" not in text


def test_stage_caution_for_a_run_longer_than_the_stage_asks() -> None:
    day = one_run(18 * 1.25 + 1)
    s = run_at_stage(1).calm(14, 15).act(14, "run", 23.5, pain=1)
    status = s.replay(14)[14]
    assert [c.id for c in status.cautions] == ["stage_long"]
    assert day.ladder == "up"


def test_offer_to_mark_recovered_after_a_calm_fortnight_in_full() -> None:
    s = run_at_stage(1).climb(14, 9)
    top = 14 + 18
    s.calm(top, top + 20).action(top + 2, "advance")
    days = s.replay(top + 20)
    assert days[top + 3].phase == "full"
    assert days[top + 20].offer_recovered
    s.log(top + 15, 2, None, 2)
    assert not s.replay(top + 20)[top + 20].offer_recovered


def test_advance_refused_names_every_failing_rule_and_is_not_accepted() -> None:
    from recoverydesk.core.engine import check_advance
    s = Story().log(0, 5, None, 5).log(1)
    decision = check_advance(s.episode(), RULES, s.d(1), s.d(1))
    assert not decision.accepted
    assert {r.rule for r in decision.reasons} >= {"G1", "G2", "G3"}
    assert all(r.detail for r in decision.reasons)


def test_a_stored_advance_that_no_longer_holds_is_ignored_and_said_so() -> None:
    s = Story().calm(0, 4).action(2, "advance")
    assert s.replay(4)[2].event == "advance"
    s.log(1, 6, None, 6)  # an old entry edited
    day = s.replay(4)[2]
    assert day.event != "advance" and day.ignored_advance
    assert day.reason("advance") is not None and not day.reason("advance").ok  # type: ignore[union-attr]
