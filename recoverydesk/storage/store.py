"""The store: the only object that talks to SQLite (DESIGN.md §8).

It hands out core dataclasses, never rows. Every user action is one transaction, validated
before anything is written. Reads go straight through ``sqlite3``; sqlite-utils (which costs
a sixth of a second to import) is loaded only to migrate or to write, so the window can paint
its first frame without it.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import pathlib
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from recoverydesk.core.model import (
    Action,
    Activity,
    DayLog,
    Episode,
    EpisodeInfo,
    ValidationError,
    check_date,
    validate_action,
    validate_activity,
    validate_day,
    validate_info,
)
from recoverydesk.core.psfs import (
    PsfsActivity,
    PsfsScore,
    check_active_count,
    clean_name,
    validate_score,
)
from recoverydesk.core.rules import Rules
from recoverydesk.storage import dump as dumping
from recoverydesk.storage.dump import decode_flags, encode_flags
from recoverydesk.storage.errors import (
    DamagedDatabase,
    EpisodeExists,
    NewerDatabase,
    StoreError,
    StoreUnavailable,
    disk_full_words,
    disk_is_full,
    plain_words,
)
from recoverydesk.storage.paths import (
    DB_NAME,
    default_data_dir,
    resolve_data_dir,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "DB_NAME", "SCHEMA_VERSION", "DamagedDatabase", "EpisodeExists", "NewerDatabase", "Store",
    "StoreError", "StoreUnavailable", "default_data_dir", "resolve_data_dir",
]

SCHEMA_VERSION = 5
"""The number of migrations this version knows; ``PRAGMA user_version`` after migrating."""
ONSET_SETTING = "pain_onset_before_45"
"""Whether the runner's back pain first began before 45 (the stiffness notice, §5.1)."""
BUSY_TIMEOUT_S = 5.0


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


_date = datetime.date.fromisoformat


