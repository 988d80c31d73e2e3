"""Where start-up time goes, step by step inside the process (docs/performance.md).

Run: ``.venv/bin/python benchmarks/startup_steps.py [--runs 15] [DATA_DIR]``. Without a data
folder it fills a temporary one with the demo recovery and another with the 10-year history
of ``bench_startup.make_history``. Each run is a fresh offscreen process that starts the way
``recoverydesk`` does (the first frame's child forked first, ``recoverydesk/first_frame.py``)
and marks the time after each step up to Today's first paint, then after the data file is
opened and Today shown from it; the table gives each step's median over the runs. "Ours" is
everything after ``import PySide6.QtWidgets`` up to the first paint, which the bare window
pays too.

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

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

_CHILD = """
import time
began = time.perf_counter()
marks = []
def mark(step):
    marks.append((step, time.perf_counter()))
import pathlib, sys
data_dir = pathlib.Path(sys.argv[1])
from recoverydesk import first_frame
pending = first_frame.start(data_dir)
mark("fork the first frame's child")
import PySide6.QtWidgets
mark("import PySide6.QtWidgets")
from recoverydesk.app import after_first_paint, application, open_with_messages
from recoverydesk.gui.mainwindow import MainWindow
from recoverydesk.gui.session import Session
mark("import recoverydesk.app")
app = application()
mark("QApplication, icon, style")
window = MainWindow(Session(None), settings_path=None)
mark("the window's chrome")
frame = pending.result()
assert frame is not None, "no first frame"
mark("wait for the child")
window.set_demo(frame["demo"])
window.use_first_face(frame["face"])
window.restore_state()
mark("Today built from the face")
def report():
    mark("first paint")
    window.session.open(open_with_messages(data_dir))
    app.processEvents()
    mark("data file open, Today from it")
    before = began
    for step, at in marks:
        print(f"{step}\t{(at - before) * 1000:.2f}")
        before = at
    window.session.close()
    app.quit()
after_first_paint(window, report)
window.show()
mark("show")
app.exec()
"""

_AFTER_PAINT = "data file open, Today from it"


def steps(data_dir: pathlib.Path, runs: int) -> dict[str, list[float]]:
    """Each step's milliseconds over ``runs`` fresh processes."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    times: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(data_dir)], env=env,
                             capture_output=True, text=True, check=True, timeout=60).stdout
        total = 0.0
        for line in out.splitlines():
            step, ms = line.split("\t")
            times[step].append(float(ms))
            if step != _AFTER_PAINT:
                total += float(ms)
        times["total to the first paint"].append(total)
        times["ours (after PySide6.QtWidgets)"].append(
            total - times["import PySide6.QtWidgets"][-1])
    return times


def show(label: str, times: dict[str, list[float]]) -> None:
    print(f"\n{label}: median ms over {len(times['total to the first paint'])} runs (load average "
          f"{os.getloadavg()[0]:.1f})")
    for step, values in times.items():
        figure = statistics.median(values)
        print(f"  {step:<34}{figure:8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("data_dir", nargs="?", type=pathlib.Path)
    args = parser.parse_args()
    if args.data_dir is not None:
        show(str(args.data_dir), steps(args.data_dir, args.runs))
        return 0
    from bench_startup import make_demo, make_history

    today = datetime.date.today()
    with tempfile.TemporaryDirectory(prefix="rd-steps-") as tmp:
        demo, years = pathlib.Path(tmp) / "demo", pathlib.Path(tmp) / "years"
        make_demo(demo, today)
        make_history(years, today)
        show("demo", steps(demo, args.runs))
        show("10 years", steps(years, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
