"""The phase engine v2: a pure replay of an episode, day by day (DESIGN.md §5.1, §5.3, §5.4).

Nothing the engine derives is stored: the store keeps the daily logs, the activities and four
kinds of user action (advance requests, clinician clearances, passed ready-to-run tests, risk
screens); every answer comes from replaying them from the episode's start. Editing an old entry
simply replays to a new answer, and a stored advance whose gate no longer holds is ignored (and
flagged).

- ``replay(episode, rules, until) -> list[DayStatus]``: one status per day from the start to
  ``until`` inclusive (empty if until < start).
- ``status_on(episode, rules, day) -> DayStatus``.
- ``check_advance`` / ``check_clearance``: would a request on a day be accepted, and why.

The engine returns structure, not prose: each ``RuleResult`` has the rule id, whether it held,
a ``why`` key and the figures behind it (``facts``), including what is still needed (days,
logged days, a passed test, ladder stages). ``core/explain.py`` turns them into sentences from
``resources/engine.toml``; the engine itself keeps no phase names or red-flag words.

Speed (§10: 10 years in ≤ 10 ms): logs and activities are laid out by day offset once, windowed
counts use prefix sums, and the fold does O(1) work per day on plain numbers and booleans. The
reasons, cautions and notices of a day are worked out only when somebody reads them, from the
state the fold recorded for that day.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from recoverydesk.core.model import PHASES, DayLog, Episode
from recoverydesk.core.rules import Rules

if TYPE_CHECKING:
    from recoverydesk.core.cautions import _Runs

_REST, _WALK, _LOW, _RUN, _FULL = range(5)
_LAST = len(PHASES) - 1
_EVIDENCE_KINDS: dict[int, frozenset[str]] = {
    _WALK: frozenset({"walk"}),
    _LOW: frozenset({"swim", "cycle", "elliptical", "yoga", "pilates"}),
}
"""G5: the activities that show a phase is being lived, not just waited out."""
_EPS = 1e-9


@dataclasses.dataclass(frozen=True, slots=True, eq=True)
class RuleResult:
    """One rule's verdict on one day.

    Attributes:
        rule: ``layoff``, ``pause``, ``hold``, ``clearance``, ``R1``–``R3``, ``setback``,
            ``ladder``, ``G1``–``G7``, ``advance``.
        ok: Whether the rule held (for R-rules True means no regression; for ``pause`` and
            ``hold`` True means none is in force).
        why: Which case of the rule applied (a key of resources/engine.toml under the rule).
        facts: The figures behind the verdict; dates are ``datetime.date``. What is still
            needed is in ``left`` (a count) where the rule has one.
    """

    rule: str
    ok: bool
    why: str
    facts: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=True)

    def __hash__(self) -> int:
        return hash((self.rule, self.ok, self.why))

    @property
    def detail(self) -> str:
        """The verdict as a sentence a runner understands (from resources/engine.toml)."""
        from recoverydesk.core.explain import describe
        return describe(self)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "why": self.why, "detail": self.detail,
                "facts": _json_facts(self.facts)}


def _json_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, tuple | list | frozenset | set):
            items = sorted(v) if isinstance(v, frozenset | set) else v
            return [plain(x) for x in items]
        return v
    return {k: plain(v) for k, v in facts.items()}


@dataclasses.dataclass(frozen=True, slots=True)
class Caution:
    """A load caution of §5.1/§5.4 on a day: amber, with its figures; never closes the gate.

    ``id`` is ``stage_long``, ``spike``, ``weekly_rise``, ``over_guide`` or
    ``after_break``; ``value`` the ratio against its reference.
    """

    id: str
    value: float
    facts: Mapping[str, Any]

    def __hash__(self) -> int:
        return hash((self.id, self.value))

    @property
    def warn(self) -> bool:
        return True

    @property
    def detail(self) -> str:
        from recoverydesk.core.explain import describe_caution
        return describe_caution(self)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "value": round(self.value, 3), "warn": True,
                "detail": self.detail, "facts": _json_facts(self.facts)}


@dataclasses.dataclass(frozen=True, slots=True)
class Notice:
    """A notice of §5.1 (not a pause): ``not_improving``, ``high_pain``, ``pain_rising``,
    ``long_episode`` or ``back_to_ladder``. Shown at most once a week: the engine raises it
    on the first day its condition holds and again only after ``notice_every_days`` without it
    raised (dismissing it for good is the window's business)."""

    id: str
    facts: Mapping[str, Any]

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def detail(self) -> str:
        from recoverydesk.core.explain import describe_notice
        return describe_notice(self)

    def __str__(self) -> str:
        return self.detail


@dataclasses.dataclass(frozen=True, slots=True)
class Guide:
    """The §5.4 weekly guide in ``full`` for the block holding a day.

    ``block`` counts from 0 at the phase's start; ``guide_m`` is the distance the block
    allows, ``run_m`` what was run in the block up to the day; ``at_baseline`` once the guide
    has reached the runner's usual week.
    """

    block: int
    first_day: datetime.date
    guide_m: float
    run_m: float
    at_baseline: bool


_T = TypeVar("_T")

_FIELDS = ("day", "phase", "phase_day", "paused", "hold", "can_advance", "next_phase", "logged",
           "event", "ignored_advance", "ignored_clearance", "run_stage", "run_stage_done",
           "ladder")


class DayStatus(NamedTuple):
    """What the engine says about one day (§9 ``status --json``).

    Attributes:
        day, phase, phase_day, paused, can_advance, next_phase: as §9 says.
        hold: a hold (§4.1) is open at the end of the day (the way into running is shut).
        logged: the day has a log entry.
        event: what moved: ``pause``, ``clearance`` (a pause ended), ``hold`` (a hold opened),
            ``hold_cleared``, ``regression`` (a phase back), ``setback`` (two ladder stages
            back, the phase stays), ``advance``, or None.
        ignored_advance / ignored_clearance: a stored action this day that no longer holds.
        run_stage: the ladder stage in force (1–9), None outside ``run``.
        run_stage_done: the ladder has been passed (False outside ``run``).
        ladder: how the day moved the ladder: ``up``, ``down``, ``hold`` (yesterday's run
            judged), ``passed``, ``layoff``, ``setback``, or None.
        reasons, cautions (also ``warnings``), notices, guide, offer_recovered, pause_reason,
            hold_reason: worked out on first use, from the state the fold kept for the day.

    A named tuple (the fields above, then the fold's context), because a 10-year replay
    makes 3,650 of them within its 10 ms; records compare through the fields and the lazy
    details, never through the fold's context.
    """

    day: datetime.date
    phase: str
    phase_day: int
    paused: bool
    hold: bool
    can_advance: bool
    next_phase: str
    logged: bool
    event: str | None
    ignored_advance: bool
    ignored_clearance: bool
    run_stage: int | None
    run_stage_done: bool
    ladder: str | None
    source: _Replay | None  # the fold behind the record (None for a record made by hand)
    offset: int             # the day's offset from the episode's start
    state: _State           # what the fold knew at the end of the day

    @classmethod
    def make(cls, day: datetime.date, phase: str, phase_day: int, *, paused: bool = False,
             hold: bool = False, can_advance: bool = False, next_phase: str | None = None,
             logged: bool = True, event: str | None = None, run_stage: int | None = None,
             run_stage_done: bool = False) -> DayStatus:
        """A record made by hand (no replay behind it: no reasons, cautions or notices), for
        projections and tests that start from a given day."""
        return _new_status(cls, (day, phase, phase_day, paused, hold, can_advance,
                                 next_phase or phase, logged, event, False, False, run_stage,
                                 run_stage_done, None, None, 0, _NO_STATE))

    def _lazy(self, key: str, make: Callable[[_Replay], tuple[_T, ...]]) -> tuple[_T, ...]:
        """A detail worked out on first use and kept with the replay (none without one)."""
        source = self.source
        if source is None:
            return ()
        cache = source.cache.setdefault(self.offset, {})
        if key not in cache:
            cache[key] = make(source)
        return cache[key]

    @property
    def reasons(self) -> tuple[RuleResult, ...]:
        return self._lazy("reasons", lambda src: src.reasons(self.offset, self.state, self))

    def reason(self, rule: str) -> RuleResult | None:
        return next((r for r in self.reasons if r.rule == rule), None)

    @property
    def cautions(self) -> tuple[Caution, ...]:
        return self._lazy("cautions", lambda src: src.cautions(self.offset, self))

    @property
    def warnings(self) -> tuple[Caution, ...]:
        """The load cautions (§5.1) under the name the v1 callers used."""
        return self.cautions

    @property
    def notices(self) -> tuple[Notice, ...]:
        return self._lazy("notices", lambda src: src.notices(self.offset))

    @property
    def guide(self) -> Guide | None:
        """The §5.4 weekly guide for this day (in ``full`` only)."""
        if self.source is None:
            return None
        return self.source.guide(self.offset, self) if self.phase == "full" else None

    @property
    def offer_recovered(self) -> bool:
        """§5.1: in ``full`` with ``worst`` ≤ 1 on each of the last 14 days."""
        return (self.phase == "full" and self.source is not None
                and bool(self.source.calm_fortnight(self.offset)))

    @property
    def pause_reason(self) -> Mapping[str, Any] | None:
        """Why the plan is paused (``red_flags`` and/or ``risks``, and ``since``)."""
        return self.state.pause if self.paused else None

    @property
    def hold_reason(self) -> Mapping[str, Any] | None:
        """Why a hold is open (``risks`` and ``since``)."""
        return self.state.hold if self.hold else None

    def _key(self) -> tuple[Any, ...]:
        return tuple(self[:14])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DayStatus):
            return NotImplemented
        return (self._key() == other._key() and self.reasons == other.reasons
                and self.cautions == other.cautions and self.notices == other.notices)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        pairs = zip(_FIELDS, self, strict=False)  # the fields, not the fold's context
        return "DayStatus(" + ", ".join(f"{k}={v!r}" for k, v in pairs) + ")"

    def to_json(self) -> dict[str, Any]:
        guide = self.guide
        return {
            "date": self.day.isoformat(),
            "phase": self.phase,
            "phase_day": self.phase_day,
            "paused": self.paused,
            "hold": self.hold,
            "can_advance": self.can_advance,
            "next_phase": self.next_phase,
            "run_stage": self.run_stage,
            "run_stage_done": self.run_stage_done,
            "ladder": self.ladder,
            "reasons": [r.to_json() for r in self.reasons],
            "warnings": [c.to_json() for c in self.cautions],
            "event": self.event,
            "ignored_advance": self.ignored_advance,
            "ignored_clearance": self.ignored_clearance,
            "notices": [{"id": n.id, "detail": n.detail} for n in self.notices],
            "guide": None if guide is None else {
                "block": guide.block, "first_day": guide.first_day.isoformat(),
                "guide_m": round(guide.guide_m, 1), "run_m": round(guide.run_m, 1),
                "at_baseline": guide.at_baseline},
            "offer_recovered": self.offer_recovered,
            "logged": self.logged,
        }


