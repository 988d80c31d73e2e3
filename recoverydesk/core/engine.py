"""The phase engine: a pure replay of an episode, day by day (DESIGN.md §5.1).

Nothing the engine derives is stored: the store keeps only the daily logs, the activities and
two kinds of user action (advance requests, clinician clearances); every answer comes from
replaying them from the episode's start. Editing an old entry therefore simply replays to a new
answer, and a stored advance whose gate no longer holds is ignored (and flagged).

- ``replay(episode, rules, until) -> list[DayStatus]``: one status per day from
  ``episode.start`` to ``until`` inclusive (empty if until < start).
- ``status_on(episode, rules, day) -> DayStatus``: the status of one day (replays up to it).
- ``check_advance(episode, rules, day, today) -> Decision``: would an advance asked on ``day``
  be accepted? ``Decision.accepted`` and ``Decision.reasons`` (every failing rule when refused).
- ``check_clearance(episode, rules, day, today) -> Decision``: refused when not paused on ``day``
  or when a red flag is logged that day.
- ``DayStatus.to_json()`` gives the §9 ``status --json`` record.

Speed (§10: 10 years in 20 ms): logs and activities are indexed by day offset once, windowed
counts use prefix sums, each day does O(1) work, and sentences that carry no date are built
once and shared.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Sequence
from typing import Any

from recoverydesk.core import words
from recoverydesk.core.load import Guard, RunLoad
from recoverydesk.core.model import EMERGENCY_FLAGS, PHASES, RED_FLAGS, Episode
from recoverydesk.core.rules import Rules


@dataclasses.dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict on one day, with words for the runner.

    Attributes:
        rule: The rule id: ``pause``, ``clearance``, ``R1``–``R3``, ``G1``–``G5``, ``advance``.
        ok: Whether the rule held (for gate rules: passed; for R-rules: True means no regression).
        detail: A sentence with the numbers in it, e.g. "Pain was 4 on 12 May; it must be 3 or
            less on three days in a row".
    """

    rule: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "detail": self.detail}


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class DayStatus:
    """What the engine says about one day (§9 ``status --json``).

    Attributes:
        event: What moved on this day, if anything: ``pause``, ``clearance``, ``regression``,
            ``advance`` (accepted advance), or None.
        ignored_advance: A stored advance on this day whose gate no longer holds.
        details: ``(guards, notices)``, or, from a replay, a ``(source, day offset, guarded)``
            triple that works them out on first use: a 10-year replay only pays for the
            mileage guards and notices of the days somebody looks at.
        guards: Mileage guard figures (only on ``run``/``full`` days); warnings are those with
            ``warn``.
        notices: "See a clinician" notices (§5.1), as sentences.
    """

    day: datetime.date
    phase: str
    phase_day: int
    paused: bool
    can_advance: bool
    next_phase: str
    reasons: tuple[RuleResult, ...]
    logged: bool = False
    event: str | None = None
    ignored_advance: bool = False
    details: Any = ((), ())

    def _details(self) -> tuple[tuple[Guard, ...], tuple[str, ...]]:
        details = self.details
        if len(details) == 3:
            source, i, guarded = details
            details = (source.guards(i) if guarded else (), source.notices(i))
            object.__setattr__(self, "details", details)
        return details  # type: ignore[no-any-return]

    @property
    def guards(self) -> tuple[Guard, ...]:
        return self._details()[0]

    @property
    def notices(self) -> tuple[str, ...]:
        return self._details()[1]

    @property
    def warnings(self) -> tuple[Guard, ...]:
        return tuple(g for g in self.guards if g.warn)

    def _key(self) -> tuple[Any, ...]:
        return (self.day, self.phase, self.phase_day, self.paused, self.can_advance,
                self.next_phase, self.reasons, self.logged, self.event, self.ignored_advance,
                self.guards, self.notices)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DayStatus):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.day, self.phase, self.phase_day, self.paused, self.event))

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "phase": self.phase,
            "phase_day": self.phase_day,
            "paused": self.paused,
            "can_advance": self.can_advance,
            "next_phase": self.next_phase,
            "reasons": [r.to_json() for r in self.reasons],
            "warnings": [g.to_json() for g in self.warnings],
            "guards": [g.to_json() for g in self.guards],
            "event": self.event,
            "ignored_advance": self.ignored_advance,
            "notices": list(self.notices),
            "logged": self.logged,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a request (advance, clearance): accepted or not, and why."""

    accepted: bool
    reasons: tuple[RuleResult, ...]


_new = object.__new__
(_set_day, _set_phase, _set_phase_day, _set_paused, _set_can, _set_next, _set_reasons,
 _set_logged, _set_event, _set_ignored, _set_details) = (
    DayStatus.__dict__[f.name].__set__ for f in dataclasses.fields(DayStatus))


def _day_status(day: datetime.date, phase: str, phase_day: int, paused: bool, can: bool,
                nxt: str, reasons: tuple[RuleResult, ...], logged: bool, event: str | None,
                ignored: bool, details: Any) -> DayStatus:
    """Build a DayStatus without the frozen dataclass ``__init__``.

    Same object as ``DayStatus(...)`` (that ``__init__`` only sets the eleven slots), at about
    half the cost: a 10-year replay makes 3,650 of them within its 20 ms.
    """
    status = _new(DayStatus)
    _set_day(status, day)
    _set_phase(status, phase)
    _set_phase_day(status, phase_day)
    _set_paused(status, paused)
    _set_can(status, can)
    _set_next(status, nxt)
    _set_reasons(status, reasons)
    _set_logged(status, logged)
    _set_event(status, event)
    _set_ignored(status, ignored)
    _set_details(status, details)
    return status


# --- words --------------------------------------------------------------------------------

PHASE_NAMES: dict[str, str] = {
    "rest": "Rest", "walk": "Walk", "low_impact": "Low-impact", "run": "Return to run",
    "full": "Full training",
}
"""Plain phase names for the engine's sentences (the plan content may style them further)."""

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")
_RED_FLAG_WORDS = {
    "bladder_bowel": "new loss of bladder or bowel control",
    "saddle_numbness": "numbness in the groin, buttocks or inner thighs",
    "numbness": "numbness, tingling or weakness in a leg or foot",
    "radiating_pain": "pain shooting down a leg",
    "constant_pain": "pain that does not ease with rest or wakes you at night",
    "fever": "fever or feeling unwell with the back pain",
    "trauma": "pain that began after a fall or accident",
}

