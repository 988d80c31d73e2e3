"""Where start-up time goes, step by step inside the process (docs/performance.md).

Run: ``.venv/bin/python benchmarks/startup_steps.py [--runs 15] [DATA_DIR]``. Without a data
folder it fills a temporary one with the demo recovery and another with the 10-year history
of ``bench_startup.make_history``. Each run is a fresh offscreen process that marks the time
after each step up to Today's first paint; the table gives each step's median over the runs.
"Ours" is everything after ``import PySide6.QtWidgets``, which the bare window pays too.

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
import PySide6.QtWidgets
mark("import PySide6.QtWidgets")
from recoverydesk.app import after_first_paint, application, build_main_window
from recoverydesk.storage.recovery import open_store
mark("import recoverydesk.app")
app = application()
mark("QApplication, icon, style")
store = open_store(pathlib.Path(sys.argv[1]))
mark("open the store")
window = build_main_window(store, remember=False)
mark("build the window and Today")
def report():
    mark("first paint")
    before = began
    for step, at in marks:
        print(f"{step}\\t{(at - before) * 1000:.2f}")
        before = at
    app.quit()
after_first_paint(window, report)
window.show()
mark("show")
app.exec()
"""


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
            total += float(ms)
        times["total"].append(total)
        qt = times["import PySide6.QtWidgets"][-1]
        times["ours (after PySide6.QtWidgets)"].append(total - qt)
    return times


def show(label: str, times: dict[str, list[float]]) -> None:
    print(f"\n{label}: median ms over {len(times['total'])} runs (load average "
          f"{os.getloadavg()[0]:.1f})")
    for step, values in times.items():
        print(f"  {step:<34}{statistics.median(values):8.1f}")


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
