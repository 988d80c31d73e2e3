"""The earliest schedule the plan allows from tomorrow on (DESIGN.md §1 Calendar, §2, §5.1).

The calendar shows a runner what the coming weeks look like if every day goes well: the
current phase runs until its gate can first open, then every later phase lasts exactly its
minimum days, then full training goes on. It is a projection, never a promise: a flare or a
red flag moves everything, so nothing here is stored, and it is recomputed from the engine's
answer for today whenever the data changes.

Choices where DESIGN.md is silent:

- While the plan is paused by a red flag there is no schedule at all (an empty list): only a
  clinician's clearance can restart it, and guessing a date for that would be wrong.
- When the gate is open today and the runner has not advanced yet, the earliest schedule
  assumes they advance today, so the next phase starts tomorrow.
- In ``run`` the days follow the walk–run ladder (§5.3) when its stage labels are given: a run
  every second day (the day after today's run, or tomorrow if there was none), each at the
  next stage (at most one step up in two days), with the plan's between-runs day in between;
  the phase lasts until the top stage has gone well, however short its minimum.
- A phase can never be shorter than the gate's window (``Rules.gate_window_days``, 3 logged
  days in the phase), even if a setting makes its minimum shorter; after a clearance the
  window counts only days after it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Protocol

from recoverydesk.core.engine import DayStatus
from recoverydesk.core.model import PHASES
from recoverydesk.core.rules import Rules

DEFAULT_HORIZON_DAYS = 60
FULL_DAYS_SHOWN = 14
"""However long the earlier phases take, the projection shows this many days of ``full``."""


class _Prescription(Protocol):
    @property
    def label(self) -> str: ...


class _PhasePlan(Protocol):
    def prescription_for(self, phase_day: int) -> _Prescription: ...


class PlanLike(Protocol):
    """What the projection needs from :class:`recoverydesk.core.plan.Plan`."""

    def phase(self, phase_id: str) -> _PhasePlan: ...


@dataclasses.dataclass(frozen=True, slots=True)
class ProjectedDay:
    """One future day of the earliest schedule.

    Attributes:
        day: The date.
        phase: The phase id in effect that day if everything goes well.
        phase_day: The day within that phase, from 1.
        label: The plan's prescription for that day ("walk 20 min").
    """

    day: datetime.date
    phase: str
    phase_day: int
    label: str


def phase_length(rules: Rules, phase: str) -> int:
    """The fewest days a phase can last: its minimum, and never less than the gate's window."""
    return max(rules.min_days.get(phase, 1), rules.gate_window_days, 1)


def _ladder_days(stage: int, stages: int) -> int:
    """Days from tomorrow until a ladder at ``stage`` is passed: a run every second day at
    each stage left, and the morning after the last one."""
    return 2 * (stages - stage + 1)


def project(status: DayStatus, rules: Rules, plan: PlanLike, *,
            horizon: int = DEFAULT_HORIZON_DAYS, ladder: Sequence[str] = (),
            ran_today: bool = False) -> list[ProjectedDay]:
    """Project the earliest schedule from the day after ``status.day``.

    Args:
        status: The engine's answer for the last known day (normally today).
        rules: The thresholds in force (minimum days per phase, gate window).
        plan: The plan, for each day's prescription label.
        horizon: How many days to project at least; the list is longer when needed to show
            the first :data:`FULL_DAYS_SHOWN` days of full training.
        ladder: The ladder's session labels, stage 1 first (``Plan.ladder``); without them
            ``run`` days take the plan's day-by-day prescriptions.
        ran_today: Whether today's log has a run (the next run is then the day after
            tomorrow).

    Returns:
        One :class:`ProjectedDay` per day from tomorrow, in order; empty while paused.
    """
    if status.paused:
        return []
    full = len(PHASES) - 1
    current = PHASES.index(status.phase)
    following = PHASES.index(status.next_phase)
    # (phase index, first phase day, how many days) for each stretch of the schedule.
    stretches: list[tuple[int, int, int]] = []
    if following != current:
        phase_index = following                      # advanced or regressed today
    elif status.can_advance and current < full:
        phase_index = current + 1                    # the gate is open: they may advance today
    else:
        phase_index = -1
    if phase_index == -1:
        if current == full:
            stretches.append((full, status.phase_day + 1, 0))
        else:
            gate_day = max(phase_length(rules, status.phase), status.phase_day + 1)
            if (ladder and status.phase == "run" and status.run_stage is not None
                    and not status.run_stage_done):
                gate_day = max(gate_day, status.phase_day
                               + _ladder_days(status.run_stage, len(ladder)))
            if status.event == "clearance":
                gate_day = max(gate_day, status.phase_day + rules.gate_window_days)
            stretches.append((current, status.phase_day + 1, gate_day - status.phase_day))
            phase_index = current + 1
    if phase_index != -1:
        for index in range(phase_index, full):
            length = phase_length(rules, PHASES[index])
            if ladder and PHASES[index] == "run":
                length = max(length, _ladder_days(1, len(ladder)))
            stretches.append((index, 1, length))
        stretches.append((full, 1, 0))

    before_full = sum(days for index, _, days in stretches if index != full)
    total = max(horizon, before_full + FULL_DAYS_SHOWN)
    days: list[ProjectedDay] = []
    day = status.day
    one = datetime.timedelta(days=1)
    for index, first, count in stretches:
        phase = PHASES[index]
        phase_plan = plan.phase(phase)
        length = count if index != full else total - len(days)
        continuing = first != 1
        stage = 1
        if continuing and status.run_stage is not None:
            stage = (len(ladder) if status.run_stage_done
                     else status.run_stage + (1 if ran_today else 0))
        run_next = not ran_today if continuing else True
        for offset in range(length):
            day += one
            phase_day = first + offset
            label = phase_plan.prescription_for(phase_day).label
            if phase == "run" and ladder:
                if run_next:
                    label = ladder[min(stage, len(ladder)) - 1]
                    stage += 1
                else:
                    label = phase_plan.prescription_for(2).label  # the day between runs
                run_next = not run_next
            days.append(ProjectedDay(day, phase, phase_day, label))
    return days


def by_day(days: list[ProjectedDay]) -> dict[datetime.date, ProjectedDay]:
    """Index a projection by date, for a calendar that looks days up one by one."""
    return {projected.day: projected for projected in days}
