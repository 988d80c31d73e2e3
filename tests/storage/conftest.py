from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.storage.store import Store

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    """A real store on a temporary file, with an episode begun on 2026-03-01."""
    opened = Store.open(tmp_path / "data")
    opened.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=dt.date(2026, 3, 20))
    yield opened
    opened.close()
