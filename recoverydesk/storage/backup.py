"""Backups of the data file: made with SQLite's online backup API, kept private, thinned.

Where: ``<data_dir>/backups/`` (folder 0700, files 0600), one self-contained SQLite file per
copy (rollback journal, no -wal to lose), named after the local date-time it was taken and why::

    recoverydesk-2026-11-20_213005-daily.sqlite
    recoverydesk-2026-11-20_213005-before-restore.2.sqlite   (a second copy in that second)

The names sort by time, and a copy can be opened by any SQLite tool or restored by hand.

When (DESIGN.md §8): when the window or a command closes the file, at most once a local day
(``close_after_daily_backup``), File → Back up now (``backup_now``), before a schema upgrade,
and before a restore replaces the file.

How many are kept (``prune_backups``, run after every new copy):
  - every copy taken on the newest day that has copies (a restore's safety copy survives
    the daily one taken the same evening);
  - the newest copy of each of the 14 most recent days that have copies;
  - the newest copy of each of the 8 most recent calendar weeks (Monday–Sunday) with copies
    older than those 14 days.
So about ten weeks of history stay within reach, in at most 22 files plus that one day's
extras. Only files named like ours are ever deleted.

Every copy is written to a hidden temporary file in the same folder, checked with
``PRAGMA quick_check``, fsynced and renamed into place, so a crash or a kill mid-copy never
leaves a half-written backup under a backup's name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import pathlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from recoverydesk.core import words
from recoverydesk.storage.errors import (
    DamagedDatabase,
    NewerDatabase,
    StoreError,
    StoreUnavailable,
    plain_words,
)
from recoverydesk.storage.store import DB_NAME, SCHEMA_VERSION, copy_database

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store

BACKUP_DIR = "backups"
KEEP_DAILY = 14
KEEP_WEEKLY = 8
_STAMP = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(
    r"^recoverydesk-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})-(?P<reason>[a-z0-9-]+?)"
    r"(?:\.(?P<seq>\d+))?\.sqlite$")
_TMP_PREFIX = ".tmp-"


@dataclasses.dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file as the Restore dialog lists it.

    Attributes:
        path: The file.
        taken_at: Local date-time it was taken (from its name).
        reason: Why: daily, manual, before-restore, before-upgrade...
        entries: Day logs + activities in it; None when it cannot be read.
        days: The daily entries in it (None when it cannot be read).
        activities: The activities in it (None when it cannot be read).
        readable: Opens and passes ``PRAGMA quick_check`` (only when listed with check=True).
        schema_version: Its ``user_version``; a newer one cannot be restored by this version.
        size: Bytes on disk.
    """

    path: pathlib.Path
    taken_at: datetime.datetime
    reason: str
    entries: int | None = None
    readable: bool = False
    days: int | None = None
    activities: int | None = None
    schema_version: int | None = None
    size: int = 0

    @property
    def restorable(self) -> bool:
        """Passes its check, holds RecoveryDesk's tables, and this version can open it."""
        return (self.readable and self.entries is not None and self.schema_version is not None
                and self.schema_version <= SCHEMA_VERSION)

    def describe(self) -> str:
        """'20 Nov 2026 (143 entries)' — how the messages and the dialog name a backup."""
        when = self.taken_at
        text = words.date_text(when.date())
        if self.entries is not None:
            text += f" ({words.count_text(self.entries, 'entry')})"
        return text

    def holds(self) -> str:
        """'143 days, 98 activities': what the backup holds, each counted on its own."""
        if self.days is None or self.activities is None:
            return "contents unknown"
        return (f"{words.count_text(self.days, 'day')}, "
                f"{words.count_text(self.activities, 'activity')}")


def backup_dir(data_dir: pathlib.Path) -> pathlib.Path:
    return pathlib.Path(data_dir) / BACKUP_DIR


def human_date(moment: datetime.datetime) -> str:
    return words.date_text(moment.date())


# --- making copies ---------------------------------------------------------------------------


def backup_now(store: Store, reason: str = "manual", *,
               now: datetime.datetime | None = None, prune: bool = True) -> pathlib.Path:
    """Copy the open store into ``backups/`` while it stays open; returns the new file.

    The online backup API reads through the store's own connection, so what is copied is
    exactly what is committed, WAL included. Raises StoreUnavailable (disk full, folder
    read-only) or DamagedDatabase (the copy failed its check) and leaves no partial file.
    """
    path = backup_connection(store.backup_into, store.data_dir, reason, now=now)
    if prune:
        prune_backups(store.data_dir)
    return path


