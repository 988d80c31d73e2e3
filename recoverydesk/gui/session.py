"""The front door from widgets to the store and the engine.

Every view holds the one Session it was given; none talks to the store directly. Writes that
a user may want to take back go through the undo stack, so Edit → Undo covers the Log form,
the Today view and the History table alike.
"""

from __future__ import annotations

import datetime
import pathlib
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from recoverydesk.storage.errors import StoreError
from recoverydesk.storage.reader import DayEntry, Reader, activity_order

if TYPE_CHECKING:
    from recoverydesk.core.engine import Decision
    from recoverydesk.core.model import Activity, DayLog, EpisodeInfo
    from recoverydesk.core.plan import Content
    from recoverydesk.interchange.importing import Outcome, Prepared
    from recoverydesk.storage.backup import BackupInfo as BackupInfo  # for the dialogs
    from recoverydesk.storage.store import Store

__all__ = ["DayEntry", "LastFolders", "Session", "StoreError"]


class LastFolders:
    """Where the file dialogs opened last, for this run (None: the home folder)."""

    __slots__ = ("export", "import_files", "report")

    def __init__(self) -> None:
        self.import_files: pathlib.Path | None = None
        self.export: pathlib.Path | None = None
        self.report: pathlib.Path | None = None


class Session(QObject, Reader):
    """The open data file, its replayed episode and the undo history.

    The reading is the Reader's (storage/reader.py); the Session adds the writes, each an undo
    step where a runner may want to take it back, and tells the views what changed. It may be
    made before its data file is opened (``store`` None: the window's first frame is painted
    from a face worked out elsewhere); ``open`` gives it the file.

    Signals:
        data_changed: Anything stored changed; views reload. arg: the dates touched
            (a frozenset of datetime.date; empty when the change is not tied to days).
        episode_changed: The episode itself was begun or its settings changed.
        message: A short line for the status bar. arg: the text.

    Attributes:
        undo_stack: Undo/redo of every user edit.
        last_folders: Where the import, export and report dialogs opened last.
    """

    data_changed = Signal(object)
    episode_changed = Signal()
    message = Signal(str)

    def __init__(self, store: Store | None, *, content: Content | None = None,
                 today: Callable[[], datetime.date] = datetime.date.today,
                 parent: QObject | None = None) -> None:
        # PySide's QObject.__init__ calls the next __init__ in line (Reader's) with no
        # arguments; the Reader is then set up again with them.
        QObject.__init__(self, parent)
        Reader.__init__(self, store, content=content, today=today)
        self.last_folders = LastFolders()
        self.undo_stack = QUndoStack(self)

    @property
    def is_open(self) -> bool:
        """Whether the data file has been given (``open``)."""
        return self._open_store is not None

    def open(self, store: Store) -> None:
        """Give the session its data file, and tell the views to show it."""
        self._store = store
        self._invalidate()

    @property
    def store(self) -> Store:
        """The open Store, for gui/report.py only until its rewrite (issue #10) lands.

        Nothing else may use it: every other view goes through the methods here.
        """
        return self._store

    def _warn(self, text: str) -> None:  # overrides Reader._warn
        self.message.emit(text)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting that no view shows (e.g. the watch files already offered)."""
        self._store.set_setting(key, value)

    def _invalidate(self, days: Iterable[datetime.date] = ()) -> None:
        """Refresh what a write touched (``Reader.forget``) and tell the views."""
        self.data_changed.emit(self.forget(days))

    # --- writing ---------------------------------------------------------------------------

    def begin_episode(self, info: EpisodeInfo, *, new: bool = False) -> EpisodeInfo:
        stored = self._store.start_episode(info, new=new, today=self.today())
        self.undo_stack.clear()
        self._invalidate()
        self.episode_changed.emit()
        return stored

    def update_episode(self, info: EpisodeInfo) -> None:
        self._store.update_episode(info, today=self.today())
        self._invalidate()
        self.episode_changed.emit()

    def save_day(self, log: DayLog, activities: Sequence[Activity] = (), *,
                 replace_activities: bool = True, text: str | None = None) -> None:
        """Save a day's entry as one undoable step. Raises ValidationError, writes nothing."""
        from recoverydesk.core import words

        # Validate (and write) now, so a refusal reaches the caller before the stack changes.
        before = self._day_snapshot(log.day)
        self._store.save_day(log, activities, replace_activities=replace_activities,
                            today=self.today())
        after = self._day_snapshot(log.day)
        label = text or change_words(before, after, log.day)
        self.undo_stack.push(_DayCommand(self, log.day, before, after, label))
        self.notify(f"Saved {words.weekday_text(log.day)}.")

    def delete_day(self, day: datetime.date) -> None:
        from recoverydesk.core import words

        before = self._store.delete_day(day)  # what it removed is the undo snapshot
        label = f"Delete {words.date_text(day, year=False)}"
        self.undo_stack.push(_DayCommand(self, day, before, (None, []), label))
        self.notify(f"Deleted the entry of {words.weekday_text(day)}. "
                    "Edit → Undo brings it back.")

    def delete_activity(self, activity_id: int) -> None:
        removed = self._store.delete_activity(activity_id)
        if removed is None:
            return
        day = removed.day
        after = self._day_snapshot(day)
        before = (after[0], sorted([*after[1], removed], key=activity_order))
        self.undo_stack.push(_DayCommand(self, day, before, after, f"Delete {removed.kind}"))

    def set_tick(self, day: datetime.date, item: str, done: bool) -> None:
        self._store.set_tick(day, item, done)
        self.undo_stack.push(_TickCommand(self, day, item, done))

    def set_exercise_done(self, day: datetime.date, exercise_id: str, done: bool = True) -> None:
        self._store.set_exercise_done(day, exercise_id, done)
        self._invalidate([day])

    def advance(self, day: datetime.date | None = None) -> Decision:
        """Ask to advance on ``day``; stored only when the engine accepts it."""
        from recoverydesk.core import engine
        from recoverydesk.core.model import Action

        day = day or self.today()
        episode = self.episode
        if episode is None:
            raise RuntimeError("advance needs an episode")
        decision = engine.check_advance(episode, self.rules, day, self.today())
        if decision.accepted:
            self._store.add_action(Action(day, "advance"), today=self.today())
            self._invalidate([day])
        return decision

    def clear(self, day: datetime.date, note: str) -> Decision:
        """Record a clinician clearance; stored only when the plan is paused on ``day``."""
        from recoverydesk.core import engine
        from recoverydesk.core.model import Action

        episode = self.episode
        if episode is None:
            raise RuntimeError("clearance needs an episode")
        decision = engine.check_clearance(episode, self.rules, day, self.today())
        if decision.accepted:
            self._store.add_action(Action(day, "clearance", note), today=self.today())
            self._invalidate([day])
        return decision

    # --- function (PSFS, DESIGN §3.1) --------------------------------------------------------

    def add_psfs_activities(self, names: Sequence[str]) -> None:
        """Name activities to score weekly. Raises ValidationError, writes nothing."""
        self._store.add_psfs_activities(names, self.today(), today=self.today())
        self._invalidate()

    def rename_psfs_activity(self, activity_id: int, name: str) -> None:
        """Rename: the old name is retired with its scores, the new one starts today."""
        self._store.rename_psfs_activity(activity_id, name, self.today(), today=self.today())
        self._invalidate()

    def set_psfs_retired(self, activity_id: int, retired: bool) -> None:
        self._store.set_psfs_retired(activity_id, retired)
        self._invalidate()

    def save_psfs(self, scores: dict[int, int], day: datetime.date | None = None) -> None:
        """Record the week's scores on ``day`` (default today)."""
        day = day or self.today()
        self._store.save_psfs(day, scores, today=self.today())
        self._invalidate()  # the PSFS notices read every score
        self.notify(f"Function scores saved for {day:%A %d %B}.")

    def set_onset_before_45(self, value: bool) -> None:
        """Record the answer and replay: the stiffness notice depends on it."""
        from recoverydesk.storage.store import ONSET_SETTING

        self._store.set_setting(ONSET_SETTING, value)
        self._invalidate()

    def record_ready(self, day: datetime.date | None = None) -> None:
        """Record a passed ready-to-run test on ``day`` (default today; §5.3, gate G6)."""
        from recoverydesk.core.model import Action

        day = day or self.today()
        self._store.add_action(Action(day, "ready"), today=self.today())
        self._invalidate([day])

    def record_screen(self, risks: frozenset[str], day: datetime.date | None = None) -> None:
        """Record the whole risk screen (the ids answered yes) on ``day`` (§4.1)."""
        from recoverydesk.core.model import Action

        day = day or self.today()
        self._store.add_action(Action(day, "screen", risks=risks), today=self.today())
        self._invalidate([day])

    def mark_recovered(self) -> None:
        """Close the open episode and keep it for history (§5.1, like ``start --new``)."""
        self._store.close_episode(today=self.today())
        self.undo_stack.clear()
        self._invalidate()
        self.episode_changed.emit()

    def notify(self, text: str) -> None:
        """Put ``text`` in the status bar (the one place ``message`` is emitted)."""
        self.message.emit(text)

    def set_rules(self, **changes: Any) -> None:
        """Change rule settings (e.g. ``auto_advance=False``) and replay with them."""
        from recoverydesk.core.rules import Rules

        stored = dict(self._store.setting("rules", {}) or {})
        if getattr(self._store, "settings_warning", None):
            stored = {}  # the stored ones were set aside: start again from the defaults
        stored.update(changes)
        Rules.from_dict(stored)  # the validation JSON import uses; ValidationError if bad
        self._store.set_setting("rules", stored)
        self.reload()

    def commit_import(self, prepared: Prepared) -> Outcome:
        """Write one read file in one transaction (see ``Prepared.commit``).

        The views are not told here: the import job reloads once at its end.
        """
        return prepared.commit(self._store, self.today())

    def export_json(self, path: pathlib.Path, *, replace: bool = False) -> pathlib.Path:
        from recoverydesk.interchange import export

        return export.write_json(self._store, path, replace=replace)

    def export_csv(self, folder: pathlib.Path, *, replace: bool = False) -> list[pathlib.Path]:
        from recoverydesk.interchange import export

        return list(export.export_csv(self._store, folder, replace=replace))

    def backup_now(self) -> pathlib.Path:
        """Copy the data file into ``backups/`` now; raises StoreError when it cannot."""
        from recoverydesk.storage.backup import backup_now

        return backup_now(self._store)

    def backups(self) -> list[BackupInfo]:
        """The backups that can be restored, newest first."""
        from recoverydesk.storage.backup import list_backups

        return [i for i in list_backups(self._store.data_dir) if i.restorable]

    def restore_backup(self, info: BackupInfo) -> None:
        """Make ``info`` the data file and start over on it.

        The store is closed for the swap and opened again either way, so a failed restore
        leaves the session on the data it had, and the StoreError saying why is raised.
        """
        from recoverydesk.storage.backup import restore
        from recoverydesk.storage.recovery import open_store

        data_dir = self._store.data_dir
        self._store.close()
        failure: StoreError | None = None
        try:
            restore(data_dir, info.path)
        except StoreError as error:
            failure = error
        self._store = open_store(data_dir)
        self.undo_stack.clear()
        self.reload()
        self.episode_changed.emit()
        if failure is not None:
            raise failure
        self.notify(f"Restored the backup from {info.describe()}.")

    def close(self) -> tuple[pathlib.Path | None, StoreError | None]:
        """Take the day's backup if none was taken today, then close the data file (§8).

        Returns the backup made (if any) and why it failed (if it did); the file is closed
        either way.
        """
        from recoverydesk.storage.backup import close_after_daily_backup

        return close_after_daily_backup(self._store)

    def reload(self) -> None:
        """Forget every cache (after an import, a restore or a settings change)."""
        self._invalidate()

    def _day_snapshot(self, day: datetime.date) -> DayEntry:
        return self.day(day)

    def _restore_day(self, day: datetime.date,
                     snapshot: DayEntry) -> None:
        log, activities = snapshot
        self._store.replace_day(day, log, activities, today=self.today())
        self._invalidate([day])


