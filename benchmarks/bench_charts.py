"""Charts view figures over a 10-year history (DESIGN.md §10).

Run: ``.venv/bin/python benchmarks/bench_charts.py [--runs 20] [--opens 5]``. It:

1. writes a synthetic 10-year history into a temporary data folder through the Store, in one
   transaction: 3,650 daily entries and ~2,500 activities, a six-week recovery through the
   phases (advances stored where the engine's gate opened), then years of running with the
   odd flare;
2. times the **first opening** of the Charts view, ``--opens`` times, each in a fresh offscreen
   process: the QApplication, the store and the Session are ready (the window has them before
   any view is opened, and the Today view has already replayed the engine), then the clock runs
   from ``import recoverydesk.gui.charts`` (pyqtgraph's import included) to the end of the pain
   chart's first painted frame. A "cold" variant also loads the episode and replays it inside
   the clock, as if nothing had read the store before;
3. in this process, times **redrawing the pain-vs-mileage chart** over all 10 years ("Everything"
   on screen, 1100 × 750): ``set_series`` (every item's data replaced) plus a synchronous
   repaint, ``--runs`` times; and, for context, a whole ``refresh()`` of the view (figures
   rebuilt from the session, all four charts updated, the pain chart repainted).

Prints a table of medians against the targets (first opening ≤ 1 s, redraw ≤ 30 ms).
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from results import record  # noqa: E402

DAYS = 3650
TODAY = datetime.date(2026, 3, 20)
TARGET_OPEN_S = 1.0
TARGET_REDRAW_MS = 30.0

_CHILD_OPEN = """
import pathlib, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
import datetime
from recoverydesk.storage.store import Store
from recoverydesk.gui.session import Session
store = Store.open(pathlib.Path(sys.argv[1]), check=False)
today = datetime.date.fromisoformat(sys.argv[2])
session = Session(store, today=lambda: today)
if sys.argv[3] == "warm":
    session.timeline()
started = time.perf_counter()
from recoverydesk.gui.charts import ChartsView
view = ChartsView(session)
class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, report)
        return False
def report():
    print(time.perf_counter() - started, flush=True)
    app.quit()
