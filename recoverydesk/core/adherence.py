"""How regularly the runner does their exercises, and which ones today asks for (DESIGN.md §1).

Qt-free so the Exercises view, the Today view and a report can share one answer. Adherence is
counted in *days*, not repetitions: doing a stretch three times on Monday and never again is
not a habit, and a physiotherapist asks "how many days this week?".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from recoverydesk.core.plan import Plan

WEEK_DAYS = 7
"""The window of :func:`week_adherence`: today and the six days before it."""


def week_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the rolling week ending on ``today`` (both included).

    A rolling week rather than a calendar week, so Monday does not always read "0 of 7".
    """
    return today - datetime.timedelta(days=WEEK_DAYS - 1), today


def week_adherence(done_by_day: Mapping[datetime.date, Mapping[str, int]],
                   exercise_ids: Iterable[str],
                   today: datetime.date) -> dict[str, int]:
    """Count, for each exercise, the days of the last seven (today included) it was done on.

    Args:
        done_by_day: What the store's ``exercises_done`` returns: {date: {exercise id: count}}.
            Days outside the week and counts of zero are ignored, so callers may pass more.
        exercise_ids: The exercises to report on; each gets an entry, 0 when never done.
        today: The last day of the week.

    Returns:
        {exercise id: days done}, each from 0 to 7, in the order of ``exercise_ids``.
    """
    first, last = week_window(today)
    days_done = {exercise_id: 0 for exercise_id in exercise_ids}
    for day, counts in done_by_day.items():
        if not first <= day <= last:
            continue
        for exercise_id, count in counts.items():
            if exercise_id in days_done and count > 0:
                days_done[exercise_id] += 1
    return days_done


def todays_exercises(plan: Plan, phase: str, phase_day: int) -> list[str]:
    """The exercises today asks for: the day's prescription, then the phase's checklist.

    The prescription comes first because it is the day's specific programme; the checklist
    items that link to an exercise follow, so nothing the Today view asks for is left out of a
    guided session. Each exercise appears once, where it is first named.

    Args:
        plan: The loaded plan.
        phase: The phase in effect today (a phase id).
        phase_day: The day in that phase, counting from 1.
    """
    phase_plan = plan.phase(phase)
    named = list(phase_plan.prescription_for(max(1, phase_day)).exercises)
    named += [item.exercise for item in phase_plan.checklist if item.exercise is not None]
    return list(dict.fromkeys(named))
