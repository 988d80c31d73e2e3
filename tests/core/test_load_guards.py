"""Mileage guards (DESIGN.md §5.1) with hand-worked numbers."""

from __future__ import annotations

import datetime

import pytest

from recoverydesk.core.load import Guard, guards_by_day
from recoverydesk.core.model import Activity
from recoverydesk.core.rules import Rules

DAY = datetime.date(2026, 6, 30)
RULES = Rules()


def run(days_before: int, km: float, kind: str = "run") -> Activity:
    return Activity(DAY - datetime.timedelta(days=days_before), kind, km * 1000)


def guards(*activities: Activity, rules: Rules = RULES, units: str = "km") -> dict[str, Guard]:
    found = guards_by_day(activities, DAY, DAY, rules, units)[DAY]
    return {g.id: g for g in found}


def test_spike_against_the_longest_run_of_the_last_30_days() -> None:
    found = guards(run(10, 6.0), run(20, 5.0), run(0, 8.0))
    spike = found["spike"]
    assert spike.warn and spike.value == pytest.approx(8 / 6)
    assert spike.detail.startswith("Today's run of 8.0 km is 33 % longer than your longest run "
                                   "in the last 30 days (6.0 km)")


@pytest.mark.parametrize(("today_km", "fires"), [(6.6, False), (6.7, True), (5.0, False)])
def test_spike_threshold_is_ten_percent(today_km: float, fires: bool) -> None:
    assert ("spike" in guards(run(3, 6.0), run(0, today_km))) is fires


def test_no_spike_without_a_run_in_the_last_30_days() -> None:
    assert "spike" not in guards(run(31, 3.0), run(0, 10.0))
    assert "spike" not in guards(run(10, 3.0))          # no run today


def test_spike_compares_the_longest_run_of_the_day() -> None:
    assert guards(run(5, 6.0), run(0, 2.0), run(0, 7.0))["spike"].value == pytest.approx(7 / 6)


@pytest.mark.parametrize(
    ("last_week", "week_before", "fires", "value"),
    [(13.0, 10.0, False, None),        # exactly 30 % more is allowed
     (13.5, 10.0, True, 1.35),
     (20.0, 0.0, False, None)],        # nothing the week before: no rise to judge
)
def test_seven_day_rise(last_week: float, week_before: float, fires: bool,
                        value: float | None) -> None:
    acts = [run(1, last_week)] + ([run(8, week_before)] if week_before else [])
    found = guards(*acts)
    assert ("weekly_rise" in found) is fires
    if value is not None:
        rise = found["weekly_rise"]
        assert rise.warn and rise.value == pytest.approx(value)
        assert rise.detail == ("You ran 13.5 km in the last 7 days against 10.0 km in the 7 days "
                               "before: 35 % more, above the 30 % limit.")


@pytest.mark.parametrize(
    ("earlier_weeks_km", "last_week_km", "ratio", "band", "warn"),
    [
        (10.0, 10.0, 1.0, "comfortable", False),
        (10.0, 7.5, 0.8, "comfortable", False),    # 7.5 / (37.5 / 4)
        (10.0, 7.0, 7 / 9.25, "low", False),
        (9.0, 13.0, 1.3, "comfortable", False),    # 13 / (40 / 4)
        (9.0, 14.0, 14 / 10.25, "high", False),
        (10.0, 18.0, 1.5, "high", False),          # 18 / (48 / 4): at 1.5, not above
        (10.0, 20.0, 1.6, "danger", True),         # 20 / (50 / 4)
        (10.0, 0.0, 0.0, "low", False),
    ],
)
def test_workload_ratio_bands(earlier_weeks_km: float, last_week_km: float, ratio: float,
                              band: str, warn: bool) -> None:
    acts = [run(7 * w + 3, earlier_weeks_km) for w in (1, 2, 3)]
    if last_week_km:
        acts.append(run(3, last_week_km))
    found = guards(*acts)["ratio"]
    assert found.value == pytest.approx(ratio)
    assert (found.band, found.warn) == (band, warn)


def test_ratio_sentence_has_the_figures() -> None:
    detail = guards(*[run(7 * w + 3, 10.0) for w in (1, 2, 3)], run(3, 20.0))["ratio"].detail
    assert detail.startswith("Workload ratio 1.60 (too high")
    assert "20.0 km in the last 7 days against a weekly average of 12.5 km" in detail


def test_no_ratio_without_running_in_four_weeks() -> None:
    assert guards(run(28, 10.0)) == {}
    assert guards() == {}


def test_first_week_of_running_reads_high_and_says_why() -> None:
    found = guards(run(4, 3.0), run(2, 3.0), run(0, 2.0))
    assert set(found) == {"ratio"}                      # no earlier run, no earlier week
    assert found["ratio"].value == pytest.approx(4.0) and found["ratio"].band == "danger"
    assert "shorter than 4 weeks" in found["ratio"].detail


def test_gap_then_return_compares_with_what_came_before() -> None:
    # Ran 8 km twice a month ago, then nothing for two weeks, then 5 km today.
    found = guards(run(27, 8.0), run(22, 8.0), run(0, 5.0))
    assert "weekly_rise" not in found                   # the week before had no running
    assert "spike" not in found                         # 5 km is shorter than 8 km
    assert found["ratio"].value == pytest.approx(5 / (21 / 4))
    assert "shorter than 4 weeks" not in found["ratio"].detail


def test_only_runs_with_a_distance_count() -> None:
    walk = run(0, 20.0, kind="walk")
    no_distance = Activity(DAY, "run", None)
    assert guards(walk, no_distance) == {}
    assert guards(run(5, 5.0), walk)["ratio"].value == pytest.approx(4.0)


def test_every_day_of_the_range_is_answered() -> None:
    first = DAY - datetime.timedelta(days=9)
    result = guards_by_day([run(5, 5.0)], first, DAY, RULES)
    assert list(result) == [first + datetime.timedelta(days=k) for k in range(10)]
    assert result[first] == ()
    assert [g.id for g in result[DAY]] == ["ratio"]
    assert guards_by_day([], DAY, first, RULES) == {}


def test_sentences_in_miles() -> None:
    detail = guards(run(2, 16.09344), units="mi")["ratio"].detail
    assert "10.0 mi in the last 7 days" in detail


def test_rules_change_the_thresholds() -> None:
    acts = (run(3, 1.0), run(0, 6.5), run(10, 6.0), run(17, 6.0), run(24, 6.0))
    default = guards(*acts)
    strict = guards(*acts, rules=Rules(spike_factor=1.05, ratio_bands=(0.9, 1.1, 1.2),
                                       ratio_warn_above=1.2))
    ratio = 7.5 / (25.5 / 4)                            # 1.18
    assert "spike" not in default and strict["spike"].value == pytest.approx(6.5 / 6)
    assert default["ratio"].value == pytest.approx(ratio) == strict["ratio"].value
    assert (default["ratio"].band, strict["ratio"].band) == ("comfortable", "high")