def maybe_daily_backup(store: Store, *,
                       now: datetime.datetime | None = None) -> pathlib.Path | None:
    """Take the day's backup unless one (of any kind) was already taken today.

    An empty file (no episode, no entries) is not worth a copy and is skipped.
    """
    now = now or datetime.datetime.now()
    if any(info.taken_at.date() == now.date() for info in _scan(store.data_dir)):
        return None
    counts = store.counts()
    if not any(counts.values()):
        return None
    return backup_now(store, reason="daily", now=now)


def close_after_daily_backup(store: Store, *, now: datetime.datetime | None = None,
                             ) -> tuple[pathlib.Path | None, StoreError | None]:
    """Take the day's backup if none was taken today, then close the store (§8).

    The backup is best effort: whatever goes wrong with it (full disk, read-only folder) is
    returned for the caller to mention, and the store is closed cleanly all the same, so
    nothing saved depends on it. Returns the backup made (if any) and the error (if any).
    """
    if store.closed:
        return None, None
    made: pathlib.Path | None = None
    failure: StoreError | None = None
    try:
        if not getattr(store, "read_only", False):  # a read-only or full place: no copy
            made = maybe_daily_backup(store, now=now)
    except (StoreError, OSError, sqlite3.Error) as error:
        failure = (error if isinstance(error, StoreError) else StoreUnavailable(
            f"The daily backup of {store.path} could not be made: {error}."))
    finally:
        store.close()
    return made, failure


def backup_connection(copy: Callable[[pathlib.Path], None], data_dir: pathlib.Path,
                      reason: str, *, now: datetime.datetime | None = None) -> pathlib.Path:
    """Copy a database into ``data_dir/backups`` (temp file, check, rename).

    ``copy`` writes the database into the path it is given (``Store.backup_into``).
    """
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", reason):
        raise ValueError(f"backup reason {reason!r}: use lowercase letters, digits and '-'")
    now = now or datetime.datetime.now()
    folder = _private_folder(backup_dir(data_dir))
    _remove_stale_temps(folder)
    tmp = folder / f"{_TMP_PREFIX}{os.urandom(6).hex()}.sqlite"
    try:
        _copy_into(copy, tmp)
        target = _free_name(folder, now, reason)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except sqlite3.Error as error:
        raise plain_words(error, backup_dir(data_dir)) from error
    except OSError as error:
        raise StoreUnavailable(
            f"The backup could not be written to {folder}: {error.strerror or error}. "
            "Your data file is unchanged.") from error
    finally:
        _remove_with_companions(tmp)
    return target


def _copy_into(copy: Callable[[pathlib.Path], None], tmp: pathlib.Path) -> None:
    """Copy into a new 0600 file, check it, fsync it."""
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    os.chmod(tmp, 0o600)
    copy(tmp)
    dest = sqlite3.connect(tmp, isolation_level=None)
    try:
        verdict = dest.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise DamagedDatabase(
                f"The backup copy failed its check (SQLite says: {verdict}); "
                "the data file itself may be damaged.")
    finally:
        dest.close()
    _fsync_file(tmp)


def _free_name(folder: pathlib.Path, now: datetime.datetime, reason: str) -> pathlib.Path:
    base = f"recoverydesk-{now.strftime(_STAMP)}-{reason}"
    target = folder / f"{base}.sqlite"
    seq = 1
    while target.exists():
        seq += 1
        target = folder / f"{base}.{seq}.sqlite"
    return target


# --- listing ---------------------------------------------------------------------------------


def _scan(data_dir: pathlib.Path) -> list[BackupInfo]:
    """Our backup files, by name only (no file is opened), newest first."""
    folder = backup_dir(data_dir)
    found: list[tuple[datetime.datetime, int, int, BackupInfo]] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            taken = datetime.datetime.strptime(match["stamp"], _STAMP)
            st = entry.stat()
        except (ValueError, OSError):
            continue
        info = BackupInfo(path=pathlib.Path(entry.path), taken_at=taken,
                          reason=match["reason"], size=st.st_size)
        found.append((taken, int(match["seq"] or 1), st.st_mtime_ns, info))
    found.sort(key=lambda item: item[:3], reverse=True)
    return [item[3] for item in found]


