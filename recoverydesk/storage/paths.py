"""Where the data lives: names and folders only, so that finding the data folder loads
neither SQLite nor the core (the window's start, ``recoverydesk/launch.py``, needs it first)."""

from __future__ import annotations

import os
import pathlib

DB_NAME = "recoverydesk.sqlite"
APP_NAME = "RecoveryDesk"
ENV_DATA_DIR = "RECOVERYDESK_DATA_DIR"


def default_data_dir() -> pathlib.Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> pathlib.Path:
    """The data folder: ``--data-dir`` wins over RECOVERYDESK_DATA_DIR over the per-user one."""
    if option:
        return pathlib.Path(option).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return pathlib.Path(env).expanduser()
    return default_data_dir()