_FIELD_WORDS = (("pain", "pain"), ("pain_activity", "activity pain"),
                ("pain_morning", "morning pain"), ("red_flags", "red flags"),
                ("sleep_hours", "sleep"), ("heat_ice_min", "heat/ice"), ("notes", "notes"),
                ("leg_pain", "leg pain"), ("stiffness_min", "stiffness"),
                ("pain_sites", "where it hurt"))
"""Every field of a day's entry but its date, in the words an undo step names it by."""


def change_words(before: DayEntry, after: DayEntry, day: datetime.date) -> str:
    """An undo step's name from what it changed: "pain 4 → 5 on 29 Nov", not "Save 29 Nov"
    for every step."""
    from recoverydesk.core import words

    when = words.date_text(day, year=False)
    old, new = before[0], after[0]
    if new is None:
        return f"delete {when}"
    if old is None:
        return f"new entry, pain {new.pain}, on {when}"
    changed = [(said, getattr(old, name), getattr(new, name)) for name, said in _FIELD_WORDS
               if getattr(old, name) != getattr(new, name)]

    def content(acts: list[Activity]) -> list[tuple[object, ...]]:
        return sorted((a.kind, a.distance_m or 0.0, a.duration_s or 0.0, a.pain or -1,
                       str(a.start_time)) for a in acts)

    if content(before[1]) != content(after[1]):
        changed.append(("activities", None, None))
    if len(changed) == 1 and isinstance(changed[0][2], int | float):
        said, was, now = changed[0]
        return f"{said} {'–' if was is None else was} → {now} on {when}"
    if not changed:
        return f"save {when} (no change)"
    return f"edit {when}: " + ", ".join(said for said, _was, _now in changed)


