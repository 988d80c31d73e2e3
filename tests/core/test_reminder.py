"""The daily reminder's timing (core/reminder.py): due, next due, sleep, zones and DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from recoverydesk.core import reminder
from recoverydesk.core.model import ValidationError

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
EIGHT_PM = dt.time(20, 0)


def at(text: str, zone: dt.tzinfo = BERLIN, fold: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold)


# --- the chosen time -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [("20:00", dt.time(20)), ("7:05", dt.time(7, 5)),
                                            (" 23:59 ", dt.time(23, 59)), ("00:00", dt.time(0))])
def test_times_of_day_are_read_as_hours_and_minutes(text: str, expected: dt.time) -> None:
    assert reminder.parse_time(text) == expected
    assert reminder.parse_time(reminder.format_time(expected)) == expected


@pytest.mark.parametrize("text", ["24:00", "20:60", "8pm", "", "20", "20:0"])
def test_a_bad_time_is_refused_naming_the_field_and_the_range(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        reminder.parse_time(text)
    assert caught.value.field == "reminder"
    assert "00:00 to 23:59" in str(caught.value)


def test_no_setting_or_a_damaged_one_means_no_reminder() -> None:
    assert reminder.from_setting(None) is None
    assert reminder.from_setting("") is None
    assert reminder.from_setting("25:00") is None
    assert reminder.from_setting(42) is None
    assert reminder.from_setting("19:30") == dt.time(19, 30)


# --- is it due? ------------------------------------------------------------------------------

def test_due_from_the_chosen_time_on_a_day_with_no_entry() -> None:
    assert not reminder.is_due(at("2026-03-05T19:59:59"), EIGHT_PM, logged_today=False,
                               notified_on=None)
    assert reminder.is_due(at("2026-03-05T20:00"), EIGHT_PM, logged_today=False,
                           notified_on=None)


def test_never_due_once_today_is_logged_or_reminded() -> None:
    now = at("2026-03-05T21:00")
    assert not reminder.is_due(now, EIGHT_PM, logged_today=True, notified_on=None)
    assert not reminder.is_due(now, EIGHT_PM, logged_today=False, notified_on=now.date())
    # Yesterday's reminder does not silence today's.
    assert reminder.is_due(now, EIGHT_PM, logged_today=False,
                           notified_on=dt.date(2026, 3, 4))


def test_a_machine_that_slept_through_the_time_reminds_on_waking_the_same_evening() -> None:
    went_to_sleep = at("2026-03-05T19:00")
    woke = at("2026-03-05T23:40")
    assert not reminder.is_due(went_to_sleep, EIGHT_PM, logged_today=False, notified_on=None)
    assert reminder.is_due(woke, EIGHT_PM, logged_today=False, notified_on=None)


def test_waking_after_midnight_drops_yesterdays_reminder_and_waits_for_tonight() -> None:
    woke = at("2026-03-06T00:30")
    assert not reminder.is_due(woke, EIGHT_PM, logged_today=False, notified_on=None)
    assert reminder.next_due(woke, EIGHT_PM, logged_today=False,
                             notified_on=None) == at("2026-03-06T20:00")


# --- when next? ------------------------------------------------------------------------------

def test_next_due_is_tonight_before_the_time_and_tomorrow_after_a_reminder_or_an_entry() -> None:
    morning = at("2026-03-05T08:15")
    assert reminder.next_due(morning, EIGHT_PM, logged_today=False,
                             notified_on=None) == at("2026-03-05T20:00")
    assert reminder.next_due(morning, EIGHT_PM, logged_today=True,
                             notified_on=None) == at("2026-03-06T20:00")
    evening = at("2026-03-05T20:30")
    assert reminder.next_due(evening, EIGHT_PM, logged_today=False,
                             notified_on=None) == evening  # due now
    assert reminder.next_due(evening, EIGHT_PM, logged_today=False,
                             notified_on=evening.date()) == at("2026-03-06T20:00")


def test_waiting_never_exceeds_a_minute_so_sleep_and_clock_changes_are_seen() -> None:
    morning = at("2026-03-05T08:15")
    due = reminder.next_due(morning, EIGHT_PM, logged_today=False, notified_on=None)
    assert reminder.seconds_to_wait(morning, due) == reminder.CHECK_EVERY_S
    assert reminder.seconds_to_wait(at("2026-03-05T19:59:30"), due) == 30
    assert reminder.seconds_to_wait(at("2026-03-05T20:00:10"), due) == 0


def test_the_night_the_clocks_go_forward_the_time_still_means_local_time() -> None:
    # Berlin, 29 March 2026: 02:00 becomes 03:00. The evening's 20:00 is 18:00 UTC, not 19:00.
    before = at("2026-03-28T21:00")
    due = reminder.next_due(before, EIGHT_PM, logged_today=False, notified_on=before.date())
    assert due == at("2026-03-29T20:00")
    assert due.astimezone(dt.UTC).hour == 18
    elapsed = due.astimezone(dt.UTC) - before.astimezone(dt.UTC)
    assert elapsed == dt.timedelta(hours=22)  # 23 wall-clock hours, one of them skipped
    just_before = due - dt.timedelta(seconds=20)
    assert reminder.seconds_to_wait(just_before, due) == 20


def test_a_time_the_clock_skips_falls_due_at_the_jump() -> None:
    before = at("2026-03-28T23:00")
    due = reminder.next_due(before, dt.time(2, 30), logged_today=False,
                            notified_on=before.date())
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert (due.hour, due.minute) == (3, 0)
    # Thirty seconds before the jump the clock reads 01:59:30: wait thirty seconds, not an hour.
    assert reminder.seconds_to_wait(at("2026-03-29T01:59:30"), due) == 30
    # The clock reads 03:00 at the jump, past 02:30: due.
    assert reminder.is_due(due, dt.time(2, 30), logged_today=False, notified_on=None)


def test_a_time_that_happens_twice_reminds_on_the_first_pass_only() -> None:
    # Berlin, 25 October 2026: 03:00 goes back to 02:00, so 02:30 happens twice.
    before = at("2026-10-24T23:00")
    due = reminder.next_due(before, dt.time(2, 30), logged_today=False,
                            notified_on=before.date())
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    second_pass = at("2026-10-25T02:30", fold=1)
    assert not reminder.is_due(second_pass, dt.time(2, 30), logged_today=False,
                               notified_on=due.date())


def test_a_change_of_time_zone_keeps_the_reminder_at_the_local_time() -> None:
    # Flying from Berlin to New York in the afternoon: the reminder follows the new evening.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    landed = at("2026-06-10T16:00", BERLIN).astimezone(new_york)  # 10:00 in New York
    assert not reminder.is_due(landed, EIGHT_PM, logged_today=False, notified_on=None)
    due = reminder.next_due(landed, EIGHT_PM, logged_today=False, notified_on=None)
    assert due == at("2026-06-10T20:00", new_york)
    assert due.astimezone(BERLIN).strftime("%d %H:%M") == "11 02:00"


def test_next_due_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        reminder.next_due(dt.datetime(2026, 3, 5, 8), EIGHT_PM, logged_today=False,
                          notified_on=None)


def test_the_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert reminder.local_now().utcoffset() == dt.timedelta(hours=9)
    monkeypatch.setenv("TZ", "America/New_York")
    assert reminder.local_now().utcoffset() in (dt.timedelta(hours=-5), dt.timedelta(hours=-4))


def test_the_words_come_from_the_content_file() -> None:
    words = reminder.texts()
    assert set(words) == set(reminder.TEXT_KEYS)
    assert "{time}" in words["close_to_tray"]
    assert all(text == text.strip() and "  " not in text for text in words.values())
