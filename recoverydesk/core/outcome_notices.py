"""The three notices that come with the outcomes (DESIGN.md §5.1, §3, §3.1).

Notices, never pauses: each suggests seeing a clinician and changes nothing in the plan.

- ``leg_pain``: from day 42 of the episode, the 7-day mean of leg pain is 3 or more (pain
  still travelling down a leg after six weeks deserves a clinician's look);
- ``psfs_worse``: the latest PSFS scores are 2 or more points below the best earlier week,
  compared over the activities both weeks scored (a renamed activity is a new one);
- ``psfs_not_gained``: from day 42, function has not gained 2 points on the first week;
- ``stiffness``: after day 90, 30 minutes or more of morning stiffness on most logged days of
  the last two weeks, and the runner said the pain began before 45: NICE NG65 asks GPs to
  think of inflammatory back pain then.

Days count from 1 on the episode's start (day 42 is start + 41). A mean is taken only over
days with a value: a day without an entry is not a pain-free day. The engine raises them with
its own notices (``cautions.notices``: at most once a week each) and words them from
``resources/engine.toml`` ``[notice]``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence

from recoverydesk.core import psfs
from recoverydesk.core.model import DayLog

LEG_PAIN_FROM_DAY = 42
LEG_PAIN_MEAN = 3.0
PSFS_GAIN_BY_DAY = 42
STIFFNESS_AFTER_DAY = 90
STIFFNESS_MIN = 30
STIFFNESS_WINDOW = 14


@dataclasses.dataclass(frozen=True, slots=True)
class OutcomeNotice:
    """A notice's id and the figures its words quote."""

    id: str
    facts: Mapping[str, object]


def logged_mean(values: Iterable[int | None]) -> float | None:
    """The mean of the scores given; a day without one (None) is left out, not counted as 0.
    None when no score is given. The report's outcome rows use it too."""
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def _window(logs: Mapping[datetime.date, DayLog], day: datetime.date,
            days: int) -> list[DayLog]:
    return [log for k in range(days)
            if (log := logs.get(day - datetime.timedelta(days=k))) is not None]


def leg_pain_notice(start: datetime.date, logs: Mapping[datetime.date, DayLog],
                    day: datetime.date) -> OutcomeNotice | None:
    if (day - start).days + 1 < LEG_PAIN_FROM_DAY:
        return None
    mean = logged_mean(log.leg_pain for log in _window(logs, day, 7))
    if mean is None or mean < LEG_PAIN_MEAN:
        return None
    return OutcomeNotice("leg_pain", {"mean": round(mean, 1)})


def psfs_notices(start: datetime.date, scores: Sequence[psfs.PsfsScore],
                 day: datetime.date) -> list[OutcomeNotice]:
    weeks = [d for d in psfs.by_day(scores) if d <= day]
    if not weeks:
        return []
    latest = weeks[-1]
    found: list[OutcomeNotice] = []
    drops = [c for earlier in weeks[:-1]
             if (c := psfs.compare(scores, earlier, latest)) is not None]
    worst = min(drops, key=lambda c: c.delta, default=None)
    if worst is not None and worst.delta <= -psfs.MEAN_CHANGE:
        found.append(OutcomeNotice("psfs_worse", {
            "mean": round(worst.mean_after, 1), "best": round(worst.mean_before, 1),
            "best_day": worst.before}))
    if (day - start).days + 1 >= PSFS_GAIN_BY_DAY:
        gain = psfs.compare(scores, weeks[0], latest) if len(weeks) > 1 else None
        delta = gain.delta if gain is not None else 0.0
        if delta < psfs.MEAN_CHANGE:
            found.append(OutcomeNotice("psfs_not_gained", {
                "gain": round(delta, 1), "first_day": weeks[0]}))
    return found


def stiffness_notice(start: datetime.date, logs: Mapping[datetime.date, DayLog],
                     day: datetime.date, onset_before_45: bool | None) -> OutcomeNotice | None:
    if not onset_before_45 or (day - start).days + 1 <= STIFFNESS_AFTER_DAY:
        return None
    given = [log.stiffness_min for log in _window(logs, day, STIFFNESS_WINDOW)
             if log.stiffness_min is not None]
    stiff = sum(1 for v in given if v >= STIFFNESS_MIN)
    if not given or stiff * 2 <= len(given):
        return None
    return OutcomeNotice("stiffness", {"days": stiff, "of": len(given)})


