"""Backups on real files: online copies, the daily rule, thinning, listing and restoring."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import shutil
import sqlite3
import stat
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import Activity, DayLog, EpisodeInfo
from recoverydesk.storage.backup import (
    backup_dir,
    backup_now,
    backups_to_keep,
    close_after_daily_backup,
    list_backups,
    maybe_daily_backup,
    prune_backups,
    restore,
)
from recoverydesk.storage.store import DB_NAME, DamagedDatabase, NewerDatabase, Store

TODAY = dt.date(2026, 11, 20)
EVENING = dt.datetime(2026, 11, 20, 21, 30, 5)


def fill(store: Store, days: int, start: dt.date = dt.date(2026, 10, 1), pain: int = 3) -> None:
    """``days`` entries, one walk each: 2 entries a day."""
    for n in range(days):
        day = start + dt.timedelta(days=n)
        store.save_day(DayLog(day, pain, notes=f"day {n}"),
                       [Activity(day, "walk", distance_m=1000.0 + n, duration_s=600.0)],
                       today=TODAY)


def snapshot(store: Store) -> tuple[list[DayLog], list[Activity]]:
    return store.day_logs(), store.activities()


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "data"


@pytest.fixture
def filled(data: pathlib.Path) -> Iterator[Store]:
    store = Store.open(data)
    store.start_episode(EpisodeInfo(dt.date(2026, 10, 1)), today=TODAY)
    fill(store, 10)
    yield store
    store.close()


def test_backup_opens_as_a_store_with_the_same_entries(filled: Store) -> None:
    before = snapshot(filled)
    path = backup_now(filled, now=EVENING)
    assert path.parent == backup_dir(filled.data_dir)
    assert path.name == "recoverydesk-2026-11-20_213005-manual.sqlite"
    # a self-contained file: no -wal to lose, and it opens on its own
    assert path.read_bytes()[18:20] == b"\x01\x01"
    elsewhere = filled.data_dir.parent / "copy"
    elsewhere.mkdir()
    shutil.copy(path, elsewhere / DB_NAME)
    copy = Store.open(elsewhere)
    assert snapshot(copy) == before
    copy.close()


def test_backups_are_private(filled: Store) -> None:
    path = backup_now(filled, now=EVENING)
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_backup_sees_what_is_committed_while_the_store_stays_open(filled: Store) -> None:
    first = backup_now(filled, now=EVENING)
    fill(filled, 3, start=dt.date(2026, 11, 1), pain=5)
    second = backup_now(filled, now=EVENING)
    assert second.name == "recoverydesk-2026-11-20_213005-manual.2.sqlite"
    counts = {b.path: b.entries for b in list_backups(filled.data_dir)}
    assert counts == {first: 20, second: 26}
    assert filled.day_log(dt.date(2026, 11, 3)) is not None  # the store is still usable


def test_daily_backup_is_taken_at_most_once_a_day(filled: Store) -> None:
    made = maybe_daily_backup(filled, now=EVENING)
    assert made is not None and made.name.endswith("-daily.sqlite")
    assert maybe_daily_backup(filled, now=EVENING + dt.timedelta(hours=2)) is None
    tomorrow = maybe_daily_backup(filled, now=EVENING + dt.timedelta(hours=3))
    assert tomorrow is not None and "2026-11-21" in tomorrow.name
    assert len(list_backups(filled.data_dir)) == 2


def test_a_manual_backup_counts_as_the_days_copy(filled: Store) -> None:
    backup_now(filled, now=EVENING)
    assert maybe_daily_backup(filled, now=EVENING + dt.timedelta(minutes=5)) is None


def test_an_empty_file_is_not_backed_up(data: pathlib.Path) -> None:
    store = Store.open(data)
    assert maybe_daily_backup(store, now=EVENING) is None
    assert close_after_daily_backup(store) == (None, None)
    assert list_backups(data) == []


def test_close_takes_the_days_backup_and_closes(filled: Store) -> None:
    made, failure = close_after_daily_backup(filled)
    assert failure is None and made is not None and made.exists()
    assert filled.closed
    assert close_after_daily_backup(filled) == (None, None)  # twice is harmless
    reopened = Store.open(filled.data_dir)
    assert len(reopened.day_logs()) == 10
    assert close_after_daily_backup(reopened) == (None, None)  # today's copy exists already
    assert len(list_backups(filled.data_dir)) == 1


def test_close_still_closes_when_the_backup_cannot_be_made(filled: Store) -> None:
    # a file where the backups folder should be: the copy cannot be written
    backup_dir(filled.data_dir).write_text("not a folder")
    made, failure = close_after_daily_backup(filled)
    assert made is None and filled.closed and failure is not None
    assert "backup" in str(failure)
    reopened = Store.open(filled.data_dir)
    assert len(reopened.day_logs()) == 10
    reopened.close()


def test_list_backups_newest_first_with_entries_and_readability(filled: Store) -> None:
    old = backup_now(filled, now=EVENING - dt.timedelta(days=2))
    fill(filled, 5, start=dt.date(2026, 11, 1))
    new = backup_now(filled, now=EVENING)
    broken = backup_dir(filled.data_dir) / "recoverydesk-2026-11-21_080000-manual.sqlite"
    broken.write_bytes(b"not a database at all" * 100)
    (backup_dir(filled.data_dir) / "notes.txt").write_text("mine, not a backup")
    listed = list_backups(filled.data_dir)
    assert [b.path for b in listed] == [broken, new, old]
    assert [(b.readable, b.entries) for b in listed] == [(False, None), (True, 30), (True, 20)]
    assert listed[1].taken_at == EVENING and listed[1].reason == "manual"
    assert listed[1].describe() == "20 Nov 2026 (30 entries)"


# --- thinning ----------------------------------------------------------------------------------


def make_backup_files(folder: pathlib.Path, moments: list[dt.datetime], reason: str = "daily"
                      ) -> list[pathlib.Path]:
    """Stand-in backup files with the names and mtimes real ones would have."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for moment in moments:
        path = folder / f"recoverydesk-{moment:%Y-%m-%d_%H%M%S}-{reason}.sqlite"
        path.write_bytes(b"")
        stamp = moment.timestamp()
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def test_pruning_keeps_14_daily_and_8_weekly(data: pathlib.Path) -> None:
    # one copy every evening from 1 Jun to 30 Sep 2026, plus two extra copies on some days
    days = [dt.date(2026, 6, 1) + dt.timedelta(days=n) for n in range(122)]
    folder = backup_dir(data)
    make_backup_files(folder, [dt.datetime.combine(d, dt.time(21, 0)) for d in days])
    make_backup_files(folder, [dt.datetime(2026, 9, 10, 8, 0), dt.datetime(2026, 8, 2, 7, 0)],
                      reason="manual")
    extra_today = make_backup_files(folder, [dt.datetime(2026, 9, 30, 9, 0)],
                                    reason="before-restore")
    (folder / "keep-me.txt").write_text("not ours")

    removed = prune_backups(data)

    kept = sorted(p.name for p in folder.iterdir())
    daily = [f"recoverydesk-2026-09-{d:02d}_210000-daily.sqlite" for d in range(17, 31)]
    # the newest copy of each week (Mon–Sun) before 17 Sep, the 8 most recent such weeks
    weekly = [f"recoverydesk-2026-{m:02d}-{d:02d}_210000-daily.sqlite"
              for m, d in ((9, 16), (9, 13), (9, 6), (8, 30), (8, 23), (8, 16), (8, 9), (8, 2))]
    assert kept == sorted([*daily, *weekly, extra_today[0].name, "keep-me.txt"])
    assert len(removed) == 122 + 2 + 1 - 14 - 8 - 1
    # the 10 Sep morning copy lost to that week's newer one; nothing older than 8 weeks stays
    assert not (folder / "recoverydesk-2026-09-10_080000-manual.sqlite").exists()
    assert not any("2026-07" in name or "2026-06" in name for name in kept)


