"""A plain, slow, literal reading of DESIGN.md §5.1 and §5.3, for checking the fast engine.

Every rule is written out as the design states it, by dates, recomputing each window from the
raw logs every day: no prefix sums, no caches. It returns, per day, the fields a runner sees
(phase, phase day, paused, hold, can advance, next phase, event, ladder stage and whether the
ladder is passed, ignored actions). The hypothesis property in test_engine_reference.py holds
the fast engine to it day by day.
"""

from __future__ import annotations

import dataclasses
import datetime

from recoverydesk.core.model import PHASES, Episode
from recoverydesk.core.rules import Rules

ONE = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class RefDay:
    day: datetime.date
    phase: str
    phase_day: int
    paused: bool
    hold: bool
    can_advance: bool
    next_phase: str
    event: str | None
    run_stage: int | None
    run_stage_done: bool
    ignored_advance: bool
    ignored_clearance: bool


def reference_replay(ep: Episode, rules: Rules, until: datetime.date) -> list[RefDay]:
    start = ep.start

    def log(day: datetime.date):  # noqa: ANN202
        return ep.logs.get(day) if start <= day <= until else None

    def acts(day: datetime.date, kind: str | None = None) -> list:
        return [a for a in ep.activities if a.day == day and start <= day <= until
                and (kind is None or a.kind == kind)]

    def pain_activity(day: datetime.date) -> int | None:
        entry = log(day)
        if entry is not None and entry.pain_activity is not None:
            return entry.pain_activity
        pains = [a.pain for a in acts(day) if a.pain is not None]
        return max(pains) if pains else None

    def worst(day: datetime.date) -> int:
        entry = log(day)
        assert entry is not None
        return max(s for s in (entry.pain, pain_activity(day), entry.pain_morning)
                   if s is not None)

    def daily(day: datetime.date) -> int:
        entry = log(day)
        assert entry is not None
        return max(entry.pain, entry.pain_morning if entry.pain_morning is not None else 0)

    def actions(day: datetime.date, kind: str) -> list:
        return [a for a in ep.actions if a.day == day and a.kind == kind]

    def risks_on(day: datetime.date) -> frozenset[str] | None:
        found = actions(day, "screen")
        return frozenset(found[0].risks) if found else None

    phase = "rest"
    phase_start = start
    paused = False
    hold = False
    last_clearance: datetime.date | None = None
    stage: int | None = None
    passed = False
    setback_days: list[datetime.date] = []
    up_days: list[datetime.date] = []
    regression_days: set[datetime.date] = set()
    out: list[RefDay] = []
    day = start
    while day <= until:
        event = None
        can = False
        nxt = phase
        # Rule 0: layoff.
        if phase == "run":
            runs = [d for d in _days(phase_start, day - ONE) if acts(d, "run")]
            if runs:
                last = runs[-1]
                k = (day - last).days
                if k >= 8 and (k - 8) % 7 == 0:
                    if passed:
                        passed, stage = False, 9
                    else:
                        stage = max(1, stage - 1)
        # Rule 1: pause and hold.
        entry = log(day)
        yes = risks_on(day)
        screen_pauses = bool(yes) and (
            bool(yes & {"cancer_history", "weight_loss", "immune"}) or len(yes) >= 2
            or phase in ("run", "full"))
        if (entry is not None and entry.red_flags) or screen_pauses:
            paused = True
            event = "pause"
        elif yes and len(yes) == 1:
            if not hold:
                event = "hold"
            hold = True
        # Rule 2: clearance.
        cleared_pause_today = False
        ignored_clearance = False
        if actions(day, "clearance"):
            if paused:
                paused = hold = False
                last_clearance = day
                event = "clearance"
                cleared_pause_today = True
            elif hold:
                hold = False
                event = "hold_cleared"
            else:
                ignored_clearance = True
        regressed = False
        if not paused and not cleared_pause_today:
            # Rule 4: regression.
            if entry is not None:
                pa = pain_activity(day)
                r1 = pa is not None and pa > 5
                before = log(day - ONE) if day - ONE >= start else None
                r2 = before is not None and daily(day) - daily(day - ONE) >= 3 and daily(day) >= 5
                ms = [log(day - 2 * ONE), log(day - ONE), entry]
                ms_ok = all(x is not None and x.pain_morning is not None for x in ms)
                r3 = ms_ok and (ms[0].pain_morning < ms[1].pain_morning < ms[2].pain_morning
                                and ms[2].pain_morning >= 3)
                if r1 or r2 or r3:
                    regressed = True
                    regression_days.add(day)
                    if phase == "run":
                        effective = 10 if passed else stage
                        recent = [d for d in setback_days if day - 6 * ONE <= d <= day - ONE]
                        if effective <= 2 or recent:
                            nxt = "low_impact"
                            event = "regression"
                        else:
                            stage = effective - 2
                            passed = False
                            setback_days.append(day)
                            event = "setback"
                    elif phase == "rest":
                        nxt = "rest"
                        event = "regression"
                    else:
                        nxt = PHASES[PHASES.index(phase) - 1]
                        event = "regression"
            # The ladder's step.
            y = day - ONE
            if (not regressed and phase == "run" and entry is not None and y >= phase_start
                    and log(y) is not None and acts(y, "run") and y not in regression_days):
                run_pains = [a.pain for a in acts(y, "run") if a.pain is not None]
                if run_pains:
                    p = max(run_pains)
                elif pain_activity(y) is not None:
                    p = pain_activity(y)
                else:
                    p = log(y).pain
                b = log(y).pain_morning if log(y).pain_morning is not None else log(y).pain
                m = entry.pain_morning
                session = rules.ladder_minutes[(9 if passed else stage) - 1]
                runs_y = acts(y, "run")
                done = (any(a.duration_s is None for a in runs_y)
                        or sum(a.duration_s for a in runs_y) / 60 >= 0.8 * session - 1e-9)
                if p >= 6 or (m is not None and m >= b + 2):
                    if passed:
                        passed, stage = False, 9
                    else:
                        stage = max(1, stage - 1)
                elif (p <= 3 and m is not None and m <= b + 1 and m <= 3 and done
                      and y not in up_days):
                    up_days.append(day)
                    if stage == 9:
                        passed = True
                    else:
                        stage += 1
            # Rule 5: gate.
            if not regressed and phase != "full":
                can = _gate(ep, rules, day, phase, phase_start, last_clearance, hold, passed,
                            log, acts, worst)
                if can and (rules.auto_advance or actions(day, "advance")):
                    nxt = PHASES[PHASES.index(phase) + 1]
                    event = "advance"
        ignored = bool(actions(day, "advance")) and event != "advance"
        out.append(RefDay(day, phase, (day - phase_start).days + 1, paused, hold, can, nxt,
                          event, stage if phase == "run" else None,
                          passed if phase == "run" else False, ignored, ignored_clearance))
        if nxt != phase or (regressed and event == "regression"):
            if nxt == "run":
                stage = 1 if event == "advance" else 6
                passed = False
                setback_days, up_days = [], []
            phase = nxt
            phase_start = day + ONE
        day += ONE
    return out


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out = []
    while first <= last:
        out.append(first)
        first += ONE
    return out


