"""Chart figures of core/load.py (DESIGN.md §6) with hand-worked numbers."""

from __future__ import annotations

import datetime

import pytest

from recoverydesk.core.load import (
    MIN_PAIRED_DAYS,
    MorningAfter,
    WeekTotal,
    daily_figures,
    link_sentence,
    next_morning_pairs,
    pain_means_7d,
    pain_week_link,
    pearson,
    run_distances,
    run_distances_7d,
    weekly_limits,
    weekly_totals,
)
from recoverydesk.core.model import Activity, DayLog


def d(day: int, month: int = 3) -> datetime.date:
    return datetime.date(2026, month, day)


def act(day: int, kind: str, metres: float | None = None, seconds: float | None = None,
        pain: int | None = None) -> Activity:
    return Activity(d(day), kind, metres, seconds, pain)


def logs(*entries: DayLog) -> dict[datetime.date, DayLog]:
    return {e.day: e for e in entries}


# 2026-03-02 is a Monday.
RUNS = (act(2, "run", 5000), act(4, "run", 3000), act(9, "run", 6000),
        act(10, "walk", 4000), act(10, "cycle", 12000))


# --- daily and 7-day running distance ----------------------------------------------------------

def test_daily_run_distance_counts_runs_only() -> None:
    assert run_distances(RUNS, d(1), d(10)) == [0, 5000, 0, 3000, 0, 0, 0, 0, 6000, 0]


def test_two_runs_on_one_day_add_up() -> None:
    both = (act(3, "run", 2000), act(3, "run", 2500))
    assert run_distances(both, d(3), d(3)) == [4500]


def test_seven_day_distance_is_the_window_ending_on_the_day() -> None:
    # 03-08: 03-02..03-08 = 5 + 3; 03-09: 03-03..03-09 = 3 + 6 (the 5 km of 03-02 left).
    assert run_distances_7d(RUNS, d(1), d(10)) == [
        0, 5000, 5000, 8000, 8000, 8000, 8000, 8000, 9000, 9000]


def test_seven_day_distance_sees_runs_before_first() -> None:
    assert run_distances_7d(RUNS, d(8), d(9)) == [8000, 9000]


def test_empty_range_gives_empty_lists() -> None:
    assert run_distances(RUNS, d(5), d(4)) == []
    assert weekly_totals(RUNS, d(5), d(4)) == []


# --- 7-day mean of pain -----------------------------------------------------------------------

PAINS = logs(DayLog(d(1), 6), DayLog(d(2), 4), DayLog(d(4), 2))


def test_pain_mean_over_logged_days_only() -> None:
    # 03-03 is not logged: it is left out, not counted as 0.
    assert pain_means_7d(PAINS, d(1), d(11)) == [
        6.0, 5.0, 5.0, 4.0, 4.0, 4.0, 4.0,  # 03-01..03-07: every logged day so far
        3.0,                                 # 03-08: 03-02..03-08 → 4 and 2
        2.0, 2.0,                            # 03-09, 03-10: only 03-04 left
        None,                                # 03-11: nothing logged in 03-05..03-11
    ]


def test_pain_mean_uses_logs_before_first() -> None:
    assert pain_means_7d(PAINS, d(3), d(3)) == [5.0]


# --- weekly totals ----------------------------------------------------------------------------

WEEK_ACTS = (
    act(2, "run", 5000, 1500),      # Monday of the first week, but before first: left out
    act(4, "run", 3000, 1200),
    act(6, "walk", 4000, 3600),
    act(7, "yoga", None, 1800),     # minutes, no distance
    act(10, "cycle", 10000, 1800),  # a week with no runs
    act(16, "run", 3300, 1100),
    act(18, "run", 9999, 9999),     # after last: left out
)


def test_weekly_totals_monday_to_sunday_with_partial_ends() -> None:
    weeks = weekly_totals(WEEK_ACTS, d(4), d(17))
    assert weeks == [
        WeekTotal(d(2), 5, 7000.0, 3000.0, 6600.0),
        WeekTotal(d(9), 7, 10000.0, 0.0, 1800.0),
        WeekTotal(d(16), 2, 3300.0, 3300.0, 1100.0),
    ]


def test_weekly_totals_keep_quiet_weeks() -> None:
    weeks = weekly_totals((act(2, "run", 1000), act(23, "run", 2000)), d(2), d(29))
    assert [w.run_m for w in weeks] == [1000.0, 0.0, 0.0, 2000.0]
    assert [w.monday for w in weeks] == [d(2), d(9), d(16), d(23)]


