"""The process test_kill.py kills: saves day entries in a loop until SIGKILL arrives.

Usage: ``python killer_child.py DATA_DIR``, then a line ``GO FIRST_DAY SEED`` on stdin.

Python and sqlite-utils take most of a second to import, so the parent starts children ahead
and lets each wait for ``GO`` with its imports done (EOF instead of ``GO``: exit quietly).
After ``GO`` the child opens the data through ``open_store`` (as the app does), prints
``READY``, then for ever:
picks a new day (``FIRST_DAY`` + k days after 2000-01-01) or rewrites one it saved earlier in
this run, prints ``BEGIN <json>``, calls ``Store.save_day`` (one transaction), and prints
``ACK <json>`` once it returned, i.e. once the entry is committed. Every line is flushed and
short (well under PIPE_BUF), so it reaches the parent whole or not at all. Every 10th write it
also takes a backup, so some kills land in the middle of one.

The JSON holds everything needed to rebuild the exact DayLog and activities (``entry``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from typing import Any

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.storage.backup import backup_now
from recoverydesk.storage.recovery import open_store

EPOCH = dt.date(2000, 1, 1)
TODAY = dt.date(2099, 12, 31)  # validation needs a "today"; every test date is before it


def entry(record: dict[str, Any]) -> tuple[DayLog, list[Activity]]:
    """The DayLog and activities a BEGIN/ACK record stands for (shared with the parent)."""
    day = EPOCH + dt.timedelta(days=record["day"])
    log = DayLog(day, record["pain"], pain_activity=record["pain_activity"],
                 pain_morning=record["pain_morning"], sleep_hours=record["sleep"],
                 notes=f"seed {record['seed']} write {record['n']} " + "." * record["note_len"])
    acts = [Activity(day, kind, distance_m=distance, duration_s=duration, pain=pain)
            for kind, distance, duration, pain in record["acts"]]
    return log, acts


def main(data_dir: str, first_day: int, seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(data_dir)  # type: ignore[arg-type]
    assert store.db is not None  # load sqlite-utils now: the kills should land among saves
    print("READY", flush=True)
    mine: list[int] = []
    next_day = first_day
    n = 0
    while True:
        if mine and rng.random() < 0.25:
            day = rng.choice(mine)  # an edit of an entry already acknowledged
        else:
            day = next_day
            next_day += 1
        record = {
            "seed": seed, "n": n, "day": day, "pain": rng.randint(0, 10),
            "pain_activity": rng.choice([None, rng.randint(0, 10)]),
            "pain_morning": rng.choice([None, rng.randint(0, 10)]),
            "sleep": rng.choice([None, round(rng.uniform(3, 10), 2)]),
            # long notes spill into overflow pages: one entry spans several pages
            "note_len": rng.choice([0, 40, 1500, 6000]),
            "acts": [(rng.choice(["walk", "run", "swim", "cycle"]),
                      round(rng.uniform(0, 40_000), 1), round(rng.uniform(60, 9000), 1),
                      rng.choice([None, rng.randint(0, 10)]))
                     for _ in range(rng.randint(0, 3))],
        }
        log, acts = entry(record)
        line = json.dumps(record, separators=(",", ":"))
        print("BEGIN " + line, flush=True)
        store.save_day(log, acts, replace_activities=True, today=TODAY)
        print("ACK " + line, flush=True)
        if day not in mine:
            mine.append(day)
        n += 1
        if n % 10 == 0:
            # a distinct (synthetic) day per copy, so the keeping rule thins them as it would
            backup_now(store, reason="kill-test",
                       now=dt.datetime.combine(EPOCH, dt.time(12)) + dt.timedelta(days=day))


if __name__ == "__main__":
    import sqlite_utils  # noqa: F401  (imported now, while waiting, rather than after GO)

    order = sys.stdin.readline().split()
    if order and order[0] == "GO":
        main(sys.argv[1], int(order[1]), int(order[2]))