watcher = FirstPaint()
view.pain_chart.viewport().installEventFilter(watcher)
view.resize(1100, 750)
view.show()
app.exec()
"""


def fill_history(store: object, today: datetime.date = TODAY, days: int = DAYS,
                 seed: int = 2026) -> datetime.date:
    """Write ``days`` days of a runner's history ending on ``today`` into ``store``.

    Pain follows the running of the week before a little (and a flare now and then), so the
    scatter and its sentence have something real to find. Returns ``today``.
    """
    from recoverydesk.core.engine import replay
    from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo
    from recoverydesk.core.rules import Rules

    rng = random.Random(seed)
    start = today - datetime.timedelta(days=days - 1)
    logs: list[DayLog] = []
    acts: list[Activity] = []
    week_km: list[float] = []
    level = 6.0
    for i in range(days):
        day = start + datetime.timedelta(days=i)
        recent = sum(week_km[-7:])
        if i < 42:  # the recovery: pain settles, walks then walk-runs
            level = max(1.5, level * 0.95)
            kind = "walk" if i < 25 else ("run" if i % 2 else "cycle")
            km = rng.uniform(1.5, 3.0) if kind != "cycle" else rng.uniform(8, 15)
            run_today = km if kind == "run" else 0.0
            act_list = [(kind, km)] if i > 2 else []
        else:
            level = 0.5 + 0.022 * recent + (3.5 if rng.random() < 0.003 else 0.0)
            run_today = 0.0
            act_list = []
            if rng.random() < 0.45:
                km = max(3.0, rng.gauss(9 + 2 * ((i // 180) % 3), 2.5))
                if rng.random() < 0.06:
                    km *= 1.8  # a long run
                run_today = km
                act_list.append(("run", km))
            elif rng.random() < 0.45:  # cross-training, which the plan's phases ask for too
                kind = rng.choice(("walk", "walk", "cycle", "swim"))
                act_list.append((kind, rng.uniform(2, 6) if kind != "cycle" else
                                 rng.uniform(10, 30)))
        week_km.append(run_today)
        pain = max(0, min(10, round(level + rng.gauss(0, 0.35))))
        morning = max(0, min(10, round(level - 0.3)))
        flags = frozenset({"radiating_pain"}) if rng.random() < 0.0006 else frozenset()
        logs.append(DayLog(day, pain, None, morning, flags, 7.5))
        for kind, km in act_list:
            acts.append(Activity(day, kind, round(km * 1000), round(km * 330), pain))
    episode_info = EpisodeInfo(start, "km")
    # Store the advances a runner would have asked for: where the engine's gate opened.
    from recoverydesk.core.model import Episode

    clearances = [Action(log.day + datetime.timedelta(days=3), "clearance", "seen by GP, cleared")
                  for log in logs if log.red_flags
                  and log.day + datetime.timedelta(days=3) <= today]
    episode = Episode(episode_info, {log.day: log for log in logs}, tuple(acts),
                      tuple(clearances))
    auto = [Action(s.day, "advance") for s in replay(episode, Rules(auto_advance=True), today)
            if s.event == "advance"]
    with store.db.atomic():  # type: ignore[attr-defined]
        store.start_episode(episode_info, today=today)  # type: ignore[attr-defined]
        for log in logs:
            store.save_day(log, today=today)  # type: ignore[attr-defined]
        store.add_activities(acts, today=today)  # type: ignore[attr-defined]
        for action in auto + clearances:
            store.add_action(action, today=today)  # type: ignore[attr-defined]
    return today


def time_first_open(data_dir: pathlib.Path, variant: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", _CHILD_OPEN, str(data_dir), TODAY.isoformat(),
                           variant], env=env, capture_output=True, text=True, check=True,
                          timeout=120)
    return float(proc.stdout.split()[-1])


def time_redraws(data_dir: pathlib.Path, runs: int) -> tuple[list[float], list[float], int]:
    """(set_series + repaint ms, whole refresh ms, days drawn) in this process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from recoverydesk.gui.charts import ChartsView, build_chart_data
    from recoverydesk.gui.session import Session
    from recoverydesk.storage.store import Store

    app = QApplication.instance() or QApplication([])
    store = Store.open(data_dir, check=False)
    session = Session(store, today=lambda: TODAY)
    view = ChartsView(session)
    view.resize(1100, 750)
    view.show()
    chart = view.pain_chart
    chart.set_range("all")
    app.processEvents()
    data = build_chart_data(session)
    assert data is not None
    redraw: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        chart.set_series(data)
        chart.viewport().repaint()
        redraw.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    refresh: list[float] = []
    for _ in range(max(5, runs // 2)):
        session.reload()  # drops the Session's caches, as a save does
        session.timeline()  # the Today view replays first in the app
        started = time.perf_counter()
        view.refresh()
        chart.viewport().repaint()
        refresh.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    days = data.days
    view.close()
    store.close()
    return redraw, refresh, days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="redraws to time (default 20)")
    parser.add_argument("--opens", type=int, default=5,
                        help="fresh processes per first-opening variant (default 5)")
    args = parser.parse_args(argv)
    from recoverydesk.storage.store import Store

    with tempfile.TemporaryDirectory(prefix="rd-bench-charts-") as tmp:
        data_dir = pathlib.Path(tmp) / "data"
        store = Store.open(data_dir)
        made = time.perf_counter()
        fill_history(store)
        counts = store.counts()
        store.close()
        print(f"History: {counts} written in {time.perf_counter() - made:.1f} s")
        warm: list[float] = []
        cold: list[float] = []
        for _ in range(args.opens):  # alternated, so that neither gets the warmer disk cache
            warm.append(time_first_open(data_dir, "warm"))
            cold.append(time_first_open(data_dir, "cold"))
        redraw, refresh, days = time_redraws(data_dir, args.runs)

    def row(what: str, values: list[float], unit: str, target: float | None) -> str:
        med = statistics.median(values)
        verdict = "" if target is None else ("ok" if med <= target else "SLOW")
        goal = "" if target is None else f"≤ {target:g} {unit}"
        return (f"| {what} | {med:.3g} {unit} | {min(values):.3g}–{max(values):.3g} {unit} "
                f"| {goal} | {verdict} |")

    print()
    print(f"Charts view over {days} days ({args.opens} processes per opening, "
          f"{args.runs} redraws)")
    print("| measure | median | range | target | |")
    print("|---|---|---|---|---|")
    print(row("first opening (import → first painted chart)", warm, "s", TARGET_OPEN_S))
    print(row("first opening, cold session (+ load and replay)", cold, "s", None))
    print(row("redraw pain vs mileage, 10 years (set data + repaint)", redraw, "ms",
              TARGET_REDRAW_MS))
    print(row("whole refresh (figures + 4 charts + repaint)", refresh, "ms", None))
    record("first opening of the Charts view", statistics.median(warm), "s",
           f"≤ {TARGET_OPEN_S:g} s", statistics.median(warm) <= TARGET_OPEN_S,
           note=f"cold session {statistics.median(cold):.2f} s")
    record("redraw pain vs mileage, 10 years", statistics.median(redraw), "ms",
           f"≤ {TARGET_REDRAW_MS:g} ms", statistics.median(redraw) <= TARGET_REDRAW_MS)
    slow = (statistics.median(warm) > TARGET_OPEN_S
            or statistics.median(redraw) > TARGET_REDRAW_MS)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