def inspect_backup(info: BackupInfo) -> BackupInfo:
    """Open a backup read-only: does it pass quick_check, what version, how many entries."""
    try:
        with _read_only(info.path) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return dataclasses.replace(info, schema_version=version)
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            days = activities = entries = None
            if {"day_logs", "activities"} <= tables:
                days, activities = conn.execute(
                    "SELECT (SELECT count(*) FROM day_logs), (SELECT count(*) FROM activities)"
                ).fetchone()
                entries = days + activities
    except sqlite3.Error:
        return dataclasses.replace(info, readable=False)
    return dataclasses.replace(info, entries=entries, readable=True, schema_version=version,
                               days=days, activities=activities)


def list_backups(data_dir: pathlib.Path, *, check: bool = True) -> list[BackupInfo]:
    """Every backup in ``data_dir/backups``, newest first.

    With ``check`` (the default) each is opened read-only to count its entries (day logs +
    activities) and run ``PRAGMA quick_check``; ``readable`` says whether it passed.
    """
    infos = _scan(pathlib.Path(data_dir))
    return [inspect_backup(info) for info in infos] if check else infos


def newest_good_backup(data_dir: pathlib.Path) -> BackupInfo | None:
    """The newest backup that passes its integrity check and this version can open."""
    for info in _scan(pathlib.Path(data_dir)):
        checked = inspect_backup(info)
        if checked.restorable:
            return checked
    return None


