"""Time the save → reload → replay path over a 10-year history in a real store (DESIGN.md §10).

Run: ``.venv/bin/python benchmarks/bench_store.py [--runs N] [--dir FOLDER]``.

Builds a synthetic 10-year episode (3,650 daily entries, about 2,500 activities, a few red
flags with clearances, and advances) in a real SQLite store in a temporary folder, then takes
the median of ``--runs`` timings of:

- saving one day's entry (one transaction, ``synchronous=FULL``: it waits for the disk);
- ``Store.load_episode`` (every log, activity and action of the episode), and the bare SQLite
  fetch of the same rows, to show how much of it is building Python objects;
- ``engine.replay`` over the whole episode (target ≤ 20 ms);
- the three together (the naive path), and what the window's Session really does after
  "Save": re-read the saved day into its cached episode and replay only from that day
  (target ≤ 16 ms, one frame).

The temporary folder decides what the disk costs: pass ``--dir`` to measure on the disk the
data folder really lives on (``/tmp`` is often a RAM disk).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recoverydesk.core.engine import replay  # noqa: E402
from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo  # noqa: E402
from recoverydesk.storage.recovery import open_store  # noqa: E402
from recoverydesk.storage.store import Store  # noqa: E402

DAYS = 3650
SAVE_TARGET_MS = 16.0
REPLAY_TARGET_MS = 20.0


def build_history(store: Store, today: datetime.date, seed: int = 2026) -> tuple[int, int]:
    """Write 10 years of diary ending yesterday into ``store``, in one transaction."""
    rng = random.Random(seed)
    start = today - datetime.timedelta(days=DAYS)
    store.start_episode(EpisodeInfo(start, "km", 30_000.0), today=today)
    pain = 6.0
    n_acts = 0
    with store.transaction():
        for i in range(DAYS):
            day = start + datetime.timedelta(days=i)
            pain = max(0.5, pain * 0.93) if rng.random() > 0.003 else 6.0
            score = min(10, max(0, round(pain + rng.gauss(0, 0.3))))
            flags = frozenset({"numbness"}) if rng.random() < 0.001 else frozenset()
            acts = []
            if rng.random() < 0.68:
                kind = rng.choices(("run", "walk", "cycle", "swim"), (6, 2, 1, 1))[0]
                acts.append(Activity(day, kind, round(rng.uniform(2_000, 14_000), 1),
                                     round(rng.uniform(900, 4_500), 1)))
            n_acts += len(acts)
            store.save_day(DayLog(day, score, pain_morning=score, red_flags=flags,
                                  sleep_hours=7.5, notes="synthetic"), acts, today=today)
            if flags:
                clear = day + datetime.timedelta(days=2)
                store.add_action(Action(clear, "clearance", "seen by GP, cleared"),
                                 today=today)
            elif i in (6, 12, 21, 30):
                store.add_action(Action(day, "advance"), today=today)
    return DAYS, n_acts


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches, as a second save in the window would be
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None,
                        help="folder for the temporary store (default: the system temp dir)")
    args = parser.parse_args()
    today = datetime.date.today()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        store = open_store(Path(folder) / "data")
        t0 = time.perf_counter()
        n_days, n_acts = build_history(store, today)
        built_s = time.perf_counter() - t0
        rules = store.rules()
        counter = iter(range(10**9))

        def save() -> None:
            store.save_day(DayLog(today, next(counter) % 11, pain_morning=3,
                                  notes="today's entry"), today=today)

        def load() -> object:
            return store.load_episode()

        episode = store.load_episode()
        assert episode is not None

        def raw_rows() -> object:
            db = store.db
            return (db.execute("SELECT * FROM day_logs").fetchall(),
                    db.execute("SELECT * FROM activities ORDER BY day, start_time, id")
                    .fetchall(),
                    db.execute("SELECT * FROM actions").fetchall())

        def run_replay() -> object:
            return replay(episode, rules, today)

        def full_path() -> object:
            save()
            loaded = store.load_episode()
            assert loaded is not None
            return replay(loaded, rules, today)

        def window_path() -> object:
            """What the window does: re-read the saved day, replay the episode (Session)."""
            save()
            logs = dict(episode.logs)
            log = store.day_log(today)
            assert log is not None
            logs[today] = log
            patched = dataclasses.replace(episode, logs=logs, actions=store.actions(episode.info))
            return replay(patched, rules, today)

        figures = [
            ("save one day (1 transaction, fsync)", median_ms(save, args.runs), None),
            ("load_episode (10 years)", median_ms(load, args.runs), None),
            ("  of which SQLite rows alone (no objects)", median_ms(raw_rows, args.runs), None),
            ("replay (10 years)", median_ms(run_replay, args.runs), REPLAY_TARGET_MS),
            ("save + load_episode + full replay", median_ms(full_path, args.runs), None),
            ("save + re-read the day + replay from it", median_ms(window_path, args.runs),
             SAVE_TARGET_MS),
        ]
        fs = os.statvfs(folder)
        store.close()
    print(f"10-year store: {n_days:,} daily entries, {n_acts:,} activities "
          f"(built in {built_s:.1f} s); median of {args.runs} runs; store in {folder} "
          f"(block size {fs.f_bsize})")
    print(f"{'measure':<40} {'median ms':>10} {'target ms':>10}  verdict")
    for name, value, target in figures:
        verdict = "" if target is None else ("ok" if value <= target else "MISSED")
        shown = "" if target is None else f"{target:.0f}"
        print(f"{name:<40} {value:>10.2f} {shown:>10}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
