"""Kill -9 at random moments: the file stays sound and every acknowledged save survives (§8).

A child process (killer_child.py) saves entries through ``Store.save_day`` in a loop and says
``ACK`` after each commit. The parent kills it with SIGKILL a random time after it is ready,
then checks the file with ``PRAGMA integrity_check`` and compares every entry: each day holds
exactly its last acknowledged values, except the one save in flight, which may have landed
whole or not at all (never half: the day and its activities are one transaction). The child
reuses the data folder, so later rounds also kill on top of earlier recoveries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pathlib
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.storage.backup import inspect_backup, list_backups
from recoverydesk.storage.recovery import open_store
from recoverydesk.storage.store import DB_NAME

from .killer_child import entry

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

CHILD = pathlib.Path(__file__).with_name("killer_child.py")
ROOT = pathlib.Path(__file__).resolve().parents[2]
KILLS = 50
MAX_DELAY_S = 0.25
SEED = 20261120

Entry = tuple[DayLog, tuple[Activity, ...]]


def comparable(log: DayLog | None, acts: list[Activity]) -> Entry | None:
    """An entry as stored, activities without their row ids and in a stable order."""
    if log is None:
        return None
    bare = tuple(sorted((Activity(**{**{f: getattr(a, f) for f in a.__slots__}, "id": None})
                         for a in acts), key=repr))
    return log, bare


def expected_entry(record: dict[str, Any]) -> Entry:
    log, acts = entry(record)
    found = comparable(log, acts)
    assert found is not None
    return found


class Children:
    """Children started ahead of time, each waiting with its imports done for ``GO``."""

    AHEAD = 2

    def __init__(self, data: pathlib.Path) -> None:
        self._data = data
        self._waiting: list[subprocess.Popen[bytes]] = []

    def _spawn(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self._waiting.append(subprocess.Popen(
            [sys.executable, str(CHILD), str(self._data)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT))

    def next(self) -> subprocess.Popen[bytes]:
        while len(self._waiting) < self.AHEAD + 1:
            self._spawn()
        return self._waiting.pop(0)

    def close(self) -> None:
        for proc in self._waiting:
            assert proc.stdin is not None
            proc.stdin.close()  # EOF: it exits without touching the data
            proc.wait()
            for stream in (proc.stdout, proc.stderr):
                assert stream is not None
                stream.close()
        self._waiting.clear()


def run_once(children: Children, first_day: int, seed: int, delay: float) -> list[str]:
    """Let a child go, kill it ``delay`` seconds after READY, return every whole line."""
    proc = children.next()
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(f"GO {first_day} {seed}\n".encode())
    proc.stdin.close()
    ready = proc.stdout.readline()
    if ready != b"READY\n":
        proc.kill()
        proc.wait()
        pytest.fail(f"child did not start: {ready!r} {proc.stderr.read().decode()}")
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    errors = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"child ended by itself: {errors}"
    text = b"".join(chunks).decode()
    lines = text.split("\n")
    return lines[:-1]  # the last piece is "" or a line cut short by the kill: not whole


@dataclasses.dataclass
class Totals:
    kills: int = 0
    acked: int = 0
    in_flight_landed: int = 0
    in_flight_absent: int = 0
    comparisons: int = 0
    backups: set[pathlib.Path] = dataclasses.field(default_factory=set)


def check_round(data: pathlib.Path, lines: list[str], expected: dict[dt.date, Entry],
                totals: Totals) -> int:
    """Check the file after one kill against what the child acknowledged; next free day."""
    next_day = 0
    in_flight: Entry | None = None
    for line in lines:
        kind, _, payload = line.partition(" ")
        if kind not in ("BEGIN", "ACK"):
            continue
        record = json.loads(payload)
        next_day = max(next_day, record["day"] + 1)
        value = expected_entry(record)
        if kind == "BEGIN":
            in_flight = value
        else:
            assert in_flight == value
            expected[value[0].day] = value
            totals.acked += 1
            in_flight = None

    # the file itself: sound, as SQLite sees it after recovering its WAL
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    # the app opens it as usual (no DamagedDatabase) and finds every acknowledged entry
    store = open_store(data)
    logs = {log.day: log for log in store.day_logs()}
    acts: dict[dt.date, list[Activity]] = {}
    for act in store.activities():
        acts.setdefault(act.day, []).append(act)
    store.close()
    assert set(acts) <= set(logs), "activities without their day: a half-written save"
    stored = {day: comparable(log, acts.get(day, [])) for day, log in logs.items()}
    if in_flight is not None:
        day = in_flight[0].day
        if stored.get(day) == in_flight:
            expected[day] = in_flight  # the save in flight committed just before the kill
            totals.in_flight_landed += 1
        else:
            totals.in_flight_absent += 1  # and then the day holds its previous values
    assert stored == expected
    totals.comparisons += len(expected)

    # a kill during a backup never leaves a broken copy under a backup's name
    for info in list_backups(data, check=False):
        if info.path not in totals.backups:
            assert inspect_backup(info).readable, f"{info.path.name} is not a sound copy"
            totals.backups.add(info.path)
    totals.kills += 1
    return next_day


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: pathlib.Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(SEED)
    expected: dict[dt.date, Entry] = {}
    totals = Totals()
    next_day = 0
    started = time.monotonic()
    children = Children(data)
    try:
        for _ in range(KILLS):
            lines = run_once(children, next_day, rng.randrange(1 << 30),
                             rng.uniform(0, MAX_DELAY_S))
            next_day = max(next_day, check_round(data, lines, expected, totals))
    finally:
        children.close()

    print(f"\nkill test: {totals.kills} SIGKILLs survived; {totals.acked} acknowledged saves, "
          f"all found with their exact values ({totals.comparisons} entry comparisons); "
          f"the save in flight landed whole {totals.in_flight_landed} times, was absent "
          f"{totals.in_flight_absent} times; {len(totals.backups)} backups checked; "
          f"{len(expected)} days in the file; {time.monotonic() - started:.1f} s")
    assert totals.kills == KILLS
    assert totals.acked >= KILLS  # the kills landed among saves, not only at start-up
