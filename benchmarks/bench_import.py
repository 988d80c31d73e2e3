"""Import 100 FIT files through the window's importer and watch the GUI thread (DESIGN.md §10).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_import.py
[--count N] [--sample NAME ...] [--progress]``.

Each FIT file is a real watch recording from ``../shared/samples/activities`` with its
header's profile-version field set to the file's number and both CRCs worked out again, so
every copy is a valid, different file (its own SHA-256) that decodes to the same activity.
They are imported through ``recoverydesk.gui.importer.import_files`` with a real main window
shown offscreen (Today view), exactly as a drop on the window would. A ``QTimer`` ticking
every 5 ms on the GUI thread records the largest gap between ticks: the longest time the GUI
could not answer. Target: never blocked more than 50 ms; throughput is reported.

The episode runs from two weeks before the sample's date to a month after it (a fixed
"today"), as for a runner importing recent watch files; the reload at the end then costs what
any reload of a short episode costs.

A second pass imports the same files again ("already imported", answered from the hash).
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import struct
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fitdecode.utils import compute_crc  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from results import record  # noqa: E402

from recoverydesk.core.model import EpisodeInfo  # noqa: E402
from recoverydesk.interchange.activity_files import read_activity_file  # noqa: E402
from recoverydesk.storage.store import Store  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples" / "activities"
DEFAULT_SAMPLES = ("garmin-fenix-5-run.fit", "garmin-fr935-cr.fit")
TICK_MS = 5
TARGET_MS = 50.0


def variant(data: bytes, number: int) -> bytes:
    """``data`` (a FIT file) with profile version ``number`` and valid CRCs again."""
    header_size = data[0]
    body_end = len(data) - 2
    out = bytearray(data[:body_end])
    struct.pack_into("<H", out, 2, number & 0xFFFF)
    if header_size >= 14 and struct.unpack_from("<H", out, 12)[0] != 0:
        struct.pack_into("<H", out, 12, compute_crc(bytes(out[:12])))
    return bytes(out) + struct.pack("<H", compute_crc(bytes(out)))


def make_files(sample: pathlib.Path, folder: pathlib.Path, count: int) -> list[pathlib.Path]:
    data = sample.read_bytes()
    paths = []
    for i in range(count):
        path = folder / f"{sample.stem}-{i:03d}.fit"
        path.write_bytes(variant(data, 1000 + i))
        paths.append(path)
    return paths


class GapWatch:
    """The largest gap between 5 ms ticks on the GUI thread, while running."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0
        self.worst = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.clock.start()
        self.last = self.clock.nsecsElapsed()
        self.worst = 0.0
        self.ticks = 0
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.worst = max(self.worst, (now - self.last) / 1e6)
        self.last = now
        self.ticks += 1


def run(app: QApplication, window, paths: list[pathlib.Path],
        progress: bool) -> tuple[float, float, object]:
    from recoverydesk.gui import importer

    jobs: list[object] = []
    watch = GapWatch()
    watch.start()
    t0 = time.perf_counter()
    job = importer.import_files(window, window.session, paths,
                                show_summary=lambda w, j: jobs.append(j), progress=progress)
    assert job is not None
    while not jobs:
        app.processEvents()
        time.sleep(0.0005)
    elapsed = time.perf_counter() - t0
    # Keep ticking briefly: the reload's repaint happens after the summary call.
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)
    watch.stop()
    job.wait()
    return elapsed, watch.worst, job


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--sample", action="append", default=None,
                        help=f"sample FIT file name (default: {', '.join(DEFAULT_SAMPLES)})")
    parser.add_argument("--progress", action="store_true",
                        help="show the progress dialog (offscreen) as the window does")
    args = parser.parse_args()
    samples = [SAMPLES / name for name in (args.sample or DEFAULT_SAMPLES)]
    missing = [s.name for s in samples if not s.is_file()]
    if missing:
        print(f"skipped: sample files absent under {SAMPLES}: {', '.join(missing)}")
        return 0

    from recoverydesk.app import build_main_window

    app = QApplication.instance() or QApplication([])
    print(f"{'sample':<28}{'files':>6}{'size':>9}{'pass':>9}{'total':>9}{'files/s':>9}"
          f"{'worst GUI gap':>15}{'target':>8}")
    for sample in samples:
        with tempfile.TemporaryDirectory(prefix="rd-bench-import-") as tmp:
            folder = pathlib.Path(tmp)
            (folder / "files").mkdir()
            paths = make_files(sample, folder / "files", args.count)
            # A runner imports recent watch files into a weeks-old episode: put "today" a
            # month after the sample's date, the episode's start two weeks before it.
            day = read_activity_file(sample, datetime.date.today()).activities[0].day
            today = day + datetime.timedelta(days=30)
            store = Store.open(folder / "data")
            store.start_episode(EpisodeInfo(day - datetime.timedelta(days=14)), today=today)
            window = build_main_window(store, today, remember=False)
            window.resize(1100, 750)
            window.show()
            app.processEvents()
            for label in ("first", "again"):
                elapsed, worst, job = run(app, window, paths, args.progress)
                done = job.count("imported") if label == "first" else job.count("already")
                assert done == len(paths), (label, [r.line for r in job.results][:3])
                verdict = "ok" if worst <= TARGET_MS else "OVER"
                if label == "first":
                    record(f"import {len(paths)} FIT files ({sample.stem}): GUI stall", worst,
                           "ms", f"≤ {TARGET_MS:g} ms", worst <= TARGET_MS,
                           note=f"{len(paths) / elapsed:.1f} files/s")
                print(f"{sample.name[:27]:<28}{len(paths):>6}"
                      f"{sample.stat().st_size / 1024:>7.0f}kB{label:>9}{elapsed:>8.2f}s"
                      f"{len(paths) / elapsed:>9.1f}{worst:>12.1f} ms{TARGET_MS:>6.0f}ms  "
                      f"{verdict}")
            assert store.counts()["activities"] == len(paths)
            window.close()
            window.deleteLater()
            app.processEvents()
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