def test_weekly_limit_is_previous_week_plus_ten_percent() -> None:
    limits = weekly_limits([3000.0, 0.0, 3300.0, 5000.0])
    # No line for the first week, nor after a week without running (nothing to add 10 % to).
    assert limits[0] is None and limits[2] is None
    assert limits[1] == pytest.approx(3300.0) and limits[3] == pytest.approx(3630.0)


# --- the 24-hour rule -------------------------------------------------------------------------

def test_next_morning_pairs_hand_worked() -> None:
    entries = logs(DayLog(d(1), 3, None, 4), DayLog(d(2), 2, None, 3), DayLog(d(4), 2, None, 2),
                   DayLog(d(5), 3))
    acts = (act(1, "run", 5000, 1800, pain=4), act(1, "walk", 2000, 1200),
            act(3, "cycle", 10000, 2400, pain=2), act(5, "run", 8000, 2400))
    pairs = next_morning_pairs(entries, acts, d(1), d(5))
    assert pairs == [
        # 03-01's run and walk, then 03-02's morning pain 3.
        MorningAfter(d(1), ("walk", "run"), 7000.0, 5000.0, 50.0, 3, 4, 3),
        # 03-02 → 03-03 not logged: no pair. 03-03 unlogged but active → 03-04's morning 2.
        MorningAfter(d(3), ("cycle",), 10000.0, 0.0, 40.0, None, 2, 2),
        # 03-04 → 03-05 has no morning pain; 03-05 is the last day: its morning is tomorrow.
    ]


def test_next_morning_pairs_rest_day_and_logged_activity_pain() -> None:
    entries = logs(DayLog(d(1), 2, 5), DayLog(d(2), 1, None, 1), DayLog(d(3), 1, None, 2))
    acts = (act(1, "run", 4000, 1500, pain=3),)
    pairs = next_morning_pairs(entries, acts, d(1), d(3))
    assert pairs[0].activity_pain == 5  # the log's own activity pain wins over the run's 3
    assert pairs[1] == MorningAfter(d(2), (), 0.0, 0.0, 0.0, 1, None, 2)


# --- pain against the week's running -----------------------------------------------------------

def test_pearson_hand_worked() -> None:
    # means 2 and 2; sxy = 1, sxx = syy = 2 → r = 0.5
    assert pearson([1.0, 2.0, 3.0], [1.0, 3.0, 2.0]) == pytest.approx(0.5)
    assert pearson([1.0, 2.0], [5.0, 5.0]) is None
    assert pearson([1.0], [1.0]) is None


def test_week_before_is_d_minus_7_to_d_minus_1() -> None:
    acts = (act(1, "run", 5000), act(8, "run", 3000))
    entries = logs(DayLog(d(8), 2), DayLog(d(9), 3), DayLog(d(15), 1), DayLog(d(16), 0))
    link = pain_week_link(entries, acts, d(1), d(16))
    assert link.days == (d(8), d(9), d(15), d(16))
    # 03-08: 03-01..03-07 = 5 km (not its own 3 km); 03-09: 03-02..03-08 = 3 km; 03-16: none.
    assert link.week_m == (5000.0, 3000.0, 3000.0, 0.0)
    assert link.pain == (2, 3, 1, 0)
    assert link.r is None and link.n == 4
    assert link.sentence.startswith("Not enough data yet: 4 days with a pain score")


def _ramp(pain_of) -> tuple[dict[datetime.date, DayLog], tuple[Activity, ...]]:
    """1 km every day from 03-01: the week before day k holds min(k, 7) km."""
    entries = logs(*(DayLog(d(1 + k), pain_of(min(k, 7)), None, 7 - min(k, 7))
                     for k in range(20)))
    return entries, tuple(act(1 + k, "run", 1000) for k in range(20))


def test_perfect_correlation() -> None:
    entries, acts = _ramp(lambda km: km)
    link = pain_week_link(entries, acts, d(1), d(20))
    assert link.n == 20 and link.r == pytest.approx(1.0)
    assert link.sentence == ("Pain has been clearly higher after bigger running weeks "
                             "(r = 1.00 over 20 days).")


def test_perfect_negative_correlation_with_morning_pain() -> None:
    entries, acts = _ramp(lambda km: km)
    link = pain_week_link(entries, acts, d(1), d(20), morning=True)
    assert link.morning and link.r == pytest.approx(-1.0)
    assert link.sentence == ("Next-morning pain has been clearly lower after bigger running "
                             "weeks (r = -1.00 over 20 days).")


