"""Running load figures: distances, the mileage guards of DESIGN.md §5.1, chart series (§6).

API CONTRACT (implementation pending): ``guards_by_day(activities, first, last, rules)`` returns
``{day: (Guard, ...)}`` for every day in ``first..last``, computed in one pass with per-day
arrays so a 10-year replay stays within its 20 ms budget. Only ``run`` activities count.
"""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class Guard:
    """A mileage guard's figure on a day (§5.1): ``spike``, ``weekly_rise`` or ``ratio``.

    ``warn`` is True when it crosses its threshold; ``band`` is set for the workload ratio
    (``low``, ``comfortable``, ``high``, ``danger``).
    """

    id: str
    value: float
    warn: bool
    detail: str
    band: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "value": round(self.value, 3), "warn": self.warn,
                                "detail": self.detail}
        if self.band is not None:
            data["band"] = self.band
        return data


