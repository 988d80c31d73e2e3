"""The leg-pain, PSFS and stiffness notices (DESIGN §5.1), on hand-made episodes."""

from __future__ import annotations

import datetime as dt

from recoverydesk.core.engine import Notice
from recoverydesk.core.model import DayLog
from recoverydesk.core.outcome_notices import outcome_notices
from recoverydesk.core.psfs import PsfsScore

START = dt.date(2026, 1, 1)


def notice_words(notice) -> str:
    """The notice as the engine words it (resources/engine.toml)."""
    return Notice(notice.id, dict(notice.facts)).detail


def day(n: int) -> dt.date:
    """Day n of the episode, counting from 1."""
    return START + dt.timedelta(days=n - 1)


def logs(n: int, **fields) -> dict[dt.date, DayLog]:
    return {day(k): DayLog(day(k), 2, **fields) for k in range(1, n + 1)}


def ids(found) -> set[str]:
    return {n.id for n in found}


def test_leg_pain_notice_from_day_42_only() -> None:
    diary = logs(42, leg_pain=3)
    assert "leg_pain" not in ids(outcome_notices(START, diary, [], day(41), None))
    found = outcome_notices(START, diary, [], day(42), None)
    assert "leg_pain" in ids(found)
    (notice,) = [n for n in found if n.id == "leg_pain"]
    assert "averages 3.0" in notice_words(notice)
    assert "see a GP or physiotherapist about your leg pain" in notice_words(notice)


def test_leg_pain_mean_counts_only_days_with_a_value() -> None:
    diary = logs(42, leg_pain=2)
    diary[day(42)] = DayLog(day(42), 2, leg_pain=5)
    for k in range(36, 42):
        diary[day(k)] = DayLog(day(k), 2)  # no leg pain given: not counted as 0
    assert "leg_pain" in ids(outcome_notices(START, diary, [], day(42), None))
    diary[day(41)] = DayLog(day(41), 2, leg_pain=0)
    assert "leg_pain" not in ids(outcome_notices(START, diary, [], day(42), None))


def scores(*weeks: tuple[int, dict[int, int]]) -> list[PsfsScore]:
    return [PsfsScore(day(d), a, v) for d, week in weeks for a, v in week.items()]


def test_psfs_two_below_its_best_over_the_same_activities() -> None:
    history = scores((1, {1: 3, 2: 3}), (8, {1: 6, 2: 6}), (15, {1: 4, 2: 4}))
    found = outcome_notices(START, {}, history, day(15), None)
    assert "psfs_worse" in ids(found)
    (notice,) = [n for n in found if n.id == "psfs_worse"]
    assert "average 4.0, down from 6.0 on 8 Jan" in notice_words(notice)
    # one point down is noise
    mild = scores((1, {1: 3, 2: 3}), (8, {1: 6, 2: 6}), (15, {1: 5, 2: 5}))
    assert "psfs_worse" not in ids(outcome_notices(START, {}, mild, day(15), None))
    # a renamed activity (3 instead of 2) is not compared with the old one
    renamed = scores((1, {1: 3, 2: 3}), (8, {1: 6, 2: 9}), (15, {1: 5, 3: 0}))
    assert "psfs_worse" not in ids(outcome_notices(START, {}, renamed, day(15), None))


def test_psfs_not_gained_two_points_by_day_42() -> None:
    slow = scores((1, {1: 3, 2: 3}), (36, {1: 4, 2: 4}))
    assert "psfs_not_gained" not in ids(outcome_notices(START, {}, slow, day(41), None))
    assert "psfs_not_gained" in ids(outcome_notices(START, {}, slow, day(42), None))
    good = scores((1, {1: 3, 2: 3}), (36, {1: 5, 2: 5}))
    assert "psfs_not_gained" not in ids(outcome_notices(START, {}, good, day(42), None))
    assert ids(outcome_notices(START, {}, [], day(60), None)) == set()


def test_stiffness_notice_needs_day_90_most_days_and_early_onset() -> None:
    diary = logs(91, stiffness_min=30)
    assert "stiffness" not in ids(outcome_notices(START, diary, [], day(90), True))
    assert "stiffness" in ids(outcome_notices(START, diary, [], day(91), True))
    assert "stiffness" not in ids(outcome_notices(START, diary, [], day(91), False))
    assert "stiffness" not in ids(outcome_notices(START, diary, [], day(91), None))
    for k in range(78, 85):  # 7 of the last 14 mornings: half is not most
        diary[day(k)] = DayLog(day(k), 2, stiffness_min=10)
    assert "stiffness" not in ids(outcome_notices(START, diary, [], day(91), True))


def test_the_whole_episode_series_agrees_with_each_day() -> None:
    from recoverydesk.core.outcome_notices import notice_series

    diary = {}
    for k in range(1, 131):
        if k % 5 == 0:
            continue  # some days not logged
        diary[day(k)] = DayLog(day(k), 2, leg_pain=(k * 7) % 6 if k % 3 else None,
                               stiffness_min=(k * 13) % 60 if k % 4 else None)
    history = scores((1, {1: 3, 2: 3}), (20, {1: 6, 2: 6}), (50, {1: 3, 3: 4}),
                     (90, {1: 4, 2: 2}))
    series = notice_series(START, 130, diary, history, True)
    for k in range(1, 131):
        expected = outcome_notices(START, diary, history, day(k), True)
        assert sorted(series[k - 1], key=lambda n: n.id) == sorted(expected, key=lambda n: n.id)
    assert {n.id for day_notices in series for n in day_notices} == {
        "leg_pain", "psfs_worse", "psfs_not_gained", "stiffness"}
    for first in (1, 13, 14, 15, 41, 95, 129):  # a replay resumed after an edit
        assert notice_series(START, 130, diary, history, True, first=first) == series[first:]


def test_the_engine_raises_them_at_most_once_a_week() -> None:
    from recoverydesk.core import engine
    from recoverydesk.core.model import Episode, EpisodeInfo
    from recoverydesk.core.rules import Rules

    diary = logs(60, leg_pain=4, stiffness_min=45)
    history = scores((1, {1: 3, 2: 3}), (8, {1: 3, 2: 4}))
    episode = Episode(EpisodeInfo(START), diary, psfs_scores=tuple(history),
                      onset_before_45=True)
    timeline = engine.replay(episode, Rules(), day(60))
    raised = {n.id: [s.day for s in timeline if any(x.id == n.id for x in s.notices)]
              for s in timeline for n in s.notices}
    assert raised["leg_pain"] == [day(42), day(49), day(56)]
    assert raised["psfs_not_gained"] == [day(42), day(49), day(56)]
    assert "stiffness" not in raised  # only after day 90
    text = next(n.detail for s in timeline for n in s.notices if n.id == "leg_pain")
    assert "about your leg pain" in text
