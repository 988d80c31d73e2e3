"""core/words.py: the dates, distances, durations and counts every view and the report show."""

from __future__ import annotations

import datetime as dt

import pytest

from recoverydesk.core import words

FRIDAY = dt.date(2026, 3, 20)


@pytest.mark.parametrize(("options", "expected"), [
    ({}, "20 Mar 2026"),
    ({"year": False}, "20 Mar"),
    ({"weekday": True}, "Fri 20 Mar 2026"),
    ({"weekday": True, "year": False}, "Fri 20 Mar"),
    ({"long": True}, "20 March 2026"),
    ({"long": True, "weekday": True}, "Friday 20 March 2026"),
])
def test_dates(options, expected) -> None:
    assert words.date_text(FRIDAY, **options) == expected


def test_a_day_in_messages_is_spelled_out() -> None:
    assert words.weekday_text(FRIDAY) == "Friday 20 March"


def test_single_digit_days_and_months() -> None:
    assert words.date_text(dt.date(2027, 1, 4), weekday=True) == "Mon 4 Jan 2027"
    assert words.month_text(dt.date(2026, 9, 30)) == "September 2026"
    assert words.month_text(dt.date(2026, 9, 30), short=True) == "Sep 2026"


@pytest.mark.parametrize(("metres", "units", "digits", "expected"), [
    (5000.0, "km", 1, "5.0 km"),
    (5000.0, "mi", 1, "3.1 mi"),
    (1609.344, "mi", 2, "1.00 mi"),
    (42195.0, "km", 0, "42 km"),
    (None, "km", 1, "–"),
])
def test_distances(metres, units, digits, expected) -> None:
    assert words.distance_text(metres, units, digits) == expected


@pytest.mark.parametrize(("seconds", "expected"), [
    (0, "0:00"), (59.6, "1:00"), (1930, "32:10"), (3599, "59:59"), (3600, "1:00:00"),
    (3723, "1:02:03"), (36000, "10:00:00"), (None, "–"),
])
def test_durations(seconds, expected) -> None:
    assert words.duration_text(seconds) == expected


@pytest.mark.parametrize(("n", "noun", "expected"), [
    (1, "activity", "1 activity"), (2, "activity", "2 activities"), (0, "day", "0 days"),
    (1, "entry", "1 entry"), (3, "entry", "3 entries"), (2, "box", "2 boxes"),
    (21, "day", "21 days"),
])
def test_counts_take_the_right_plural(n, noun, expected) -> None:
    assert words.count_text(n, noun) == expected


def test_an_irregular_plural_is_given() -> None:
    assert words.count_text(2, "daily entry", "daily entries") == "2 daily entries"
    assert words.count_text(1, "daily entry", "daily entries") == "1 daily entry"
