"""Running load figures for the charts and the report (DESIGN.md §6).

Only ``run`` activities count, by distance; distances stay in metres here. The load cautions
of §5.1 are the engine's (core/cautions.py). The acute:chronic workload ratio is not worked
out anywhere: coupled 7/28-day ratios read 4.0 after any first week of running (§5.1).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Iterable, Mapping

from recoverydesk.core import words
from recoverydesk.core.model import KINDS, Activity, DayLog

_ACUTE_DAYS = 7
_EPS = 1e-9
"""A spread this small is no spread: sums of float distances may land a hair off zero."""


class RunLoad:
    """Run distances of ``first..last`` (and of the 7 days before ``first``) as prefix sums.

    Day ``k`` is ``first + k days``, from -1 on: the week ending the day before ``first`` has
    its sum too (the pain link pairs each day with the week before it). Runs outside that span
    are ignored, so a caller working up to ``last`` never sees later activities.
    """

    __slots__ = ("_back", "_prefix")

    def __init__(self, activities: Iterable[Activity], first: datetime.date,
                 last: datetime.date) -> None:
        back = _ACUTE_DAYS
        size = back + max((last - first).days + 1, 0)
        total = [0.0] * size
        origin = first - datetime.timedelta(days=back)
        for a in activities:
            if a.kind != "run" or a.distance_m is None:
                continue
            j = (a.day - origin).days
            if 0 <= j < size:
                total[j] += a.distance_m
        prefix = [0.0] * (size + 1)
        running = 0.0
        for j, d in enumerate(total):
            running += d
            prefix[j + 1] = running
        self._back = back
        self._prefix = prefix

    def distance(self, k: int, days: int) -> float:
        """Run distance in metres over the ``days`` days (at most 7) ending on day ``k``."""
        j = k + self._back
        lo = max(j + 1 - days, 0)
        return self._prefix[j + 1] - self._prefix[lo]


# --- figures for the charts (DESIGN.md §6) ----------------------------------------------------
#
# The runner's question is "is running making my back worse?". These figures answer it in
# plain lists, one value per day of ``first..last`` (index k is ``first + k days``) or one per
# Monday–Sunday week, so the Charts view only turns them into arrays and the command line or a
# report could print them. Distances stay in metres; ``None`` marks a day with nothing to show.

MIN_PAIRED_DAYS = 14
"""Below this many paired days a correlation says more about chance than about the back."""
MIN_RUNNING_DAYS = 7
"""Paired days that must follow a week with some running: otherwise r rests on a handful of
points (a first run after weeks of rest) and would read as a link that is not there."""
LINK_WEAK = 0.2
"""|r| below this is read as "no clear link": day-to-day pain is noisy (sleep, sitting, work)."""
LINK_STRONG = 0.5
"""|r| from this on is read as a clear link; between LINK_WEAK and this, a tendency."""
WEEKLY_GROWTH = 1.10
"""The "previous week + 10 %" line of the weekly mileage chart (§2, full training)."""


def _day_count(first: datetime.date, last: datetime.date) -> int:
    return max((last - first).days + 1, 0)


def run_distances(activities: Iterable[Activity], first: datetime.date,
                  last: datetime.date) -> list[float]:
    """Return the metres run on each day of ``first..last``.

    Only ``run`` activities count, as for the guards: walking and riding load the back
    differently, and the question the charts answer is about running.
    """
    load = RunLoad(activities, first, last)
    return [load.distance(k, 1) for k in range(_day_count(first, last))]


def run_distances_7d(activities: Iterable[Activity], first: datetime.date,
                     last: datetime.date) -> list[float]:
    """Return the metres run in the 7 days ending on each day (D−6…D, the guards' acute load)."""
    load = RunLoad(activities, first, last)
    return [load.distance(k, _ACUTE_DAYS) for k in range(_day_count(first, last))]


def pain_means_7d(logs: Mapping[datetime.date, DayLog], first: datetime.date,
                  last: datetime.date) -> list[float | None]:
    """Return the mean ``pain`` of the logged days among D−6…D, for each day D.

    Unlogged days are left out rather than counted as zero (a forgotten entry is not a
    pain-free day); None when none of the 7 days was logged.
    """
    n = _day_count(first, last)
    origin = first - datetime.timedelta(days=_ACUTE_DAYS - 1)
    size = n + _ACUTE_DAYS - 1
    total = [0] * (size + 1)
    count = [0] * (size + 1)
    pains: list[int | None] = [None] * size
    for day, log in logs.items():
        j = (day - origin).days
        if 0 <= j < size:
            pains[j] = log.pain
    for j, p in enumerate(pains):
        total[j + 1] = total[j] + (p if p is not None else 0)
        count[j + 1] = count[j] + (p is not None)
    out: list[float | None] = []
    for k in range(n):
        hi, lo = k + _ACUTE_DAYS, k
        c = count[hi] - count[lo]
        out.append((total[hi] - total[lo]) / c if c else None)
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class DailyFigures:
    """The pain-vs-mileage chart's data: one value per day of ``first..last``.

    Attributes:
        pain: ``pain`` of logged days, None on unlogged ones.
        morning: ``pain_morning``, None where not given.
        pain_mean_7d: See ``pain_means_7d``.
        run_m: Metres run that day.
        run_7d_m: Metres run in D−6…D.
        red_flags: Whether a red flag was logged that day.
    """

    first: datetime.date
    pain: tuple[int | None, ...]
    morning: tuple[int | None, ...]
    pain_mean_7d: tuple[float | None, ...]
    run_m: tuple[float, ...]
    run_7d_m: tuple[float, ...]
    red_flags: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.pain)

    def day(self, k: int) -> datetime.date:
        return self.first + datetime.timedelta(days=k)

    @property
    def pain_mean_drawn(self) -> tuple[float | None, ...]:
        """The 7-day mean only on logged days, so a chart's line breaks where nothing was
        logged instead of being drawn across the gap (DESIGN §1.1)."""
        return tuple(mean if pain is not None else None
                     for mean, pain in zip(self.pain_mean_7d, self.pain, strict=True))