@contextlib.contextmanager
def _read_only(path: pathlib.Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write a byte: ``mode=ro`` through a URI."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


# --- pruning ---------------------------------------------------------------------------------


def backups_to_keep(infos: list[BackupInfo], keep_daily: int = KEEP_DAILY,
                    keep_weekly: int = KEEP_WEEKLY) -> list[BackupInfo]:
    """Apply the keeping rule of this module's docstring to ``infos`` (newest first)."""
    infos = sorted(infos, key=lambda i: i.taken_at, reverse=True)
    if not infos:
        return []
    keep: dict[pathlib.Path, BackupInfo] = {}
    newest_day = infos[0].taken_at.date()
    days: list[datetime.date] = []
    for info in infos:
        day = info.taken_at.date()
        if day == newest_day:
            keep[info.path] = info
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep[info.path] = info
    oldest_daily = days[-1]
    weeks: list[tuple[int, int]] = []
    for info in infos:
        if info.taken_at.date() >= oldest_daily:
            continue
        iso = info.taken_at.date().isocalendar()
        week = (iso.year, iso.week)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.append(week)
            keep[info.path] = info
    return [info for info in infos if info.path in keep]


def prune_backups(data_dir: pathlib.Path, keep_daily: int = KEEP_DAILY,
                  keep_weekly: int = KEEP_WEEKLY) -> list[pathlib.Path]:
    """Delete the copies the keeping rule lets go; returns what was removed."""
    infos = _scan(pathlib.Path(data_dir))
    kept = {info.path for info in backups_to_keep(infos, keep_daily, keep_weekly)}
    removed = []
    for info in infos:
        if info.path not in kept:
            with contextlib.suppress(FileNotFoundError):
                info.path.unlink()
                removed.append(info.path)
    return removed


# --- restoring -------------------------------------------------------------------------------


def restore(data_dir: pathlib.Path, backup_path: pathlib.Path) -> pathlib.Path | None:
    """Make ``backup_path`` the data file again; returns where the replaced data was kept.

    The Store on ``data_dir`` must be closed first. Steps, each safe to be interrupted:
      1. the backup is checked (quick_check, a version this RecoveryDesk opens) — a bad one
         raises DamagedDatabase / NewerDatabase and nothing is touched;
      2. the current file is kept: copied to ``backups/…-before-restore.sqlite`` when SQLite
         can still read it, otherwise moved aside as ``recoverydesk.sqlite.damaged-<time>``
         with its -wal/-shm (None is returned when there was no current file);
      3. the backup is copied into a temporary file beside the data file, checked, fsynced;
      4. stale -wal/-shm are removed and the copy is renamed over the data file (atomic),
         mode 0600, and the folder fsynced.
    """
    data_dir = pathlib.Path(data_dir)
    backup_path = pathlib.Path(backup_path)
    live = data_dir / DB_NAME
    checked = inspect_backup(BackupInfo(backup_path, datetime.datetime.now(), "restore"))
    if checked.readable and (checked.schema_version or 0) > SCHEMA_VERSION:
        raise NewerDatabase(
            f"The backup {backup_path.name} was made by a newer RecoveryDesk; your data file "
            "was not changed.")
    if not checked.restorable:
        raise DamagedDatabase(
            f"The backup {backup_path.name} cannot be read, failed its check or is not a "
            "RecoveryDesk file; your data file was not changed. Choose another backup.")
    try:
        _private_folder(data_dir)
        _remove_stale_temps(data_dir)
        kept = _keep_current(live, data_dir)
        tmp = data_dir / f"{_TMP_PREFIX}restore-{os.urandom(6).hex()}.sqlite"
        try:
            with _read_only(backup_path) as source:
                _copy_into(lambda path: copy_database(source, path), tmp)
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{live}{suffix}")
            os.replace(tmp, live)
            os.chmod(live, 0o600)
            _fsync_dir(data_dir)
        finally:
            _remove_with_companions(tmp)
    except sqlite3.Error as error:
        raise plain_words(error, live) from error
    except OSError as error:
        raise StoreUnavailable(
            f"The backup could not be restored into {data_dir}: {error.strerror or error}."
        ) from error
    prune_backups(data_dir)
    return kept


def _keep_current(live: pathlib.Path, data_dir: pathlib.Path) -> pathlib.Path | None:
    """Save the file about to be replaced: a checked copy if possible, else move it aside."""
    if not live.exists():
        return None
    if live.stat().st_size == 0:
        live.unlink()  # an empty file holds nothing (SQLite reads it as an empty database)
        return None
    # Judged read-only first: a damaged file must be set aside without a checkpoint into it.
    if inspect_backup(BackupInfo(live, datetime.datetime.now(), "current")).readable:
        try:
            conn = sqlite3.connect(live, timeout=5.0, isolation_level=None)
            try:
                return backup_connection(lambda path: copy_database(conn, path), data_dir,
                                         "before-restore")
            finally:
                conn.close()
        except DamagedDatabase:
            pass
    return set_aside(live)


def set_aside(path: pathlib.Path, *, now: datetime.datetime | None = None) -> pathlib.Path:
    """Rename ``path`` (and its -wal/-shm) to ``<name>.damaged-<time>`` in the same folder.

    Renames only: not a byte of the file changes, so it can still be rescued. The companions
    follow the same name, so SQLite would pair them again if the copy is ever opened.
    """
    now = now or datetime.datetime.now()
    base = f"{path.name}.damaged-{now.strftime(_STAMP)}"
    target = path.with_name(base)
    seq = 1
    while any(pathlib.Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm", "-journal")):
        seq += 1
        target = path.with_name(f"{base}.{seq}")
    for suffix in ("-wal", "-shm", "-journal"):
        companion = pathlib.Path(f"{path}{suffix}")
        if companion.exists():
            os.replace(companion, f"{target}{suffix}")
    os.replace(path, target)
    _fsync_dir(path.parent)
    return target


# --- file system helpers ---------------------------------------------------------------------


def _private_folder(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def _remove_stale_temps(folder: pathlib.Path, min_age_s: float = 600.0) -> None:
    """Temp files left by a copy killed half-way: never a backup, safe to drop once old.

    The age guard leaves alone a copy another process (the CLI beside the window) is
    writing right now.
    """
    cutoff = time.time() - min_age_s
    for entry in folder.glob(f"{_TMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


def _remove_with_companions(path: pathlib.Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _fsync_file(path: pathlib.Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: pathlib.Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open folders and does not need it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = [
    "BACKUP_DIR", "KEEP_DAILY", "KEEP_WEEKLY", "BackupInfo", "StoreError", "backup_connection",
    "backup_dir", "backup_now", "backups_to_keep", "close_after_daily_backup", "human_date",
    "inspect_backup",
    "list_backups", "maybe_daily_backup", "newest_good_backup", "prune_backups", "restore",
    "set_aside",
]
