"""A runner's cadence over time and their usual figure (DESIGN.md §5.3, §7 "Cadence").

The cue is "about 5 % quicker than your usual cadence", never a fixed 170-180: the usual
figure is the runner's own. It is the median of the runs before the episode (how they ran
before the pain), else of the first 5 runs recorded (the earliest figures there are). The
median, not the mean, so one treadmill jog or a file with a bad sensor does not move it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence

from recoverydesk.core.model import Activity

QUICKER = 1.05
"""The +5 % mark (§5.3)."""
FIRST_RUNS = 5


@dataclasses.dataclass(frozen=True, slots=True)
class CadenceHistory:
    """Each run's cadence and the runner's usual figure.

    Attributes:
        runs: (date, steps a minute) of every run with a cadence, oldest first.
        usual: The usual cadence, or None without any run with a cadence.
        basis: How ``usual`` was found: ``before`` (runs before the episode) or ``first``
            (the first runs recorded).
        basis_count: How many runs it is the median of.
    """

    runs: tuple[tuple[datetime.date, float], ...]
    usual: float | None
    basis: str
    basis_count: int

    @property
    def quicker(self) -> float | None:
        """The +5 % mark, or None."""
        return None if self.usual is None else self.usual * QUICKER


def _median(values: Sequence[float]) -> float:
    """The median of a non-empty list (``statistics`` costs 5 ms to import at start-up, §10)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def cadence_history(activities: Iterable[Activity],
                    episode_start: datetime.date | None) -> CadenceHistory:
    """Gather the runs with a cadence and work out the usual figure."""
    runs = sorted((a.day, float(a.cadence_spm)) for a in activities
                  if a.kind == "run" and a.cadence_spm is not None and a.cadence_spm > 0)
    before = [spm for day, spm in runs
              if episode_start is not None and day < episode_start]
    if before:
        return CadenceHistory(tuple(runs), _median(before), "before", len(before))
    first = [spm for _day, spm in runs[:FIRST_RUNS]]
    usual = _median(first) if first else None
    return CadenceHistory(tuple(runs), usual, "first", len(first))
