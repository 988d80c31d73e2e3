"""The window painted from Today's first frame before its data file is open (first_frame.py):
what it shows is what the data then shows, and everything works once the file is open."""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest
from PySide6.QtCore import QSettings, Qt

from recoverydesk import first_frame
from recoverydesk.app import first_frame_window
from recoverydesk.gui.mainwindow import SETTINGS_FILE
from recoverydesk.storage.store import Store
from tests.conftest import DEMO_TODAY

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="the first frame needs os.fork")]


def test_today_is_painted_from_the_first_frame_then_from_the_data(qtbot,
                                                                  demo_dir: pathlib.Path) -> None:
    window = first_frame_window(first_frame.start(demo_dir, DEMO_TODAY), demo_dir,
                                remember=False, today=DEMO_TODAY)
    assert window is not None
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1100, 750)
    window.show()
    qtbot.waitExposed(window)
    today = window.views["today"]
    assert not window.session.is_open
    assert window.windowTitle() == "Demo data — RecoveryDesk"
    painted = today.face
    assert painted is not None
    heading = today.heading.text()
    assert heading == painted["heading"] and " — day " in heading
    ticked = [today.checkbox(item["id"]).isChecked() for item in painted["checklist"]]

    store = Store.open(demo_dir)
    try:
        window.session.open(store)
        assert today.face == painted  # the data says just what the first frame said
        assert today.heading.text() == heading
        assert [today.checkbox(i["id"]).isChecked() for i in painted["checklist"]] == ticked
        today.save_pain(3)  # and the window works on the data from then on
        assert "pain now 3" in today.pain_status.text()
        window.session.undo_stack.undo()
        assert today.face == painted
    finally:
        window.close()
        store.close()


def test_a_window_last_closed_on_another_view_starts_the_plain_way(qtbot, tmp_path,
                                                                    demo_dir: pathlib.Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    settings = QSettings(str(folder / SETTINGS_FILE), QSettings.Format.IniFormat)
    settings.setValue("window/view", "history")
    settings.sync()
    pending = first_frame.start(folder, DEMO_TODAY)
    assert first_frame_window(pending, folder, today=DEMO_TODAY) is None
    assert pending is not None and pending.result() is None  # the child was stopped


def test_no_first_frame_window_without_an_episode(qtbot, tmp_path) -> None:
    Store.open(tmp_path / "data").close()
    pending = first_frame.start(tmp_path / "data")
    assert first_frame_window(pending, tmp_path / "data", remember=False) is None