def _gate(ep, rules, day, phase, phase_start, last_clearance, hold, passed, log, acts,  # noqa: ANN001, ANN202
          worst):
    if (day - phase_start).days + 1 < {"rest": 3, "walk": 4, "low_impact": 7, "run": 7}[phase]:
        return False
    window = [day - 2 * ONE, day - ONE, day]
    for d in window:
        if log(d) is None or d < phase_start or (last_clearance is not None
                                                 and d <= last_clearance):
            return False
    threshold = {"rest": 4, "walk": 3, "low_impact": 2, "run": 3}[phase]
    if any(worst(d) > threshold for d in window):
        return False
    if worst(day) - worst(day - 2 * ONE) > 1:
        return False
    if phase == "walk":
        if len({d for d in _days(phase_start, day) if acts(d, "walk")}) < 2:
            return False
    if phase == "low_impact":
        kinds = ("swim", "cycle", "elliptical", "yoga", "pilates")
        if len({d for d in _days(phase_start, day)
                if any(acts(d, k) for k in kinds)}) < 3:
            return False
        tests = [a.day for a in ep.actions if a.kind == "ready"
                 and day - 6 * ONE <= a.day <= day and a.day >= phase_start
                 and (last_clearance is None or a.day > last_clearance)]
        if not tests or hold:
            return False
    if phase == "run" and not passed:
        return False
    return True