_new_status = tuple.__new__


@dataclasses.dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a request (advance, clearance, ready, screen): accepted or not, and why."""

    accepted: bool
    reasons: tuple[RuleResult, ...]


class _State(NamedTuple):
    """The fold's state for one day: what the lazy reasons need.

    ``kind`` is the path the day took: ``pause`` (paused), ``clearance`` (a pause cleared),
    or ``judged``. Built with ``tuple.__new__`` in the fold (it runs 3,650 times in 10 ms).
    """

    kind: str
    pi: int
    ps: int
    cleared: int
    stage: int | None
    passed: bool
    pause: Mapping[str, Any] | None
    hold: Mapping[str, Any] | None
    hold_cleared: Mapping[str, Any] | None
    regression: str | None
    ladder: Mapping[str, Any] | None
    layoff: Mapping[str, Any] | None
    ignored_clearance: bool


class _Carry(NamedTuple):
    """The fold's variables at the end of a day: where a resumed replay picks up."""

    pi: int
    ps: int
    cleared: int
    paused: bool
    hold_open: bool
    pause: Mapping[str, Any] | None
    hold: Mapping[str, Any] | None
    stage: int | None
    passed: bool
    last_run: int
    last_setback: int
    last_up: int
    regressed_prev: bool


_NO_STATE = _State("judged", 0, 0, -1, None, False, None, None, None, None, None, None, False)


