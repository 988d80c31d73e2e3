"""open_store on real damaged, newer, locked, read-only and full files (DESIGN.md §8)."""

from __future__ import annotations

import datetime as dt
import pathlib
import random
import sqlite3
from collections.abc import Callable

import pytest

from recoverydesk.core.model import Activity, DayLog, EpisodeInfo
from recoverydesk.storage.backup import backup_dir, backup_now, list_backups, restore
from recoverydesk.storage.recovery import open_store, restore_newest
from recoverydesk.storage.store import (
    DB_NAME,
    SCHEMA_VERSION,
    DamagedDatabase,
    NewerDatabase,
    Store,
    StoreError,
    StoreUnavailable,
)

TODAY = dt.date(2026, 11, 25)
BACKED_UP = dt.datetime(2026, 11, 20, 21, 30, 5)
PAGE = 4096


def fill(store: Store, days: int, start: dt.date, pain: int) -> None:
    """``days`` entries with a run each and a note long enough to spread over many pages."""
    for n in range(days):
        day = start + dt.timedelta(days=n)
        store.save_day(DayLog(day, pain, pain_morning=(n % 5), notes=f"day {n} " + "x" * 300),
                       [Activity(day, "run", distance_m=2000.0 + n, duration_s=900.0 + n)],
                       today=TODAY)


def contents(store: Store) -> tuple[list[DayLog], list[Activity]]:
    return store.day_logs(), store.activities()


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    """A data folder with a good backup of 143 entries, then more entries after it, closed."""
    folder = tmp_path / "data"
    store = Store.open(folder)
    store.start_episode(EpisodeInfo(dt.date(2026, 1, 1)), today=TODAY)
    fill(store, 71, dt.date(2026, 1, 1), pain=3)
    store.save_day(DayLog(dt.date(2026, 3, 31), 2), today=TODAY)  # 71 * 2 + 1 = 143 entries
    backup_now(store, now=BACKED_UP)
    fill(store, 60, dt.date(2026, 6, 1), pain=4)
    store.close()
    assert not (folder / (DB_NAME + "-wal")).exists()  # checkpointed: the file stands alone
    return folder


def backed_up_contents(data: pathlib.Path) -> tuple[list[DayLog], list[Activity]]:
    (good,) = list_backups(data)
    copy = data.parent / "peek"
    copy.mkdir()
    (copy / DB_NAME).write_bytes(good.path.read_bytes())
    store = Store.open(copy)
    try:
        return contents(store)
    finally:
        store.close()


def random_page(path: pathlib.Path) -> None:
    """Random bytes over one whole page in the middle of the file."""
    pages = path.stat().st_size // PAGE
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * PAGE)
        handle.write(random.Random(7).randbytes(PAGE))