def daily_figures(logs: Mapping[datetime.date, DayLog], activities: Iterable[Activity],
                  first: datetime.date, last: datetime.date) -> DailyFigures:
    """Gather every per-day figure of ``first..last`` in one pass over the data."""
    n = _day_count(first, last)
    load = RunLoad(activities, first, last)
    pain: list[int | None] = [None] * n
    morning: list[int | None] = [None] * n
    flags = [False] * n
    for day, log in logs.items():
        k = (day - first).days
        if 0 <= k < n:
            pain[k] = log.pain
            morning[k] = log.pain_morning
            flags[k] = bool(log.red_flags)
    return DailyFigures(
        first=first,
        pain=tuple(pain),
        morning=tuple(morning),
        pain_mean_7d=tuple(pain_means_7d(logs, first, last)),
        run_m=tuple(load.distance(k, 1) for k in range(n)),
        run_7d_m=tuple(load.distance(k, _ACUTE_DAYS) for k in range(n)),
        red_flags=tuple(flags),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class WeekTotal:
    """One Monday–Sunday week of ``first..last``.

    Attributes:
        monday: The week's Monday (it may fall before ``first``: the first week is partial).
        days: How many of its days lie in ``first..last`` (7 except at the ends).
        distance_m: Metres of every activity kind that has a distance.
        run_m: Metres run.
        duration_s: Seconds of every activity that has a duration.
    """

    monday: datetime.date
    days: int
    distance_m: float
    run_m: float
    duration_s: float


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_totals(activities: Iterable[Activity], first: datetime.date,
                  last: datetime.date) -> list[WeekTotal]:
    """Return the totals of every Monday–Sunday week touching ``first..last``, quiet ones too.

    Weeks are calendar weeks (not rolling 7-day windows) because that is how a runner plans
    and remembers a week; activities outside ``first..last`` are left out.
    """
    if last < first:
        return []
    start = monday_of(first)
    count = (monday_of(last) - start).days // 7 + 1
    dist = [0.0] * count
    run = [0.0] * count
    secs = [0.0] * count
    for a in activities:
        if not first <= a.day <= last:
            continue
        w = (a.day - start).days // 7
        if a.distance_m is not None:
            dist[w] += a.distance_m
            if a.kind == "run":
                run[w] += a.distance_m
        if a.duration_s is not None:
            secs[w] += a.duration_s
    out = []
    for w in range(count):
        monday = start + datetime.timedelta(days=7 * w)
        sunday = monday + datetime.timedelta(days=6)
        days = (min(sunday, last) - max(monday, first)).days + 1
        out.append(WeekTotal(monday, days, dist[w], run[w], secs[w]))
    return out


def weekly_limits(totals: Iterable[float], factor: float = WEEKLY_GROWTH) -> list[float | None]:
    """Return each week's guide line: the previous week's total × ``factor``.

    None for the first week and after a week without any distance: the +10 % guide is about
    building on a week you did, and says nothing about how to restart from nothing (the
    plan's walk–run sessions do), so a line at zero would only mislead.
    """
    out: list[float | None] = []
    previous = 0.0
    for total in totals:
        out.append(previous * factor if previous > 0 else None)
        previous = total
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class MorningAfter:
    """The 24-hour rule (§5.1): day D's activity next to the pain on waking on D+1.

    Attributes:
        day: The activity day D.
        kinds: The kinds done on D, each once, in the order of ``model.KINDS`` (empty on a day
            without activity, which is worth seeing too: a rest day's next morning).
        distance_m: Metres of every activity on D; ``run_m`` the metres run.
        minutes: Minutes of activity on D (those with a duration).
        pain: D's ``pain`` (None when D was not logged); ``activity_pain`` the worst pain
            during D's activity (the log's, else the largest given on an activity).
        morning: ``pain_morning`` on D+1.
    """

    day: datetime.date
    kinds: tuple[str, ...]
    distance_m: float
    run_m: float
    minutes: float
    pain: int | None
    activity_pain: int | None
    morning: int


def next_morning_pairs(logs: Mapping[datetime.date, DayLog], activities: Iterable[Activity],
                       first: datetime.date, last: datetime.date) -> list[MorningAfter]:
    """Pair each day D of ``first..last−1`` with D+1's morning pain, where that was logged.

    Pain during a session says less than how the back feels the next morning, after the
    tissues have reacted: that is the 24-hour rule physiotherapists use.
    """
    by_day: dict[datetime.date, list[Activity]] = {}
    for a in activities:
        if first <= a.day < last:
            by_day.setdefault(a.day, []).append(a)
    one_day = datetime.timedelta(days=1)
    out = []
    day = first
    while day < last:
        after = logs.get(day + one_day)
        if after is not None and after.pain_morning is not None:
            acts = by_day.get(day, [])
            kinds = {a.kind for a in acts}
            log = logs.get(day)
            act_pains = [a.pain for a in acts if a.pain is not None]
            activity_pain = (log.pain_activity if log is not None and log.pain_activity
                             is not None else max(act_pains) if act_pains else None)
            out.append(MorningAfter(
                day=day,
                kinds=tuple(k for k in KINDS if k in kinds),
                distance_m=sum(a.distance_m for a in acts if a.distance_m is not None),
                run_m=sum(a.distance_m for a in acts
                          if a.kind == "run" and a.distance_m is not None),
                minutes=sum(a.duration_s for a in acts if a.duration_s is not None) / 60,
                pain=log.pain if log is not None else None,
                activity_pain=activity_pain,
                morning=after.pain_morning,
            ))
        day += one_day
    return out


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r of two equal-length lists; None when either does not vary (or n < 2)."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("pearson needs two lists of the same length")
    if n < 2:
        return None
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= _EPS or syy <= _EPS:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


@dataclasses.dataclass(frozen=True, slots=True)
class PainLink:
    """How a pain score moves with the running of the 7 days before it.

    Attributes:
        morning: Whether ``pain`` is the morning pain (``pain_morning``) instead of ``pain``.
        days: The paired days D (those with that pain score logged).
        week_m: For each of them, the metres run in D−7…D−1.
        pain: The pain score of each paired day.
        r: Pearson's r; None below ``MIN_PAIRED_DAYS`` paired days, below
            ``MIN_RUNNING_DAYS`` of them after a week with running, or when either side
            never varies.
        sentence: The answer in words, with r and the number of days it rests on.
    """

    morning: bool
    days: tuple[datetime.date, ...]
    week_m: tuple[float, ...]
    pain: tuple[int, ...]
    r: float | None
    sentence: str

    @property
    def n(self) -> int:
        return len(self.days)


def pain_week_link(logs: Mapping[datetime.date, DayLog], activities: Iterable[Activity],
                   first: datetime.date, last: datetime.date, *,
                   morning: bool = False) -> PainLink:
    """Correlate each day's pain (or morning pain) with the running of the 7 days before it.

    The week *before* D (D−7…D−1) is used, not one ending on D, so that the running can have
    come first; with ``morning`` the pain on waking on D is compared with a week that ends
    with the day before, the 24-hour rule over a week. A correlation is not a cause: early
    in a recovery pain is high while running is nil, which pulls r down; the words say
    "tends to", never "because".
    """
    load = RunLoad(activities, first, last)
    days: list[datetime.date] = []
    xs: list[float] = []
    ys: list[int] = []
    for k in range(_day_count(first, last)):
        day = first + datetime.timedelta(days=k)
        log = logs.get(day)
        if log is None:
            continue
        y = log.pain_morning if morning else log.pain
        if y is None:
            continue
        days.append(day)
        xs.append(load.distance(k - 1, _ACUTE_DAYS))
        ys.append(y)
    n = len(days)
    running = sum(1 for x in xs if x > 0)
    enough = n >= MIN_PAIRED_DAYS and running >= MIN_RUNNING_DAYS
    r = pearson(xs, [float(y) for y in ys]) if enough else None
    return PainLink(morning, tuple(days), tuple(xs), tuple(ys), r,
                    link_sentence(r, n, morning=morning, flat_pain=len(set(ys)) <= 1,
                                  running_days=running))


def link_sentence(r: float | None, n: int, *, morning: bool = False,
                  flat_pain: bool = False, running_days: int | None = None) -> str:
    """Say what r means in words a runner reads at a glance (thresholds: module constants)."""
    what = "Next-morning pain" if morning else "Pain"
    score = "a morning pain score" if morning else "a pain score"
    days = words.count_text(n, "day")
    if n < MIN_PAIRED_DAYS:
        return (f"Not enough data yet: {days} with {score} so far; at least "
                f"{MIN_PAIRED_DAYS} are needed to compare it with your running.")
    if running_days is not None and running_days < MIN_RUNNING_DAYS:
        return (f"Not enough running yet: {running_days} of these {days} come after a week "
                f"with a run; at least {MIN_RUNNING_DAYS} are needed to see whether "
                f"{what.lower()} follows your running.")
    if r is None:
        if flat_pain:
            return (f"{what} stayed the same on all {days}, so it did not move with your "
                    f"running.")
        return (f"Your running in the week before did not vary over these {days}, so there "
                f"is nothing to compare {what.lower()} with yet.")
    figures = f"(r = {r:.2f} over {days})"
    size = round(abs(r), 2)  # judge the figure the runner reads, so the words match it
    if size < LINK_WEAK:
        return f"No clear link between {what.lower()} and your running the week before {figures}."
    direction = "higher" if r > 0 else "lower"
    if size < LINK_STRONG:
        return f"{what} tends to be {direction} after bigger running weeks {figures}."
    return f"{what} has been clearly {direction} after bigger running weeks {figures}."
