"""The fast engine agrees with the plain reference replay, day by day, on random episodes."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverydesk.core.engine import replay
from recoverydesk.core.model import RISKS, Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.rules import Rules
from tests.budget import examples
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


def _mixed(before: Episode, after: Episode, cut: datetime.date) -> Episode:
    """``before``'s data up to ``cut``, ``after``'s from it on: an edit from ``cut``."""
    logs = {d: log for d, log in before.logs.items() if d < cut}
    logs |= {d: log for d, log in after.logs.items() if d >= cut}
    # leg pain and stiffness on some days, so the outcome notices take part too
    logs = {d: dataclasses.replace(log, leg_pain=log.pain + (d.day % 3),
                                   stiffness_min=15 * (d.day % 4)) if d.day % 2 else log
            for d, log in logs.items()}
    return Episode(before.info, logs,
                   tuple(a for a in before.activities if a.day < cut)
                   + tuple(a for a in after.activities if a.day >= cut),
                   tuple(a for a in before.actions if a.day < cut)
                   + tuple(a for a in after.actions if a.day >= cut),
                   onset_before_45=True)


@settings(max_examples=examples(100), deadline=None)
@given(episodes(), episodes(), st.integers(0, 120), st.integers(0, 30))
def test_a_replay_resumed_after_an_edit_equals_a_full_replay(
        case: tuple[Episode, Rules], other: tuple[Episode, Rules], cut: int, more: int) -> None:
    """Session keeps the days before an edit and resumes the fold there (§10: saving a day
    within a frame); every answer, reasons and notices included, must be the full replay's."""
    episode, rules = case
    old = _mixed(episode, episode, _day(10_000))
    new = _mixed(episode, other[0], _day(cut))
    until = _day(max(cut, len(episode.logs) and (max(episode.logs) - START).days) + 5)
    earlier = replay(old, rules, until)
    for status in earlier:  # the lazy details the earlier replay has already worked out
        _ = status.notices
    resumed = replay(new, rules, until + datetime.timedelta(days=more), earlier=earlier,
                     changed_from=_day(cut))
    full = replay(new, rules, until + datetime.timedelta(days=more))
    assert resumed == full
    for r, f in zip(resumed, full, strict=True):
        assert (r.reasons, r.cautions, r.notices, r.guide, r.offer_recovered) == (
            f.reasons, f.cautions, f.notices, f.guide, f.offer_recovered), r.day


@settings(max_examples=examples(60), deadline=None)
@given(episodes(), st.integers(1, 40))
def test_a_replay_resumed_on_a_later_day_equals_a_full_replay(
        case: tuple[Episode, Rules], more: int) -> None:
    """A new day (the app left open past midnight) resumes from yesterday's replay."""
    episode, rules = case
    episode = _mixed(episode, episode, _day(10_000))
    until = max([episode.start, *episode.logs])
    earlier = replay(episode, rules, until)
    later = until + datetime.timedelta(days=more)
    resumed = replay(episode, rules, later, earlier=earlier)
    full = replay(episode, rules, later)
    assert resumed == full
    assert [s.notices for s in resumed] == [s.notices for s in full]
