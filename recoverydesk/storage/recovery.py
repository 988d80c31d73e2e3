"""Opening the data file safely: damaged files moved aside, backups offered (DESIGN.md §8).

``open_store(data_dir)`` is the one way every entry point (window, CLI, demo) opens the data.
What it does with each kind of trouble:

- **damaged** (quick_check fails, or SQLite says "not a database"/"malformed": random bytes in a
  page, a truncated file, a file that is not SQLite): the file and its -wal/-shm are renamed,
  untouched, to ``recoverydesk.sqlite.damaged-<date_time>`` in the same folder and
  ``DamagedDatabase`` is raised with ``moved_to`` and ``newest_backup`` (the newest backup that
  passes an integrity check). Opening again then starts an empty file; ``restore_newest`` puts
  the newest good backup in place instead.
- **newer** (written by a newer RecoveryDesk): ``NewerDatabase``; the file is neither moved nor
  written.
- **unavailable** (locked by another program, read-only, disk full): ``StoreUnavailable`` with a
  sentence to show; nothing already saved is touched.

A zero-length or garbage -wal/-shm companion is not damage: SQLite ignores a WAL whose header
or checksums do not match and rebuilds the -shm, so such a file opens normally.
"""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING

from recoverydesk.storage.store import (
    DB_NAME,
    DamagedDatabase,
    Store,
    StoreError,
)

if TYPE_CHECKING:  # the backup module loads only when a file is damaged: start-up stays lean
    from recoverydesk.storage.backup import BackupInfo

__all__ = ["DamagedDatabase", "damaged_message", "open_store", "restore_newest"]


def open_store(data_dir: pathlib.Path) -> Store:
    """Open the store in ``data_dir`` (every entry point goes through here).

    Raises DamagedDatabase (after moving the file aside), NewerDatabase or StoreUnavailable;
    each carries a message meant for the user as it is.
    """
    data_dir = pathlib.Path(data_dir)
    try:
        return Store.open(data_dir)
    except DamagedDatabase as damage:
        from recoverydesk.storage.backup import newest_good_backup, set_aside

        path = data_dir / DB_NAME
        try:
            moved = set_aside(path)
        except OSError as error:
            raise DamagedDatabase(
                f"Your data file {path} is damaged and could not be set aside "
                f"({error.strerror or error}); it has not been changed. Close RecoveryDesk, "
                "move that file elsewhere, then start again to restore a backup.",
                newest_backup=newest_good_backup(data_dir)) from damage
        newest = newest_good_backup(data_dir)
        raise DamagedDatabase(damaged_message(moved, newest), moved_to=moved,
                              newest_backup=newest) from damage


def damaged_message(moved_to: pathlib.Path, newest: BackupInfo | None) -> str:
    """The plain-words explanation shown when the data file had to be set aside."""
    text = (f"Your data file was damaged and has been set aside as {moved_to.name} "
            f"(in {moved_to.parent}); it has not been changed or deleted. ")
    if newest is not None:
        text += (f"The newest good backup is from {newest.describe()}: restore it from "
                 "File → Restore from backup…")
    else:
        text += ("There is no good backup to restore, so RecoveryDesk will start with an "
                 "empty file; keep the damaged one, it may still be rescued.")
    return text


def restore_newest(data_dir: pathlib.Path) -> Store:
    """Put the newest good backup in place and open it (the "restore it now" answer).

    Whatever is in place (usually nothing, after a damaged file was set aside) is kept first,
    as ``restore`` does. Raises StoreError when no backup passes its check.
    """
    from recoverydesk.storage.backup import newest_good_backup, restore

    data_dir = pathlib.Path(data_dir)
    newest = newest_good_backup(data_dir)
    if newest is None:
        raise StoreError(f"There is no good backup in {data_dir / 'backups'} to restore.")
    restore(data_dir, newest.path)
    return open_store(data_dir)
