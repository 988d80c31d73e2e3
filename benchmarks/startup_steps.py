"""Where start-up time goes, step by step inside the process (docs/performance.md).

Run: ``.venv/bin/python benchmarks/startup_steps.py [--runs 15] [DATA_DIR]``. Without a data
folder it fills a temporary one with the demo recovery and another with the 10-year history
of ``bench_startup.make_history``. Each run is a fresh offscreen process that marks the time
after each step up to Today's first paint; the table gives each step's median over the runs.
"Ours" is everything after ``import PySide6.QtWidgets``, which the bare window pays too.

``--floor`` measures what start-up would cost if the first frame needed none of our Qt-free
core and none of the runner's data: each child imports the Session (and with it the core), opens
the store and works out today's answers in a stretch its clock leaves out, then builds and
paints the window as usual. Run in
turn with bare windows, it gives the start-up ratio that is left for the widgets alone (an upper
bound: what the cards still read from the store is counted). That is the most a first frame
painted from a saved summary of Today could reach (docs/performance.md).

Not part of ``make bench`` (``bench_startup.py`` gives the paired ratio): this is the tool to
find what to cut next.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

_START = """
import time
began = time.perf_counter()
marks = []
def mark(step):
    marks.append((step, time.perf_counter()))
import pathlib, sys
import PySide6.QtWidgets
mark("import PySide6.QtWidgets")
"""

_PAINT = """
def report():
    mark("first paint")
    before = began
    for step, at in marks:
        print(f"{step}\\t{(at - before) * 1000:.2f}")
        before = at
    print(f"painted at\\t{time.time()}")
    app.quit()
after_first_paint(window, report)
window.show()
mark("show")
app.exec()
"""

_CHILD = _START + """
from recoverydesk.app import after_first_paint, application, build_main_window
from recoverydesk.storage.recovery import open_store
mark("import recoverydesk.app")
app = application()
mark("QApplication, icon, style")
store = open_store(pathlib.Path(sys.argv[1]))
mark("open the store")
window = build_main_window(store, remember=False)
mark("build the window and Today")
""" + _PAINT

# --floor: the core imported, the store opened and today's answers worked out in a stretch
# that the clock leaves out; then the window is built and painted as usual.
_CHILD_FLOOR = _START + """
from recoverydesk.storage.recovery import open_store
from recoverydesk.gui.session import Session
store = open_store(pathlib.Path(sys.argv[1]))
session = Session(store)
status = session.status()
if status is not None:
    status.reasons, status.cautions, status.notices, status.guide, status.offer_recovered
session.timeline(), session.rules, session.units, session.content
mark("prepared, not counted")
from recoverydesk.app import after_first_paint, application
from recoverydesk.gui.mainwindow import MainWindow
mark("import recoverydesk.app")
app = application()
mark("QApplication, icon, style")
window = MainWindow(session, settings_path=None, demo=bool(store.setting("demo", False)))
window.restore_state()
mark("build the window and Today")
""" + _PAINT


_NOT_STEPS = ("prepared, not counted", "painted at")


def steps(data_dir: pathlib.Path, runs: int, *, floor: bool = False) -> dict[str, list[float]]:
    """Each step's milliseconds over ``runs`` fresh processes.

    With ``floor``, each run is paired with a bare window started just before it, and
    "ratio to the bare window" is the pair's ratio of wall times, leaving out the stretch
    the floor's child did not count.
    """
    from bench_startup import _CHILD_BARE, run_child

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    times: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(runs):
        bare = run_child(_CHILD_BARE)[0] if floor else 0.0
        started = time.time()
        out = subprocess.run([sys.executable, "-c", _CHILD_FLOOR if floor else _CHILD,
                              str(data_dir)], env=env, capture_output=True, text=True,
                             check=True, timeout=60).stdout
        got = dict(line.split("\t") for line in out.splitlines())
        total = 0.0
        for step, ms in got.items():
            if step not in _NOT_STEPS:
                times[step].append(float(ms))
                total += float(ms)
        times["total"].append(total)
        qt = times["import PySide6.QtWidgets"][-1]
        times["ours (after PySide6.QtWidgets)"].append(total - qt)
        if floor:
            wall = float(got["painted at"]) - started - float(got[_NOT_STEPS[0]]) / 1000
            times["ratio to the bare window"].append(wall / bare)
    return times


def show(label: str, times: dict[str, list[float]]) -> None:
    print(f"\n{label}: median ms over {len(times['total'])} runs (load average "
          f"{os.getloadavg()[0]:.1f})")
    for step, values in times.items():
        figure = statistics.median(values)
        print(f"  {step:<34}" + (f"{figure:8.2f}" if step.startswith("ratio") else
                                 f"{figure:8.1f}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--floor", action="store_true",
                        help="leave out the core, the store and today's answers (see above)")
    parser.add_argument("data_dir", nargs="?", type=pathlib.Path)
    args = parser.parse_args()
    if args.data_dir is not None:
        show(str(args.data_dir), steps(args.data_dir, args.runs, floor=args.floor))
        return 0
    from bench_startup import make_demo, make_history

    today = datetime.date.today()
    with tempfile.TemporaryDirectory(prefix="rd-steps-") as tmp:
        demo, years = pathlib.Path(tmp) / "demo", pathlib.Path(tmp) / "years"
        make_demo(demo, today)
        make_history(years, today)
        show("demo", steps(demo, args.runs, floor=args.floor))
        show("10 years", steps(years, args.runs, floor=args.floor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
