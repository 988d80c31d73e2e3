"""The fast engine agrees with the plain reference replay, day by day, on random episodes."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverydesk.core.engine import replay
from recoverydesk.core.model import RISKS, Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.rules import Rules
from tests.core.reference_engine import reference_replay

START = datetime.date(2026, 1, 1)


def _day(i: int) -> datetime.date:
    return START + datetime.timedelta(days=i)


@st.composite
def episodes(draw: st.DrawFn) -> tuple[Episode, Rules]:
    """Mostly calm logged days so plans reach the ladder, with gaps, rough days, red flags,
    runs with and without durations and pains, advances asked on many days, passed
    ready-to-run tests, risk screens and clearances."""
    n = draw(st.integers(1, 110))
    busy = draw(st.booleans())  # every kind of activity on most days: the plan reaches the ladder
    run_days = draw(st.integers(5, 20))  # runs only on these days of every 20 (layoffs)
    logs = {}
    activities = []
    kinds = st.sampled_from(["walk", "run", "run", "swim", "cycle", "yoga", "strength"])
    for i in range(n):
        day = _day(i)
        shape = draw(st.integers(0, 40 if busy else 11))
        if shape == 0:
            continue
        if shape == 1:
            pain, activity, morning = draw(st.tuples(
                st.integers(0, 10), st.none() | st.integers(0, 10), st.none() | st.integers(0, 10)))
            flags = draw(st.sampled_from([frozenset(), frozenset(), frozenset({"fever"}),
                                          frozenset({"both_legs"})]))
        else:
            pain = draw(st.integers(0, 3))
            activity, flags = None, frozenset()
            morning = draw(st.none() | st.integers(max(pain - 1, 0), pain + 2))
            if busy and shape > 2:
                pain, morning = shape % 2, shape % 2
        logs[day] = DayLog(day, pain, activity, morning, flags)
        if busy:
            activities += [Activity(day, "walk"), Activity(day, "swim")]
            if draw(st.integers(0, 3)) and i % 20 < run_days:
                activities.append(Activity(day, "run", 4000.0, draw(st.sampled_from(
                    [600.0, 1200.0, 1500.0, 1700.0, 3000.0])), pain=draw(st.integers(0, 4))))
        for _ in range(draw(st.integers(0, 0 if busy and shape > 1 else 2))):
            activities.append(Activity(
                day, draw(kinds), draw(st.none() | st.floats(0, 20_000)),
                draw(st.none() | st.sampled_from([600.0, 900.0, 1200.0, 1500.0, 1800.0])),
                pain=draw(st.none() | st.integers(0, 7))))
    # Runs on days without a log, and activities before the start, which must not count.
    for i in draw(st.sets(st.integers(0, n - 1), max_size=3)):
        if _day(i) not in logs:
            activities.append(Activity(_day(i), "run", 3000.0, 1200.0))
    activities += [Activity(_day(-k), "walk") for k in range(draw(st.integers(0, 2)))]
    days = st.integers(0, n - 1)
    actions = [Action(_day(i), "advance") for i in sorted(draw(st.sets(days, max_size=n)))]
    actions += [Action(_day(i), "clearance", "cleared")
                for i in sorted(draw(st.sets(days, max_size=4)))]
    actions += [Action(_day(i), "ready")
                for i in sorted(draw(st.sets(days, max_size=n if busy else 6)))]
    for i in sorted(draw(st.sets(days, max_size=3))):
        actions.append(Action(_day(i), "screen",
                              risks=draw(st.frozensets(st.sampled_from(RISKS), max_size=2))))
    rules = Rules(auto_advance=busy or draw(st.booleans()))
    return Episode(EpisodeInfo(START), logs, tuple(activities), tuple(actions)), rules


FIELDS = ("day", "phase", "phase_day", "paused", "hold", "can_advance", "next_phase", "event",
          "run_stage", "run_stage_done", "ignored_advance", "ignored_clearance")


@settings(max_examples=400, deadline=None)
@given(episodes())
def test_fast_engine_agrees_with_the_reference_day_by_day(case: tuple[Episode, Rules]) -> None:
    episode, rules = case
    until = max([episode.start, *episode.logs]) + datetime.timedelta(days=3)
    fast = replay(episode, rules, until)
    slow = reference_replay(episode, rules, until)
    assert len(fast) == len(slow)
    for f, s in zip(fast, slow, strict=True):
        assert tuple(getattr(f, k) for k in FIELDS) == tuple(getattr(s, k) for k in FIELDS), f.day
        # The reasons agree with the verdict: the gate is open exactly when every gate rule held.
        gate = [r for r in f.reasons if r.rule.startswith("G")]
        if gate:
            assert f.can_advance == all(r.ok for r in gate), f.day
        for r in f.reasons:
            assert r.detail and "{" not in r.detail, (r.rule, r.why)
