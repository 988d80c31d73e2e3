"""What the engine says beside the phase: load cautions, the weekly guide and notices.

DESIGN.md §5.1 (load cautions, notices, "mark recovered") and §5.4 (the weekly guide in
``full``). None of these ever changes the phase or closes the gate, so they are worked out
only for the days somebody reads, from the fold's finished records.

- Cautions: in ``run``, a run longer than 1.25 × the stage's session; in ``full``, a run more
  than 1.10 × the longest of D−30…D−1, a 7-day distance above 1.30 × the 7 days before, a
  block above its guide, and after 30 days without a run, a run more than 1.10 × the last
  ladder session. The acute:chronic workload ratio is not worked out anywhere (§5.1).
- Notices: pain not improving and its siblings, each raised at most once a week.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from recoverydesk.core.engine import Caution, DayStatus, Guide, Notice

if TYPE_CHECKING:
    from recoverydesk.core.engine import _Index, _Replay
    from recoverydesk.core.rules import Rules

_EPS = 1e-9
_WEEK = 7


class _Runs:
    """Run distances per day offset as prefix sums, and the longest run per day."""

    def __init__(self, ix: _Index) -> None:
        n = ix.n
        total = [0.0] * n
        longest = [0.0] * n
        minutes: list[list[float]] = [[] for _ in range(n)]
        for a in ix.activities:
            if a.kind != "run":
                continue
            i = (a.day - ix.start).days
            if a.distance_m is not None:
                total[i] += a.distance_m
                longest[i] = max(longest[i], a.distance_m)
            if a.duration_s is not None:
                minutes[i].append(a.duration_s / 60.0)
        prefix = [0.0] * (n + 1)
        for i, d in enumerate(total):
            prefix[i + 1] = prefix[i] + d
        self.prefix, self.longest, self.minutes = prefix, longest, minutes

    def distance(self, lo: int, hi: int) -> float:
        """Metres run on offsets lo..hi inclusive (clipped to the episode)."""
        lo = max(lo, 0)
        hi = min(hi, len(self.prefix) - 2)
        return self.prefix[hi + 1] - self.prefix[lo] if hi >= lo else 0.0


def _runs(rep: _Replay) -> _Runs:
    if rep._load is None:
        rep._load = _Runs(rep.ix)
    return rep._load


def _stint_start(i: int, status: DayStatus) -> int:
    return i - status.phase_day + 1


def _last_session_min(rep: _Replay, ps: int) -> int | None:
    """The minutes of the ladder stage in force on the last day of ``run`` before ``ps``."""
    if ps <= 0:
        return None
    before = rep.out[ps - 1]
    if before.run_stage is None:
        return None
    return rep.rules.ladder_minutes[before.run_stage - 1]


def guide_for(rep: _Replay, i: int) -> Guide | None:
    """§5.4: the weekly guide of the 7-day block holding day ``i`` of a ``full`` stint."""
    status = rep.out[i]
    ps = _stint_start(i, status)
    found = rep._guides.get(ps)
    block = (i - ps) // _WEEK
    rules, ix, runs = rep.rules, rep.ix, _runs(rep)
    if found is None:
        last_run_week = runs.distance(ps - _WEEK, ps - 1)
        baseline = ix.baseline
        if last_run_week > 0:
            first = rules.guide_first_factor * last_run_week
            if baseline:
                first = min(first, rules.guide_baseline_fraction * baseline)
        elif baseline:
            first = rules.guide_baseline_fraction * baseline
        else:
            rep._guides[ps] = found = ([], [])
            return None
        rep._guides[ps] = found = ([first], [first])
    # guides[k] is block k's guide; history the values it grew through, so that a block
    # without a run can set it back one block. Blocks are judged once, when complete.
    guides, history = found
    if not guides:
        return None
    while len(guides) <= block:
        k = len(guides) - 1
        lo = ps + k * _WEEK
        ran = runs.distance(lo, lo + _WEEK - 1)
        current = guides[k]
        if ran <= 0:
            # A block without a run sets the guide back one block.
            if len(history) > 1:
                history.pop()
            nxt = history[-1]
        elif ran >= rules.guide_tolerated_fraction * current - _EPS:
            nxt = current * rules.guide_growth
            if ix.baseline:
                nxt = min(nxt, max(ix.baseline, current))
            history.append(nxt)
        else:
            nxt = current
        guides.append(nxt)
    lo = ps + block * _WEEK
    g = guides[block]
    return Guide(block, ix.date(lo), g, runs.distance(lo, i),
                 bool(ix.baseline) and g >= (ix.baseline or 0) - _EPS)


def cautions_on(rep: _Replay, i: int, status: DayStatus) -> tuple[Caution, ...]:
    rules, ix = rep.rules, rep.ix
    if not ix.has_run[i] or status.phase not in ("run", "full"):
        return ()
    runs = _runs(rep)
    out: list[Caution] = []
    if status.phase == "run":
        stage = status.run_stage or 1
        session = rules.ladder_minutes[stage - 1]
        for m in runs.minutes[i]:
            if m > rules.stage_caution_factor * session + _EPS:
                out.append(Caution("stage_long", m / session, {
                    "minutes": round(m), "session": session, "stage": stage,
                    "factor": rules.stage_caution_factor}))
        return tuple(out)
    back = rules.spike_lookback_days
    before = max(runs.longest[max(i - back, 0):i], default=0.0)
    today = runs.longest[i]
    if before > 0 and today > rules.spike_factor * before + _EPS:
        out.append(Caution("spike", today / before, {
            "metres": today, "longest": before, "days": back, "factor": rules.spike_factor,
            "units": ix.units}))
    week = runs.distance(i - 6, i)
    prior = runs.distance(i - 13, i - 7)
    if prior > 0 and week > rules.weekly_rise_factor * prior + _EPS:
        out.append(Caution("weekly_rise", week / prior, {
            "metres": week, "prior": prior, "factor": rules.weekly_rise_factor,
            "units": ix.units}))
    guide = guide_for(rep, i)
    if guide is not None and guide.guide_m > 0 and guide.run_m > guide.guide_m + _EPS:
        out.append(Caution("over_guide", guide.run_m / guide.guide_m, {
            "metres": guide.run_m, "guide": guide.guide_m, "units": ix.units}))
    if not any(ix.has_run[max(i - back, 0):i]):
        last = _last_session_min(rep, _stint_start(i, status))
        if last:
            for m in runs.minutes[i]:
                if m > rules.spike_factor * last + _EPS:
                    out.append(Caution("after_break", m / last, {
                        "minutes": round(m), "session": last, "days": back,
                        "factor": rules.spike_factor}))
    return tuple(out)


def notices(ix: _Index, rules: Rules, out: Sequence[DayStatus], first: int = 0,
            before: Sequence[tuple[Notice, ...]] = ()) -> list[tuple[Notice, ...]]:
    """§5.1's notices for each day from ``first`` on, each raised at most once per
    ``notice_every_days``.

    ``before`` holds the notices raised on the days just before ``first`` (a replay resumed
    after an edit takes them from the replay it resumes): ``notice_every_days`` of them are
    enough, since an older raise no longer holds a notice back.
    """
    n = ix.n
    lp, pp = ix.logged_prefix, ix.pain_prefix

    def mean(i: int) -> float | None:
        lo = max(i - 6, 0)
        count = lp[i + 1] - lp[lo]
        return (pp[i + 1] - pp[lo]) / count if count else None

    from recoverydesk.core.outcome_notices import notice_series

    outcomes = notice_series(ix.start, n, ix.logs, ix.psfs_scores, ix.onset_before_45, first)
    base = mean(min(6, n - 1)) if n else None
    k = rules.rising_lookback_days
    means: list[float | None] = [None] * n
    for i in range(max(first - k, 0), n):
        means[i] = mean(i)
    last_raised: dict[str, int] = {}
    for i, raised_then in enumerate(before, start=first - len(before)):
        for notice in raised_then:
            last_raised[notice.id] = i
    last_run = next((i for i in range(first - 1, -1, -1) if ix.has_run[i]), -1)
    result: list[tuple[Notice, ...]] = []
    for i in range(first, n):
        m = means[i]
        found: list[tuple[str, dict[str, Any]]] = []
        if m is not None:
            if (i >= rules.clinician_after_days and base is not None
                    and m >= rules.clinician_mean_floor - _EPS
                    and not (base - m >= rules.clinician_min_drop_points - _EPS
                             and m <= base * (1 - rules.clinician_min_drop_fraction) + _EPS)):
                found.append(("not_improving", {"mean": m, "first": base,
                                                "days": rules.clinician_after_days,
                                                "points": rules.clinician_min_drop_points,
                                                "fraction": rules.clinician_min_drop_fraction}))
            if i >= rules.high_pain_from_day - 1 and m >= rules.high_pain_mean - _EPS:
                found.append(("high_pain", {"mean": m, "day": rules.high_pain_from_day}))
            earlier = means[i - k] if i >= k else None
            if earlier is not None and m - earlier >= rules.rising_points - _EPS:
                found.append(("pain_rising", {"mean": m, "earlier": earlier, "days": k}))
            if i >= rules.episode_review_days and m >= rules.clinician_mean_floor - _EPS:
                found.append(("long_episode", {"mean": m, "days": rules.episode_review_days,
                                               "start": ix.start}))
        status = out[i]
        if status.phase == "full":
            ps = i - status.phase_day + 1
            since = max(last_run, ps - 1) if last_run >= ps else ps - 1
            weeks = (i - since) // _WEEK
            if weeks >= rules.guide_ladder_notice_weeks:
                found.append(("back_to_ladder", {"weeks": weeks,
                                                 "stage": rules.ladder_from_full_stage}))
        found += [(o.id, dict(o.facts)) for o in outcomes[i - first]]
        if ix.has_run[i]:
            last_run = i
        raised = []
        for nid, facts in found:
            prev = last_raised.get(nid)
            if prev is None or i - prev >= rules.notice_every_days:
                last_raised[nid] = i
                raised.append(Notice(nid, facts))
        result.append(tuple(raised))
    return result
