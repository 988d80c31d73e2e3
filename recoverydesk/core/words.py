"""The words every layer uses for dates, distances, durations and counts.

One place, so the Today page, the Log form, the calendar, the charts, the report and the
command line say "Fri 20 Mar 2026", "5.0 km", "1:02:03" and "1 activity" the same way.
Month and weekday names are English and fixed (not the C library's locale), like every other
text of the app; ISO dates (``2026-03-20``) stay where a machine or a command line reads them.
"""

from __future__ import annotations

import datetime
import functools
import types
from collections.abc import Mapping

from recoverydesk.core import shipped
from recoverydesk.core.model import KINDS, SOURCES, from_metres

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NOTHING = "–"
"""What a table shows for a value that was not given."""


def date_text(day: datetime.date, *, year: bool = True, weekday: bool = False,
              long: bool = False) -> str:
    """A date as a runner reads it.

    "20 Mar 2026"; without ``year`` "20 Mar"; with ``weekday`` "Fri 20 Mar 2026"; ``long``
    spells the names out: "Friday 20 March 2026".
    """
    month = MONTHS[day.month - 1]
    text = f"{day.day} {month if long else month[:3]}"
    if year:
        text += f" {day.year}"
    if weekday:
        name = WEEKDAYS[day.weekday()]
        text = f"{name if long else name[:3]} {text}"
    return text


def weekday_text(day: datetime.date) -> str:
    """A day as messages name it, in full and without its year: "Friday 20 March"."""
    return date_text(day, year=False, weekday=True, long=True)


def month_text(day: datetime.date, *, short: bool = False) -> str:
    """The month of ``day`` with its year: "March 2026" (``short``: "Mar 2026")."""
    month = MONTHS[day.month - 1]
    return f"{month[:3] if short else month} {day.year}"


def distance_text(metres: float | None, units: str, digits: int = 1) -> str:
    """A distance in the episode's units: "5.0 km", "3.1 mi"; "–" when not given."""
    if metres is None:
        return NOTHING
    return f"{from_metres(metres, units):.{digits}f} {units}"


def duration_text(seconds: float | None) -> str:
    """A duration on a clock: "32:10" under an hour, "1:02:03" from an hour; "–" if absent."""
    if seconds is None:
        return NOTHING
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def plural(noun: str) -> str:
    """The regular English plural: "activity" → "activities", "day" → "days", "entry" →
    "entries", "flash" → "flashes"."""
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count_text(n: int, noun: str, plural_form: str | None = None) -> str:
    """A count with the right form of its noun: "1 activity", "2 activities", "0 days"."""
    return f"{n} {noun if n == 1 else plural_form or plural(noun)}"


@functools.cache
def _names() -> Mapping[str, Mapping[str, str]]:
    """resources/words.toml, read once; every kind and source must have its name."""
    data = shipped.read_toml("words.toml")
    out: dict[str, Mapping[str, str]] = {}
    for table, ids in (("kinds", KINDS), ("sources", SOURCES)):
        names = data.get(table, {})
        missing = [i for i in ids if not isinstance(names.get(i), str)]
        if missing:
            raise ValueError(f"words.toml: [{table}] has no name for {', '.join(missing)}")
        out[table] = types.MappingProxyType({i: names[i] for i in ids})
    return types.MappingProxyType(out)


def kind_names() -> Mapping[str, str]:
    """Activity kind id → the name a runner reads ("run" → "Run"), in the model's order."""
    return _names()["kinds"]


def source_names() -> Mapping[str, str]:
    """Activity source id → where it came from in words ("gpx" → "GPX file")."""
    return _names()["sources"]
