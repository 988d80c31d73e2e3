"""Properties of the replay over random episodes (DESIGN.md §5.1)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverydesk.core.engine import replay
from recoverydesk.core.model import PHASES, Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.rules import Rules
from tests.budget import examples

START = datetime.date(2026, 1, 1)
MAX_DAYS = 45


def _day(i: int) -> datetime.date:
    return START + datetime.timedelta(days=i)


@st.composite
def episodes(draw: st.DrawFn) -> tuple[Episode, Rules]:
    """Mostly calm logged days (so plans advance), with missing days, rough days (any pain,
    sometimes a red flag), activities of every kind, and advance and clearance actions on
    random days, some of which the rules will refuse."""
    n = draw(st.integers(1, MAX_DAYS))
    logs = {}
    activities = []
    kinds = st.sampled_from(["walk", "run", "swim", "cycle", "yoga", "strength"])
    for i in range(n):
        day = _day(i)
        shape = draw(st.integers(0, 9))
        if shape == 0:
            continue
        if shape == 1:
            pain, activity, morning = draw(st.tuples(st.integers(0, 10), st.none()
                                                     | st.integers(0, 10),
                                                     st.none() | st.integers(0, 10)))
            flags = draw(st.sampled_from([frozenset(), frozenset(), frozenset({"fever"})]))
        else:
            pain = draw(st.integers(0, 2))
            activity, morning, flags = None, draw(st.none() | st.just(pain)), frozenset()
        logs[day] = DayLog(day, pain, activity, morning, flags)
        if draw(st.booleans()):
            activities.append(Activity(day, draw(kinds), draw(st.none() | st.floats(0, 20_000)),
                                       pain=draw(st.none() | st.integers(0, 6))))
    # Some activities before the start, which must not count.
    activities += [Activity(_day(-k), "walk") for k in range(draw(st.integers(0, 3)))]
    advance_days = draw(st.sets(st.integers(0, n - 1), max_size=n))
    clear_days = draw(st.sets(st.integers(0, n - 1), max_size=4))
    actions = tuple(Action(_day(i), "advance") for i in sorted(advance_days)) + tuple(
        Action(_day(i), "clearance", "cleared") for i in sorted(clear_days))
    rules = Rules(auto_advance=draw(st.booleans()))
    return Episode(EpisodeInfo(START), logs, tuple(activities), actions), rules


def _last(episode: Episode) -> datetime.date:
    return _day(MAX_DAYS - 1)


@settings(max_examples=examples(50), deadline=None)
@given(episodes())
def test_phase_moves_one_step_at_a_time(case: tuple[Episode, Rules]) -> None:
    episode, rules = case
    days = replay(episode, rules, _last(episode))
    assert days[0].phase == "rest" and days[0].phase_day == 1
    for today, tomorrow in zip(days, days[1:], strict=False):
        assert tomorrow.phase == today.next_phase
        step = PHASES.index(today.next_phase) - PHASES.index(today.phase)
        if today.event == "advance":
            assert step == 1 and tomorrow.phase_day == 1
        elif today.event == "regression":
            assert step == -1 or today.phase == today.next_phase == "rest"
            assert tomorrow.phase_day == 1
        elif today.event == "setback":  # two ladder stages down; the phase stays
            assert step == 0 and tomorrow.phase_day == today.phase_day + 1
        else:
            assert step == 0 and tomorrow.phase_day == today.phase_day + 1


@settings(max_examples=examples(50), deadline=None)
@given(episodes())
def test_advance_only_after_three_steady_logged_days(case: tuple[Episode, Rules]) -> None:
    episode, rules = case
    days = replay(episode, rules, _last(episode))
    for i, status in enumerate(days):
        if status.event != "advance":
            continue
        window = [_day(j) for j in (i - 2, i - 1, i)]
        assert i >= 2 and status.phase_day >= max(rules.min_days[status.phase], 3)
        assert all(day in episode.logs for day in window)
        scores = [episode.worst(day) for day in window]
        assert all(s is not None and s <= rules.advance_threshold[status.phase]
                   for s in scores)
        assert scores[2] - scores[0] <= rules.gate_rise_tolerance  # type: ignore[operator]
        assert not status.paused and not episode.logs[status.day].red_flags
        assert status.can_advance


@settings(max_examples=examples(50), deadline=None)
@given(episodes())
def test_a_red_flag_pauses_until_a_clearance(case: tuple[Episode, Rules]) -> None:
    episode, rules = case
    days = replay(episode, rules, _last(episode))
    paused = False
    for status in days:
        log = episode.logs.get(status.day)
        if log is not None and log.red_flags:
            paused = True
            assert status.event in ("pause", "clearance")  # a clearance may come the same day
        if status.event == "clearance":
            assert paused, "a clearance only ends a pause"
            paused = False
        assert status.paused is paused
        if status.paused:
            assert not status.can_advance and status.event in ("pause", None)
            assert status.next_phase == status.phase


@settings(max_examples=examples(30), deadline=None)
@given(episodes(), st.integers(0, MAX_DAYS - 1), st.integers(0, MAX_DAYS - 1))
def test_later_days_never_change_an_earlier_answer(case: tuple[Episode, Rules], x: int,
                                                   y: int) -> None:
    episode, rules = case
    short, long = sorted((x, y))
    head = replay(episode, rules, _day(short))
    assert len(head) == short + 1
    assert replay(episode, rules, _day(long))[:short + 1] == head
