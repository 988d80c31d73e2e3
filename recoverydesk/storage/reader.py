"""The stored recovery and the engine's answers for it, read and kept without Qt.

The window's Session is a Reader that can also write, undo and tell the views; the process
that works out Today's first frame while the window loads Qt (``recoverydesk/first_frame.py``)
is a Reader over a read-only store. Importing this module loads neither the engine nor the
plan: they load on first use, so the window's first frame does not wait for them.
"""

from __future__ import annotations

import bisect
import datetime
import pathlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recoverydesk.core.engine import DayStatus
    from recoverydesk.core.model import Activity, DayLog, Episode, EpisodeInfo
    from recoverydesk.core.plan import Content
    from recoverydesk.core.psfs import PsfsActivity, PsfsScore
    from recoverydesk.core.rules import Rules
    from recoverydesk.storage.store import Store

DayEntry = tuple["DayLog | None", "list[Activity]"]
"""A day as stored: its entry (None when there is none) and its activities."""


def clock(today: datetime.date | None = None) -> Callable[[], datetime.date]:
    """A Reader's today: ``today`` fixed (tests, screenshots of a known day), else the date."""
    return (lambda: today) if today else datetime.date.today


class StoreNotOpen(RuntimeError):
    """The data file is asked for before it was opened (a bug, never a runner's mistake)."""


class Reader:
    """One data file's episode, settings and replayed answers, read once and kept.

    The replay is kept until ``forget``; after a write to some days it resumes from the
    first of them (DESIGN §10: a save within a frame).
    """

    def __init__(self, store: Store | None = None, *, content: Content | None = None,
                 today: Callable[[], datetime.date] = datetime.date.today) -> None:
        self._open_store = store
        self._content = content
        self._today = today
        self._episode: Episode | None = None
        self._timeline: list[DayStatus] | None = None
        self._changed_from: datetime.date | None = None
        self._rules: Rules | None = None

    @property
    def _store(self) -> Store:
        if self._open_store is None:
            raise StoreNotOpen("the data file is not open yet")
        return self._open_store

    @_store.setter
    def _store(self, store: Store) -> None:
        self._open_store = store

    def today(self) -> datetime.date:
        return self._today()

    @property
    def content(self) -> Content:
        """The plan, red-flag and help texts from resources/ (loaded on first use)."""
        if self._content is None:
            from recoverydesk.core.plan import load_content

            self._content = load_content()
        return self._content

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = self._store.rules()
            warning = getattr(self._store, "settings_warning", None)
            if warning:
                self._warn(warning)
        return self._rules

    def _warn(self, text: str) -> None:
        """Tell the runner about settings that were set aside (the Session shows it)."""

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

    def imported_hashes(self) -> frozenset[str]:
        """The SHA-256 of every file imported so far."""
        return frozenset(str(row["sha256"]) for row in self._store.imported_files())

    def timeline(self) -> list[DayStatus]:
        """The engine's answer for every day from the start to today.

        Kept until a write or a new day; then the replay resumes from the first day
        written (or the first new day), keeping the days before it (§10: a save within a
        frame). An import, a restore or new settings drop it: a full replay.
        """
        from recoverydesk.core import engine

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

    def status(self, day: datetime.date | None = None) -> DayStatus | None:
        """The status of ``day`` (default today), or None before the episode began."""
        day = day or self.today()
        episode = self.episode
        if episode is None or day < episode.start:
            return None
        timeline = self.timeline()
        index = (day - episode.start).days
        if index < len(timeline):
            return timeline[index]
        from recoverydesk.core import engine

        return engine.status_on(episode, self.rules, day)

    def is_logged(self, day: datetime.date) -> bool:
        """Whether ``day`` has an entry (read afresh: another process may have written it)."""
        return self._store.day_log(day) is not None

    def psfs_activities(self, *, include_retired: bool = True) -> list[PsfsActivity]:
        return self._store.psfs_activities(include_retired=include_retired)

    def psfs_scores(self) -> list[PsfsScore]:
        return self._store.psfs_scores()

    @property
    def onset_before_45(self) -> bool | None:
        from recoverydesk.storage.store import ONSET_SETTING

        value = self._store.setting(ONSET_SETTING)
        return value if isinstance(value, bool) else None

    def screen_answers(self) -> frozenset[str]:
        """The yes answers of the latest risk screen (none recorded: no yes)."""
        episode = self.episode
        screens = [a for a in episode.actions if a.kind == "screen"] if episode else []
        return screens[-1].risks if screens else frozenset()

    def forget(self, days: Iterable[datetime.date] = ()) -> frozenset[datetime.date]:
        """Refresh what a write touched; the days, as a set.

        With the days given, only those days are read again into the kept episode and the
        replay resumes from the first of them; without, everything is dropped (an import, a
        restore, new settings).
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
        return days

    def _patched(self, episode: Episode, days: frozenset[datetime.date]) -> Episode:
        """``episode`` with ``days`` read again from the store (and its actions)."""
        import dataclasses

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
        activities.sort(key=activity_order)
        return dataclasses.replace(episode, logs=logs,
                                   activities=episode.activities[:cut] + tuple(activities),
                                   actions=self._store.actions(episode.info))


def _activity_day(activity: Activity) -> datetime.date:
    return activity.day


def activity_order(activity: Activity) -> tuple[datetime.date, str, int]:
    """The store's order: by day, start time (none first), then id."""
    start = activity.start_time.isoformat() if activity.start_time else ""
    return activity.day, start, activity.id or 0