def test_not_enough_paired_days() -> None:
    entries, acts = _ramp(lambda km: km)
    link = pain_week_link(entries, acts, d(1), d(MIN_PAIRED_DAYS - 1))
    assert link.n == 13 and link.r is None
    assert link.sentence == ("Not enough data yet: 13 days with a pain score so far; at least 14 "
                             "are needed to compare it with your running.")


def test_unlogged_days_and_missing_morning_pain_are_not_paired() -> None:
    entries = logs(DayLog(d(1), 3, None, 2), DayLog(d(2), 3), DayLog(d(4), 3, None, 1))
    link = pain_week_link(entries, (), d(1), d(5), morning=True)
    assert link.days == (d(1), d(4)) and link.pain == (2, 1)


def test_flat_pain_or_flat_running_say_so() -> None:
    entries = logs(*(DayLog(d(1 + k), 2) for k in range(15)))
    flat = pain_week_link(entries, (act(3, "run", 4000),), d(1), d(15))
    assert flat.r is None and flat.sentence.startswith("Pain stayed the same on all 15 days")
    steady = (act(k, "run", 1000) for k in range(1, 24))
    varied = logs(*(DayLog(d(1 + k), k % 3) for k in range(8, 23)))
    level = pain_week_link(varied, tuple(steady), d(9), d(23))  # 7 km in every week before
    assert level.r is None and "did not vary over these 15 days" in level.sentence


def test_a_few_days_after_running_are_not_enough() -> None:
    # 20 paired days, but only 03-16..03-21 (6 days) follow a week with the one run of 03-15.
    entries = logs(*(DayLog(d(1 + k), 6 - k // 4) for k in range(20)))
    link = pain_week_link(entries, (act(15, "run", 2000),), d(1), d(20))
    assert link.n == 20 and link.r is None
    assert link.sentence == ("Not enough running yet: 5 of these 20 days come after a week "
                             "with a run; at least 7 are needed to see whether pain follows "
                             "your running.")


@pytest.mark.parametrize(("r", "words"), [
    (0.19, "No clear link between pain and your running the week before (r = 0.19 over 31 days)."),
    (-0.19, "No clear link between pain and your running the week before (r = -0.19 over 31 "
            "days)."),
    (0.2, "Pain tends to be higher after bigger running weeks (r = 0.20 over 31 days)."),
    (-0.1996, "Pain tends to be lower after bigger running weeks (r = -0.20 over 31 days)."),
    (0.42, "Pain tends to be higher after bigger running weeks (r = 0.42 over 31 days)."),
    (-0.3, "Pain tends to be lower after bigger running weeks (r = -0.30 over 31 days)."),
    (0.5, "Pain has been clearly higher after bigger running weeks (r = 0.50 over 31 days)."),
])
def test_sentence_thresholds(r: float, words: str) -> None:
    assert link_sentence(r, 31) == words


# --- all of it at once --------------------------------------------------------------------------

def test_daily_figures_agree_with_the_single_figures() -> None:
    entries = logs(DayLog(d(1), 6, None, 5), DayLog(d(2), 4, red_flags=frozenset({"fever"})),
                   DayLog(d(4), 2))
    figures = daily_figures(entries, RUNS, d(1), d(10))
    assert len(figures) == 10 and figures.day(9) == d(10)
    assert figures.pain == (6, 4, None, 2, None, None, None, None, None, None)
    assert figures.morning[:2] == (5, None)
    assert figures.red_flags[:3] == (False, True, False)
    assert list(figures.run_m) == run_distances(RUNS, d(1), d(10))
    assert list(figures.run_7d_m) == run_distances_7d(RUNS, d(1), d(10))
    assert not hasattr(figures, "ratio")  # no workload ratio anywhere (§5.1)
    assert list(figures.pain_mean_7d) == pain_means_7d(entries, d(1), d(10))


def test_the_drawn_mean_breaks_on_days_with_no_entry() -> None:
    """One meaning everywhere (§1.1): no chart draws the mean across an unlogged day."""
    first = datetime.date(2026, 3, 1)
    logs = {first + datetime.timedelta(days=k): DayLog(first + datetime.timedelta(days=k), p)
            for k, p in ((0, 4), (1, 2), (3, 6))}  # day 2 not logged
    figures = daily_figures(logs, [], first, first + datetime.timedelta(days=3))
    assert figures.pain_mean_7d[2] == pytest.approx(3.0)  # the mean itself is defined there
    assert figures.pain_mean_drawn == (4.0, 3.0, None, 4.0)
