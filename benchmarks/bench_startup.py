"""Start-up, memory and save-a-day figures of the window (DESIGN.md §10).

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 7]``. In one run it:

1. writes a synthetic 10-year history (3,650 daily entries, ~2,500 activities) into a temporary
   data folder through the Store;
2. starts, ``--runs`` times each and alternating, (a) a bare PySide6 window (QApplication +
   empty QMainWindow shown) and (b) RecoveryDesk's main window on Today over that history,
   the way ``recoverydesk`` starts it (Today's first frame worked out by a forked child while
   Qt loads: ``recoverydesk/first_frame.py``), each in a fresh offscreen process, and takes
   the wall time from just before the process is started to the end of its first painted
   frame (an event filter sees the window's first Paint event; the process then reports at
   the next turn of the event loop), and its peak memory (``ru_maxrss``) at that moment. For
   the app it also takes the time until the data file is open and Today shown from it (when
   Today can be used) and the first frame's child's peak memory;
3. in this process, times saving a day's entry through the Session and refreshing Today.

Step 2 runs with the demo recovery and with the 10-year history. Prints a table with
medians, the start-up ratio (the median of the paired runs' ratios; target ≤ 2) and the
memory difference (target ≤ bare + 40 MB). Each pair also starts, just before it, the bare
window with one centred label, and the app's ratio to that is printed for comparison (no
target): it draws text and touches a ``Qt.*`` enum, as every window with text must.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from results import record  # noqa: E402

DAYS = 3650
TARGET_RATIO = 2.0
TARGET_EXTRA_MB = 40.0
TARGET_SAVE_MS = 16.0

_CHILD_BARE = """
import time, resource
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, report)
        return False