# --- the day index --------------------------------------------------------------------------

class _Index:
    """The episode laid out by day offset from its start, once per replay.

    Only ``start..until`` is read: days before the start are not part of the episode, and
    nothing after ``until`` may change an answer about ``until``.
    """

    # one entry per day
    act_pain: list[int | None]
    run_pain: list[int | None]
    run_min: list[float]
    run_untimed: list[bool]
    has_run: list[bool]
    marks: dict[int, list[int]]  # by phase index
    logged: list[bool]
    pain: list[int]
    pact: list[int | None]
    morning: list[int | None]
    worst: list[int]
    daily: list[int]
    flags: list[frozenset[str] | None]

    def __init__(self, episode: Episode, until: datetime.date, earlier: _Index | None = None,
                 keep: int = 0) -> None:
        """With ``earlier`` (an index of the same episode before an edit), its first ``keep``
        days are copied rather than worked out again."""
        start = self.start = episode.start
        n = self.n = (until - start).days + 1
        if earlier is None:
            keep = 0
        self.units = episode.info.units if episode.info.units in ("km", "mi") else "km"
        self.baseline = episode.info.baseline_weekly_m
        # For the outcome notices (leg pain, PSFS, stiffness), worked out only when read.
        self.logs = episode.logs
        self.psfs_scores = episode.psfs_scores
        self.onset_before_45 = episode.onset_before_45
        act_pain: list[int | None] = [None] * n
        run_pain: list[int | None] = [None] * n
        run_min: list[float] = [0.0] * n
        run_untimed = [False] * n
        has_run = [False] * n
        marks = {phase: [0] * n for phase in _EVIDENCE_KINDS}
        if earlier is not None and keep:
            act_pain[:keep] = earlier.act_pain[:keep]
            run_pain[:keep] = earlier.run_pain[:keep]
            run_min[:keep] = earlier.run_min[:keep]
            run_untimed[:keep] = earlier.run_untimed[:keep]
            has_run[:keep] = earlier.has_run[:keep]
            for phase, column in marks.items():
                column[:keep] = earlier.marks[phase][:keep]
        mark_of = {kind: marks[phase] for phase, kinds in _EVIDENCE_KINDS.items()
                   for kind in kinds}
        own = []
        for a in episode.activities:
            i = (a.day - start).days
            if not 0 <= i < n:
                continue
            own.append(a)
            if i < keep:
                continue  # copied from the earlier index
            kind, p = a.kind, a.pain
            if p is not None:
                cur = act_pain[i]
                if cur is None or p > cur:
                    act_pain[i] = p
            if kind == "run":
                has_run[i] = True
                if p is not None:
                    cur = run_pain[i]
                    if cur is None or p > cur:
                        run_pain[i] = p
                if a.duration_s is None:
                    run_untimed[i] = True
                else:
                    run_min[i] += a.duration_s / 60.0
            else:
                mark = mark_of.get(kind)
                if mark is not None:
                    mark[i] = 1
        self.activities = tuple(own)
        self.act_pain, self.marks = act_pain, marks
        self.has_run, self.run_pain, self.run_min, self.run_untimed = (
            has_run, run_pain, run_min, run_untimed)
        logged = [False] * n
        pain = [0] * n
        pact: list[int | None] = [None] * n
        morning: list[int | None] = [None] * n
        worst = [0] * n
        daily = [0] * n
        flags: list[frozenset[str] | None] = [None] * n
        logs: Iterable[tuple[datetime.date, DayLog]] = episode.logs.items()
        if earlier is not None and keep:
            logged[:keep] = earlier.logged[:keep]
            pain[:keep] = earlier.pain[:keep]
            pact[:keep] = earlier.pact[:keep]
            morning[:keep] = earlier.morning[:keep]
            worst[:keep] = earlier.worst[:keep]
            daily[:keep] = earlier.daily[:keep]
            flags[:keep] = earlier.flags[:keep]
            day_of = [start + datetime.timedelta(days=i) for i in range(keep, n)]
            logs = ((day, log) for day in day_of if (log := episode.logs.get(day)) is not None)
        for day, log in logs:
            i = (day - start).days
            if not 0 <= i < n:
                continue
            logged[i] = True
            w = pain[i] = log.pain
            pa = pact[i] = log.pain_activity if log.pain_activity is not None else act_pain[i]
            m = morning[i] = log.pain_morning
            dl = w if m is None or m < w else m
            daily[i] = dl
            if pa is not None and pa > dl:
                dl = pa
            worst[i] = dl
            if log.red_flags:
                flags[i] = log.red_flags
        self.logged, self.pain, self.pact, self.morning = logged, pain, pact, morning
        self.worst, self.daily, self.flags = worst, daily, flags
        self.evidence = {phase: _prefix(mark) for phase, mark in marks.items()}
        self.logged_prefix = _prefix(logged)
        self.advances: set[int] = set()
        self.clearances: dict[int, str] = {}
        self.screens: dict[int, frozenset[str]] = {}
        ready = [0] * n
        for action in episode.actions:
            i = (action.day - start).days
            if not 0 <= i < n:
                continue
            if action.kind == "advance":
                self.advances.add(i)
            elif action.kind == "clearance":
                self.clearances.setdefault(i, action.note)
            elif action.kind == "ready":
                ready[i] = 1
            elif action.kind == "screen":
                self.screens[i] = frozenset(action.risks)
        self.ready = ready
        self.ready_prefix = _prefix(ready)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=i)

    @functools.cached_property
    def pain_prefix(self) -> list[int]:
        """Running totals of ``pain`` (0 on unlogged days), for the notices' 7-day means."""
        return _prefix(self.pain)


