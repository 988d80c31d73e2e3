"""GUI fixtures: a real store on a temporary file and a Session over it, with a fixed today."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.storage.store import Store

TODAY = dt.date(2026, 3, 20)
START = dt.date(2026, 3, 1)


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data")
    opened.start_episode(EpisodeInfo(START), today=TODAY)
    yield opened
    opened.close()


@pytest.fixture
def session(qtbot, store: Store):  # noqa: ARG001 - qtbot makes sure a QApplication exists
    from recoverydesk.gui.session import Session

    return Session(store, today=lambda: TODAY)