def report():
    print(time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.quit()
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""

# For comparison only (no target): the bare window with one centred label, so it draws text
# (Qt's font database) and touches a `Qt.*` enum (PySide makes the namespace's 93 Python
# enums at once), as any window with text does (docs/performance.md).
_CHILD_LABELLED = _CHILD_BARE.replace(
    "window = QMainWindow()",
    "window = QMainWindow()\n"
    "from PySide6.QtCore import Qt\n"
    "from PySide6.QtWidgets import QLabel\n"
    "label = QLabel('Walk, day 3 of at least 4', alignment=Qt.AlignmentFlag.AlignCenter)\n"
    "window.setCentralWidget(label)")
assert _CHILD_LABELLED != _CHILD_BARE

# The steps of `recoverydesk` (launch.py, then app.run_window) up to the first paint: the
# first frame's child forked first thing, Qt loaded meanwhile, the window painted from the
# child's face (or, without one, the plain way). After the paint it also times the data file
# opened and Today shown again from it (when Today can be used), and reads the child's peak
# memory.
_CHILD_APP = """
import pathlib, resource, sys, time
data_dir = pathlib.Path(sys.argv[1])
from recoverydesk import first_frame
pending = first_frame.start(data_dir)
from recoverydesk.app import (after_first_paint, application, build_main_window,
                              first_frame_window, open_with_messages)
app = application()
window = first_frame_window(pending, data_dir, remember=False)
path = "first-frame" if window is not None else "plain"
if window is None:
    window = build_main_window(open_with_messages(data_dir), remember=False)
def report():
    painted = time.time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    heavy = [m for m in ("pyqtgraph", "numpy", "sqlite_utils") if m in sys.modules]
    if not window.session.is_open:
        window.session.open(open_with_messages(data_dir))
    app.processEvents()
    ready = time.time()
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(painted, rss, ",".join(heavy) or "-", path, ready, child, flush=True)
    app.quit()
after_first_paint(window, report)
window.show()
app.exec()
window.session.close()
"""


def make_history(data_dir: pathlib.Path, today: datetime.date, seed: int = 10) -> None:
    """Ten years of daily entries and ~2,500 activities, written in one transaction."""
    from recoverydesk.core.model import Activity, DayLog, EpisodeInfo
    from recoverydesk.storage.store import Store

    rng = random.Random(seed)
    store = Store.open(data_dir)
    start = today - datetime.timedelta(days=DAYS - 1)
    with store.db.atomic():
        store.start_episode(EpisodeInfo(start, "km"), today=today)
        for i in range(DAYS):
            day = start + datetime.timedelta(days=i)
            pain = max(0, min(10, round(2 + rng.gauss(0, 1.2))))
            acts = []
            if rng.random() < 0.685:
                kind = rng.choices(("run", "walk", "cycle", "swim"), (6, 2, 1, 1))[0]
                dist = rng.uniform(3000, 14000)
                acts.append(Activity(day, kind, round(dist), round(dist / 3), pain))
            store.save_day(DayLog(day, pain, None, max(0, pain - 1), sleep_hours=7.5,
                                  notes="synthetic"), acts, today=today)
            if i % 3 == 0:
                store.set_tick(day, "knee_to_chest", True)
    store.close()


class Run(NamedTuple):
    """One fresh process: seconds to its first paint and its peak memory; for the app also
    the heavy modules loaded by then, how it painted ("first-frame" or "plain"), the seconds
    until Today was shown from the opened data file, and the first frame's child's peak."""

    seconds: float
    mb: float
    heavy: str = ""
    path: str = ""
    ready: float = 0.0
    child_mb: float = 0.0


def run_child(code: str, *args: str) -> Run:
    """How one fresh process started (see ``Run``)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.pop("RECOVERYDESK_THEME", None)
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, check=True, timeout=60)
    fields = proc.stdout.split()
    painted, rss_kb = float(fields[0]), float(fields[1])
    if len(fields) < 6:
        return Run(painted - started, rss_kb / 1024.0)
    return Run(painted - started, rss_kb / 1024.0, fields[2], fields[3],
               float(fields[4]) - started, float(fields[5]) / 1024.0)


def time_save_and_refresh(data_dir: pathlib.Path, runs: int = 30) -> tuple[float, float]:
    """(median ms, worst ms) to save a day's entry through the Session and refresh Today."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from recoverydesk.app import application, build_main_window
    from recoverydesk.core.model import DayLog
    from recoverydesk.storage.recovery import open_store

    app = application()
    store = open_store(data_dir)
    window = build_main_window(store, remember=False)
    window.show()
    app.processEvents()
    session = window.session
    today = session.today()
    times = []
    for i in range(runs):
        log = DayLog(today, i % 4, None, 1, sleep_hours=7.0, notes="bench")
        began = time.perf_counter()
        session.save_day(log, replace_activities=False)  # Today reloads on data_changed
        app.processEvents()
        times.append((time.perf_counter() - began) * 1000)
    window.close()
    store.close()
    return statistics.median(times), max(times)


def paired(data_dir: pathlib.Path, runs: int) -> tuple[list, list, list[float], list[float]]:
    """``runs`` pairs (bare, app) started one after the other, each pair's ratio, and each
    app run's ratio to a labelled window started just before the pair (for comparison).

    A pair shares the moment's machine load, so its ratio is steadier than a ratio of
    two medians taken minutes apart on a shared machine.
    """
    run_child(_CHILD_BARE)                       # warm the disk caches once, unmeasured
    run_child(_CHILD_LABELLED)
    run_child(_CHILD_APP, str(data_dir))
    bare, app, labelled = [], [], []
    for _ in range(runs):
        labelled.append(run_child(_CHILD_LABELLED))
        bare.append(run_child(_CHILD_BARE))
        app.append(run_child(_CHILD_APP, str(data_dir)))
    return (bare, app, [a[0] / b[0] for b, a in zip(bare, app, strict=True)],
            [a[0] / b[0] for b, a in zip(labelled, app, strict=True)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    today = datetime.date.today()
    results = {}
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        data_dir = pathlib.Path(tmp) / "data"
        demo_dir = pathlib.Path(tmp) / "demo"
        began = time.perf_counter()
        make_history(data_dir, today)
        print(f"history: {DAYS} days written in {time.perf_counter() - began:.1f} s")
        make_demo(demo_dir, today)
        # An installed app starts from bytecode; an editable checkout under
        # PYTHONDONTWRITEBYTECODE would recompile every module on every start.
        compileall.compile_dir(REPO / "recoverydesk", quiet=1)
        load = os.getloadavg()[0]
        for label, folder in (("demo", demo_dir), ("10 years", data_dir)):
            results[label] = paired(folder, args.runs)
        save_median, save_worst = time_save_and_refresh(data_dir)

    rows = []
    for label, (bare, app, ratios, to_labelled) in results.items():
        bare_s = statistics.median(b[0] for b in bare)
        app_s = statistics.median(a[0] for a in app)
        ratio = statistics.median(ratios)
        labelled_ratio = statistics.median(to_labelled)
        ready_s = statistics.median(a.ready for a in app)
        first = sum(a.path == "first-frame" for a in app)
        rows += [
            (f"bare PySide6 window, first paint ({label} run)", f"{bare_s * 1000:.0f} ms", ""),
            (f"RecoveryDesk on Today, first paint, {label}", f"{app_s * 1000:.0f} ms",
             f"painted from the first frame in {first} of {len(app)}"),
            (f"  Today usable (data file open, Today shown from it), {label}",
             f"{ready_s * 1000:.0f} ms", ""),
            (f"start-up ratio, {label} (median of pairs)", f"{ratio:.2f}",
             f"≤ {TARGET_RATIO:g}  {_ok(ratio <= TARGET_RATIO)}"),
            ("  the same against a window with one label", f"{labelled_ratio:.2f}",
             "for comparison"),
        ]
        record(f"start-up, {label} (first paint of Today)", app_s * 1000, "ms",
               f"≤ {TARGET_RATIO:g} × bare", ratio <= TARGET_RATIO, ratio=ratio,
               note=f"bare {bare_s * 1000:.0f} ms; pairs " + " ".join(f"{r:.2f}" for r in ratios)
               + f"; {labelled_ratio:.2f} × a window with one label; painted from the first "
               f"frame in {first} of {len(app)}; Today usable at {ready_s * 1000:.0f} ms")
    bare, app, _ratios, _to_labelled = results["10 years"]
    bare_mb = statistics.median(b[1] for b in bare)
    app_mb = statistics.median(a[1] for a in app)
    heavy = sorted({m for a in app for m in a[2].split(",") if m and m != "-"})
    child_mb = statistics.median(a.child_mb for a in app)
    rows += [
        ("peak memory, bare", f"{bare_mb:.0f} MB", ""),
        ("peak memory, RecoveryDesk (10 years)", f"{app_mb:.0f} MB",
         f"≤ {bare_mb + TARGET_EXTRA_MB:.0f} MB  {_ok(app_mb <= bare_mb + TARGET_EXTRA_MB)}"),
        ("  the first frame's child, its own peak (gone by the first paint)",
         f"{child_mb:.0f} MB", ""),
        ("save a day + refresh Today (median)", f"{save_median:.1f} ms",
         f"≤ {TARGET_SAVE_MS:g} ms  {_ok(save_median <= TARGET_SAVE_MS)}"),
        ("save a day + refresh Today (worst)", f"{save_worst:.1f} ms", ""),
        ("heavy modules at first paint", ", ".join(heavy) or "none", ""),
    ]
    record("memory at first paint, 10 years", app_mb, "MB",
           f"≤ bare + {TARGET_EXTRA_MB:g} MB", app_mb <= bare_mb + TARGET_EXTRA_MB,
           ratio=app_mb / bare_mb, note=f"bare {bare_mb:.0f} MB (+{app_mb - bare_mb:.0f} MB)")
    record("save a day + refresh Today, 10 years", save_median, "ms",
           f"≤ {TARGET_SAVE_MS:g} ms", save_median <= TARGET_SAVE_MS,
           note=f"worst {save_worst:.1f} ms")
    print(f"\n{args.runs} paired runs each, offscreen, {os.cpu_count()} CPUs, "
          f"load average {load:.1f} at the start")
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")
    for label, (bare, app, ratios, _to_labelled) in results.items():
        print(f"\n{label}, all runs (s): bare " + " ".join(f"{b[0]:.3f}" for b in bare)
              + " | app " + " ".join(f"{a[0]:.3f}" for a in app)
              + " | ratios " + " ".join(f"{r:.2f}" for r in ratios))
    return 0


def make_demo(data_dir: pathlib.Path, today: datetime.date) -> None:
    """The demo recovery (``recoverydesk demo``), ending today."""
    from recoverydesk.demo import fill_demo
    from recoverydesk.storage.store import Store

    store = Store.open(data_dir)
    fill_demo(store, today)
    store.close()


def _ok(good: bool) -> str:
    return "ok" if good else "MISSED"


if __name__ == "__main__":
    raise SystemExit(main())
