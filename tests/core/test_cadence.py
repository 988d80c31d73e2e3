"""The runner's usual cadence (DESIGN §5.3, §7): the median of their own runs."""

from __future__ import annotations

import datetime

from recoverydesk.core.cadence import cadence_history
from recoverydesk.core.model import Activity

START = datetime.date(2026, 3, 1)


def run(days_from_start: int, spm: float | None, kind: str = "run") -> Activity:
    return Activity(START + datetime.timedelta(days=days_from_start), kind, 5000, 1800,
                    cadence_spm=spm)


def test_usual_is_the_median_of_the_runs_before_the_episode() -> None:
    history = cadence_history([run(-9, 160), run(-6, 170), run(-3, 166), run(-1, 180),
                               run(2, 150)], START)
    assert (history.usual, history.basis, history.basis_count) == (168, "before", 4)
    assert history.quicker == 168 * 1.05


def test_without_earlier_runs_the_first_five_recorded_give_the_usual() -> None:
    runs = [run(day, spm) for day, spm in enumerate((171, 150, 190, 162, 168, 100, 100))]
    history = cadence_history(runs, START)
    assert (history.usual, history.basis, history.basis_count) == (168, "first", 5)


def test_walks_and_runs_without_a_cadence_do_not_count() -> None:
    history = cadence_history([run(1, None), run(2, 0), run(3, 120, kind="walk")], START)
    assert history.usual is None and history.quicker is None and history.runs == ()
