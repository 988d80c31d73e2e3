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
- A phase can never be shorter than the gate's window (``Rules.gate_window_days``, 3 logged
  days in the phase), even if a setting makes its minimum shorter; after a clearance the
  window counts only days after it.
"""

from __future__ import annotations

import dataclasses
import datetime
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


def project(status: DayStatus, rules: Rules, plan: PlanLike, *,
            horizon: int = DEFAULT_HORIZON_DAYS) -> list[ProjectedDay]:
    """Project the earliest schedule from the day after ``status.day``.

    Args:
        status: The engine's answer for the last known day (normally today).
        rules: The thresholds in force (minimum days per phase, gate window).
        plan: The plan, for each day's prescription label.
        horizon: How many days to project at least; the list is longer when needed to show
            the first :data:`FULL_DAYS_SHOWN` days of full training.

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
            if status.event == "clearance":
                gate_day = max(gate_day, status.phase_day + rules.gate_window_days)
            stretches.append((current, status.phase_day + 1, gate_day - status.phase_day))
            phase_index = current + 1
    if phase_index != -1:
        for index in range(phase_index, full):
            stretches.append((index, 1, phase_length(rules, PHASES[index])))
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
        for offset in range(length):
            day += one
            phase_day = first + offset
            days.append(ProjectedDay(day, phase, phase_day,
                                     phase_plan.prescription_for(phase_day).label))
    return days


def by_day(days: list[ProjectedDay]) -> dict[datetime.date, ProjectedDay]:
    """Index a projection by date, for a calendar that looks days up one by one."""
    return {projected.day: projected for projected in days}
