"""First-run setup: begin an episode, or choose the demo in its own data folder."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from recoverydesk.app import build_main_window, open_demo
from recoverydesk.core.model import EpisodeInfo
from recoverydesk.gui.setup import SetupDialog
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.gui


def test_begin_gives_the_episode_entered(qtbot) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 3, 10))
    dialog.units.setCurrentIndex(1)
    dialog.baseline.setValue(20)
    dialog.notes.setPlainText("after a trail race")
    dialog.begin_button.click()
    assert dialog.choice == "begin"
    info = dialog.info()
    assert info.start == dt.date(2026, 3, 10)
    assert info.units == "mi"
    assert info.baseline_weekly_m == pytest.approx(20 * 1609.344)
    assert info.notes == "after a trail race"


def test_start_date_cannot_be_after_today(qtbot) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 4, 1))
    assert dialog.start.date().toPython() == TODAY


def test_baseline_is_optional(qtbot) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    assert dialog.info() == EpisodeInfo(TODAY, "km", None, "")


def test_demo_choice_opens_a_filled_separate_folder(qtbot, tmp_path) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    dialog.demo_button.click()
    assert dialog.choice == "demo"
    demo = open_demo(tmp_path / "data" / "demo", TODAY)
    assert demo is not None
    try:
        assert demo.path.parent == tmp_path / "data" / "demo"
        assert not (tmp_path / "data" / "recoverydesk.sqlite").exists()
        window = build_main_window(demo, TODAY)
        qtbot.addWidget(window)
        assert window.windowTitle() == "Demo data — RecoveryDesk"
        status = window.session.status()
        assert status is not None and status.phase == "run"
    finally:
        demo.close()
    again = open_demo(tmp_path / "data" / "demo", TODAY)  # opened again: not filled twice
    assert again is not None
    assert len(again.episodes()) == 1
    again.close()
