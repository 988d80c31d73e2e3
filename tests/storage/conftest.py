from __future__ import annotations

import datetime as dt
import pathlib
import shutil
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.storage.store import DB_NAME, Store

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def schema1_folder(tmp_path: pathlib.Path) -> pathlib.Path:
    """A data folder holding a copy of the first version's file (schema 1), not yet opened."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "schema1.sqlite", data / DB_NAME)
    return data


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    """A real store on a temporary file, with an episode begun on 2026-03-01."""
    opened = Store.open(tmp_path / "data")
    opened.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=dt.date(2026, 3, 20))
    yield opened
    opened.close()
