"""Function: the Patient-Specific Functional Scale, scored weekly (DESIGN.md §3.1).

The runner names 3 to 5 activities their back makes hard and scores each from 0 (unable) to
10 (as before the pain) once a week. The score of a week is the mean over the activities
scored that week; two weeks are compared only over the activities scored in both, because a
renamed activity is a new one (its old name keeps its history). A change of 2 points in the
mean, or 3 in one activity, is beyond measurement noise (Stratford et al. 1995).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from recoverydesk.core.model import ValidationError, check_date

MIN_ACTIVITIES = 3
MAX_ACTIVITIES = 5
"""The first-run setup asks for 3 to 5 activities; at most 5 are scored at once."""
MAX_NAME = 80
MEAN_CHANGE = 2.0
"""A change in the mean this large is beyond measurement noise (Stratford et al. 1995)."""
ITEM_CHANGE = 3
"""A change in one activity this large is beyond measurement noise."""
PROMPT_EVERY_DAYS = 7
"""Today asks "How are these going?" when a week has passed since the last scores."""


@dataclasses.dataclass(frozen=True, slots=True)
class PsfsActivity:
    """One activity the runner scores.

    Attributes:
        name: The runner's words ("run 5 km easy").
        created: The day it was named.
        retired: Retired activities are no longer asked about but keep their scores.
        id: The store's row id; None until stored.
    """

    name: str
    created: datetime.date
    retired: bool = False
    id: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PsfsScore:
    """One activity's score on one day, 0 (unable) to 10 (as before the pain)."""

    day: datetime.date
    activity_id: int
    score: int


def clean_name(name: Any) -> str:
    """An activity's name, trimmed, or ValidationError naming the rule."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise ValidationError("activity", name, f"a name of 1 to {MAX_NAME} characters")
    return " ".join(name.split())


def validate_activity(activity: PsfsActivity, today: datetime.date) -> None:
    clean_name(activity.name)
    check_date("activity created", activity.created, today)


def validate_score(score: PsfsScore, today: datetime.date) -> None:
    check_date("date", score.day, today)
    value = score.score
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError("score", value, "a whole number from 0 to 10")


def check_active_count(active: int) -> None:
    """Refuse more than MAX_ACTIVITIES activities in use at once."""
    if active > MAX_ACTIVITIES:
        raise ValidationError("activities", active,
                              f"at most {MAX_ACTIVITIES} in use at once (retire one first)")


def parse_score(text: str) -> tuple[str, int]:
    """Read ``"ACTIVITY=N"`` (the CLI's ``--score``) into a name and a score."""
    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise ValidationError("score", text, 'ACTIVITY=N, e.g. "run 5 km easy=4"')
    try:
        number = int(value.strip())
    except ValueError:
        raise ValidationError("score", value.strip(), "a whole number from 0 to 10") from None
    if not 0 <= number <= 10:
        raise ValidationError("score", number, "a whole number from 0 to 10")
    return clean_name(name), number


def by_day(scores: Iterable[PsfsScore]) -> dict[datetime.date, dict[int, int]]:
    """Scores grouped as {day: {activity id: score}}, days in order."""
    out: dict[datetime.date, dict[int, int]] = {}
    for s in sorted(scores, key=lambda s: (s.day, s.activity_id)):
        out.setdefault(s.day, {})[s.activity_id] = s.score
    return out


def mean(week: Mapping[int, int]) -> float | None:
    """A week's PSFS score: the mean of its activities' scores (None when none was scored)."""
    return sum(week.values()) / len(week) if week else None


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """How function moved between two scored days, over the activities scored on both.

    Attributes:
        before, after: The two days compared.
        mean_before, mean_after: The means over the shared activities.
        items: {activity id: after − before} for each shared activity.
    """

    before: datetime.date
    after: datetime.date
    mean_before: float
    mean_after: float
    items: Mapping[int, int]

    @property
    def delta(self) -> float:
        return self.mean_after - self.mean_before

    @property
    def meaningful(self) -> bool:
        """Beyond measurement noise: 2 points in the mean, or 3 in one activity."""
        return (abs(self.delta) >= MEAN_CHANGE
                or any(abs(d) >= ITEM_CHANGE for d in self.items.values()))


def compare(scores: Iterable[PsfsScore], before: datetime.date,
            after: datetime.date) -> Change | None:
    """Compare two scored days over the activities both share; None when they share none."""
    days = by_day(scores)
    a, b = days.get(before, {}), days.get(after, {})
    shared = sorted(set(a) & set(b))
    if not shared:
        return None
    return Change(before, after, sum(a[i] for i in shared) / len(shared),
                  sum(b[i] for i in shared) / len(shared), {i: b[i] - a[i] for i in shared})


def prompt_due(activities: Sequence[PsfsActivity], scores: Iterable[PsfsScore],
               today: datetime.date) -> bool:
    """Whether Today should ask "How are these going?": there are activities in use and
    none of them was scored in the last PROMPT_EVERY_DAYS − 1 days."""
    active = {a.id for a in activities if not a.retired}
    if not active:
        return False
    last = max((s.day for s in scores if s.activity_id in active and s.day <= today),
               default=None)
    return last is None or (today - last).days >= PROMPT_EVERY_DAYS