def truncate_half(path: pathlib.Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def not_sqlite(path: pathlib.Path) -> None:
    path.write_text("date,pain\n2026-11-01,3\n" * 500, encoding="utf-8")


def zeroed_header(path: pathlib.Path) -> None:
    with path.open("r+b") as handle:
        handle.write(bytes(100))


DAMAGES: dict[str, Callable[[pathlib.Path], None]] = {
    "random bytes in a page": random_page,
    "truncated to half": truncate_half,
    "not SQLite (text)": not_sqlite,
    "zeroed header": zeroed_header,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_file_is_set_aside_untouched_and_the_newest_good_backup_offered(
        data: pathlib.Path, damage: str) -> None:
    expected = backed_up_contents(data)
    # a newer backup that is itself broken must be passed over
    (backup_dir(data) / "recoverydesk-2026-11-22_080000-manual.sqlite").write_bytes(b"\0" * 8192)
    live = data / DB_NAME
    DAMAGES[damage](live)
    damaged_bytes = live.read_bytes()

    with pytest.raises(DamagedDatabase) as caught:
        open_store(data)

    error = caught.value
    assert error.moved_to is not None and error.moved_to.parent == data
    assert error.moved_to.name.startswith(DB_NAME + ".damaged-")
    assert error.moved_to.read_bytes() == damaged_bytes
    assert not live.exists()
    assert not (data / (DB_NAME + "-wal")).exists()
    assert error.newest_backup is not None
    assert error.newest_backup.taken_at == BACKED_UP and error.newest_backup.entries == 143
    message = str(error)
    assert f"set aside as {error.moved_to.name}" in message
    assert "The newest good backup is from 20 Nov 2026 (143 entries)" in message
    assert "File → Restore from backup…" in message

    assert restore(data, error.newest_backup.path) is None  # nothing was left to keep
    store = open_store(data)
    assert contents(store) == expected
    store.save_day(DayLog(dt.date(2026, 11, 24), 1), today=TODAY)  # and it works as usual
    store.close()
    assert error.moved_to.read_bytes() == damaged_bytes  # still there, still untouched


def test_damaged_file_moves_with_its_wal_and_shm(data: pathlib.Path) -> None:
    # committed entries still in the -wal when the main file is hit
    store = Store.open(data)
    conn = sqlite3.connect(data / DB_NAME)  # a reader keeps the WAL from being checkpointed
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM day_logs").fetchone()
    store.save_day(DayLog(dt.date(2026, 11, 23), 5), today=TODAY)
    conn.rollback()
    wal, shm = data / (DB_NAME + "-wal"), data / (DB_NAME + "-shm")
    # copy the three files as they are on disk, as if the machine had stopped right here
    frozen = {p.name: p.read_bytes() for p in (data / DB_NAME, wal, shm)}
    store.close()
    conn.close()
    for name, body in frozen.items():
        (data / name).write_bytes(body)
    random_page(data / DB_NAME)
    damaged = {p.name: p.read_bytes() for p in (data / DB_NAME, wal, shm)}

    with pytest.raises(DamagedDatabase) as caught:
        open_store(data)

    moved = caught.value.moved_to
    assert moved is not None
    assert moved.read_bytes() == damaged[DB_NAME]
    assert pathlib.Path(f"{moved}-wal").read_bytes() == damaged[DB_NAME + "-wal"]
    assert pathlib.Path(f"{moved}-shm").exists()
    assert not wal.exists() and not shm.exists()


def test_restore_newest_after_damage_opens_the_backup(data: pathlib.Path) -> None:
    expected = backed_up_contents(data)
    truncate_half(data / DB_NAME)
    with pytest.raises(DamagedDatabase):
        open_store(data)
    store = restore_newest(data)
    assert contents(store) == expected
    store.close()


def test_damage_without_any_backup_says_so_and_starts_empty(tmp_path: pathlib.Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"SQLite format 3\0" + bytes(4080))
    with pytest.raises(DamagedDatabase) as caught:
        open_store(data)
    assert caught.value.newest_backup is None
    assert "no good backup" in str(caught.value)
    with pytest.raises(StoreError, match="no good backup"):
        restore_newest(data)
    store = open_store(data)  # declining the rescue: an empty file, the damaged one kept
    assert store.day_logs() == []
    store.close()
    assert caught.value.moved_to is not None and caught.value.moved_to.exists()


@pytest.mark.parametrize("companion", ["zero-length -wal", "garbage -wal", "garbage -shm"])
def test_a_bad_companion_file_is_not_damage(data: pathlib.Path, companion: str) -> None:
    before = Store.open(data)
    expected = contents(before)
    before.close()
    if companion == "zero-length -wal":
        (data / (DB_NAME + "-wal")).write_bytes(b"")
    elif companion == "garbage -wal":
        (data / (DB_NAME + "-wal")).write_bytes(random.Random(3).randbytes(3 * PAGE + 56))
    else:
        (data / (DB_NAME + "-wal")).write_bytes(b"")
        (data / (DB_NAME + "-shm")).write_bytes(random.Random(4).randbytes(32768))

    store = open_store(data)
    assert contents(store) == expected
    assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    assert not list(data.glob("*.damaged-*"))


def test_a_crash_in_rollback_mode_is_recovered_not_called_damage(
        data: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """A hot rollback journal (a file last written outside WAL) is rolled back, not moved."""
    before = Store.open(data)
    expected = contents(before)
    before.close()
    writer = sqlite3.connect(data / DB_NAME, isolation_level=None)
    writer.execute("PRAGMA journal_mode = DELETE")
    writer.execute("PRAGMA cache_size = 1")  # spill pages to the file mid-transaction
    writer.execute("BEGIN")
    for n in range(300):
        writer.execute("INSERT INTO day_logs (day, pain, notes) VALUES (?, 9, ?)",
                       [f"1999-{n:04d}", "w" * 2000])
    # the machine stops here: copy the file and its journal as they are on disk
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in (DB_NAME, DB_NAME + "-journal"):
        (crashed / name).write_bytes((data / name).read_bytes())
    writer.execute("ROLLBACK")
    writer.close()

    store = open_store(crashed)
    assert contents(store) == expected
    store.close()
    assert not list(crashed.glob("*.damaged-*"))


@pytest.mark.parametrize("also_damaged", [False, True])
def test_newer_file_is_refused_never_moved_or_written(data: pathlib.Path,
                                                      also_damaged: bool) -> None:
    live = data / DB_NAME
    conn = sqlite3.connect(live)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    if also_damaged:  # a file this version cannot fully read is still not ours to move
        random_page(live)
    before = live.read_bytes()
    with pytest.raises(NewerDatabase, match="newer RecoveryDesk"):
        open_store(data)
    assert live.read_bytes() == before
    assert not list(data.glob("*.damaged-*"))


# --- the file cannot be written just now -----------------------------------------------------


def test_disk_full_refuses_the_write_and_keeps_what_was_saved(data: pathlib.Path) -> None:
    store = open_store(data)
    saved = contents(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL
    with pytest.raises(StoreUnavailable, match="full") as caught:
        for n in range(200):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
            store.save_day(DayLog(day, 6, notes="y" * 10_000),
                           [Activity(day, "walk", distance_m=500.0)], today=TODAY)
    assert "Nothing was saved" in str(caught.value)
    assert "Traceback" not in str(caught.value)
    store.close()

    again = open_store(data)
    now = contents(again)
    # the entries saved before are all there, and no entry is there half-written
    assert now[0][len(now[0]) - len(saved[0]):] == saved[0]
    assert {d.day for d in now[0]} - {d.day for d in saved[0]} == {a.day for a in now[1]} - {
        a.day for a in saved[1]}
    assert again._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again.close()


def test_full_disk_then_space_freed_saves_again(data: pathlib.Path) -> None:
    store = open_store(data)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    big = DayLog(dt.date(2025, 2, 1), 6, notes="z" * 10_000)
    with pytest.raises(StoreUnavailable, match="full"):
        store.save_day(big, today=TODAY)
    assert store.day_log(big.day) is None
    store._conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    store.save_day(big, today=TODAY)
    assert store.day_log(big.day) == big
    store.close()


def test_read_only_file_gives_a_clear_message(data: pathlib.Path) -> None:
    live = data / DB_NAME
    before = live.read_bytes()
    conn = sqlite3.connect(f"{live.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    store = Store(conn, live)
    assert len(store.day_logs()) == 132  # reading works
    with pytest.raises(StoreUnavailable, match="read-only") as caught:
        store.save_day(DayLog(dt.date(2026, 11, 24), 2), today=TODAY)
    assert "Nothing was saved" in str(caught.value)
    store.close()
    assert live.read_bytes() == before


def test_query_only_connection_gives_the_read_only_message(data: pathlib.Path) -> None:
    store = open_store(data)
    store._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreUnavailable, match="read-only"):
        store.set_setting("units", "mi")
    store._conn.execute("PRAGMA query_only = OFF")
    assert store.setting("units") is None
    store.close()


def test_locked_file_says_busy_and_the_save_works_after(data: pathlib.Path) -> None:
    store = open_store(data)
    store._conn.execute("PRAGMA busy_timeout = 50")  # the real one waits 5 s
    other = sqlite3.connect(data / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    entry = DayLog(dt.date(2026, 11, 24), 2)
    with pytest.raises(StoreUnavailable, match="busy"):
        store.save_day(entry, today=TODAY)
    other.execute("ROLLBACK")
    other.close()
    store.save_day(entry, today=TODAY)
    assert store.day_log(entry.day) == entry
    store.close()


def test_a_data_folder_that_is_a_file_is_unavailable(tmp_path: pathlib.Path) -> None:
    (tmp_path / "data").write_text("oops")
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        open_store(tmp_path / "data")
