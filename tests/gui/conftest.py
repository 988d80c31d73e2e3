"""GUI fixtures: a real store on a temporary file and a Session over it, with a fixed today."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.storage.store import Store
from tests.conftest import DEMO_TODAY

if TYPE_CHECKING:
    from recoverydesk.gui.mainwindow import MainWindow

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


@pytest.fixture
def demo_window(qtbot, demo_dir: pathlib.Path) -> Iterator[MainWindow]:
    """The main window over the demo recovery on ``DEMO_TODAY``, built as the app builds it,
    not yet shown, in its normal (not maximised) state; nothing is remembered."""
    from recoverydesk.app import build_main_window

    store = Store.open(demo_dir)
    window = build_main_window(store, DEMO_TODAY, remember=False)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    yield window
    window.close()
    store.close()


def show_view(qtbot, widget: QWidget, size: tuple[int, int] = (1100, 750)) -> QWidget:
    """Size and show ``widget`` as the window would, and wait until it is on screen."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def view(qtbot, request: pytest.FixtureRequest, session):
    """The test module's view over ``session``, shown.

    The module names its view with ``VIEW`` (a callable taking the Session) and may set
    ``VIEW_SIZE``; a module that overrides ``session`` gets its view over that one.
    """
    size = getattr(request.module, "VIEW_SIZE", (1100, 750))
    return show_view(qtbot, request.module.VIEW(session), size)
