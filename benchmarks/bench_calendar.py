"""Time the Calendar's month switch and a save from the Log view over a 10-year history.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_calendar.py [--runs N]``.

Builds the synthetic 10-year episode of bench_engine.py (3,650 daily entries, about 2,500
activities, red flags, clearances, advances) in a temporary store, then measures with the
views at 1100 × 750 offscreen (DESIGN.md §10):

- switching the calendar month, repaint included (``widget.repaint()``), on months not seen
  since the last data change and on months seen before (cached cells); target ≤ 16 ms;
- the calendar's first paint after a data change (timeline read, index, projection);
- saving a day from the Log view: validation, one transaction with synchronous=FULL, the undo
  step, and the form's reload (its header asks the engine for that day's phase).
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_engine import YEARS_DAYS, synthetic_episode  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from results import record  # noqa: E402

from recoverydesk.core.model import Episode  # noqa: E402
from recoverydesk.storage.store import Store  # noqa: E402

FRAME_MS = 16.0


def build_store(folder: pathlib.Path, episode: Episode, today: datetime.date) -> Store:
    """Write the episode into a fresh store (fsync off while filling, then back to FULL)."""
    store = Store.open(folder)
    store.start_episode(episode.info, today=today)
    store._conn.execute("PRAGMA synchronous = OFF")
    by_day: dict[datetime.date, list] = {}
    for activity in episode.activities:
        by_day.setdefault(activity.day, []).append(activity)
    for day, log in sorted(episode.logs.items()):
        store.save_day(log, by_day.get(day, ()), today=today)
    for action in episode.actions:
        store.add_action(action, today=today)
    store._conn.execute("PRAGMA synchronous = FULL")
    return store


def timed(action, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def row(label: str, times: list[float], target: float | None, summary: str = "") -> None:
    median = statistics.median(times)
    if summary:
        record(summary, median, "ms", f"≤ {target:g} ms" if target else "",
               None if target is None else median <= target, note=f"worst {max(times):.1f} ms")
    verdict = "" if target is None else ("ok" if median <= target else "OVER")
    target_text = "" if target is None else f"{target:>8.1f}ms"
    print(f"{label:<52}{median:>8.2f}ms{max(times):>9.2f}ms{target_text:>10}  {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    from recoverydesk.gui.calendar import CalendarView, add_months
    from recoverydesk.gui.logform import LogView
    from recoverydesk.gui.session import Session

    episode = synthetic_episode()
    today = episode.start + datetime.timedelta(days=YEARS_DAYS - 1)
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        store = build_store(pathlib.Path(folder) / "data", episode, today)
        built = time.perf_counter() - t0
        counts = store.counts()
        print(f"10-year store: {counts['day_logs']:,} entries, {counts['activities']:,} "
              f"activities (built in {built:.1f} s); today {today}")
        session = Session(store, today=lambda: today)
        calendar = CalendarView(session)
        calendar.resize(1100, 750)
        calendar.show()
        app.processEvents()
        calendar.grid.repaint()

        print(f"{'measure':<52}{'median':>10}{'worst':>11}{'target':>10}  verdict")
        first = datetime.date(today.year, today.month, 1)
        months = [add_months(first, -i) for i in range(1, args.runs + 1)]

        def switch(i: int) -> None:
            calendar.show_month(months[i].year, months[i].month)
            calendar.grid.repaint()

        row("calendar: switch to a month not yet shown", timed(switch, len(months)), FRAME_MS,
            "calendar month switch (a month not yet shown)")
        row("calendar: switch to a month shown before", timed(switch, len(months)), FRAME_MS)

        def refresh(i: int) -> None:
            session.reload()                      # a data change: caches dropped everywhere
            calendar.grid.repaint()

        row("calendar: first repaint after a data change (info)", timed(refresh, 10), None)
        calendar.hide()

        log = LogView(session)
        log.resize(1100, 750)
        log.show()
        app.processEvents()
        day = today - datetime.timedelta(days=3)
        log.show_day(day)

        def save(i: int) -> None:
            log.pain_spin.setValue(i % 4)
            if not log.save():
                raise SystemExit("the benchmark's save was refused")
            log.repaint()

        row("log: save a day + refresh the form", timed(save, 20), FRAME_MS)
        session.timeline()

        def save_only(i: int) -> None:
            log.pain_spin.setValue((i + 1) % 4)
            session.save_day(log_entry(session, day, (i + 1) % 4))

        row("  of which Session.save_day alone (info)", timed(save_only, 20), None)
        log.close()
        calendar.close()
        store.close()
    return 0


def log_entry(session, day: datetime.date, pain: int):
    import dataclasses

    stored, _activities = session.day(day)
    return dataclasses.replace(stored, pain=pain)


if __name__ == "__main__":
    raise SystemExit(main())