class _Command(QUndoCommand):
    """An undo step of a Session.

    It holds its session weakly: the stack (a child of the session, in C++) owns the
    command, and a strong reference back would make a cycle that Python's garbage collector
    may break in an order Qt does not survive (the command freed before the stack clears it).
    """

    def __init__(self, session: Session, text: str) -> None:
        super().__init__(text)
        self._session_ref = weakref.ref(session)

    @property
    def _session(self) -> Session:
        session = self._session_ref()
        if session is None:
            raise RuntimeError("the session of this undo step is gone")
        return session


class _DayCommand(_Command):
    """Swap a day between two snapshots. The first redo is the write already made."""

    def __init__(self, session: Session, day: datetime.date,
                 before: DayEntry,
                 after: DayEntry, text: str) -> None:
        super().__init__(session, text)
        self._day = day
        self._before = before
        self._after = after
        self._done = True

    def redo(self) -> None:  # overrides QUndoCommand.redo
        if self._done:
            self._done = False
            self._session._invalidate([self._day])
            return
        self._session._restore_day(self._day, self._after)
        self._session.notify(f"Redone: {self.text()}.")

    def undo(self) -> None:  # overrides QUndoCommand.undo
        self._session._restore_day(self._day, self._before)
        self._session.notify(f"Undone: {self.text()}.")  # not the "Deleted…" of before


class _TickCommand(_Command):
    def __init__(self, session: Session, day: datetime.date, item: str, done: bool) -> None:
        super().__init__(session, ("Tick " if done else "Untick ") + item.replace("_", " "))
        self._day = day
        self._item = item
        self._done = done
        self._first = True

    def redo(self) -> None:  # overrides QUndoCommand.redo
        if not self._first:
            self._session._store.set_tick(self._day, self._item, self._done)
        self._first = False
        self._session._invalidate([self._day])

    def undo(self) -> None:  # overrides QUndoCommand.undo
        self._session._store.set_tick(self._day, self._item, not self._done)
        self._session._invalidate([self._day])
