"""The front door from widgets to the store and the engine.

Every view holds the one Session it was given; none talks to the store directly. Writes that
a user may want to take back go through the undo stack, so Edit → Undo covers the Log form,
the Today view and the History table alike.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import pathlib
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from recoverydesk.core import engine, words
from recoverydesk.core.model import Action, Activity, DayLog, Episode, EpisodeInfo
from recoverydesk.core.plan import Content, load_content
from recoverydesk.core.psfs import PsfsActivity, PsfsScore
from recoverydesk.core.rules import Rules
from recoverydesk.storage.store import ONSET_SETTING, Store, StoreError

if TYPE_CHECKING:
    from recoverydesk.interchange.importing import Outcome, Prepared
    from recoverydesk.storage.backup import BackupInfo as BackupInfo  # for the dialogs

__all__ = ["DayEntry", "LastFolders", "Session", "StoreError"]

DayEntry = tuple[DayLog | None, list[Activity]]
"""A day as stored: its entry (None when there is none) and its activities."""


@dataclasses.dataclass(slots=True)
class LastFolders:
    """Where the file dialogs opened last, for this run (None: the home folder)."""

    import_files: pathlib.Path | None = None
    export: pathlib.Path | None = None
    report: pathlib.Path | None = None


class Session(QObject):
    """The open data file, its replayed episode and the undo history.

    Signals:
        data_changed: Anything stored changed; views reload. arg: the dates touched
            (a frozenset of datetime.date; empty when the change is not tied to days).
        episode_changed: The episode itself was begun or its settings changed.
        message: A short line for the status bar. arg: the text.

    Attributes:
        content: The plan, red-flag and help texts from resources/.
        undo_stack: Undo/redo of every user edit.
        last_folders: Where the import, export and report dialogs opened last.
    """

    data_changed = Signal(object)
    episode_changed = Signal()
    message = Signal(str)

    def __init__(self, store: Store, *, content: Content | None = None,
                 today: Callable[[], datetime.date] = datetime.date.today,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.last_folders = LastFolders()
        self.content = content or load_content()
        self._today = today
        self.undo_stack = QUndoStack(self)
        self._episode: Episode | None = None
        self._timeline: list[engine.DayStatus] | None = None
        self._changed_from: datetime.date | None = None
        self._rules: Rules | None = None

    # --- reading ---------------------------------------------------------------------------

    def today(self) -> datetime.date:
        return self._today()

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = self._store.rules()
            warning = getattr(self._store, "settings_warning", None)
            if warning:
                self.message.emit(warning)
        return self._rules

    @property
    def info(self) -> EpisodeInfo | None:
        episode = self.episode
        return episode.info if episode else None

    @property
    def units(self) -> str:
        info = self.info
        return info.units if info else "km"

    @property
    def episode(self) -> Episode | None:
        if self._episode is None:
            self._episode = self._store.load_episode()
        return self._episode

    @property
    def store(self) -> Store:
        """The open Store, for gui/report.py only until its rewrite (issue #10) lands.

        Nothing else may use it: every other view goes through the methods here.
        """
        return self._store

    @property
    def data_dir(self) -> pathlib.Path:
        return self._store.data_dir

    def day(self, day: datetime.date) -> DayEntry:
        """The entry and activities stored for ``day``."""
        return self._store.day_log(day), self._store.activities(since=day, until=day)

    def day_logs(self) -> list[DayLog]:
        return self._store.day_logs()

    def activities(self) -> list[Activity]:
        return self._store.activities()

    def ticks(self, day: datetime.date) -> frozenset[str]:
        """The checklist items ticked on ``day``."""
        return self._store.ticks(day)

    def exercises_done(self, since: datetime.date,
                       until: datetime.date) -> dict[datetime.date, dict[str, int]]:
        return self._store.exercises_done(since, until)

    def counts(self) -> dict[str, int]:
        """How many rows each kind of data has (day_logs, activities…)."""
        return self._store.counts()

    def setting(self, key: str, default: Any = None) -> Any:
        """A stored setting (JSON value), e.g. an archive cap; ``default`` when unset."""
        return self._store.setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting that no view shows (e.g. the watch files already offered)."""
        self._store.set_setting(key, value)

    def imported_hashes(self) -> frozenset[str]:
        """The SHA-256 of every file imported so far."""
        return frozenset(str(row["sha256"]) for row in self._store.imported_files())

    def timeline(self) -> list[engine.DayStatus]:
        """The engine's answer for every day from the start to today.

        Cached until a write or a new day; then the replay resumes from the first day
        written (or the first new day), keeping the days before it (§10: a save within a
        frame). An import, a restore or new settings drop the cache: a full replay.
        """
        episode = self.episode
        if episode is None:
            return []
        today = self.today()
        timeline = self._timeline
        if timeline is None:
            timeline = engine.replay(episode, self.rules, today)
        elif self._changed_from is not None or (timeline and timeline[-1].day != today):
            timeline = engine.replay(episode, self.rules, today, earlier=timeline,
                                     changed_from=self._changed_from)
        self._timeline = timeline
        self._changed_from = None
        return timeline

    def status(self, day: datetime.date | None = None) -> engine.DayStatus | None:
        """The status of ``day`` (default today), or None before the episode began."""
        day = day or self.today()
        episode = self.episode
        if episode is None or day < episode.start:
            return None
        timeline = self.timeline()
        index = (day - episode.start).days
        if index < len(timeline):
            return timeline[index]
        return engine.status_on(episode, self.rules, day)

    def is_logged(self, day: datetime.date) -> bool:
        """Whether ``day`` has an entry (read afresh: another process may have written it)."""
        return self._store.day_log(day) is not None

    def _invalidate(self, days: Iterable[datetime.date] = ()) -> None:
        """Refresh what a write touched and tell the views.

        With the days given, only those days are re-read into the cached episode and the
        timeline is marked to replay from the first of them; without, everything is dropped
        (an import, a restore, new settings).
        """
        days = frozenset(days)
        episode = self._episode
        if days and episode is not None:
            self._episode = self._patched(episode, days)
            first = min(days)
            if self._changed_from is None or first < self._changed_from:
                self._changed_from = first
        else:
            self._episode = None
            self._timeline = None
            self._changed_from = None
            self._rules = None
        self.data_changed.emit(days)

    def _patched(self, episode: Episode, days: frozenset[datetime.date]) -> Episode:
        """``episode`` with ``days`` read again from the store (and its actions)."""
        logs = dict(episode.logs)
        # The activities before the first day touched stay as they are (already in order).
        cut = bisect.bisect_left(episode.activities, min(days), key=_activity_day)
        activities = [a for a in episode.activities[cut:] if a.day not in days]
        for day in days:
            if day < episode.start:
                continue
            log = self._store.day_log(day)
            if log is None:
                logs.pop(day, None)
            else:
                logs[day] = log
            activities += self._store.activities(since=day, until=day)
        activities.sort(key=_activity_order)
        return dataclasses.replace(episode, logs=logs,
                                   activities=episode.activities[:cut] + tuple(activities),
                                   actions=self._store.actions(episode.info))

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
        # Validate (and write) now, so a refusal reaches the caller before the stack changes.
        before = self._day_snapshot(log.day)
        self._store.save_day(log, activities, replace_activities=replace_activities,
                            today=self.today())
        after = self._day_snapshot(log.day)
        label = text or change_words(before, after, log.day)
        self.undo_stack.push(_DayCommand(self, log.day, before, after, label))
        self.notify(f"Saved {words.weekday_text(log.day)}.")

    def delete_day(self, day: datetime.date) -> None:
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
        before = (after[0], sorted([*after[1], removed], key=_activity_order))
        self.undo_stack.push(_DayCommand(self, day, before, after, f"Delete {removed.kind}"))

    def set_tick(self, day: datetime.date, item: str, done: bool) -> None:
        self._store.set_tick(day, item, done)
        self.undo_stack.push(_TickCommand(self, day, item, done))

    def set_exercise_done(self, day: datetime.date, exercise_id: str, done: bool = True) -> None:
        self._store.set_exercise_done(day, exercise_id, done)
        self._invalidate([day])

    def advance(self, day: datetime.date | None = None) -> engine.Decision:
        """Ask to advance on ``day``; stored only when the engine accepts it."""
        day = day or self.today()
        episode = self.episode
        if episode is None:
            raise RuntimeError("advance needs an episode")
        decision = engine.check_advance(episode, self.rules, day, self.today())
        if decision.accepted:
            self._store.add_action(Action(day, "advance"), today=self.today())
            self._invalidate([day])
        return decision

    def clear(self, day: datetime.date, note: str) -> engine.Decision:
        """Record a clinician clearance; stored only when the plan is paused on ``day``."""
        episode = self.episode
        if episode is None:
            raise RuntimeError("clearance needs an episode")
        decision = engine.check_clearance(episode, self.rules, day, self.today())
        if decision.accepted:
            self._store.add_action(Action(day, "clearance", note), today=self.today())
            self._invalidate([day])
        return decision

    # --- function (PSFS, DESIGN §3.1) --------------------------------------------------------

    def psfs_activities(self, *, include_retired: bool = True) -> list[PsfsActivity]:
        return self._store.psfs_activities(include_retired=include_retired)

    def psfs_scores(self) -> list[PsfsScore]:
        return self._store.psfs_scores()

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

    @property
    def onset_before_45(self) -> bool | None:
        value = self._store.setting(ONSET_SETTING)
        return value if isinstance(value, bool) else None

    def set_onset_before_45(self, value: bool) -> None:
        """Record the answer and replay: the stiffness notice depends on it."""
        self._store.set_setting(ONSET_SETTING, value)
        self._invalidate()

    def record_ready(self, day: datetime.date | None = None) -> None:
        """Record a passed ready-to-run test on ``day`` (default today; §5.3, gate G6)."""
        day = day or self.today()
        self._store.add_action(Action(day, "ready"), today=self.today())
        self._invalidate([day])

    def record_screen(self, risks: frozenset[str], day: datetime.date | None = None) -> None:
        """Record the whole risk screen (the ids answered yes) on ``day`` (§4.1)."""
        day = day or self.today()
        self._store.add_action(Action(day, "screen", risks=risks), today=self.today())
        self._invalidate([day])

    def screen_answers(self) -> frozenset[str]:
        """The yes answers of the latest risk screen (none recorded: no yes)."""
        episode = self.episode
        screens = [a for a in episode.actions if a.kind == "screen"] if episode else []
        return screens[-1].risks if screens else frozenset()

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


def _activity_day(activity: Activity) -> datetime.date:
    return activity.day


def _activity_order(activity: Activity) -> tuple[datetime.date, str, int]:
    """The store's order: by day, start time (none first), then id."""
    start = activity.start_time.isoformat() if activity.start_time else ""
    return activity.day, start, activity.id or 0


_FIELD_WORDS = (("pain", "pain"), ("pain_activity", "activity pain"),
                ("pain_morning", "morning pain"), ("red_flags", "red flags"),
                ("sleep_hours", "sleep"), ("heat_ice_min", "heat/ice"), ("notes", "notes"),
                ("leg_pain", "leg pain"), ("stiffness_min", "stiffness"),
                ("pain_sites", "where it hurt"))
"""Every field of a day's entry but its date, in the words an undo step names it by."""


def change_words(before: DayEntry, after: DayEntry, day: datetime.date) -> str:
    """An undo step's name from what it changed: "pain 4 → 5 on 29 Nov", not "Save 29 Nov"
    for every step."""
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
