"""The system-tray icon, the reminder it sends, and closing to the tray (DESIGN.md §1.1).

Loaded after the window's first paint. Where the desktop has a tray, the app shows its icon
there; at the reminder time, on a day with no entry, it shows a notification whose click opens
the check-in. Closing the window then keeps the app in the tray only if the runner said so:
the first close (with the reminder on) asks, and Preferences changes the answer.

The timing is core/reminder.py's: look at the wall clock at least once a minute, so a machine
that slept or a clock that moved is noticed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon

from recoverydesk.core import reminder
from recoverydesk.gui.icons import app_icon
from recoverydesk.gui.mainwindow import MainWindow

CLOSE_TO_TRAY = "close_to_tray"
"""The store setting: True (keep running), False (quit), absent (ask on the next close)."""


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class ReminderTray(QObject):
    """The tray icon and the daily reminder for one window.

    Attributes:
        icon: The tray icon (None where the desktop has no tray).
        notified_on: The date the last reminder went out.
        ask_close: Asks the first-close question; returns True to keep running. Replaceable
            so tests can answer it.
    """

    def __init__(self, window: MainWindow, *, available: bool | None = None,
                 clock: Callable[[], datetime.datetime] = reminder.local_now) -> None:
        super().__init__(window)
        self._window = window
        self._session = window.session
        self._clock = clock
        self.notified_on: datetime.date | None = None
        self.ask_close: Callable[[], bool] = self._ask_close
        self.icon: QSystemTrayIcon | None = None
        if available if available is not None else tray_available():
            self.icon = self._build_icon()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        window.keep_running_on_close.append(self._keep_running)
        window.destroyed.connect(self._timer.stop)
        if self.icon is not None:
            # Hidden in the tray, the app must outlive its last closed dialog; it quits when
            # the window really closes (see _keep_running) or from the tray's menu.
            QApplication.setQuitOnLastWindowClosed(False)
        self.check()

    def _build_icon(self) -> QSystemTrayIcon:
        icon = QSystemTrayIcon(app_icon(), self)
        icon.setToolTip("RecoveryDesk")
        menu = QMenu(self._window)
        words = reminder.texts()
        self.check_in_action = QAction(words["action"], menu)
        self.check_in_action.triggered.connect(self.open_check_in)
        show = QAction("Show RecoveryDesk", menu)
        show.triggered.connect(self.show_window)
        quit_ = QAction("Quit RecoveryDesk", menu)
        quit_.triggered.connect(self._window.quit_app)
        for action in (self.check_in_action, show, quit_):
            menu.addAction(action)
        icon.setContextMenu(menu)
        icon.activated.connect(self._on_activated)
        icon.messageClicked.connect(self.open_check_in)
        icon.show()
        return icon

    # --- the reminder ------------------------------------------------------------------------

    def reminder_time(self) -> datetime.time | None:
        return reminder.from_setting(self._session.setting(reminder.SETTING))

    @Slot()
    def check(self) -> bool:
        """Remind now if it is due; look again later. Whether a reminder went out."""
        now = self._clock()
        at = self.reminder_time()
        wait = reminder.CHECK_EVERY_S
        sent = False
        if at is not None and self.icon is not None and self._session.episode is not None:
            logged = self._session.is_logged(now.date())
            if reminder.is_due(now, at, logged_today=logged, notified_on=self.notified_on):
                words = reminder.texts()
                self.icon.showMessage(words["title"], words["body"], app_icon(), 0)
                self.notified_on = now.date()
                sent = True
            due = reminder.next_due(now, at, logged_today=logged, notified_on=self.notified_on)
            wait = reminder.seconds_to_wait(now, due) or wait
        self._timer.start(max(1000, round(wait * 1000)))
        return sent

    # --- the window --------------------------------------------------------------------------

    @Slot()
    def open_check_in(self) -> None:
        self.show_window()
        self._window.open_check_in()

    @Slot()
    def show_window(self) -> None:
        window = self._window
        window.showNormal() if window.isMinimized() else window.show()
        window.raise_()
        window.activateWindow()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            if self._window.isVisible() and not self._window.isMinimized():
                self._window.hide()
            else:
                self.show_window()

    def _keep_running(self) -> bool:
        """On closing the window: whether to stay in the tray instead of quitting."""
        if self.icon is None:
            return False
        choice = self._session.setting(CLOSE_TO_TRAY)
        if choice is None and self.reminder_time() is not None:
            choice = bool(self.ask_close())
            self._session.set_setting(CLOSE_TO_TRAY, choice)
        if not choice:
            self.icon.hide()
            QTimer.singleShot(0, QApplication.quit)
        return bool(choice)

    def _ask_close(self) -> bool:
        words = reminder.texts()
        at = self.reminder_time()
        box = QMessageBox(QMessageBox.Icon.Question, "RecoveryDesk",
                          words["close_to_tray"].format(
                              time=reminder.format_time(at) if at else "the reminder time"),
                          QMessageBox.StandardButton.NoButton, self._window)
        keep = box.addButton(words["close_to_tray_yes"], QMessageBox.ButtonRole.AcceptRole)
        box.addButton(words["close_to_tray_no"], QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is keep


def install(window: MainWindow, *, available: bool | None = None,
            clock: Callable[[], datetime.datetime] = reminder.local_now) -> ReminderTray:
    """Give ``window`` its tray icon and reminder (kept as ``window.tray``)."""
    tray = ReminderTray(window, available=available, clock=clock)
    window.tray = tray
    return tray