def copy_database(source: sqlite3.Connection, path: pathlib.Path) -> None:
    """Online-backup ``source`` into ``path`` as one self-contained file.

    The copy inherits WAL mode from its source; a backup should be one file that opens
    read-only anywhere, with no -wal companion that could go missing.
    """
    dest = sqlite3.connect(path, isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def _connect_read_only(path: pathlib.Path, **options: Any) -> sqlite3.Connection:
    """A read-only connection; in a folder that cannot be written, or on a full disk (no -shm
    can be made), the file is opened as immutable, which reads it exactly as it is on disk."""
    uri = path.absolute().as_uri()

    def connect(query: str) -> sqlite3.Connection:
        conn: sqlite3.Connection = sqlite3.connect(
            f"{uri}?{query}", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
            **options)
        return conn

    conn = connect("mode=ro")
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError as error:
        conn.close()
        name = getattr(error, "sqlite_errorname", "")
        no_shm = name in ("SQLITE_CANTOPEN", "SQLITE_READONLY_CANTINIT") or (
            name.startswith("SQLITE_IOERR") and disk_is_full(path.parent))
        if not no_shm:
            # e.g. a hot rollback journal: the caller meets the error and knows what to do
            return connect("mode=ro")
    return connect("mode=ro&immutable=1")


def _private_location(folder: pathlib.Path) -> bool:
    """Whether ``folder`` is the per-user data location or inside it."""
    try:
        home = default_data_dir().resolve()
        return folder.resolve() == home or home in folder.resolve().parents
    except OSError:
        return False


def _shared(folder: os.stat_result) -> bool:
    """A folder other users may write into (sticky or world-writable): never used for data."""
    return bool(folder.st_mode & (stat.S_ISVTX | stat.S_IWOTH))


def prepare_folder(data_dir: pathlib.Path, path: pathlib.Path) -> bool:
    """Make sure the data folder and file can be used, changing no one else's modes.

    Returns True when they must be opened read-only (the owner removed the write permission
    of the file or folder: reported, and left as it is). Raises StoreUnavailable for a
    shared folder (sticky or world-writable: never used, never chmodded), a symbolic link at
    the data file (never followed) or a folder that cannot be created.

    Modes are tightened (0700 folder, 0600 file) only on what this call created, or what the
    runner owns inside the per-user data location.
    """
    created = False
    try:
        if not data_dir.exists():
            data_dir.mkdir(mode=0o700, parents=True)
            created = True
        folder = data_dir.stat()
    except OSError as error:
        raise StoreUnavailable(
            f"The data folder {data_dir} cannot be used: {error.strerror}.") from error
    if not stat.S_ISDIR(folder.st_mode):
        raise StoreUnavailable(f"The data folder {data_dir} cannot be used: it is not a folder.")
    if _shared(folder):
        raise StoreUnavailable(
            f"The data folder {data_dir} is shared with other users (it is "
            f"{'sticky' if folder.st_mode & stat.S_ISVTX else 'world-writable'}), so your "
            "health data would not be private there. RecoveryDesk has not changed it; choose "
            "a folder of your own with --data-dir.")
    if path.is_symlink():
        raise StoreUnavailable(
            f"The data file {path} is a symbolic link. RecoveryDesk never follows one for "
            "its data file; neither the link nor its target has been changed.")
    mine = folder.st_uid == os.geteuid()
    ours = created or (mine and _private_location(data_dir))
    if not created and mine and not folder.st_mode & stat.S_IWUSR:
        return _existing_read_only(path)
    try:
        if ours and stat.S_IMODE(folder.st_mode) != 0o700:
            os.chmod(data_dir, 0o700)
        if not path.exists():
            flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
            os.close(os.open(path, flags, 0o600))
            return False
        info = path.lstat()
        if info.st_uid == os.geteuid() and not info.st_mode & stat.S_IWUSR:
            return True  # the owner made it read-only: left as it is
        if ours and info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != 0o600:
            os.chmod(path, 0o600, follow_symlinks=False)
    except OSError as error:
        raise StoreUnavailable(
            f"The data folder {data_dir} cannot be used: {error.strerror}.") from error
    return False


def _existing_read_only(path: pathlib.Path) -> bool:
    if not path.exists():
        raise StoreUnavailable(
            f"The data folder {path.parent} is read-only and holds no data file yet. "
            "Nothing was written.")
    return True


class Store:
    """One open RecoveryDesk database.

    Attributes:
        path: The SQLite file.
        data_dir: The folder holding it (and its backups).
        settings_warning: Why the stored settings were set aside for the defaults, if they were.
    """

    def __init__(self, conn: sqlite3.Connection, path: pathlib.Path) -> None:
        self._conn = conn
        self._db: Database | None = None
        self._closed = False
        self.path = path
        self.data_dir = path.parent
        self.settings_warning: str | None = None
        self.read_only = False
        self.disk_full = False

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: pathlib.Path, *, check: bool = True) -> Store:
        """Open (creating if needed) the database in ``data_dir`` and bring it up to date.

        Raises NewerDatabase before writing a byte to a newer file, DamagedDatabase when the
        quick integrity check fails, StoreUnavailable when the folder cannot be used.
        """
        data_dir = pathlib.Path(data_dir)
        path = data_dir / DB_NAME
        read_only = prepare_folder(data_dir, path)
        cls._judge(path, check)
        try:
            if read_only:
                conn = _connect_read_only(path, check_same_thread=False)
            else:
                conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as error:
            raise plain_words(error, path) from error
        store = cls(conn, path)
        store.read_only = read_only
        try:
            store._prepare()
        except StoreUnavailable:
            conn.close()
            if read_only or not disk_is_full(data_dir):
                raise
            # A full disk: reading still works, so status, timeline and export do; every
            # write says the disk is full.
            store = cls(_connect_read_only(path, check_same_thread=False), path)
            store.read_only = store.disk_full = True
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def peek(cls, data_dir: pathlib.Path) -> Store:
        """The data file as it stands, read-only, for a look before it is opened (Today's
        first frame, ``recoverydesk/first_frame.py``): nothing is written, checked or migrated
        (SQLite may make the empty companions any reader of a WAL file needs), and the
        opening proper (``open``) still follows.

        Raises StoreUnavailable where a plain look is not enough: no data file yet, a shared
        folder or a symbolic link (``open`` refuses both), a schema other than this
        version's (``open`` migrates or refuses), or a file SQLite cannot read.
        """
        path = pathlib.Path(data_dir) / DB_NAME
        try:
            folder, info = path.parent.stat(), path.lstat()
        except OSError as error:
            raise StoreUnavailable(f"{path} cannot be read: {error.strerror}.") from error
        if _shared(folder) or not stat.S_ISREG(info.st_mode):
            raise StoreUnavailable(f"{path} is for the opening proper to judge.")
        try:
            conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as error:
            raise plain_words(error, path) from error
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            conn.close()
            raise plain_words(error, path) from error
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreUnavailable(f"{path} has schema {version}, not {SCHEMA_VERSION}.")
        store = cls(conn, path)
        store.read_only = True
        return store

    @staticmethod
    def _judge(path: pathlib.Path, check: bool) -> None:
        """Refuse a newer or damaged file through a read-only connection, before any write.

        Read-only matters: a writable connection checkpoints the WAL into the file when it
        closes, and a damaged file must be moved aside exactly as it was found (§8). The
        version is judged first: a newer RecoveryDesk may use SQLite features this one cannot
        parse, and such a file must be refused, never called damaged and moved.
        """
        try:
            conn = _connect_read_only(path)
        except sqlite3.Error as error:
            raise plain_words(error, path) from error
        try:
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorname", "") != "SQLITE_READONLY_ROLLBACK":
                    raise
                # A rollback journal left by a crash (a file last written in rollback mode):
                # SQLite must put the pages back before anyone can read, which takes a
                # writable connection. That is crash recovery, not damage.
                conn.close()
                Store._roll_back_hot_journal(path)
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT_S, isolation_level=None)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerDatabase(
                    f"The data file {path} was written by a newer RecoveryDesk (schema "
                    f"{version}; this version knows up to {SCHEMA_VERSION}). It has not been "
                    "changed. Please install the newer RecoveryDesk to open it.")
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0] if check else "ok"
        except sqlite3.DatabaseError as error:
            raise plain_words(error, path) from error
        finally:
            conn.close()
        if verdict != "ok":
            raise DamagedDatabase(f"The data file {path} is damaged (SQLite says: {verdict}).")

    @staticmethod
    def _roll_back_hot_journal(path: pathlib.Path) -> None:
        recover = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            recover.execute("PRAGMA user_version").fetchone()
        finally:
            recover.close()

    def _prepare(self) -> None:
        try:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise plain_words(error, self.path) from error
        if version > SCHEMA_VERSION:  # it changed since _judge looked
            raise NewerDatabase(
                f"The data file {self.path} was written by a newer RecoveryDesk. "
                "It has not been changed.")
        try:
            if self.read_only:
                if version < SCHEMA_VERSION:
                    raise sqlite3.OperationalError("attempt to write a readonly database")
                return
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                self._migrate()
        except sqlite3.Error as error:
            raise plain_words(error, self.path) from error

    def _migrate(self) -> None:
        from recoverydesk.storage.migrations import migrations

        known = {m.name for m in migrations._migrations}
        unknown = [m.name for m in migrations.applied(self.db) if m.name not in known]
        if unknown:
            raise NewerDatabase(
                f"The data file {self.path} has changes from a newer RecoveryDesk "
                f"({', '.join(unknown)}). It has not been changed.")
        if self.schema_version > 0:
            # A file with data gets a copy before its schema changes (STYLE.md §3), so a
            # faulty migration can never cost an entry. No copy, no migration.
            from recoverydesk.storage.backup import backup_now

            backup_now(self, reason="before-upgrade")
        migrations.apply(self.db)

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, loaded on first use."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self._conn, execute_plugins=False, recursive_triggers=False)
            # sqlite-utils finds out whether SQLite has ON CONFLICT by creating a table inside
            # our transaction the first time we upsert, and caches any OperationalError (a lock,
            # a full disk, a read-only file) as "no upsert" for good. Its fallback, INSERT OR
            # IGNORE of the key then UPDATE, silently drops every new day (``pain`` is NOT
            # NULL), or leaves a day's activities without the day. SQLite has had ON CONFLICT
            # since 3.24, so answer from the version instead of letting it probe.
            if sqlite3.sqlite_version_info >= (3, 24, 0):
                self._db._supports_on_conflict = True
        return self._db

    def close(self) -> None:
        """Close the file. Closing twice is harmless.

        The day's backup is not taken here: the application takes it before closing
        (``backup.close_after_daily_backup``), so the store never imports its backups.
        """
        if self._closed:
            return
        self._closed = True
        self._conn.close()

    def backup_into(self, path: pathlib.Path) -> None:
        """Copy what is committed (WAL included) into the new file ``path``, staying open.

        ``backup.py`` names, checks and keeps the copy; this is the only door to the
        connection it needs.
        """
        copy_database(self._conn, path)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action = one transaction; SQLite errors become StoreErrors.

        Nested, the inner one is a savepoint: several store writes inside one outer
        ``transaction()`` land together or not at all.
        """
        if self.disk_full:
            raise StoreUnavailable(disk_full_words(self.path))
        try:
            with self.db.atomic() as db:
                yield db
        except sqlite3.Error as error:
            raise plain_words(error, self.path) from error

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- episodes --------------------------------------------------------------------------

    def current_episode(self) -> EpisodeInfo | None:
        rows = self._rows("SELECT * FROM episodes WHERE closed_on IS NULL ORDER BY id DESC LIMIT 1")
        return self._info(rows[0]) if rows else None

    def episodes(self) -> list[EpisodeInfo]:
        return [self._info(r) for r in self._rows("SELECT * FROM episodes ORDER BY id")]

    @staticmethod
    def _info(row: dict[str, Any]) -> EpisodeInfo:
        return EpisodeInfo(start=_date(row["start"]), units=row["units"],
                           baseline_weekly_m=row["baseline_weekly_m"], notes=row["notes"] or "",
                           id=row["id"])

    def start_episode(self, info: EpisodeInfo, *, new: bool = False,
                      today: datetime.date | None = None) -> EpisodeInfo:
        """Begin an episode. With ``new``, the open one is closed and kept for history."""
        today = today or datetime.date.today()
        validate_info(info, today)
        current = self.current_episode()
        if current is not None and not new:
            raise EpisodeExists(
                f"An episode that began on {current.start.isoformat()} is already open. "
                "Use --new to close it and begin another.")
        with self.transaction() as db:
            if current is not None:
                db.execute("UPDATE episodes SET closed_on = ? WHERE id = ?",
                           [today.isoformat(), current.id])
            table = db.table("episodes")
            table.insert({"start": info.start.isoformat(), "units": info.units,
                          "baseline_weekly_m": info.baseline_weekly_m, "notes": info.notes})
            new_id = table.last_pk
        result = self.current_episode()
        assert result is not None and result.id == new_id
        return result

    def close_episode(self, today: datetime.date | None = None) -> None:
        """Close the open episode (marked recovered) and keep it for history."""
        current = self.current_episode()
        if current is None:
            return
        with self.transaction() as db:
            db.execute("UPDATE episodes SET closed_on = ? WHERE id = ?",
                       [(today or datetime.date.today()).isoformat(), current.id])

    def update_episode(self, info: EpisodeInfo, today: datetime.date | None = None) -> None:
        """Change the open episode's settings (units, baseline, notes, start date)."""
        validate_info(info, today or datetime.date.today())
        if info.id is None:
            raise ValueError("update_episode needs a stored episode")
        with self.transaction() as db:
            db.execute(
                "UPDATE episodes SET start = ?, units = ?, baseline_weekly_m = ?, notes = ? "
                "WHERE id = ?",
                [info.start.isoformat(), info.units, info.baseline_weekly_m, info.notes, info.id])

    def load_episode(self, info: EpisodeInfo | None = None) -> Episode | None:
        """Everything the engine needs for ``info`` (default: the open episode)."""
        info = info or self.current_episode()
        if info is None:
            return None
        logs = {log.day: log for log in self.day_logs(since=info.start)}
        onset = self.setting(ONSET_SETTING)
        return Episode(info=info, logs=logs, activities=tuple(self.activities(since=info.start)),
                       actions=self.actions(info),
                       psfs_scores=tuple(self.psfs_scores(since=info.start)),
                       onset_before_45=onset if isinstance(onset, bool) else None)

    def actions(self, info: EpisodeInfo) -> tuple[Action, ...]:
        """The advances, clearances, passed ready-to-run tests and risk screens stored for an
        episode, in date order."""
        rows = self._conn.execute(
            "SELECT day, kind, note, risks FROM actions WHERE episode_id = ? AND day >= ? "
            "ORDER BY day, id", [info.id, info.start.isoformat()])
        return tuple(Action(_date(day), kind, note, frozenset(r for r in risks.split(";") if r))
                     for day, kind, note, risks in rows)

    # --- day logs --------------------------------------------------------------------------

    _DAY_COLUMNS = ("day, pain, pain_activity, pain_morning, red_flags, sleep_hours, "
                    "heat_ice_min, notes, leg_pain, stiffness_min, pain_sites")

    @staticmethod
    def _day_log(row: tuple[Any, ...]) -> DayLog:
        (day, pain, pain_activity, pain_morning, flags, sleep, heat_ice, notes, leg_pain,
         stiffness, sites) = row
        return DayLog(_date(day), pain, pain_activity, pain_morning,
                      frozenset(decode_flags(flags)), sleep, heat_ice,
                      notes or "", leg_pain, stiffness, frozenset(decode_flags(sites)))

    @staticmethod
    def _day_row(log: DayLog) -> dict[str, Any]:
        return {"day": log.day.isoformat(), "pain": log.pain, "pain_activity": log.pain_activity,
                "pain_morning": log.pain_morning, "red_flags": encode_flags(log.red_flags),
                "sleep_hours": log.sleep_hours, "heat_ice_min": log.heat_ice_min,
                "notes": log.notes, "leg_pain": log.leg_pain, "stiffness_min": log.stiffness_min,
                "pain_sites": encode_flags(log.pain_sites)}

    def day_log(self, day: datetime.date) -> DayLog | None:
        row = self._conn.execute(f"SELECT {self._DAY_COLUMNS} FROM day_logs WHERE day = ?",
                                 [day.isoformat()]).fetchone()
        return self._day_log(row) if row else None

    def day_logs(self, since: datetime.date | None = None,
                 until: datetime.date | None = None) -> list[DayLog]:
        rows = self._conn.execute(
            f"SELECT {self._DAY_COLUMNS} FROM day_logs WHERE day >= ? AND day <= ? ORDER BY day",
            [_iso(since) or "0000", _iso(until) or "9999"])
        return [self._day_log(r) for r in rows]

    def save_day(self, log: DayLog, activities: Iterable[Activity] = (), *,
                 replace_activities: bool = False,
                 today: datetime.date | None = None) -> list[Activity]:
        """Write a day's entry (and its activities) in one transaction, or nothing at all.

        With ``replace_activities`` the day's activities become exactly ``activities`` (the
        Log form's editing); otherwise they are added (the CLI's ``log --activity``).
        Returns the day's activities as stored.
        """
        today = today or datetime.date.today()
        validate_day(log, today)
        activities = list(activities)
        for activity in activities:
            if activity.day != log.day:
                raise ValidationError("activity date", activity.day.isoformat(),
                                      f"the entry's date ({log.day.isoformat()})")
            validate_activity(activity, today)
        with self.transaction() as db:
            db.table("day_logs").upsert(self._day_row(log), pk="day")
            if replace_activities:
                keep = [a.id for a in activities if a.id is not None]
                db.execute(
                    f"DELETE FROM activities WHERE day = ? AND id NOT IN "
                    f"({','.join('?' * len(keep))})", [log.day.isoformat(), *keep])
            self._put_activities(db, activities)
        return self.activities(since=log.day, until=log.day)

    def delete_day(self, day: datetime.date) -> tuple[DayLog | None, list[Activity]]:
        """Remove a day's entry and its activities; returns what was removed (for undo)."""
        log = self.day_log(day)
        acts = self.activities(since=day, until=day)
        with self.transaction() as db:
            db.execute("DELETE FROM day_logs WHERE day = ?", [day.isoformat()])
            db.execute("DELETE FROM activities WHERE day = ?", [day.isoformat()])
        return log, acts

    def replace_day(self, day: datetime.date, log: DayLog | None,
                    activities: Iterable[Activity] = (),
                    today: datetime.date | None = None) -> None:
        """Make ``day`` hold exactly ``log`` and ``activities`` in one transaction (undo, redo).

        Nothing is written when the log or an activity is refused.
        """
        today = today or datetime.date.today()
        activities = list(activities)
        if log is not None:
            if log.day != day:
                raise ValidationError("entry date", log.day.isoformat(),
                                      f"the day replaced ({day})")
            validate_day(log, today)
        for activity in activities:
            if activity.day != day:
                raise ValidationError("activity date", activity.day.isoformat(),
                                      f"the day replaced ({day})")
            validate_activity(activity, today)
        with self.transaction() as db:
            db.execute("DELETE FROM day_logs WHERE day = ?", [day.isoformat()])
            db.execute("DELETE FROM activities WHERE day = ?", [day.isoformat()])
            if log is not None:
                db.table("day_logs").insert(self._day_row(log))
            self._put_activities(db, activities)

    # --- activities ------------------------------------------------------------------------

    _ACTIVITY_COLUMNS = ("day, kind, distance_m, duration_s, pain, start_time, elapsed_s, "
                         "source, file_sha256, id, cadence_spm")

    @staticmethod
    def _activity(row: tuple[Any, ...]) -> Activity:
        day, kind, distance, duration, pain, start, elapsed, source, sha, row_id, cadence = row
        return Activity(_date(day), kind, distance, duration, pain,
                        datetime.datetime.fromisoformat(start) if start else None, elapsed,
                        source, sha, row_id, cadence)

    @staticmethod
    def _activity_row(a: Activity) -> dict[str, Any]:
        row = {"day": a.day.isoformat(), "kind": a.kind, "distance_m": a.distance_m,
               "duration_s": a.duration_s, "elapsed_s": a.elapsed_s, "pain": a.pain,
               "start_time": a.start_time.isoformat() if a.start_time else None,
               "source": a.source, "file_sha256": a.file_sha256, "cadence_spm": a.cadence_spm}
        if a.id is not None:
            row["id"] = a.id
        return row

    def _put_activities(self, db: Database, activities: Iterable[Activity]) -> None:
        for activity in activities:
            row = self._activity_row(activity)
            if activity.id is None:
                db.table("activities").insert(row)
            else:
                db.table("activities").upsert(row, pk="id")

    def activities(self, since: datetime.date | None = None,
                   until: datetime.date | None = None) -> list[Activity]:
        rows = self._conn.execute(
            f"SELECT {self._ACTIVITY_COLUMNS} FROM activities WHERE day >= ? AND day <= ? "
            "ORDER BY day, start_time, id", [_iso(since) or "0000", _iso(until) or "9999"])
        return [self._activity(r) for r in rows]

    def add_activities(self, activities: Iterable[Activity],
                       today: datetime.date | None = None) -> None:
        """Add (or, with an id, replace) activities in one transaction."""
        today = today or datetime.date.today()
        activities = list(activities)
        for activity in activities:
            validate_activity(activity, today)
        with self.transaction() as db:
            self._put_activities(db, activities)

    def delete_activity(self, activity_id: int) -> Activity | None:
        row = self._conn.execute(f"SELECT {self._ACTIVITY_COLUMNS} FROM activities WHERE id = ?",
                                 [activity_id]).fetchone()
        with self.transaction() as db:
            db.execute("DELETE FROM activities WHERE id = ?", [activity_id])
        return self._activity(row) if row else None

    # --- imported files --------------------------------------------------------------------

    def has_file(self, sha256: str) -> bool:
        return bool(self._rows("SELECT 1 FROM imported_files WHERE sha256 = ?", [sha256]))

    def add_file(self, sha256: str, name: str, fmt: str, activities: Iterable[Activity],
                 today: datetime.date | None = None) -> bool:
        """Record an imported file and its activities together; False if already present."""
        today = today or datetime.date.today()
        activities = list(activities)
        for activity in activities:
            validate_activity(activity, today)
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM imported_files WHERE sha256 = ?", [sha256]).fetchone():
                return False
            db.table("imported_files").insert(
                {"sha256": sha256, "name": name, "format": fmt, "activities": len(activities)})
            self._put_activities(db, activities)
        return True

    def imported_files(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM imported_files ORDER BY name, sha256")

    # --- plan actions ----------------------------------------------------------------------

    def add_action(self, action: Action, today: datetime.date | None = None) -> None:
        """Store a plan action for the open episode (the engine has accepted it). A second
        action of the same kind on the same day replaces the first (a screen is the whole set
        of answers on its day)."""
        validate_action(action, today or datetime.date.today())
        info = self.current_episode()
        if info is None:
            raise StoreError("There is no episode yet: begin one first.")
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO actions (episode_id, day, kind, note, risks) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [info.id, action.day.isoformat(), action.kind, action.note,
                        ";".join(sorted(action.risks))])

    def remove_action(self, action: Action) -> None:
        info = self.current_episode()
        if info is None:
            return
        with self.transaction() as db:
            db.execute("DELETE FROM actions WHERE episode_id = ? AND day = ? AND kind = ?",
                       [info.id, action.day.isoformat(), action.kind])

    # --- checklist ticks and exercises -----------------------------------------------------

    def ticks(self, day: datetime.date) -> frozenset[str]:
        rows = self._rows("SELECT item FROM ticks WHERE day = ?", [day.isoformat()])
        return frozenset(r["item"] for r in rows)

    def set_tick(self, day: datetime.date, item: str, done: bool) -> None:
        with self.transaction() as db:
            if done:
                db.execute("INSERT OR IGNORE INTO ticks (day, item) VALUES (?, ?)",
                           [day.isoformat(), item])
            else:
                db.execute("DELETE FROM ticks WHERE day = ? AND item = ?",
                           [day.isoformat(), item])

    def exercises_done(self, since: datetime.date,
                       until: datetime.date) -> dict[datetime.date, dict[str, int]]:
        """Which exercises were done on each day (and how many times)."""
        done: dict[datetime.date, dict[str, int]] = {}
        for r in self._rows("SELECT * FROM exercises_done WHERE day >= ? AND day <= ?",
                            [since.isoformat(), until.isoformat()]):
            done.setdefault(_date(r["day"]), {})[r["exercise_id"]] = r["count"]
        return done

    def set_exercise_done(self, day: datetime.date, exercise_id: str, done: bool) -> None:
        with self.transaction() as db:
            if done:
                db.execute("INSERT INTO exercises_done (day, exercise_id, count) VALUES (?, ?, 1) "
                           "ON CONFLICT(day, exercise_id) DO UPDATE SET count = count + 1",
                           [day.isoformat(), exercise_id])
            else:
                db.execute("DELETE FROM exercises_done WHERE day = ? AND exercise_id = ?",
                           [day.isoformat(), exercise_id])

    # --- function (PSFS, §3.1) -------------------------------------------------------------

    def psfs_activities(self, *, include_retired: bool = True) -> list[PsfsActivity]:
        """The runner's PSFS activities in the order they were named."""
        rows = self._conn.execute(
            "SELECT id, name, created, retired FROM psfs_activities "
            + ("" if include_retired else "WHERE retired = 0 ") + "ORDER BY id")
        return [PsfsActivity(name, _date(created), bool(retired), row_id)
                for row_id, name, created, retired in rows]

    def add_psfs_activities(self, names: Iterable[str], created: datetime.date,
                            today: datetime.date | None = None) -> list[PsfsActivity]:
        """Name new activities (first-run setup, Today, or ``psfs`` with a new name).

        Refused when a name is empty or too long, already in use, or when more than
        MAX_ACTIVITIES would be in use at once; nothing is written then.
        """
        today = today or datetime.date.today()
        check_date("activity created", created, today)
        cleaned = [clean_name(n) for n in names]
        active = self.psfs_activities(include_retired=False)
        self._check_new_names(cleaned, active)
        check_active_count(len(active) + len(cleaned))
        with self.transaction() as db:
            for name in cleaned:
                db.execute("INSERT INTO psfs_activities (name, created, retired) "
                           "VALUES (?, ?, 0)", [name, created.isoformat()])
        return self.psfs_activities()

    @staticmethod
    def _check_new_names(names: list[str], active: list[PsfsActivity]) -> None:
        taken = {a.name.casefold() for a in active}
        for name in names:
            if name.casefold() in taken:
                raise ValidationError("activity", name, "a name not already in use")
            taken.add(name.casefold())

    def rename_psfs_activity(self, activity_id: int, name: str, day: datetime.date,
                             today: datetime.date | None = None) -> PsfsActivity:
        """Rename an activity: a renamed activity counts as a new one (§3.1), so the old one
        is retired with its scores and the new name starts afresh on ``day``."""
        today = today or datetime.date.today()
        check_date("date", day, today)
        new = clean_name(name)
        active = [a for a in self.psfs_activities(include_retired=False) if a.id != activity_id]
        self._check_new_names([new], active)
        with self.transaction() as db:
            db.execute("UPDATE psfs_activities SET retired = 1 WHERE id = ?", [activity_id])
            db.execute("INSERT INTO psfs_activities (name, created, retired) VALUES (?, ?, 0)",
                       [new, day.isoformat()])
        return self.psfs_activities()[-1]

    def set_psfs_retired(self, activity_id: int, retired: bool) -> None:
        """Retire an activity (it keeps its scores) or bring it back."""
        if not retired:
            active = self.psfs_activities(include_retired=False)
            check_active_count(len(active) + 1)
        with self.transaction() as db:
            db.execute("UPDATE psfs_activities SET retired = ? WHERE id = ?",
                       [int(retired), activity_id])

    def psfs_scores(self, since: datetime.date | None = None,
                    until: datetime.date | None = None) -> list[PsfsScore]:
        rows = self._conn.execute(
            "SELECT day, activity_id, score FROM psfs_scores WHERE day >= ? AND day <= ? "
            "ORDER BY day, activity_id", [_iso(since) or "0000", _iso(until) or "9999"])
        return [PsfsScore(_date(day), activity_id, score) for day, activity_id, score in rows]

    def save_psfs(self, day: datetime.date, scores: dict[int, int],
                  today: datetime.date | None = None) -> None:
        """Record a week's scores {activity id: 0–10} on ``day`` in one transaction; a score
        given again for the same day and activity replaces the earlier one."""
        today = today or datetime.date.today()
        known = {a.id for a in self.psfs_activities()}
        for activity_id, score in scores.items():
            if activity_id not in known:
                raise ValidationError("activity", activity_id, "one of the runner's activities")
            validate_score(PsfsScore(day, activity_id, score), today)
        with self.transaction() as db:
            for activity_id, score in scores.items():
                db.execute("INSERT OR REPLACE INTO psfs_scores (day, activity_id, score) "
                           "VALUES (?, ?, ?)", [day.isoformat(), activity_id, score])

    def record_psfs(self, day: datetime.date, scores: dict[str, int],
                    today: datetime.date | None = None) -> None:
        """Record scores given by activity name (``psfs --score``): a name not in use is
        added to the runner's list first. All of it, or nothing."""
        today = today or datetime.date.today()
        check_date("date", day, today)
        for name, score in scores.items():
            validate_score(PsfsScore(day, 0, score), today)
            clean_name(name)
        active = {a.name.casefold(): a for a in self.psfs_activities(include_retired=False)}
        new = [clean_name(n) for n in scores if clean_name(n).casefold() not in active]
        check_active_count(len(active) + len(new))
        with self.transaction() as db:
            for name in new:
                db.execute("INSERT INTO psfs_activities (name, created, retired) "
                           "VALUES (?, ?, 0)", [name, day.isoformat()])
            ids = {n.casefold(): i for i, n in db.execute(
                "SELECT id, name FROM psfs_activities WHERE retired = 0").fetchall()}
            for name, score in scores.items():
                db.execute("INSERT OR REPLACE INTO psfs_scores (day, activity_id, score) "
                           "VALUES (?, ?, ?)", [day.isoformat(), ids[clean_name(name).casefold()],
                                                score])

    def import_psfs(self, rows: Iterable[tuple[datetime.date, str, int]],
                    today: datetime.date | None = None) -> None:
        """Bring in scores by activity name (a ``psfs.csv``), all or nothing.

        A name the store does not know becomes an activity created on its first date, and
        retired unless the file scores it on its last date (so a file's history does not
        crowd the activities in use); a known name, retired or not, takes the scores. A score
        for a day and activity already stored replaces it.
        """
        today = today or datetime.date.today()
        rows = sorted(rows)
        for day, name, score in rows:
            validate_score(PsfsScore(day, 0, score), today)
            clean_name(name)
        if not rows:
            return
        last = rows[-1][0]
        known: dict[str, PsfsActivity] = {}
        for activity in self.psfs_activities():  # the newest of a name wins
            known[activity.name.casefold()] = activity
        new: dict[str, tuple[str, datetime.date, bool]] = {}
        for day, name, _score in rows:
            key = clean_name(name).casefold()
            if key not in known and key not in new:
                new[key] = (clean_name(name), day, True)
            if key in new and day == last:
                new[key] = (new[key][0], new[key][1], False)
        active = len(self.psfs_activities(include_retired=False))
        check_active_count(active + sum(1 for _n, _d, retired in new.values() if not retired))
        with self.transaction() as db:
            for name, created, retired in new.values():
                db.execute("INSERT INTO psfs_activities (name, created, retired) "
                           "VALUES (?, ?, ?)", [name, created.isoformat(), int(retired)])
            ids: dict[str, int] = {}
            for i, n in db.execute("SELECT id, name FROM psfs_activities ORDER BY id"):
                ids[n.casefold()] = i
            for day, name, score in rows:
                db.execute("INSERT OR REPLACE INTO psfs_scores (day, activity_id, score) "
                           "VALUES (?, ?, ?)", [day.isoformat(), ids[clean_name(name).casefold()],
                                                score])

    # --- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                       [key, json.dumps(value)])

    def rules(self) -> Rules:
        """The engine's thresholds: the §5.1 defaults with the user's overrides, and the
        walk–run ladder's session minutes from the plan content (resources/plan.toml).

        Settings that fail validation (written by an older version, or edited by hand) are
        not used: the defaults are, ``settings_warning`` says so, and the stored value is
        left as it is until the runner changes a setting.
        """
        settings = self.setting("rules", {})
        try:
            rules = Rules.from_dict(settings)
        except (ValidationError, ValueError) as error:
            self.settings_warning = (
                f"The saved plan settings are not valid ({error}); RecoveryDesk uses its "
                "default settings instead.")
            rules, settings = Rules(), {}
        if "ladder_minutes" not in settings:
            from recoverydesk.core.plan import load_content
            rules = rules.with_ladder(load_content().plan.ladder_minutes)
        return rules

    # --- the whole store ------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """Every table of user data as plain records (``dump.SECTIONS``), for the export."""
        return dumping.dump(self)

    def load_dump(self, doc: dict[str, Any]) -> None:
        """Write a checked dump into this empty store, in one transaction."""
        dumping.load_dump(self, doc)

    def is_empty(self) -> bool:
        """Whether the store holds no user data at all (a backup may be restored into it)."""
        return all(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
                   for table in dumping.DATA_TABLES)

    def counts(self) -> dict[str, int]:
        """How much the file holds, for backups lists and the About box."""
        return {table: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("day_logs", "activities", "episodes")}
