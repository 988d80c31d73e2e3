"""Icons, the tray's reminder, closing to the tray, and the reminder in setup and Preferences."""

from __future__ import annotations

import datetime as dt
import pathlib
import zoneinfo

import pytest
from PySide6.QtCore import QSize, QTime
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from recoverydesk import autostart
from recoverydesk.core import reminder
from recoverydesk.core.model import DayLog
from recoverydesk.gui.mainwindow import VIEWS, MainWindow
from recoverydesk.gui.setup import SetupDialog
from tests.gui.conftest import TODAY

pytestmark = [
    pytest.mark.gui,
    # Offscreen has no tray host and no window stacking; Qt says so.
    pytest.mark.qt_log_ignore("systemTrayWindowChanged", "does not support raise"),
]

ZONE = zoneinfo.ZoneInfo("Europe/London")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def window(qtbot, session) -> MainWindow:
    win = MainWindow(session)
    qtbot.addWidget(win)
    return win


@pytest.fixture(autouse=True)
def quit_on_last_window() -> object:
    yield
    QApplication.setQuitOnLastWindowClosed(True)  # the tray turns it off


def test_the_app_icon_has_every_size_and_each_view_its_own_icon(window: MainWindow) -> None:
    from recoverydesk.gui.icons import APP_ICON_SIZES, app_icon

    sizes = {s.width() for s in app_icon().availableSizes()}
    assert sizes == set(APP_ICON_SIZES)
    images = []
    for row, spec in enumerate(VIEWS):
        icon = window.nav.item(row).icon()
        assert not icon.isNull(), spec.name
        image = icon.pixmap(QSize(24, 24)).toImage()
        images.append(bytes(image.constBits()))
        selected = icon.pixmap(QSize(24, 24), QIcon.Mode.Selected).toImage()
        # The selected row's drawing is white, to read on the highlight.
        colours = {selected.pixelColor(x, y).name() for x in range(24) for y in range(24)
                   if selected.pixelColor(x, y).alpha() > 200}
        assert colours == {"#ffffff"}, spec.name
    assert len(set(images)) == len(VIEWS)  # six different drawings


def test_the_tray_reminds_once_at_the_time_on_an_unlogged_day(window: MainWindow,
                                                               session) -> None:
    from recoverydesk.gui import tray

    session.set_setting(reminder.SETTING, "20:00")
    now = [at(19, 59)]
    reminder_tray = tray.install(window, available=True, clock=lambda: now[0])
    reminder_tray.ask_close = lambda: False
    assert reminder_tray.icon is not None
    messages: list[str] = []
    reminder_tray.icon.messageClicked.connect(lambda: messages.append("clicked"))
    assert not reminder_tray.check()
    now[0] = at(20, 0)
    assert reminder_tray.check()
    assert not reminder_tray.check()  # once a day
    assert reminder_tray.notified_on == TODAY
    # The click opens the check-in: the window, on Today.
    window.show_view("history")
    reminder_tray.icon.messageClicked.emit()
    assert window.isVisible() and window.current_view() == "today"


def test_a_logged_day_or_no_chosen_time_means_no_reminder(window: MainWindow, session) -> None:
    from recoverydesk.gui import tray

    reminder_tray = tray.install(window, available=True, clock=lambda: at(21))
    reminder_tray.ask_close = lambda: False
    assert not reminder_tray.check()  # no time chosen
    session.set_setting(reminder.SETTING, "20:00")
    session.save_day(DayLog(TODAY, pain=2))
    assert not reminder_tray.check()


def test_the_first_close_asks_and_the_answer_is_kept(qtbot, window: MainWindow,
                                                     session) -> None:
    from recoverydesk.gui import tray

    session.set_setting(reminder.SETTING, "20:00")
    reminder_tray = tray.install(window, available=True, clock=lambda: at(9))
    asked: list[bool] = []
    reminder_tray.ask_close = lambda: asked.append(True) or True
    window.show()
    window.close()
    assert asked == [True]
    assert not window.isVisible()  # hidden in the tray, still running
    assert session.setting(tray.CLOSE_TO_TRAY) is True
    window.show()
    window.close()
    assert asked == [True]  # asked only once
    window.show()
    window.quit_app()  # File → Quit really quits
    assert not window.isVisible()


def test_closing_quits_without_a_tray_or_when_the_runner_said_so(window: MainWindow,
                                                                 session) -> None:
    from recoverydesk.gui import tray

    session.set_setting(reminder.SETTING, "20:00")
    tray.install(window, available=False)
    window.show()
    window.close()
    assert not window.isVisible()
    assert session.setting(tray.CLOSE_TO_TRAY) is None  # nothing asked without a tray


def test_setup_offers_the_reminder_at_20_00_but_leaves_it_off(qtbot) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    assert dialog.reminder() is None
    assert dialog.reminder_time.time() == QTime(20, 0)
    assert not dialog.reminder_time.isEnabled()
    dialog.reminder_on.setChecked(True)
    dialog.reminder_time.setTime(QTime(19, 30))
    assert dialog.reminder() == dt.time(19, 30)


def test_first_run_stores_the_chosen_reminder(qtbot, tmp_path: pathlib.Path,
                                              monkeypatch) -> None:
    from recoverydesk import app
    from recoverydesk.gui import setup
    from recoverydesk.storage.store import Store

    def answer(dialog: SetupDialog) -> None:
        dialog.reminder_on.setChecked(True)
        dialog.reminder_time.setTime(QTime(21, 15))
        dialog.begin_button.click()

    monkeypatch.setattr(setup.SetupDialog, "exec", lambda self: answer(self))
    store = app.first_run(Store.open(tmp_path / "data"), TODAY)
    assert store is not None
    try:
        assert store.setting(reminder.SETTING) == "21:15"
    finally:
        store.close()


def test_preferences_change_the_reminder_and_start_at_login(qtbot, session, tmp_path,
                                                            monkeypatch) -> None:
    from recoverydesk.gui.dialogs import PreferencesDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dialog = PreferencesDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.reminder_on.isChecked() and not dialog.start_at_login.isChecked()
    dialog.reminder_on.setChecked(True)
    dialog.reminder_time.setTime(QTime(7, 45))
    dialog.start_at_login.setChecked(True)
    dialog._on_buttons_accepted()
    assert session.setting(reminder.SETTING) == "07:45"
    assert autostart.is_enabled()
    entry = (tmp_path / "config" / "autostart" / "recoverydesk.desktop").read_text()
    # Offscreen has no tray: the login item is the windowless reminder.
    assert entry.splitlines()[4].endswith(" remind")

    again = PreferencesDialog(session)
    qtbot.addWidget(again)
    assert again.reminder_on.isChecked() and again.start_at_login.isChecked()
    assert again.reminder_time.time() == QTime(7, 45)
    again.reminder_on.setChecked(False)
    again.start_at_login.setChecked(False)
    again._on_buttons_accepted()
    assert session.setting(reminder.SETTING) is None
    assert not autostart.is_enabled()


def test_the_about_box_shows_the_app_icon(qtbot, session) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from recoverydesk.gui.dialogs import about_dialog
    from recoverydesk.gui.icons import icons_dir

    dialog = about_dialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    url = QUrl((icons_dir() / "recoverydesk-64.png").as_uri())
    image = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource, url)
    assert image is not None and not image.isNull()
    assert image.width() == 64