def test_pruning_with_gaps_counts_days_that_have_copies(data: pathlib.Path) -> None:
    # a runner who opens the app twice a week keeps 14 *copies* of days, reaching back further
    moments = [dt.datetime(2026, 1, 5, 20) + dt.timedelta(days=3 * n) for n in range(40)]
    infos = list_backups(data, check=False)
    assert infos == []
    make_backup_files(backup_dir(data), moments)
    kept = backups_to_keep(list_backups(data, check=False))
    assert [k.taken_at for k in kept[:14]] == sorted(moments, reverse=True)[:14]
    weeks = [k.taken_at.isocalendar()[:2] for k in kept[14:]]
    assert len(weeks) == 8 and len(set(weeks)) == 8


def test_a_new_backup_prunes_old_ones(filled: Store) -> None:
    folder = backup_dir(filled.data_dir)
    make_backup_files(folder, [dt.datetime(2026, 1, 1, 21) + dt.timedelta(days=n)
                               for n in range(60)])
    backup_now(filled, now=EVENING)
    assert len(list_backups(filled.data_dir, check=False)) == 14 + 8


# --- restoring ---------------------------------------------------------------------------------


def test_restore_keeps_the_current_file_and_brings_back_the_backup(filled: Store) -> None:
    data = filled.data_dir
    good = backup_now(filled, now=EVENING - dt.timedelta(days=1))
    before = snapshot(filled)
    fill(filled, 4, start=dt.date(2026, 11, 10), pain=7)  # entries made after the backup
    after = snapshot(filled)
    filled.close()

    kept = restore(data, good)

    assert kept is not None and kept.name.endswith("-before-restore.sqlite")
    assert kept.parent == backup_dir(data)
    restored = Store.open(data)
    assert snapshot(restored) == before
    restored.close()
    # the entries made after the backup are safe in the copy taken first
    aside = data.parent / "aside"
    aside.mkdir()
    shutil.copy(kept, aside / DB_NAME)
    previous = Store.open(aside)
    assert snapshot(previous) == after
    previous.close()
    assert stat.S_IMODE(os.stat(data / DB_NAME).st_mode) == 0o600
    wal = data / (DB_NAME + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not [p for p in data.iterdir() if p.name.startswith(".tmp-")]


def test_restore_removes_a_stale_wal_of_the_replaced_file(filled: Store) -> None:
    data = filled.data_dir
    good = backup_now(filled, now=EVENING)
    before = snapshot(filled)
    filled.close()
    # a leftover -wal from some other life of the file must not be replayed onto the backup
    other = data.parent / "other"
    writer = Store.open(other)
    writer.start_episode(EpisodeInfo(dt.date(2026, 1, 1)), today=TODAY)
    fill(writer, 20, start=dt.date(2026, 1, 1), pain=9)
    wal = (other / (DB_NAME + "-wal")).read_bytes()
    writer.close()
    (data / (DB_NAME + "-wal")).write_bytes(wal)

    restore(data, good)

    again = Store.open(data)
    assert snapshot(again) == before
    again.close()


def test_restore_over_a_damaged_file_moves_it_aside(filled: Store) -> None:
    data = filled.data_dir
    good = backup_now(filled, now=EVENING)
    before = snapshot(filled)
    filled.close()
    (data / DB_NAME).write_bytes(b"garbage" * 1000)

    kept = restore(data, good)

    assert kept is not None and ".damaged-" in kept.name
    assert kept.read_bytes() == b"garbage" * 1000
    again = Store.open(data)
    assert snapshot(again) == before
    again.close()


def test_restore_refuses_a_bad_backup_and_changes_nothing(filled: Store) -> None:
    data = filled.data_dir
    filled.close()
    before = (data / DB_NAME).read_bytes()
    bad = backup_dir(data) / "recoverydesk-2026-11-20_090000-manual.sqlite"
    bad.parent.mkdir(mode=0o700)
    bad.write_bytes(b"x" * 4096)
    with pytest.raises(DamagedDatabase, match="not changed"):
        restore(data, bad)
    newer = backup_dir(data) / "recoverydesk-2026-11-20_100000-manual.sqlite"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(NewerDatabase, match="not changed"):
        restore(data, newer)
    assert (data / DB_NAME).read_bytes() == before
    assert len(list_backups(data)) == 2  # no safety copy was needed
