"""When the daily reminder is due (DESIGN.md §1.1), with no clock and no Qt.

The runner picks a time of day ("20:00"); on each day that has no entry yet, one reminder goes
out at that time. Both the tray (in the window's process) and ``recoverydesk remind`` (no
window) ask the same two questions here: *is it due now?* and *when should I look again?*

Why "look again" and not "sleep until 20:00": a laptop that sleeps through the time stops
every timer, and a time-zone or daylight-saving change moves the wall clock under a timer that
counts elapsed seconds. So callers never wait more than :data:`CHECK_EVERY_S` before reading
the wall clock again, and "due" is decided from the wall clock alone:

- the reminder is due once the local time of day has reached the chosen time, today has no
  entry, and no reminder went out today;
- a machine that slept through the time reminds when it wakes, the same evening; once the date
  has turned, yesterday's reminder is dropped (the new day waits for its own time);
- a time the clock skips (spring forward) falls due at the jump; a time that happens twice
  (fall back) reminds on the first pass only, as "no reminder went out today" is by date.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import zoneinfo
from collections.abc import Mapping

from recoverydesk.core import shipped
from recoverydesk.core.model import ValidationError

DEFAULT_TIME = datetime.time(20, 0)
"""What the first-run setup offers."""
CHECK_EVERY_S = 60.0
"""The longest a caller waits between two looks at the wall clock."""
SETTING = "reminder"
"""The store setting: ``"HH:MM"``, or absent/None when the runner wants no reminder."""

TEXT_KEYS = ("title", "body", "action", "close_to_tray", "close_to_tray_yes",
             "close_to_tray_no", "no_notifications")
"""The sentences of resources/reminder.toml, all required."""

_HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def parse_time(text: str, field: str = "reminder") -> datetime.time:
    """``"20:00"`` → 20:00; anything else is refused naming ``field`` and the range."""
    match = _HHMM.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValidationError(field, text, "a time of day from 00:00 to 23:59, as HH:MM")
    return datetime.time(int(match[1]), int(match[2]))


def format_time(at: datetime.time) -> str:
    """20:00 → ``"20:00"``, the form stored and shown."""
    return f"{at.hour:02d}:{at.minute:02d}"


def from_setting(value: object) -> datetime.time | None:
    """The stored reminder time, or None for "no reminder" (also for a value that is not a
    time: a damaged setting turns the reminder off rather than nagging at a random hour)."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValidationError:
        return None


def is_due(now: datetime.datetime, at: datetime.time, *, logged_today: bool,
           notified_on: datetime.date | None) -> bool:
    """Whether to remind now.

    Args:
        now: The local wall-clock time (naive or aware: only its date and time of day count).
        at: The chosen time of day.
        logged_today: Whether ``now``'s date has an entry.
        notified_on: The date a reminder last went out (None if never).
    """
    if logged_today or notified_on == now.date():
        return False
    return (now.hour, now.minute, now.second) >= (at.hour, at.minute, at.second)


def next_due(now: datetime.datetime, at: datetime.time, *, logged_today: bool,
             notified_on: datetime.date | None) -> datetime.datetime:
    """The instant the reminder falls due next (``now`` itself when it is due already).

    ``now`` must be aware, in the local zone (a ``ZoneInfo`` knows the daylight-saving
    changes; a fixed offset does not, which the look-again rule covers). Callers wait
    :func:`seconds_to_wait` for it, never longer than a minute.
    """
    if now.tzinfo is None:
        raise ValueError("next_due needs an aware local time")
    if is_due(now, at, logged_today=logged_today, notified_on=notified_on):
        return now
    day = now.date()
    if logged_today or notified_on == day or (now.hour, now.minute) >= (at.hour, at.minute):
        day += datetime.timedelta(days=1)
    return wall_clock_reaches(datetime.datetime.combine(day, at), now.tzinfo)


def wall_clock_reaches(wall: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """The first instant at which the local clock in ``zone`` shows ``wall`` or later.

    Usually ``wall`` itself; on a day the clock skips ``wall`` (spring forward) it is the
    moment of the jump; on a day ``wall`` happens twice (fall back) the first of the two.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    utc = datetime.UTC
    if first.astimezone(utc).astimezone(zone).replace(tzinfo=None) == wall:
        return first  # the time exists (fold=0 is the first pass when it happens twice)
    # Skipped: the jump lies between the two readings of ``wall``; find it to the minute.
    early = wall.replace(tzinfo=zone, fold=1).astimezone(utc)
    late = first.astimezone(utc)
    low, high = min(early, late), max(early, late)
    step = datetime.timedelta(minutes=1)
    while low < high and low.astimezone(zone).replace(tzinfo=None) < wall:
        low += step
    return low.astimezone(zone)


def seconds_to_wait(now: datetime.datetime, due: datetime.datetime) -> float:
    """How long to wait before looking again: until ``due``, but at most a minute."""
    # In UTC: Python subtracts two times of one zone by their wall clocks, ignoring DST.
    elapsed = due.astimezone(datetime.UTC) - now.astimezone(datetime.UTC)
    return max(0.0, min(CHECK_EVERY_S, elapsed.total_seconds()))


def local_zone() -> datetime.tzinfo:
    """The machine's time zone as it is now (re-read on each call, so a change is seen).

    ``TZ`` wins, then ``/etc/localtime``; a fixed offset when neither names a zone.
    """
    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name:
            return zoneinfo.ZoneInfo(name)
        with open("/etc/localtime", "rb") as tzfile:
            return zoneinfo.ZoneInfo.from_file(tzfile, key="localtime")
    except (OSError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        zone = datetime.datetime.now().astimezone().tzinfo
        return zone if zone is not None else datetime.UTC


def local_now() -> datetime.datetime:
    """The aware local time now, in the zone as it is now."""
    return datetime.datetime.now(local_zone())


@functools.cache
def texts() -> Mapping[str, str]:
    """The reminder's words from ``resources/reminder.toml``; a missing or unknown key is an
    error in the content, named."""
    data = shipped.read_toml("reminder.toml")
    missing = [k for k in TEXT_KEYS if not isinstance(data.get(k), str) or not data[k].strip()]
    unknown = sorted(set(data) - set(TEXT_KEYS))
    if missing or unknown:
        raise ValueError(f"reminder.toml: missing {missing}, unknown {unknown}")
    return {key: " ".join(data[key].split()) for key in TEXT_KEYS}
