"""The store's errors and the one translation of SQLite's messages into plain words.

They live apart from ``store.py`` so that ``backup.py`` and ``recovery.py`` can raise them
without importing the store (which imports them lazily in turn).
"""

from __future__ import annotations

import os
import pathlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from recoverydesk.storage.backup import BackupInfo


class StoreError(Exception):
    """A problem with the data file the user must hear about, in plain words."""


class NewerDatabase(StoreError):
    """The file was written by a newer RecoveryDesk; it is left untouched."""


class DamagedDatabase(StoreError):
    """The file is not a healthy SQLite database.

    ``recovery.open_store`` raises it after moving the file aside, so the GUI can say where
    the damaged copy went and offer the newest backup that passed its integrity check.

    Attributes:
        moved_to: Where the damaged file now lives (None when it was not moved).
        newest_backup: The newest backup that passed an integrity check, if any.
    """

    def __init__(self, message: str, *, moved_to: pathlib.Path | None = None,
                 newest_backup: BackupInfo | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to
        self.newest_backup = newest_backup


class StoreUnavailable(StoreError):
    """The file cannot be written just now: locked, read-only or the disk is full."""


class EpisodeExists(StoreError):
    """``start`` was asked while an episode is open."""


def disk_full_words(path: pathlib.Path) -> str:
    return (f"The data file {path} could not be written: the disk is full. Nothing was "
            "saved; free some space and try again.")


def disk_is_full(folder: pathlib.Path) -> bool:
    """Whether the file system holding ``folder`` has (almost) no room left: SQLite says
    only "disk I/O error" when a write fails for want of space."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 256 * 1024


def plain_words(error: sqlite3.Error, path: pathlib.Path) -> StoreError:
    """Translate SQLite's errors into sentences a runner can act on."""
    text = str(error).lower()
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or (
            (name.startswith("SQLITE_IOERR") or "disk i/o" in text)
            and disk_is_full(path.parent)):
        return StoreUnavailable(disk_full_words(path))
    if "locked" in text or "busy" in text:
        return StoreUnavailable(
            f"The data file {path} is busy: another RecoveryDesk is saving. Try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return StoreUnavailable(
            f"The data file {path} cannot be written (it or its folder is read-only). "
            "Nothing was saved.")
    if "full" in text:
        return StoreUnavailable(disk_full_words(path))
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DamagedDatabase(f"The data file {path} is damaged ({error}).")
    return StoreUnavailable(f"The data file {path} could not be used: {error}.")