def _prefix(values: Sequence[int]) -> list[int]:
    """Running totals with a leading 0: the sum of values[a:b] is out[b] - out[a]."""
    return list(accumulate(values, initial=0))


# --- the rules, as plain checks ----------------------------------------------------------------

def _regressions(ix: _Index, rules: Rules, i: int) -> tuple[bool, bool, bool]:
    """R1–R3 on logged day ``i``: True where the rule calls for a regression."""
    pa = ix.pact[i]
    r1 = pa is not None and pa > rules.regress_activity_pain_above
    d = ix.daily[i]
    r2 = (i > 0 and ix.logged[i - 1] and d - ix.daily[i - 1] >= rules.flare_rise
          and d >= rules.flare_floor)
    k = rules.morning_rising_days
    r3 = False
    if i >= k - 1:
        ms = [m for m in ix.morning[i - k + 1:i + 1] if m is not None]
        if len(ms) == k and ms[-1] >= rules.morning_floor:
            r3 = all(ms[j] < ms[j + 1] for j in range(k - 1))
    return r1, r2, r3


def _judge_run(ix: _Index, rules: Rules, i: int, stage: int, passed: bool,
               up_yesterday: bool) -> tuple[str, dict[str, Any]]:
    """§5.3: judge D−1's run on day ``i`` (the caller checked it may be judged).

    Returns ``up``, ``down`` or ``hold``, and the figures.
    """
    j = i - 1
    p = ix.run_pain[j]
    if p is None:
        p = ix.pact[j]
    if p is None:
        p = ix.pain[j]
    b = ix.morning[j]
    if b is None:
        b = ix.pain[j]
    m = ix.morning[i]
    minutes = rules.ladder_minutes[(9 if passed else stage) - 1]
    ran = ix.run_min[j]
    done = ix.run_untimed[j] or ran >= rules.ladder_done_fraction * minutes - _EPS
    facts: dict[str, Any] = {"run_day": ix.date(j), "pain": p, "baseline": b, "morning": m,
                             "ran_min": round(ran, 1), "session_min": minutes,
                             "needed_min": round(rules.ladder_done_fraction * minutes, 1),
                             "done": done, "untimed": ix.run_untimed[j],
                             "up_yesterday": up_yesterday, "stage": stage, "passed": passed}
    if p >= rules.ladder_bad_pain or (m is not None and m >= b + rules.ladder_bad_morning_rise):
        return "down", facts
    if (p <= rules.ladder_good_pain and m is not None
            and m <= b + rules.ladder_good_morning_rise and m <= rules.ladder_good_morning
            and done and not up_yesterday):
        return "up", facts
    return "hold", facts


def _screen_verdict(rules: Rules, risks: frozenset[str], pi: int) -> str | None:
    """§4.1: what a screen with these yes answers does on a day in phase ``pi``."""
    if not risks:
        return None
    if risks & rules.pause_risks or len(risks) >= rules.pause_risk_count or pi >= _RUN:
        return "pause"
    return "hold"


def _gate_open(ix: _Index, rules: Rules, i: int, pi: int, ps: int, cleared: int,
               hold: bool, passed: bool) -> bool:
    """G1–G7 for day ``i`` of phase ``pi`` (begun on ``ps``), as one boolean (the fast path).

    ``_gate_reasons`` gives the same verdicts with their figures; the tests hold them equal.
    """
    phase = PHASES[pi]
    if i - ps + 1 < rules.min_days.get(phase, 0):
        return False
    w = rules.gate_window_days
    lo = i - w + 1
    if lo < ps or lo <= cleared or lo < 0:
        return False
    lp = ix.logged_prefix
    if lp[i + 1] - lp[lo] != w:
        return False
    thr = rules.advance_threshold.get(phase, 0)
    worst = ix.worst
    for j in range(lo, i + 1):
        if worst[j] > thr:
            return False
    if worst[i] - worst[lo] > rules.gate_rise_tolerance:
        return False
    if pi == _RUN:
        if not passed:
            return False
    elif pi in _EVIDENCE_KINDS:
        prefix = ix.evidence[pi]
        if prefix[i + 1] - prefix[ps] < rules.evidence_days.get(phase, 0):
            return False
    if pi == _LOW:
        first = max(i - rules.ready_test_window_days + 1, ps, cleared + 1)
        if first > i or ix.ready_prefix[i + 1] - ix.ready_prefix[first] <= 0:
            return False
        if hold:
            return False
    return True


