"""The main window: lazy views, menus, shortcuts, remembered state, undo, the instance lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from recoverydesk.app import acquire_lock, build_main_window
from recoverydesk.core.model import DayLog
from recoverydesk.gui.dialogs import RestoreDialog
from recoverydesk.gui.mainwindow import VIEW_NAMES, MainWindow
from recoverydesk.storage.store import Store
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:
    win = build_main_window(store, TODAY)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_starts_on_today_with_only_today_built(window: MainWindow) -> None:
    assert window.current_view() == "today"
    assert list(window.views) == ["today"]
    assert window.windowTitle() == "RecoveryDesk"


def test_all_six_views_open(window: MainWindow) -> None:
    assert VIEW_NAMES == ("today", "log", "calendar", "exercises", "charts", "history")
    for name in VIEW_NAMES:
        view = window.show_view(name)
        assert window.current_view() == name
        assert window.nav.currentRow() == VIEW_NAMES.index(name)
        assert view.isVisible()


def test_navigation_list_switches_views(window: MainWindow) -> None:
    window.nav.setCurrentRow(VIEW_NAMES.index("history"))
    assert window.current_view() == "history"
    assert window.nav.accessibleName() == "Views"


def test_ctrl_2_switches_to_log(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "log"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "today"


def test_last_view_and_geometry_restored(qtbot, store: Store) -> None:
    first = build_main_window(store, TODAY)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 610)  # within offscreen's 800×800 screen
    qtbot.waitExposed(first)
    first.show_view("history")
    first.close()
    assert (store.data_dir / "window.ini").exists()

    again = build_main_window(store, TODAY)
    qtbot.addWidget(again)
    assert again.current_view() == "history"
    assert (again.width(), again.height()) == (720, 610)


def test_undo_after_quick_pain_restores_the_previous_state(window: MainWindow, store) -> None:
    today = window.view("today")
    today.save_pain(3)
    assert store.day_log(TODAY) == DayLog(TODAY, 3)
    today.save_pain(6)
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert store.day_log(TODAY) == DayLog(TODAY, 3)
    assert today.pain_spin.value() == 3
    window.undo_action.trigger()
    assert store.day_log(TODAY) is None
    window.redo_action.trigger()
    assert store.day_log(TODAY) == DayLog(TODAY, 3)


def test_status_bar_shows_session_messages(window: MainWindow) -> None:
    window.session.message.emit("Saved Friday 20 March.")
    assert window.statusBar().currentMessage() == "Saved Friday 20 March."


def test_menus_follow_the_design(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]
    file_items = [a.text() for a in window.menuBar().actions()[0].menu().actions()
                  if not a.isSeparator() and a.isVisible()]
    assert file_items == ["&Import activities…", "&Export…", "Export &chart as PNG…",
                          "&Clinician report…", "&Back up now", "&Restore from backup…",
                          "&Quit"]
    assert [a.shortcut().toString() for a in window.view_actions.values()] == [
        f"Ctrl+{n}" for n in range(1, 7)]


@pytest.mark.parametrize("source", ["calendar", "history"])
def test_a_day_chosen_in_calendar_or_history_opens_in_log(window: MainWindow, source: str) -> None:
    day = TODAY - dt.timedelta(days=2)
    window.show_view(source).day_activated.emit(day)  # type: ignore[attr-defined]
    assert window.current_view() == "log"
    assert window.views["log"].day == day  # type: ignore[attr-defined]


def test_second_instance_is_refused_by_the_lock(tmp_path) -> None:
    first = acquire_lock(tmp_path / "data")
    assert first is not None
    try:
        assert acquire_lock(tmp_path / "data") is None
    finally:
        first.unlock()
    again = acquire_lock(tmp_path / "data")
    assert again is not None
    again.unlock()


def test_an_exercise_chosen_in_the_calendar_opens_in_exercises(window: MainWindow) -> None:
    calendar = window.show_view("calendar")
    calendar.exercise_requested.emit("cat_cow")  # type: ignore[attr-defined]
    assert window.current_view() == "exercises"
    assert window.views["exercises"].selected_exercise() == "cat_cow"  # type: ignore[attr-defined]


def _answer_modal(accept: Callable[[QWidget], None], seen: list[str], tries: int = 150) -> None:
    """Answer the next modal dialog with ``accept``, looking every 20 ms for up to 3 s.

    When no dialog opens in time it notes ``"no dialog"`` in ``seen`` and stops looking, so
    the test fails on its assertion instead of waiting for ever.
    """
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        if tries <= 0:
            seen.append("no dialog")
            return
        QTimer.singleShot(20, lambda: _answer_modal(accept, seen, tries - 1))
        return
    seen.append(type(dialog).__name__)
    accept(dialog)


def test_answering_a_dialog_that_never_opens_gives_up(qtbot) -> None:
    seen: list[str] = []
    _answer_modal(lambda dialog: None, seen, tries=5)
    qtbot.waitUntil(lambda: seen == ["no dialog"], timeout=2000)


def test_back_up_now_then_restore_brings_the_entries_back(qtbot, window: MainWindow) -> None:
    session = window.session
    session.save_day(DayLog(TODAY, 2))
    window.backup_action.trigger()
    backups = list((session.data_dir / "backups").glob("*.sqlite"))
    assert len(backups) == 1
    assert "Backed up to" in window.statusBar().currentMessage()

    session.save_day(DayLog(TODAY, 7))
    seen: list[str] = []

    listed: list[list[str]] = []
    offered: list[str] = []

    def press_restore(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        offered.append(box.defaultButton().text())
        next(b for b in box.buttons() if b.text() == "Restore this backup").click()

    def choose_first(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreDialog)
        listed.append([dialog.table.item(0, c).text() for c in range(4)])
        QTimer.singleShot(0, lambda: _answer_modal(press_restore, seen))
        dialog.accept()

    QTimer.singleShot(0, lambda: _answer_modal(choose_first, seen))
    window.restore_action.trigger()
    assert seen == ["RestoreDialog", "QMessageBox"]
    taken, why, days, activities = listed[0]
    assert ":" in taken  # the time, not only the day
    assert (why, days, activities) == ("Back up now", "1", "0")  # counted apart
    assert offered == ["Keep my data"]  # the safe choice is the default
    log, _activities = session.day(TODAY)
    assert log is not None and log.pain == 2
    assert session.status().logged  # the session reads the restored file
    assert "Restored the backup" in window.statusBar().currentMessage()


def test_first_opening_fits_a_small_screen_by_maximising(qtbot, store: Store) -> None:
    window = build_main_window(store, TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    free = window.screen().availableGeometry()
    assert free.width() < 1280  # offscreen's virtual screen is 800×800
    assert window.isMaximized()
    qtbot.waitUntil(lambda: free.contains(window.geometry()))


def test_check_in_shortcut_shows_today_with_pain_focused(qtbot, window: MainWindow) -> None:
    window.show_view("history")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "today"
    qtbot.waitUntil(lambda: window.view("today").pain_spin.hasFocus())


def test_demo_says_so_once_and_offers_a_way_out(qtbot, store: Store) -> None:
    store.set_setting("demo", True)
    window = build_main_window(store, TODAY)
    qtbot.addWidget(window)
    assert window.windowTitle().lower().count("demo") == 1
    assert window.windowTitle().count("RecoveryDesk") == 1
    assert window.leave_demo_action.isVisible()
    window.show()
    window.leave_demo_action.trigger()
    assert window.leave_demo_requested
    assert not window.isVisible()


def test_own_data_has_no_leave_demo(window: MainWindow) -> None:
    assert not window.leave_demo_action.isVisible()
    assert "demo" not in window.windowTitle().lower()
