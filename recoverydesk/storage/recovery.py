"""Opening the data file safely: damaged files moved aside, backups offered (DESIGN.md §8).

API CONTRACT (the safety work fills this in; callers use only ``open_store``):
``open_store(data_dir) -> Store`` opens the database; on a damaged file it moves the file
aside untouched and raises ``DamagedDatabase`` carrying ``moved_to`` and ``newest_backup``.
"""

from __future__ import annotations

import pathlib

from recoverydesk.storage.store import Store


def open_store(data_dir: pathlib.Path) -> Store:
    """Open the store in ``data_dir`` (every entry point goes through here)."""
    return Store.open(data_dir)