def _gate_reasons(ix: _Index, rules: Rules, i: int, pi: int, ps: int, cleared: int,
                  hold: Mapping[str, Any] | None, passed: bool,
                  stage: int | None) -> list[RuleResult]:
    """G1–G7 with their figures and what is still needed."""
    phase = PHASES[pi]
    out: list[RuleResult] = []
    k = i - ps + 1
    m = rules.min_days.get(phase, 0)
    out.append(RuleResult("G1", k >= m, "ok" if k >= m else "too_few",
                          {"phase": phase, "days": k, "needed": m, "left": max(m - k, 0)}))
    w = rules.gate_window_days
    lo = i - w + 1
    floor = max(ps, cleared + 1, 0)
    first = max(lo, floor)
    counted = [j for j in range(first, i + 1) if ix.logged[j]]
    missing = [ix.date(j) for j in range(first, i + 1) if not ix.logged[j]]
    g2_ok = lo >= floor and len(counted) == w
    # Logged days still needed: the run of logged days ending on D (or on D−1 while D is not
    # logged yet: logging D extends it), from the window's floor.
    end = i if ix.logged[i] else i - 1
    last_gap = max([j for j in range(first, end + 1) if not ix.logged[j]], default=first - 1)
    if g2_ok:
        why = "ok"
    elif cleared >= 0 and cleared + 1 > lo and cleared + 1 > ps:
        why = "after_clearance"
    elif lo < ps and not missing:
        why = "too_few"
    else:
        why = "missing"
    out.append(RuleResult("G2", g2_ok, why, {
        "phase": phase, "window": w, "missing": tuple(missing),
        "cleared_on": ix.date(cleared) if cleared >= 0 else None,
        "logged": len(counted), "left": 0 if g2_ok else max(w - (end - last_gap), 1)}))
    thr = rules.advance_threshold.get(phase, 0)
    scores = tuple((ix.date(j), ix.worst[j]) for j in counted)
    over = tuple((d, s) for d, s in scores if s > thr)
    g3_ok = bool(scores) and not over
    out.append(RuleResult("G3", g3_ok, "ok" if g3_ok else "over" if over else "no_scores",
                          {"phase": phase, "threshold": thr, "scores": scores, "over": over,
                           "window": w}))
    if lo >= floor and ix.logged[lo] and ix.logged[i]:
        a, b = ix.worst[lo], ix.worst[i]
        ok = b - a <= rules.gate_rise_tolerance
        out.append(RuleResult("G4", ok, "ok" if ok else "rising",
                              {"first": a, "last": b, "first_day": ix.date(lo),
                               "tolerance": rules.gate_rise_tolerance}))
    else:
        out.append(RuleResult("G4", False, "no_window", {"window": w}))
    if pi == _RUN:
        stages = len(rules.ladder_minutes)
        left = 0 if passed else stages - (stage or 1) + 1
        out.append(RuleResult("G5", passed, "ladder_passed" if passed else "ladder",
                              {"phase": phase, "stage": stage, "stages": stages,
                               "left": left}))
    elif pi in _EVIDENCE_KINDS:
        prefix = ix.evidence[pi]
        got = prefix[i + 1] - prefix[ps]
        need = rules.evidence_days.get(phase, 0)
        out.append(RuleResult("G5", got >= need, "evidence",
                              {"phase": phase, "days": got, "needed": need,
                               "left": max(need - got, 0)}))
    else:
        out.append(RuleResult("G5", True, "none", {"phase": phase}))
    if pi == _LOW:
        lo6 = max(i - rules.ready_test_window_days + 1, ps, cleared + 1)
        passes = [j for j in range(lo6, i + 1) if ix.ready[j]]
        out.append(RuleResult("G6", bool(passes), "passed" if passes else "needed", {
            "passed_on": ix.date(passes[-1]) if passes else None,
            "window": rules.ready_test_window_days,
            "since": ix.date(lo6) if lo6 <= i else None, "left": 0 if passes else 1}))
        out.append(RuleResult("G7", hold is None, "ok" if hold is None else "hold",
                              dict(hold) if hold is not None else {}))
    return out


# --- replay ---------------------------------------------------------------------------------

def replay(episode: Episode, rules: Rules, until: datetime.date, *,
           earlier: Sequence[DayStatus] = (),
           changed_from: datetime.date | None = None) -> list[DayStatus]:
    """Fold the episode day by day from its start to ``until`` (inclusive).

    For each day, in the order of DESIGN §5.1: layoff, pause and hold, clearance, nothing while
    paused, regression (R1–R3, setbacks in ``run``) or the ladder's step, gate (G1–G7),
    advance. Phase changes take effect the next day; a pause the same day.

    Args:
        earlier: An earlier replay of this episode with the same rules. Its days before
            ``changed_from`` are kept and the fold resumes from there, because no rule looks
            forward: a day's answer depends only on that day and the days before it. Saving
            today's entry then costs a day's fold, not ten years' (§10); a property test
            holds a resumed replay to a full one.
        changed_from: The first day whose data changed since ``earlier`` (None: nothing
            changed, only days were added).
    """
    if until < episode.start:
        return []
    n = (until - episode.start).days + 1
    keep = 0
    if earlier and earlier[0].day == episode.start and earlier[-1].source is not None:
        keep = min(len(earlier), n)
        if changed_from is not None:
            keep = max(0, min(keep, (changed_from - episode.start).days))
        # Each kept day holds on to the replay that made it; after edits scattered over the
        # years, start afresh rather than keep many 10-year replays in memory.
        if len({id(status.source) for status in earlier[:keep]}) > _MAX_SOURCES:
            keep = 0
    # The latest replay's index holds the data of every day before ``keep`` as it still is.
    latest = earlier[-1].source if keep else None
    ix = _Index(episode, until, latest.ix if latest is not None else None, keep)
    return _Replay(ix, rules).run(earlier[:keep])


_MAX_SOURCES = 3
"""At most this many earlier replays are kept alive by a resumed one (about 4 MB each over
ten years)."""