_EVIDENCE_KINDS: dict[str, frozenset[str]] = {
    "walk": frozenset({"walk"}),
    "low_impact": frozenset({"swim", "cycle", "elliptical", "yoga", "pilates"}),
    "run": frozenset({"run"}),
}
"""G5: the activities that show a phase is being lived, not just waited out."""
_EVIDENCE_WORDS = {
    "walk": "Walks",
    "low_impact": "Swimming, cycling, elliptical, yoga or pilates",
    "run": "Runs",
}
_EPS = 1e-9


def phase_name(phase: str) -> str:
    """The readable name of a phase id ("low_impact" → "Low-impact")."""
    return PHASE_NAMES.get(phase, phase)


def day_words(day: datetime.date) -> str:
    """A date as a runner says it: "12 May"."""
    return words.date_text(day, year=False, long=True)


def _count(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _days(n: int) -> str:
    return words.count_text(n, "day")


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the day index --------------------------------------------------------------------------

class _Index:
    """The episode laid out by day offset from its start, once per replay.

    Only ``start..until`` is read: days before the start are not part of the episode, and
    nothing after ``until`` may change an answer about ``until``.
    """

    __slots__ = ("start", "n", "logged", "pain", "pact", "morning", "worst", "flags",
                 "evidence", "logged_prefix", "pain_prefix", "advances", "clearances",
                 "activities", "seen", "_words")

    def __init__(self, episode: Episode, until: datetime.date) -> None:
        start = self.start = episode.start
        n = self.n = (until - start).days + 1
        act_pain: list[int | None] = [None] * n
        marks = {phase: [0] * n for phase in _EVIDENCE_KINDS}
        by_kind: dict[str, list[list[int]]] = {}
        for phase, kinds in _EVIDENCE_KINDS.items():
            for kind in kinds:
                by_kind.setdefault(kind, []).append(marks[phase])
        own = []
        for a in episode.activities:
            i = (a.day - start).days
            if 0 <= i < n:
                own.append(a)
                if a.pain is not None:
                    cur = act_pain[i]
                    if cur is None or a.pain > cur:
                        act_pain[i] = a.pain
                for mark in by_kind.get(a.kind, ()):
                    mark[i] = 1
        self.activities = tuple(own)
        logged = [False] * n
        pain = [0] * n
        pact: list[int | None] = [None] * n
        morning: list[int | None] = [None] * n
        worst = [0] * n
        flags: list[frozenset[str] | None] = [None] * n
        for day, log in episode.logs.items():
            i = (day - start).days
            if not 0 <= i < n:
                continue
            logged[i] = True
            w = pain[i] = log.pain
            pa = log.pain_activity if log.pain_activity is not None else act_pain[i]
            pact[i] = pa
            m = morning[i] = log.pain_morning
            if pa is not None and pa > w:
                w = pa
            if m is not None and m > w:
                w = m
            worst[i] = w
            if log.red_flags:
                flags[i] = log.red_flags
        self.logged, self.pain, self.pact, self.morning = logged, pain, pact, morning
        self.worst, self.flags = worst, flags
        self.seen = [w if ok else -1 for w, ok in zip(worst, logged, strict=True)]
        """worst(D) on logged days, -1 elsewhere: one list to slice for a window's signature."""
        self.evidence = {phase: _prefix(mark) for phase, mark in marks.items()}
        self.logged_prefix = _prefix([1 if x else 0 for x in logged])
        self.pain_prefix = _prefix(pain)
        self.advances: set[int] = set()
        self.clearances: dict[int, str] = {}
        for action in episode.actions:
            i = (action.day - start).days
            if 0 <= i < n:
                if action.kind == "advance":
                    self.advances.add(i)
                elif action.kind == "clearance":
                    self.clearances.setdefault(i, action.note)
        self._words: list[str | None] = [None] * (n + 1)

    def words(self, i: int) -> str:
        """Day offset ``i`` as "12 May" (cached: the same days recur in many sentences)."""
        if 0 <= i <= self.n:
            text = self._words[i]
            if text is None:
                text = self._words[i] = day_words(self.start + datetime.timedelta(days=i))
            return text
        return day_words(self.start + datetime.timedelta(days=i))


def _prefix(values: list[int]) -> list[int]:
    """Running totals with a leading 0: the sum of values[a:b] is out[b] - out[a]."""
    return list(itertools.accumulate(values, initial=0))


# --- the rules, one sentence each --------------------------------------------------------------

_PAUSE_OK = RuleResult("pause", True, "No red flag ticked.")
_PAUSE_ONLY = (_PAUSE_OK,)


def _flag_order(flag: str) -> int:
    return RED_FLAGS.index(flag) if flag in RED_FLAGS else len(RED_FLAGS)


class _Judge:
    """The rules of §5.1 for one replay, with their sentences.

    Most verdicts repeat (pain 2 after 2, day 5 of at least 3…), so any sentence that carries
    no date is built once per replay and shared; a replay then spends its time on the days
    that say something new. Dated sentences ("Pain was 4 on 12 May") are built as needed.
    """

    __slots__ = ("ix", "rules", "cache", "gates", "verdicts", "lim", "flare", "k", "w")

    def __init__(self, ix: _Index, rules: Rules) -> None:
        self.ix = ix
        self.rules = rules
        self.cache: dict[tuple[Any, ...], RuleResult] = {}
        self.gates: dict[tuple[Any, ...], tuple[tuple[RuleResult, ...], bool, bool]] = {}
        self.verdicts: dict[tuple[Any, ...], tuple[tuple[RuleResult, ...], bool]] = {}
        self.lim = rules.regress_activity_pain_above
        self.flare = rules.flare_rise
        self.k = max(rules.morning_rising_days, 2)
        self.w = max(rules.gate_window_days, 1)

    def pause_flagged(self, i: int, flags: frozenset[str]) -> RuleResult:
        """Any red flag pauses: the app cannot tell a harmless one from a serious one."""
        names = [_RED_FLAG_WORDS.get(f, f) for f in sorted(flags, key=_flag_order)]
        urgent = "This needs care now." if flags & EMERGENCY_FLAGS else "See a clinician soon."
        return RuleResult("pause", False,
                          f"Red flag on {self.ix.words(i)}: {_and(names)}. {urgent} The plan is "
                          f"paused until a clinician clears you.")

    def regressions(self, i: int) -> tuple[tuple[RuleResult, ...], bool]:
        """The pause verdict (no red flag) and R1–R3 on a logged day, and whether it regresses.

        Pain during activity above the limit, a sudden flare, or morning pain rising day after
        day all say the back is not coping with the current load. The four verdicts come back
        as one shared tuple: most days of a long history repeat an earlier day's numbers.
        """
        ix = self.ix
        k = self.k
        a = ix.worst[i - 1] if i > 0 and ix.logged[i - 1] else None
        whole = (ix.pact[i], a, ix.worst[i], *ix.morning[i - k + 1 if i >= k - 1 else 0:i + 1])
        found = self.verdicts.get(whole)
        if found is None:
            r1, r2, r3 = self._regressions(i)
            found = self.verdicts[whole] = ((_PAUSE_OK, r1, r2, r3),
                                            not (r1.ok and r2.ok and r3.ok))
        return found

    def _regressions(self, i: int) -> tuple[RuleResult, RuleResult, RuleResult]:
        ix, cache = self.ix, self.cache
        v = ix.pact[i]
        key: tuple[Any, ...] = (1, v)
        r1 = cache.get(key)
        if r1 is None:
            lim = self.lim
            if v is None:
                r1 = RuleResult("R1", True, "No pain during activity was given.")
            elif v > lim:
                r1 = RuleResult("R1", False, f"Pain during activity was {v}, more than {lim}: "
                                             f"step back one phase.")
            else:
                r1 = RuleResult("R1", True, f"Pain during activity was {v}; only more than "
                                            f"{lim} means a step back.")
            cache[key] = r1
        a = ix.worst[i - 1] if i > 0 and ix.logged[i - 1] else None
        b = ix.worst[i]
        key = (2, a, b)
        r2 = cache.get(key)
        if r2 is None:
            flare = self.flare
            if a is None:
                r2 = RuleResult("R2", True, "The day before is not logged, so there is no "
                                            "flare to judge.")
            elif b - a >= flare:
                r2 = RuleResult("R2", False, f"Worst pain rose from {a} the day before to {b}: "
                                             f"a flare (a rise of {flare} or more).")
            else:
                r2 = RuleResult("R2", True, f"Worst pain went from {a} the day before to {b}; "
                                            f"a rise of {flare} or more would be a flare.")
            cache[key] = r2
        k = self.k
        key = (3, *ix.morning[i - k + 1:i + 1]) if i >= k - 1 else (3,)
        r3 = cache.get(key)
        if r3 is None:
            mornings = key[1:]
            if len(mornings) < k or None in mornings:
                r3 = RuleResult("R3", True, f"Morning pain was not given on each of the last "
                                            f"{_count(k)} days, so a rise cannot be judged.")
            else:
                seq = " → ".join(str(m) for m in mornings)
                if all(mornings[j] < mornings[j + 1] for j in range(k - 1)):
                    r3 = RuleResult("R3", False, f"Morning pain rose every morning for "
                                                 f"{_count(k)} days ({seq}): pain is not "
                                                 f"settling overnight.")
                else:
                    r3 = RuleResult("R3", True, f"Morning pain over the last {_count(k)} days "
                                                f"({seq}) is not rising every morning.")
            cache[key] = r3
        return r1, r2, r3

    def gate(self, i: int, phase: str, ps: int, cleared: int, out: list[RuleResult]) -> bool:
        """Append G1–G5 for day ``i`` of ``phase`` (begun on ``ps``); return whether all hold.

        When the whole window lies in the phase, the five verdicts depend only on the phase,
        the day count (up to the minimum), the activity count and the window's scores, so they
        are looked up as one; windows that need a dated sentence take the full path.
        """
        lo = i - self.w + 1
        if lo >= ps and lo > cleared:
            k = i - ps + 1
            prefix = self.ix.evidence.get(phase)
            sig = (phase, k if k < self.rules.min_days.get(phase, 0) else -1,
                   prefix[i + 1] - prefix[ps] if prefix is not None else -1,
                   *self.ix.seen[lo:i + 1])
            hit = self.gates.get(sig)
            if hit is None:
                verdicts: list[RuleResult] = []
                is_open = self._gate(i, phase, ps, cleared, verdicts)
                dated = any(r.rule in ("G2", "G3") and not r.ok for r in verdicts)
                hit = self.gates[sig] = (tuple(verdicts), is_open, dated)
            if not hit[2]:
                out += hit[0]
                return hit[1]
        return self._gate(i, phase, ps, cleared, out)

    def _gate(self, i: int, phase: str, ps: int, cleared: int, out: list[RuleResult]) -> bool:
        """Append G1–G5 for day ``i`` of ``phase`` (begun on ``ps``); return whether all hold.

        The gate asks for enough days in the phase, then a steady, low, not-rising run of
        logged days inside it, because one good day says little about a back; G5 asks that
        the phase was actually lived, not just waited out.
        """
        ix, rules, cache = self.ix, self.rules, self.cache
        logged, worst = ix.logged, ix.worst
        name = PHASE_NAMES.get(phase, phase)
        w = self.w
        # G1: time in the phase.
        k = i - ps + 1
        m = rules.min_days.get(phase, 0)
        key: tuple[Any, ...] = (11, phase, k if k < m else -1)
        g1 = cache.get(key)
        if g1 is None:
            if k >= m:
                g1 = RuleResult("G1", True, f"{name} has lasted its minimum of {_days(m)}.")
            else:
                g1 = RuleResult("G1", False, f"Day {k} in {name}; at least {_days(m)} are "
                                             f"needed ({m - k} more).")
            cache[key] = g1
        # G2: a window of logged days inside the phase and after the last clearance.
        lo = i - w + 1
        floor = ps if ps > cleared else cleared + 1
        first = lo if lo > floor else floor
        counted = [j for j in range(first, i + 1) if logged[j]]
        by_clearance = lo < floor and cleared >= ps
        if lo >= floor and len(counted) == w:
            key = (12, name)
            g2 = cache.get(key)
            if g2 is None:
                g2 = cache[key] = RuleResult("G2", True, f"The last {_count(w)} days are all "
                                                         f"logged in {name}.")
        elif len(counted) == i + 1 - first and not by_clearance:
            key = (12, name, k)  # only too few days in the phase: no date needed
            g2 = cache.get(key)
            if g2 is None:
                g2 = cache[key] = RuleResult(
                    "G2", False, f"{_count(w).capitalize()} logged days in a row in {name} are "
                                 f"needed; it has lasted only {_days(k)}.")
        else:
            parts = []
            if by_clearance:
                parts.append(f"only days after the clearance on {ix.words(cleared)} count")
            elif lo < floor:
                parts.append(f"{name} has lasted only {_days(k)}")
            missing = [ix.words(j) for j in range(first, i + 1) if not logged[j]]
            if missing:
                parts.append(f"{_and(missing)} {'is' if len(missing) == 1 else 'are'} not "
                             f"logged")
            g2 = RuleResult("G2", False, f"{_count(w).capitalize()} logged days in a row in "
                                         f"{name} are needed: {'; '.join(parts)}.")
        # G3: pain low enough on each of those days.
        thr = rules.advance_threshold.get(phase, 0)
        scores = tuple([worst[j] for j in counted])
        g3: RuleResult | None
        if scores and max(scores) > thr:
            g3 = RuleResult("G3", False, "Pain was " + _and([f"{worst[j]} on {ix.words(j)}"
                                                             for j in counted if worst[j] > thr])
                            + f"; it must be {thr} or less on {_count(w)} days in a row.")
        else:
            key = (13, phase, scores)
            g3 = cache.get(key)
            if g3 is None:
                need = f"it must be {thr} or less on {_count(w)} days in a row"
                if not scores:
                    g3 = RuleResult("G3", False, f"No pain is logged yet in {name} to judge; "
                                                 f"{need}.")
                else:
                    span = (f"{_count(w)} days" if len(scores) == w else
                            "days logged" if len(scores) > 1 else "day logged")
                    g3 = RuleResult("G3", True, f"Pain was {_and([str(s) for s in scores])} on "
                                                f"the last {span}; {need}.")
                cache[key] = g3
        # G4: not rising across the window (its two ends compared).
        if lo >= floor and logged[lo] and logged[i]:
            key = (14, worst[lo], worst[i])
        else:
            key = (14, name)
        g4 = cache.get(key)
        if g4 is None:
            back = "the day before" if w == 2 else f"{_count(w - 1)} days before"
            if len(key) == 2:
                g4 = RuleResult("G4", False, f"Pain cannot yet be compared with {back}: that "
                                             f"needs {_count(w)} logged days in a row in {name}.")
            elif key[2] <= key[1]:
                g4 = RuleResult("G4", True, f"Pain is not rising: {key[2]} against {key[1]} "
                                            f"{back}.")
            else:
                g4 = RuleResult("G4", False, f"Pain is rising: {key[2]} against {key[1]} "
                                             f"{back}.")
            cache[key] = g4
        # G5: activity evidence since the phase began.
        need_days = rules.evidence_days.get(phase, 0)
        prefix = ix.evidence.get(phase)
        got = prefix[i + 1] - prefix[ps] if prefix is not None and need_days > 0 else -1
        key = (15, phase, got)
        g5 = cache.get(key)
        if g5 is None:
            if got < 0:
                g5 = RuleResult("G5", True, f"{name} needs no activity to advance.")
            else:
                g5 = RuleResult("G5", got >= need_days,
                                f"{_EVIDENCE_WORDS[phase]} on {_days(got)} since {name} began; "
                                f"{_days(need_days)} needed.")
            cache[key] = g5
        out += (g1, g2, g3, g4, g5)
        return g1.ok and g2.ok and g3.ok and g4.ok and g5.ok


class _Notices:
    """§5.1's "see a clinician" notices, for one replay.

    Pain that is not clearly better after six weeks, or an episode older than three months,
    is worth a professional look even without a red flag. Days without a log count in neither
    7-day mean; with no log in a week there is nothing to compare and no notice.
    """

    __slots__ = ("ix", "rules", "base", "texts", "old", "from_day")

    def __init__(self, ix: _Index, rules: Rules) -> None:
        self.ix = ix
        self.rules = rules
        week = min(7, ix.n)
        count = ix.logged_prefix[week]
        self.base = ix.pain_prefix[week] / count if count else None
        self.texts: dict[tuple[int, int], str] = {}
        start = ix.start
        self.old = (f"This episode began on {day_words(start)} {start.year}, more than "
                    f"{rules.episode_review_days} days ago; please see a clinician about back "
                    f"pain that lasts this long.")
        self.from_day = min(rules.clinician_after_days, rules.episode_review_days + 1)

    def on(self, i: int) -> tuple[str, ...]:
        if i < self.from_day:
            return ()
        rules = self.rules
        out: list[str] = []
        base = self.base
        if i >= rules.clinician_after_days and base is not None:
            lp, pp = self.ix.logged_prefix, self.ix.pain_prefix
            lo = i - 6 if i >= 6 else 0
            count = lp[i + 1] - lp[lo]
            if count:
                key = (pp[i + 1] - pp[lo], count)
                text = self.texts.get(key)
                if text is None:
                    recent = key[0] / count
                    better = (base - recent >= rules.clinician_min_drop_points - _EPS
                              and recent <= base * (1 - rules.clinician_min_drop_fraction) + _EPS)
                    text = self.texts[key] = "" if better else (
                        f"Your pain over the last 7 days averages {recent:.1f}, against "
                        f"{base:.1f} in the first week. After {rules.clinician_after_days} days "
                        f"it should be at least {rules.clinician_min_drop_points:g} points and "
                        f"{round(rules.clinician_min_drop_fraction * 100)} % lower; please see "
                        f"a clinician.")
                if text:
                    out.append(text)
        if i > rules.episode_review_days:
            out.append(self.old)
        return tuple(out)

class _Details:
    """The guards and notices of one replay, worked out only for the days that ask."""

    __slots__ = ("ix", "rules", "units", "_load", "_notices")

    def __init__(self, ix: _Index, rules: Rules, units: str) -> None:
        self.ix = ix
        self.rules = rules
        self.units = units
        self._load: RunLoad | None = None
        self._notices: _Notices | None = None

    def guards(self, i: int) -> tuple[Guard, ...]:
        if self._load is None:
            ix = self.ix
            self._load = RunLoad(ix.activities, ix.start,
                                 ix.start + datetime.timedelta(days=ix.n - 1), self.rules,
                                 self.units)
        return self._load.guards_at(i)

    def notices(self, i: int) -> tuple[str, ...]:
        if self._notices is None:
            self._notices = _Notices(self.ix, self.rules)
        return self._notices.on(i)


# --- replay -------------------------------------------------------------------------------------

def replay(episode: Episode, rules: Rules, until: datetime.date, *,
           reuse: Sequence[DayStatus] = (), changed: datetime.date | None = None,
           ) -> list[DayStatus]:
    """Fold the whole episode day by day from its start to ``until`` (inclusive).

    For each day, in the order of DESIGN §5.1: pause, clearance, nothing while paused,
    regression (R1–R3), gate (G1–G5), advance. Phase changes take effect the next day; a pause
    takes effect the same day. Returns an empty list when ``until`` is before the start.

    ``reuse`` is an earlier replay of the same episode start and rules, and ``changed`` the
    first day whose log, activities or actions differ since: the days before it are kept as
    they are and the fold resumes from there. An answer never depends on a later day, so this
    is the same result as a full replay, at the cost of the changed days only (saving today's
    entry replays one day).
    """
    if until < episode.start:
        return []
    ix = _Index(episode, until)
    keep = 0
    if reuse and changed is not None and reuse[0].day == episode.start:
        keep = max(0, min(len(reuse), ix.n, (changed - episode.start).days))
    return _replay(ix, rules, episode.info.units, reuse[:keep])


def _resume_state(done: Sequence[DayStatus]) -> tuple[int, int, bool, int, int]:
    """The fold's state after the days in ``done``: (phase index, phase start offset, paused,
    pause start offset, last clearance offset)."""
    k = len(done)
    if not k:
        return 0, 0, False, -1, -1
    last = done[-1]
    pi = PHASES.index(last.next_phase)
    ps = k if last.event in ("advance", "regression") else k - last.phase_day
    since = -1
    if last.paused:
        since = k - 1
        while since > 0 and done[since - 1].paused:
            since -= 1
    cleared = next((j for j in range(k - 1, -1, -1) if done[j].event == "clearance"), -1)
    return pi, ps, last.paused, since, cleared


def _replay(ix: _Index, rules: Rules, units: str, done: Sequence[DayStatus]) -> list[DayStatus]:
    n = ix.n
    start = ix.start
    one_day = datetime.timedelta(days=1)
    last_pi = len(PHASES) - 1
    guarded_from = PHASES.index("run")
    logged, flags = ix.logged, ix.flags
    advances, clearances = ix.advances, ix.clearances
    auto = rules.auto_advance
    judge = _Judge(ix, rules)
    source = _Details(ix, rules, units if units in ("km", "mi") else "km")

    # pi: phase index in PHASES; ps: offset of the phase's first day; since: offset where the
    # current pause began; cleared: offset of the last accepted clearance.
    pi, ps, paused, since, cleared = _resume_state(done)
    out: list[DayStatus] = list(done)
    day = start + len(done) * one_day
    for i in range(len(done), n):
        phase = PHASES[pi]
        reasons: list[RuleResult] | tuple[RuleResult, ...]
        event: str | None = None
        can = False
        nxt = pi
        red = flags[i]
        note = clearances.get(i)
        if red:
            if not paused:
                since = i
            paused = True
            event = "pause"
            reasons = (judge.pause_flagged(i, red),)
            if note is not None:
                reasons += (RuleResult("clearance", False, f"The clearance on {ix.words(i)} is "
                                       f"ignored: a red flag was logged that day."),)
        elif paused and note is not None:
            paused = False
            cleared = i
            event = "clearance"
            reasons = (_PAUSE_OK, RuleResult("clearance", True, f"Cleared on {ix.words(i)} "
                                             f"({note.strip()}): the plan goes on, and the gate "
                                             f"counts only days from {ix.words(i + 1)}."))
        elif paused:
            reasons = (RuleResult("pause", False, f"The plan has been paused since "
                                  f"{ix.words(since)} by a red flag; it goes on once a "
                                  f"clinician clears you."),)
        else:
            if logged[i]:
                head, regress = judge.regressions(i)
            else:
                head, regress = _PAUSE_ONLY, False
            if note is not None:
                head = (head[0], RuleResult("clearance", False, f"The clearance on {ix.words(i)} "
                                            f"changes nothing: the plan was not paused."),
                        *head[1:])
            if regress:
                event = "regression"
                nxt = pi - 1 if pi > 0 else 0
                reasons = head
            elif pi < last_pi:
                reasons = list(head)
                if judge.gate(i, phase, ps, cleared, reasons):
                    can = True
                    if auto or i in advances:
                        event = "advance"
                        nxt = pi + 1
                        how = "" if i in advances else " (automatic advance: the gate was open)"
                        reasons.append(RuleResult("advance", True, f"Advanced: "
                                                  f"{PHASE_NAMES[PHASES[nxt]]} starts on "
                                                  f"{ix.words(i + 1)}{how}."))
            else:
                reasons = head
        ignored = False
        if event != "advance" and i in advances:
            ignored = True
            reasons = [*reasons, RuleResult("advance", False, f"The advance recorded on "
                                            f"{ix.words(i)} no longer holds (see the rules "
                                            f"above), so it is ignored.")]
        out.append(_day_status(day, phase, i - ps + 1, paused, can, PHASES[nxt],
                               reasons if type(reasons) is tuple else tuple(reasons),
                               logged[i], event, ignored, (source, i, pi >= guarded_from)))
        if event == "advance" or event == "regression":
            ps = i + 1
        pi = nxt
        day += one_day
    return out


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
        return Decision(False, (RuleResult(what, False, f"{day_words(day)} {day.year} is after "
                                           f"today ({day_words(today)}); only today or an "
                                           f"earlier day can be chosen."),))
    if day < episode.start:
        return Decision(False, (RuleResult(what, False, f"{day_words(day)} {day.year} is before "
                                           f"this episode began ({day_words(episode.start)} "
                                           f"{episode.start.year})."),))
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
    failing = [r for r in status.reasons if not r.ok and r.rule != "advance"]
    if status.event == "clearance":
        failing.append(RuleResult("advance", False, f"{day_words(day)} is the day of a "
                                  f"clearance; the gate counts only the days after it."))
    elif status.phase == PHASES[-1] and status.event is None:
        failing.append(RuleResult("advance", False, f"{PHASE_NAMES[PHASES[-1]]} is the last "
                                  f"phase; there is nothing to advance to."))
    if not failing:  # cannot happen while the rules above are complete; never accept silently
        failing.append(RuleResult("advance", False, "The gate is not open on this day."))
    return Decision(False, tuple(failing))


def check_clearance(episode: Episode, rules: Rules, day: datetime.date,
                    today: datetime.date) -> Decision:
    """Would a clinician clearance recorded on ``day`` be accepted?

    Refused when the plan is not paused going into ``day`` (a clearance then changes nothing),
    when a red flag is logged on ``day`` itself (the flag wins), or for a day after ``today`` or
    before the start. The note's wording is checked by ``model.validate_action``.
    """
    refusal = _date_refusal(episode, day, today, "clearance")
    if refusal is not None:
        return refusal
    days = replay(episode, rules, day)
    log = episode.logs.get(day)
    if log is not None and log.red_flags:
        return Decision(False, (RuleResult("clearance", False, f"A red flag is logged on "
                                           f"{day_words(day)}; a clearance that day would be "
                                           f"ignored. Record it on a day without a red flag."),))
    before = days[-2] if len(days) > 1 else None
    if before is None or not before.paused:
        return Decision(False, (RuleResult("clearance", False, f"The plan is not paused on "
                                           f"{day_words(day)}, so there is nothing to clear."),))
    since = next(s.day for s in reversed(days[:-1]) if s.event == "pause")
    return Decision(True, (RuleResult("clearance", True, f"The plan has been paused since "
                                      f"{day_words(since)}; a clearance on {day_words(day)} "
                                      f"lets it go on."),))
