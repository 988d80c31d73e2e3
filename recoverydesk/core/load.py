"""Running load figures: distances and the mileage guards of DESIGN.md §5.1.

The guards warn, they never close the gate: a runner coming back from back pain most often
re-injures by doing too much too soon, so the app shows the figures behind each warning.
Only ``run`` activities count, by distance; distances stay in metres here and become km or
miles only in the sentences.

``guards_by_day(activities, first, last, rules)`` returns ``{day: (Guard, ...)}`` for every day
in ``first..last``. The work is one pass over the activities into per-day arrays and prefix
sums, then O(1) per day, so the engine can ask for any day of a 10-year history cheaply
(``RunLoad.guards_at``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import deque
from collections.abc import Iterable
from typing import Any

from recoverydesk.core.model import METRES_PER_UNIT, Activity
from recoverydesk.core.rules import Rules

_ACUTE_DAYS = 7
_CHRONIC_DAYS = 28
_EPS = 1e-9
"""Figures at exactly a threshold (1.30 × …, a ratio of 1.5) are not above it; sums of float
distances may land a hair off, so comparisons allow this much."""


@dataclasses.dataclass(frozen=True, slots=True)
class Guard:
    """A mileage guard's figure on a day (§5.1): ``spike``, ``weekly_rise`` or ``ratio``.

    ``warn`` is True when it crosses its threshold; ``band`` is set for the workload ratio
    (``low``, ``comfortable``, ``high``, ``danger``).
    """

    id: str
    value: float
    warn: bool
    detail: str
    band: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "value": round(self.value, 3), "warn": self.warn,
                                "detail": self.detail}
        if self.band is not None:
            data["band"] = self.band
        return data


_new = object.__new__
_SETTERS = tuple(Guard.__dict__[name].__set__ for name in ("id", "value", "warn", "detail", "band"))


def _guard(id: str, value: float, warn: bool, detail: str, band: str | None = None) -> Guard:
    """Build a Guard without the frozen dataclass ``__init__``.

    The result is the same object ``Guard(...)`` makes (that ``__init__`` only sets the five
    slots); it costs about half as much, which matters once per day over a 10-year replay.
    """
    guard = _new(Guard)
    set_id, set_value, set_warn, set_detail, set_band = _SETTERS
    set_id(guard, id)
    set_value(guard, value)
    set_warn(guard, warn)
    set_detail(guard, detail)
    set_band(guard, band)
    return guard


BAND_WORDS = {
    "low": "low: less than you have been used to",
    "comfortable": "comfortable",
    "high": "high: ease off a little",
    "danger": "too high: a big jump on the last four weeks",
}


def ratio_band(ratio: float, bands: tuple[float, float, float]) -> str:
    """Name the workload-ratio band; the upper bound of each band belongs to it (1.3 is
    comfortable, 1.5 is high)."""
    low, comfortable, high = bands
    if ratio < low - _EPS:
        return "low"
    if ratio <= comfortable + _EPS:
        return "comfortable"
    if ratio <= high + _EPS:
        return "high"
    return "danger"


class RunLoad:
    """Run distances of ``first..last`` (plus the look-back before ``first``) as prefix sums.

    Day ``k`` is ``first + k days``. Runs outside the look-back and the range are ignored, so
    a caller replaying up to ``last`` never sees later activities.
    """

    __slots__ = ("_first", "_n", "_back", "_prefix", "_longest", "_prev_longest",
                 "_first_run", "_rules", "_unit", "_per_unit", "_texts", "_ratio_texts")

    def __init__(self, activities: Iterable[Activity], first: datetime.date,
                 last: datetime.date, rules: Rules, units: str = "km") -> None:
        self._first = first
        self._rules = rules
        self._unit = units
        self._per_unit = METRES_PER_UNIT[units]
        self._texts: dict[int, str] = {}
        self._ratio_texts: dict[tuple[int, int, int, str, bool], str] = {}
        n = max((last - first).days + 1, 0)
        back = max(rules.spike_lookback_days, _CHRONIC_DAYS - 1, 2 * _ACUTE_DAYS - 1)
        self._n = n
        self._back = back
        size = back + n
        total = [0.0] * size
        longest = [0.0] * size
        origin = first - datetime.timedelta(days=back)
        for a in activities:
            if a.kind != "run" or a.distance_m is None:
                continue
            j = (a.day - origin).days
            if 0 <= j < size:
                total[j] += a.distance_m
                if a.distance_m > longest[j]:
                    longest[j] = a.distance_m
        prefix = [0.0] * (size + 1)
        running = 0.0
        first_run = -1
        for j, d in enumerate(total):
            running += d
            prefix[j + 1] = running
            if first_run < 0 and d > 0:
                first_run = j
        # Longest run in the look-back window before each day: a sliding maximum (deque of
        # candidate days with falling lengths), O(1) amortised per day.
        lookback = rules.spike_lookback_days
        prev_longest = [0.0] * size
        window: deque[int] = deque()
        for j in range(size):
            while window and window[0] < j - lookback:
                window.popleft()
            prev_longest[j] = longest[window[0]] if window else 0.0
            lj = longest[j]
            if lj > 0:
                while window and longest[window[-1]] <= lj:
                    window.pop()
                window.append(j)
        self._prefix = prefix
        self._longest = longest
        self._prev_longest = prev_longest
        self._first_run = first_run

    def _dist(self, metres: float) -> str:
        """``metres`` as "8.0 km"; strings are cached by tenths, as a history repeats them."""
        tenths = int(metres / self._per_unit * 10 + 0.5)
        text = self._texts.get(tenths)
        if text is None:
            text = self._texts[tenths] = f"{tenths // 10}.{tenths % 10} {self._unit}"
        return text

    def _ratio_text(self, hundredths: int, acute: int, weekly: int, band: str,
                    short: bool) -> str:
        unit = self._unit
        text = (f"Workload ratio {hundredths // 100}.{hundredths % 100:02d} ({BAND_WORDS[band]}): "
                f"{acute // 10}.{acute % 10} {unit} in the last 7 days against a weekly average "
                f"of {weekly // 10}.{weekly % 10} {unit} over the last 4 weeks.")
        return text + _SHORT_HISTORY if short else text

    def distance(self, k: int, days: int) -> float:
        """Run distance in metres over the ``days`` days ending on day ``k`` (inclusive)."""
        j = k + self._back
        lo = max(j + 1 - days, 0)
        return self._prefix[j + 1] - self._prefix[lo]

    def guards_at(self, k: int) -> tuple[Guard, ...]:
        """The guards of day ``k``.

        The spike and the 7-day rise appear only when they fire (a runner needs to hear about
        them only then); the workload ratio is always shown once the last four weeks had
        running, since it is the steady figure to watch.
        """
        rules = self._rules
        j = k + self._back
        p = self._prefix
        acute = p[j + 1] - p[j + 1 - _ACUTE_DAYS]
        prior = p[j + 1 - _ACUTE_DAYS] - p[j + 1 - 2 * _ACUTE_DAYS]
        chronic = p[j + 1] - p[j + 1 - _CHRONIC_DAYS]
        if chronic <= 0:
            return ()
        spike: Guard | None = None
        rise: Guard | None = None
        today = self._longest[j]
        before = self._prev_longest[j]
        if today > before * rules.spike_factor + _EPS and before > 0:
            factor = today / before
            spike = _guard(
                "spike", factor, True,
                f"Today's run of {self._dist(today)} is {round((factor - 1) * 100)} % longer "
                f"than your longest run in the last {rules.spike_lookback_days} days "
                f"({self._dist(before)}); more than {round((rules.spike_factor - 1) * 100)} % "
                f"at once raises the risk of a setback.")
        if acute > prior * rules.weekly_rise_factor + _EPS and prior > 0:
            factor = acute / prior
            rise = _guard(
                "weekly_rise", factor, True,
                f"You ran {self._dist(acute)} in the last 7 days against {self._dist(prior)} "
                f"in the 7 days before: {round((factor - 1) * 100)} % more, above the "
                f"{round((rules.weekly_rise_factor - 1) * 100)} % limit.")
        weekly = chronic / (_CHRONIC_DAYS / _ACUTE_DAYS)
        ratio = acute / weekly
        bands = rules.ratio_bands
        band = ("low" if ratio < bands[0] - _EPS else "comfortable" if ratio <= bands[1] + _EPS
                else "high" if ratio <= bands[2] + _EPS else "danger")
        scale = self._per_unit / 10
        key = (int(ratio * 100 + 0.5), int(acute / scale + 0.5), int(weekly / scale + 0.5),
               band, self._first_run > j + 1 - _CHRONIC_DAYS)
        detail = self._ratio_texts.get(key)
        if detail is None:
            detail = self._ratio_texts[key] = self._ratio_text(*key)
        guard = _guard("ratio", ratio, ratio > rules.ratio_warn_above + _EPS, detail, band)
        if spike is None and rise is None:
            return (guard,)
        return tuple(g for g in (spike, rise, guard) if g is not None)


_SHORT_HISTORY = (" Your running history is shorter than 4 weeks, so this figure reads high "
                  "for now.")


def guards_by_day(activities: Iterable[Activity], first: datetime.date, last: datetime.date,
                  rules: Rules, units: str = "km") -> dict[datetime.date, tuple[Guard, ...]]:
    """Return the mileage guards of every day in ``first..last`` (empty tuples on quiet days).

    Runs before ``first`` count in the look-back windows (the last 30 days, the last 4 weeks),
    so pass only the activities that should count (the engine passes the episode's own).
    """
    load = RunLoad(activities, first, last, rules, units)
    one_day = datetime.timedelta(days=1)
    out: dict[datetime.date, tuple[Guard, ...]] = {}
    day = first
    for k in range(max((last - first).days + 1, 0)):
        out[day] = load.guards_at(k)
        day += one_day
    return out