class _Replay:
    """One fold over an index, and the lazy details of its days."""

    def __init__(self, ix: _Index, rules: Rules) -> None:
        self.ix = ix
        self.rules = rules
        self.out: list[DayStatus] = []
        self.cache: dict[int, dict[str, tuple[Any, ...]]] = {}
        """Each day's worked-out details (reasons, cautions, notices), by day offset."""
        self._notices: list[tuple[Notice, ...]] | None = None
        self.first = 0
        """The first day this fold worked out (later than 0 when it resumed another)."""
        self.carry: list[_Carry] = []
        """The fold's variables at the end of each day, for a replay that resumes after it."""
        self._guides: dict[int, tuple[list[float], list[float]]] = {}
        self._load: _Runs | None = None
        self._calm: list[int] | None = None

    def run(self, kept: Sequence[DayStatus] = ()) -> list[DayStatus]:
        """The fold: §5.1 rules 0–6 for each day in order, on plain numbers.

        ``kept``: the first days, as an earlier replay of the same data found them; the fold
        resumes after them from the variables that replay carried.
        """
        ix, rules = self.ix, self.rules
        n = ix.n
        logged, flags, has_run = ix.logged, ix.flags, ix.has_run
        pact, daily, morning = ix.pact, ix.daily, ix.morning
        advances, clearances, screens = ix.advances, ix.clearances, ix.screens
        auto = rules.auto_advance
        layoff_days = rules.layoff_days
        top = len(rules.ladder_minutes)
        r1_above = rules.regress_activity_pain_above
        rise, flare_floor = rules.flare_rise, rules.flare_floor
        m_floor = rules.morning_floor
        plain_r3 = rules.morning_rising_days == 3
        out = self.out
        append = out.append
        carry = self.carry
        keep = carry.append
        phases = PHASES
        first = self.first = len(kept)
        one_day = datetime.timedelta(days=1)
        day = ix.start + first * one_day
        new_state = tuple.__new__
        # pi: phase index; ps: offset of the phase's first day; cleared: last pause clearance.
        pi, ps, cleared = 0, 0, -1
        paused, hold_open = False, False
        pause: Mapping[str, Any] | None = None
        hold: Mapping[str, Any] | None = None
        stage: int | None = None
        passed = False
        last_run = -1          # last day of this run stint with a run
        last_setback = -1      # last setback day of this run stint
        last_up = -1           # last day the ladder stepped up
        regressed_prev = False
        if first:
            source = kept[-1].source
            assert source is not None  # replay() keeps only records of a fold
            out += kept
            carry += source.carry[:first]
            (pi, ps, cleared, paused, hold_open, pause, hold, stage, passed, last_run,
             last_setback, last_up, regressed_prev) = carry[-1]
        special = set(screens) | set(clearances)
        full_state: tuple[Any, ...] | None = None
        full_carry: _Carry | None = None
        for i in range(first, n):
            # Full training on a plain day (no flag, screen or clearance, not paused): only
            # R1–R3 can happen, so it takes a short path. The long path below gives the same.
            if (pi == _FULL and not paused and not hold_open and flags[i] is None
                    and i not in special):
                if logged[i]:
                    pa = pact[i]
                    d = daily[i]
                    m = morning[i]
                    if ((pa is not None and pa > r1_above)
                            or (i > 0 and logged[i - 1] and d >= flare_floor
                                and d - daily[i - 1] >= rise)
                            or (plain_r3 and m is not None and m >= m_floor and i >= 2
                                and (m1 := morning[i - 1]) is not None
                                and (m2 := morning[i - 2]) is not None and m2 < m1 < m)
                            or (not plain_r3 and _regressions(ix, rules, i)[2])):
                        full_state = None
                        pi_fast = False
                    else:
                        pi_fast = True
                else:
                    pi_fast = True
                if pi_fast:
                    if full_state is None or full_state[2] != ps or full_state[3] != cleared:
                        full_state = new_state(_State, ("judged", pi, ps, cleared, None, False,
                                                        None, None, None, None, None, None,
                                                        False))
                    append(_new_status(DayStatus, (
                        day, "full", i - ps + 1, False, hold_open, False, "full", logged[i],
                        None, i in advances, False, None, False, None, self, i, full_state)))
                    regressed_prev = False
                    if full_carry is None:  # the same from one plain day to the next
                        full_carry = new_state(_Carry, (
                            pi, ps, cleared, False, hold_open, None, hold, stage, passed,
                            last_run, last_setback, last_up, False))
                    keep(full_carry)
                    day += one_day
                    continue
            full_carry = None
            in_run = pi == _RUN
            event: str | None = None
            ladder: str | None = None
            layoff: dict[str, Any] | None = None
            # 0. Layoff: each further full week without a run steps the ladder down.
            if in_run and last_run >= 0:
                gap = i - last_run
                if gap > layoff_days and (gap - 1) % layoff_days == 0:
                    before = stage
                    if passed:
                        passed = False
                        stage = top
                    else:
                        stage = max(1, (stage or 1) - 1)
                    ladder = "layoff"
                    layoff = {"last_run": ix.date(last_run), "days": gap, "from": before,
                              "to": stage}
            # 1. Pause and hold.
            red = flags[i]
            risks = screens.get(i)
            verdict = _screen_verdict(rules, risks, pi) if risks else None
            if red or verdict == "pause":
                if not paused:
                    pause = {"since": ix.date(i), "red_flags": red or frozenset(),
                             "risks": risks if verdict == "pause" else frozenset()}
                paused = True
                event = "pause"
            elif verdict == "hold":
                if not hold_open:
                    hold = {"since": ix.date(i), "risks": risks}
                    event = "hold"
                hold_open = True
            # 2. Clearance: the clinician saw the runner on D, whatever D's log holds.
            note = clearances.get(i)
            ignored_clearance = False
            hold_cleared: dict[str, Any] | None = None
            kind = "judged"
            if note is not None:
                if paused:
                    paused = hold_open = False
                    cleared = i
                    event = kind = "clearance"
                    pause = dict(pause or {}, note=note, on=ix.date(i))
                    hold = None
                elif hold_open:
                    hold_open = False
                    hold_cleared = dict(hold or {}, note=note, on=ix.date(i))
                    hold = None
                    event = "hold_cleared"
                else:
                    ignored_clearance = True
            elif paused:
                kind = "pause"  # 3. While paused, nothing else happens.
            can = False
            nxt = pi
            regression: str | None = None
            judged: dict[str, Any] | None = None
            if kind == "judged":
                # 4. Regression (R1–R3), or else in ``run`` the ladder's step.
                if logged[i]:
                    pa = pact[i]
                    d = daily[i]
                    if plain_r3:
                        m = morning[i]
                        r3 = (m is not None and m >= m_floor and i >= 2
                              and (m1 := morning[i - 1]) is not None
                              and (m2 := morning[i - 2]) is not None and m2 < m1 < m)
                    else:
                        r3 = _regressions(ix, rules, i)[2]
                    if ((pa is not None and pa > r1_above) or r3
                            or (i > 0 and logged[i - 1] and d >= flare_floor
                                and d - daily[i - 1] >= rise)):
                        if in_run:
                            eff = top + 1 if passed else stage or 1
                            second = last_setback >= 0 and last_setback >= i - (
                                rules.ladder_setback_window_days - 1)
                            if eff <= rules.ladder_setback_floor or second:
                                nxt = _LOW
                                regression = "second_setback" if second else "low_stage"
                                event = "regression"
                            else:
                                stage = eff - rules.ladder_setback_stages
                                passed = False
                                last_setback = i
                                regression = event = ladder = "setback"
                        else:
                            nxt = pi - 1 if pi > 0 else 0
                            regression = "phase"
                            event = "regression"
                    elif (in_run and i - 1 >= ps and logged[i - 1] and has_run[i - 1]
                          and not regressed_prev):
                        step, judged = _judge_run(ix, rules, i, stage or 1, passed,
                                                  last_up == i - 1)
                        if step == "down":
                            if passed:
                                passed = False
                                stage = top
                            else:
                                stage = max(1, (stage or 1) - 1)
                        elif step == "up":
                            last_up = i
                            if (stage or 1) >= top:
                                if not passed:
                                    step = "passed"
                                passed = True
                                stage = top
                            else:
                                stage = (stage or 1) + 1
                        ladder = step
                # 5–6. Gate and advance.
                if regression is None and pi < _LAST and i - ps + 2 > rules.min_days.get(
                        phases[pi], 0):
                    can = _gate_open(ix, rules, i, pi, ps, cleared, hold_open, passed)
                    if can and (auto or i in advances):
                        nxt = pi + 1
                        event = "advance"
            state = new_state(_State, (
                kind, pi, ps, cleared, stage, passed,
                pause if paused or kind == "clearance" else None,
                hold if hold_open else None, hold_cleared, regression, judged, layoff,
                ignored_clearance))
            append(_new_status(DayStatus, (
                day, phases[pi], i - ps + 1, paused, hold_open, can, phases[nxt], logged[i],
                event, event != "advance" and i in advances, ignored_clearance,
                stage if in_run else None, passed if in_run else False, ladder,
                self, i, state)))
            if in_run and has_run[i]:
                last_run = i
            regressed_prev = regression is not None
            if not paused:
                pause = None
            if nxt != pi or regression == "phase":
                ps = i + 1
                if nxt == _RUN:
                    stage = 1 if event == "advance" else rules.ladder_from_full_stage
                else:
                    stage = None
                passed = False
                last_run = last_setback = last_up = -1
            pi = nxt
            keep(new_state(_Carry, (pi, ps, cleared, paused, hold_open, pause, hold, stage,
                                    passed, last_run, last_setback, last_up, regressed_prev)))
            day += one_day
        return out

    # --- lazy details -----------------------------------------------------------------------

    def reasons(self, i: int, st: _State, status: DayStatus) -> tuple[RuleResult, ...]:
        ix, rules = self.ix, self.rules
        out: list[RuleResult] = []
        if st.layoff is not None:
            out.append(RuleResult("layoff", False, "stepped_down", st.layoff))
        if st.kind == "pause":
            out.append(RuleResult("pause", False,
                                  "started" if status.event == "pause" else "continues",
                                  st.pause or {}))
            return tuple(out)
        if st.kind == "clearance":
            out.append(RuleResult("clearance", True, "pause_cleared", {
                **(st.pause or {}), "next": ix.date(i + 1)}))
            return tuple(out)
        out.append(RuleResult("pause", True, "none", {}))
        if st.hold_cleared is not None:
            out.append(RuleResult("clearance", True, "hold_cleared", st.hold_cleared))
        elif st.ignored_clearance:
            out.append(RuleResult("clearance", False, "nothing_to_clear", {"on": ix.date(i)}))
        if status.event == "hold":
            out.append(RuleResult("hold", False, "opened", st.hold or {}))
        if ix.logged[i]:
            r1, r2, r3 = _regressions(ix, rules, i)
            pa = ix.pact[i]
            out.append(RuleResult("R1", not r1, "over" if r1 else "ok" if pa is not None
                                  else "none", {"pain": pa,
                                                "limit": rules.regress_activity_pain_above}))
            before = ix.daily[i - 1] if i > 0 and ix.logged[i - 1] else None
            out.append(RuleResult("R2", not r2, "flare" if r2 else "ok" if before is not None
                                  else "no_day_before",
                                  {"before": before, "after": ix.daily[i],
                                   "rise": rules.flare_rise, "floor": rules.flare_floor}))
            k = rules.morning_rising_days
            ms = tuple(ix.morning[max(i - k + 1, 0):i + 1])
            out.append(RuleResult("R3", not r3, "rising" if r3 else "ok"
                                  if len(ms) == k and None not in ms else "not_given",
                                  {"mornings": ms, "floor": rules.morning_floor, "days": k}))
        if st.regression == "setback":
            out.append(RuleResult("setback", False, "two_down", {
                "stage": status.run_stage, "stages": rules.ladder_setback_stages}))
        elif st.regression in ("low_stage", "second_setback"):
            out.append(RuleResult("setback", False, st.regression, {
                "stage": st.stage, "floor": rules.ladder_setback_floor,
                "window": rules.ladder_setback_window_days}))
        if st.ladder is not None:
            out.append(RuleResult("ladder", status.ladder in ("up", "passed", "hold"),
                                  status.ladder or "hold",
                                  {**st.ladder, "now": status.run_stage,
                                   "passed_now": status.run_stage_done}))
        if st.regression is None and st.pi < _LAST:
            gate = _gate_reasons(ix, rules, i, st.pi, st.ps, st.cleared,
                                 st.hold if status.hold else None, st.passed, st.stage)
            out += gate
            if status.event == "advance":
                out.append(RuleResult("advance", True,
                                      "asked" if i in ix.advances else "automatic",
                                      {"next": status.next_phase, "on": ix.date(i + 1)}))
        if status.ignored_advance:
            out.append(RuleResult("advance", False, "ignored", {"on": ix.date(i)}))
        return tuple(out)

    def calm_fortnight(self, i: int) -> bool:
        if self._calm is None:
            rules = self.rules
            self._calm = _prefix([1 if ok and w <= rules.recovered_worst else 0
                                  for ok, w in zip(self.ix.logged, self.ix.worst, strict=True)])
        days = self.rules.recovered_days
        return i + 1 >= days and self._calm[i + 1] - self._calm[i + 1 - days] == days

    def notices(self, i: int) -> tuple[Notice, ...]:
        if self._notices is None:
            from recoverydesk.core.cautions import notices
            first = self.first
            # A resumed fold: the notices raised on the week before it, as its source found them.
            before = [status.notices for status in
                      self.out[max(first - self.rules.notice_every_days, 0):first]]
            self._notices = notices(self.ix, self.rules, self.out, first, before)
        return self._notices[i - self.first]

    def guide(self, i: int, status: DayStatus) -> Guide | None:
        from recoverydesk.core.cautions import guide_for
        return guide_for(self, i)

    def cautions(self, i: int, status: DayStatus) -> tuple[Caution, ...]:
        from recoverydesk.core.cautions import cautions_on
        return cautions_on(self, i, status)