def outcome_notices(start: datetime.date, logs: Mapping[datetime.date, DayLog],
                    scores: Sequence[psfs.PsfsScore], day: datetime.date,
                    onset_before_45: bool | None) -> list[OutcomeNotice]:
    """Every outcome notice whose condition holds on ``day``."""
    found = [n for n in (leg_pain_notice(start, logs, day),) if n is not None]
    found += psfs_notices(start, scores, day)
    stiff = stiffness_notice(start, logs, day, onset_before_45)
    if stiff is not None:
        found.append(stiff)
    return found


def notice_series(start: datetime.date, days: int, logs: Mapping[datetime.date, DayLog],
                  scores: Sequence[psfs.PsfsScore], onset_before_45: bool | None,
                  first: int = 0) -> list[list[OutcomeNotice]]:
    """:func:`outcome_notices` for each day of ``start + first … start + days − 1`` in one
    pass, as the engine's replay needs them: running sums for the windows, and each scored
    week's comparisons worked out once (not once per day). ``first`` lets a replay resumed
    after an edit work out only the days from the edit on."""
    lo = max(0, first - STIFFNESS_WINDOW)  # the longest window reaches this far back
    span = days - lo
    leg_sum = [0] * (span + 1)
    leg_count = [0] * (span + 1)
    stiff_count = [0] * (span + 1)
    stiff_given = [0] * (span + 1)
    one_day = datetime.timedelta(days=1)
    day = start + datetime.timedelta(days=lo)
    for k in range(span):
        log = logs.get(day)
        day += one_day
        leg = log.leg_pain if log is not None else None
        stiff = log.stiffness_min if log is not None else None
        leg_sum[k + 1] = leg_sum[k] + (leg or 0)
        leg_count[k + 1] = leg_count[k] + (leg is not None)
        stiff_given[k + 1] = stiff_given[k] + (stiff is not None)
        stiff_count[k + 1] = stiff_count[k] + (stiff is not None and stiff >= STIFFNESS_MIN)
    weeks = list(psfs.by_day(scores))
    per_week: dict[datetime.date, list[OutcomeNotice]] = {}
    gain_of: dict[datetime.date, list[OutcomeNotice]] = {}
    for w, latest in enumerate(weeks):
        per_week[latest] = [n for n in psfs_notices(start, scores, latest)
                            if n.id == "psfs_worse"]
        # the not-gained check, as it reads on any day from day 42 with these weeks
        gain = psfs.compare(scores, weeks[0], latest) if w > 0 else None
        delta = gain.delta if gain is not None else 0.0
        gain_of[latest] = ([OutcomeNotice("psfs_not_gained", {
            "gain": round(delta, 1), "first_day": weeks[0]})]
            if delta < psfs.MEAN_CHANGE else [])
    legs = leg_count[-1] > 0
    stiffs = bool(onset_before_45) and stiff_given[-1] > 0
    out: list[list[OutcomeNotice]] = []
    week_index = -1
    for i in range(max(first, 0), days):
        k = i - lo  # the day's place in the running sums
        found: list[OutcomeNotice] = []
        if legs and i + 1 >= LEG_PAIN_FROM_DAY:
            back = max(0, k - 6)
            count = leg_count[k + 1] - leg_count[back]
            if count:
                mean = (leg_sum[k + 1] - leg_sum[back]) / count
                if mean >= LEG_PAIN_MEAN:
                    found.append(OutcomeNotice("leg_pain", {"mean": round(mean, 1)}))
        if weeks:
            day = start + datetime.timedelta(days=i)
            while week_index + 1 < len(weeks) and weeks[week_index + 1] <= day:
                week_index += 1
            if week_index >= 0:
                latest = weeks[week_index]
                found += per_week[latest]
                if i + 1 >= PSFS_GAIN_BY_DAY:
                    found += gain_of[latest]
        if stiffs and i + 1 > STIFFNESS_AFTER_DAY:
            back = max(0, k - STIFFNESS_WINDOW + 1)
            given = stiff_given[k + 1] - stiff_given[back]
            stiff = stiff_count[k + 1] - stiff_count[back]
            if given and stiff * 2 > given:
                found.append(OutcomeNotice("stiffness", {"days": stiff, "of": given}))
        out.append(found)
    return out