def status_on(episode: Episode, rules: Rules, day: datetime.date) -> DayStatus:
    """The engine's answer for ``day`` (replays from the start up to it).

    Raises:
        ValueError: ``day`` is before the episode's start, so not part of it.
    """
    days = replay(episode, rules, day)
    if not days:
        raise ValueError(f"{day.isoformat()} is before the episode's start "
                         f"({episode.start.isoformat()})")
    return days[-1]


def _date_refusal(episode: Episode, day: datetime.date, today: datetime.date,
                  what: str) -> Decision | None:
    if day > today:
        return Decision(False, (RuleResult(what, False, "after_today",
                                           {"on": day, "today": today}),))
    if day < episode.start:
        return Decision(False, (RuleResult(what, False, "before_start",
                                           {"on": day, "start": episode.start}),))
    return None


def check_advance(episode: Episode, rules: Rules, day: datetime.date,
                  today: datetime.date) -> Decision:
    """Would an advance asked on ``day`` be accepted?

    Accepted when the gate was open on ``day`` (the caller then stores the Action); refused,
    with every failing rule, while paused, on a clearance or regression day, in full training,
    for a day after ``today`` or before the start, or when any gate rule fails.
    """
    refusal = _date_refusal(episode, day, today, "advance")
    if refusal is not None:
        return refusal
    status = status_on(episode, rules, day)
    if status.can_advance:
        return Decision(True, tuple(r for r in status.reasons if r.rule != "advance"))
    failing = [r for r in status.reasons
               if not r.ok and r.rule not in ("advance", "layoff", "ladder")]
    if status.event == "clearance":
        failing.append(RuleResult("advance", False, "clearance_day", {"on": day}))
    elif status.phase == PHASES[-1] and status.event is None:
        failing.append(RuleResult("advance", False, "last_phase", {"phase": status.phase}))
    if not failing:  # cannot happen while the rules above are complete; never accept silently
        failing.append(RuleResult("advance", False, "closed", {"on": day}))
    return Decision(False, tuple(failing))


def check_clearance(episode: Episode, rules: Rules, day: datetime.date,
                    today: datetime.date) -> Decision:
    """Would a clinician clearance recorded on ``day`` be accepted?

    Accepted when the plan is paused on ``day`` (by that day's own red flags or answers, or
    earlier ones) or a hold is open (§5.1 rule 2: the clinician saw the runner that day);
    refused when neither, or for a day after ``today`` or before the start.
    """
    refusal = _date_refusal(episode, day, today, "clearance")
    if refusal is not None:
        return refusal
    without = dataclasses.replace(episode, actions=tuple(
        a for a in episode.actions if not (a.kind == "clearance" and a.day == day)))
    status = status_on(without, rules, day)
    if status.paused:
        return Decision(True, (RuleResult("clearance", True, "can_clear_pause",
                                          dict(status.pause_reason or {}, on=day)),))
    if status.hold:
        return Decision(True, (RuleResult("clearance", True, "can_clear_hold",
                                          dict(status.hold_reason or {}, on=day)),))
    return Decision(False, (RuleResult("clearance", False, "nothing_to_clear", {"on": day}),))
