"""Composition root: open the data, build the Session and the MainWindow (STYLE.md §1).

The same ``build_main_window`` serves the real app, the screenshots and the tests, so what is
tested is what runs. Start-up is kept light (DESIGN.md §10): this module imports only QtCore,
QtGui, QtWidgets, the store and the session; the views, dialogs and the demo are imported when
first needed, and nothing is written to disk before the first frame is painted.

Themes: ``RECOVERYDESK_THEME=dark`` (or ``light``) forces Qt's Fusion style with a dark (or
light) palette, for screenshots and for desktops whose theme Qt does not follow; unset, the
platform's own theme is used.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLockFile, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from recoverydesk.gui.mainwindow import SETTINGS_FILE, VIEW_NAMES, MainWindow
from recoverydesk.gui.session import Session
from recoverydesk.storage.errors import StoreError
from recoverydesk.storage.reader import clock

if TYPE_CHECKING:
    from recoverydesk.first_frame import Pending
    from recoverydesk.storage.store import Store

APP_NAME = "RecoveryDesk"
ORG_NAME = "RecoveryDesk"
LOCK_NAME = ".lock"
DEMO_FOLDER = "demo"
THEME_ENV = "RECOVERYDESK_THEME"
DESKTOP_ID = "io.github.recoverydesk.RecoveryDesk"
ALREADY_OPEN = "RecoveryDesk is already open for this data folder."


def build_main_window(store: Store, today: datetime.date | None = None, *,
                      remember: bool = True) -> MainWindow:
    """The main window over ``store``, on the last view used (Today the first time).

    Args:
        store: The open data.
        today: A fixed "today" (tests, screenshots of a known day); None for the real date.
        remember: Keep the window's size and last view in ``<data_dir>/window.ini``; off for
            screenshots, which must not change what the runner sees next time.
    """
    session = Session(store, today=clock(today))
    demo = bool(store.setting("demo", False))
    settings = store.data_dir / SETTINGS_FILE if remember else None
    window = MainWindow(session, settings_path=settings, demo=demo)
    window.restore_state()
    return window


# --- the application ------------------------------------------------------------------------

def application() -> QApplication:
    """The one QApplication, created with the app's names and theme on first call."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(ORG_NAME)
        app.setApplicationDisplayName(APP_NAME)
        app.setDesktopFileName(DESKTOP_ID)
        from recoverydesk.gui.icons import app_icon

        app.setWindowIcon(app_icon())
        apply_theme(app)
        from recoverydesk.gui.style import install_check_box_edges

        install_check_box_edges(app)
        # The desktop switched between light and dark: edges from the new palette, once set.
        app.styleHints().colorSchemeChanged.connect(
            lambda _scheme: QTimer.singleShot(0, lambda: install_check_box_edges(app)))
    return app


def apply_theme(app: QApplication, theme: str | None = None) -> None:
    """Force a light or dark Fusion palette when asked (``RECOVERYDESK_THEME``)."""
    theme = (theme or os.environ.get(THEME_ENV, "")).strip().lower()
    if theme not in ("dark", "light"):
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else light_palette())


def light_palette() -> QPalette:
    """Fusion's light palette with a deeper selection blue: white on Fusion's own #308cc6
    is only 3.7:1, under WCAG's 4.5:1 for text."""
    from PySide6.QtWidgets import QStyleFactory

    fusion = QStyleFactory.create("Fusion")
    palette = fusion.standardPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, QColor("#1f62a3"))
    return palette


def dark_palette() -> QPalette:
    """A calm dark palette: soft contrast, readable links and disabled text."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2d30", role.WindowText: "#e6e6e6", role.Base: "#1f2023",
        role.AlternateBase: "#2f3236", role.ToolTipBase: "#3a3d41", role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#9a9a9a", role.Text: "#e6e6e6", role.Button: "#35383c",
        role.ButtonText: "#e6e6e6", role.BrightText: "#ff6b6b", role.Link: "#7cb7ff",
        role.LinkVisited: "#b69cff", role.Highlight: "#3d6ea8", role.HighlightedText: "#ffffff",
        role.Light: "#45484d", role.Midlight: "#3a3d41", role.Mid: "#2a2c2f",
        role.Dark: "#1b1c1e", role.Shadow: "#111111",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7d7d7d"))
    return p


def acquire_lock(data_dir: pathlib.Path) -> QLockFile | None:
    """Hold ``<data_dir>/.lock`` while the window is open; None when another one holds it.

    A lock left by a process that died is taken over (Qt checks whether its owner still runs),
    so a crash never locks the runner out of their data.
    """
    data_dir = pathlib.Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # never stale by age alone: only when its owner has gone
    return lock if lock.tryLock(0) else None


def run_window(data_dir: pathlib.Path, *, files: Sequence[pathlib.Path] = (),
               check_in: bool = False, hidden: bool = False,
               first: Pending | None = None) -> int:
    """Open the window on ``data_dir`` until the runner quits; the exit code.

    Args:
        files: Files to import once the window is up.
        check_in: Open on today's check-in (the reminder's click).
        hidden: Start in the system tray without showing the window (at login); where the
            desktop has no tray, remind as ``recoverydesk remind`` does.
        first: Today's first frame being worked out by a child process (``launch.py``): the
            window is painted from it and the data file opened just after.
    A window already running on ``data_dir`` is asked to do all this instead (DESIGN §8).
    """
    if not _has_display():
        if first is not None:
            first.cancel()
        print("RecoveryDesk needs a graphical desktop to open its window, and none was found "
              "(DISPLAY and WAYLAND_DISPLAY are not set). The command line works without one: "
              "see `recoverydesk --help`.", file=sys.stderr)
        return 1
    app = application()
    data_dir = pathlib.Path(data_dir)
    try:
        lock = acquire_lock(data_dir)
    except OSError as error:
        if first is not None:
            first.cancel()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_NAME, f"The data folder {data_dir} cannot be used: "
                                             f"{error.strerror or error}.")
        return 1
    if lock is None or hidden:
        if first is not None:
            first.cancel()
            first = None
    if lock is None:
        from recoverydesk.gui.single_instance import forward

        if forward(data_dir, files=files, check_in=check_in, show=not hidden):
            return 0
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(None, APP_NAME, ALREADY_OPEN)
        return 1
    if hidden and not _tray_available():
        lock.unlock()
        from recoverydesk.remind import run

        return run(data_dir)
    store: Store | None = None
    window: MainWindow | None = None
    try:
        early = first_frame_window(first, data_dir)
        if early is None:
            store = open_with_messages(data_dir)
        while early is not None or store is not None:
            if early is not None:
                window = opened = early
                early = None
            else:
                assert store is not None
                if store.current_episode() is None:
                    if hidden:
                        return 0  # nothing to remind about before the runner has begun
                    store = first_run(store)
                    if store is None:
                        return 0
                window = opened = build_main_window(store)

            def desktop(opened: MainWindow = opened) -> None:
                if not opened.session.is_open:  # painted from the first frame: open it now
                    opened_store = open_with_messages(data_dir)
                    if opened_store is None:
                        app.exit(1)
                        return
                    opened.session.open(opened_store)
                _accept_dropped_files(opened)
                _watch_for_devices(opened)
                _become_desktop_citizen(opened, data_dir, files, check_in)

            if hidden:
                QTimer.singleShot(0, desktop)
            else:
                after_first_paint(opened, desktop)
                opened.show()
            code = app.exec()
            if not opened.leave_demo_requested:
                return int(code)
            # File → Leave demo: close the demo and go on with the runner's own folder.
            _made, backup_failure = opened.session.close()
            opened.deleteLater()
            window, store, hidden = None, None, False
            if backup_failure is not None:
                print(f"RecoveryDesk: the daily backup failed: {backup_failure}",
                      file=sys.stderr)
            store = open_with_messages(data_dir)
        return 1
    finally:
        failure: StoreError | None = None
        if window is not None and window.session.is_open:
            # the session closes the file it has (a restore reopens it)
            _made, failure = window.session.close()
        elif store is not None:
            from recoverydesk.storage.backup import close_after_daily_backup

            _made, failure = close_after_daily_backup(store)
        if failure is not None:
            print(f"RecoveryDesk: the daily backup failed: {failure}", file=sys.stderr)
        lock.unlock()


def first_frame_window(first: Pending | None, data_dir: pathlib.Path, *,
                       remember: bool = True,
                       today: datetime.date | None = None) -> MainWindow | None:
    """The window on Today painted from the child's first frame, its data file not open yet
    (``Session.open`` follows the first paint); None to start the plain way.

    The first frame is only Today's: a window that last closed on another view starts the
    plain way, on that view. ``remember`` and ``today`` are ``build_main_window``'s (the child
    must have been given the same ``today``).
    """
    if first is None:
        return None
    settings = data_dir / SETTINGS_FILE if remember else None
    if MainWindow.last_view(settings) != "today":
        first.cancel()
        return None
    window = MainWindow(Session(None, today=clock(today)),
                        settings_path=settings)  # while the child works
    frame = first.result()
    if frame is None:
        window.deleteLater()
        return None
    window.set_demo(frame["demo"])
    window.use_first_face(frame["face"])
    window.restore_state()
    return window


def _accept_dropped_files(window: MainWindow) -> None:
    """Let files dropped on the window import (the importer loads after the first paint)."""
    from recoverydesk.gui.importer import install_drop_target

    window.drop_target = install_drop_target(window, window.session)


def _watch_for_devices(window: MainWindow) -> None:
    """Offer the new files of a watch plugged in as a drive (loads after the first paint)."""
    from recoverydesk.gui.watches import start_watch_poller

    window.watch_poller = start_watch_poller(window, window.session)


def _become_desktop_citizen(window: MainWindow, data_dir: pathlib.Path,
                            files: Sequence[pathlib.Path], check_in: bool) -> None:
    """After the first paint: listen for later launches, the tray and its reminder, the
    autostart entry kept up to date, then what this launch asked for (DESIGN §1.1, §8)."""
    from recoverydesk.gui import tray
    from recoverydesk.gui.single_instance import InstanceServer

    server = InstanceServer(data_dir, window)
    window.instance_server = server
    reminder_tray = tray.install(window)

    def on_request(show: bool, open_check_in: bool, paths: list[pathlib.Path]) -> None:
        if show or open_check_in or paths:
            reminder_tray.show_window()
        if open_check_in:
            window.open_check_in()
        if paths:
            from recoverydesk.gui.importer import import_files

            import_files(window, window.session, paths)

    server.request_received.connect(on_request)
    refresh_autostart(data_dir, tray=reminder_tray.icon is not None)
    on_request(False, check_in, list(files))


def refresh_autostart(data_dir: pathlib.Path, *, tray: bool) -> None:
    """Keep an existing autostart entry pointing at this RecoveryDesk and the right mode
    (the runner may have moved it, or the desktop gained or lost its tray)."""
    from recoverydesk import autostart

    if autostart.is_enabled():
        command = autostart.quote_exec(autostart.login_command(data_dir, tray=tray))
        if autostart.exec_command() != command:
            try:
                autostart.enable(autostart.login_command(data_dir, tray=tray))
            except OSError:
                pass  # the old entry stays; Preferences says so when it is changed there


def _tray_available() -> bool:
    from PySide6.QtWidgets import QSystemTrayIcon

    return QSystemTrayIcon.isSystemTrayAvailable()


def _has_display() -> bool:
    """Whether Qt can open a window here (Qt itself aborts the process when it cannot)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_with_messages(data_dir: pathlib.Path) -> Store | None:
    """Open the store, explaining any trouble in plain words; None when it cannot be used."""
    from PySide6.QtWidgets import QMessageBox

    from recoverydesk.storage.recovery import open_store
    from recoverydesk.storage.store import DamagedDatabase

    try:
        return open_store(data_dir)
    except DamagedDatabase as damage:
        newest = getattr(damage, "newest_backup", None)
        if newest is None:
            QMessageBox.warning(None, APP_NAME, f"{damage}\n\nRecoveryDesk will start with an "
                                                "empty data file.")
            return _open_or_say(data_dir)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, str(damage))
        restore_button = box.addButton(f"Restore the backup from {newest.describe()}",
                                       QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Start with an empty file", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore_button)
        box.exec()
        if box.clickedButton() is restore_button:
            from recoverydesk.storage.backup import restore

            try:
                restore(data_dir, newest.path)
            except StoreError as error:
                QMessageBox.warning(None, APP_NAME, str(error))
        return _open_or_say(data_dir)
    except StoreError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return None


def _open_or_say(data_dir: pathlib.Path) -> Store | None:
    from PySide6.QtWidgets import QMessageBox

    from recoverydesk.storage.recovery import open_store

    try:
        return open_store(data_dir)
    except StoreError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return None


def first_run(store: Store, today: datetime.date | None = None) -> Store | None:
    """Ask the first-run questions; the store to open the window on, or None to quit.

    Choosing the demo closes ``store`` and returns the demo folder's store instead (filled on
    first use): demo data never mixes with the runner's own.
    """
    from recoverydesk.gui.setup import SetupDialog

    today = today or datetime.date.today()
    dialog = SetupDialog(today)
    dialog.exec()
    if dialog.choice == "begin":
        from recoverydesk.core.model import Action

        started = store.start_episode(dialog.info(), today=today)
        store.add_action(Action(started.start, "screen", risks=dialog.risks()), today=today)
        if dialog.psfs_names():
            store.add_psfs_activities(dialog.psfs_names(), today, today=today)
        at = dialog.reminder()
        if at is not None:
            from recoverydesk.core.reminder import SETTING, format_time

            store.set_setting(SETTING, format_time(at))
        return store
    if dialog.choice == "demo":
        demo_dir = store.data_dir / DEMO_FOLDER
        store.close()
        return open_demo(demo_dir, today)
    store.close()
    return None


def open_demo(demo_dir: pathlib.Path, today: datetime.date | None = None) -> Store | None:
    """Open (and on first use fill) the demo data folder."""
    from recoverydesk.demo import fill_demo

    demo = _open_or_say(demo_dir)
    if demo is not None and demo.current_episode() is None:
        fill_demo(demo, today or datetime.date.today())
    return demo


# --- screenshots ------------------------------------------------------------------------------

class _FirstPaint(QObject):
    """Call back once, just after a widget's first paint has finished."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # overrides QObject
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)  # after the whole frame, not inside its paint
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``widget`` has painted its first frame."""
    _FirstPaint(widget, callback)


CHART_TAB_VIEWS = {"function": "Function", "where": "Where it hurt"}
"""Screenshot names of Charts tabs (the README's pictures of the outcomes)."""
DIALOG_VIEWS = ("ready",)
"""Screenshot names of dialogs drawn over Today (the README's ready-to-run picture)."""
SCREENSHOT_VIEWS = (*VIEW_NAMES, "guided", *CHART_TAB_VIEWS, *DIALOG_VIEWS)


def screenshot(data_dir: pathlib.Path, out: pathlib.Path, view: str,
               size: tuple[int, int], *, replace: bool = False) -> int:
    """Render the window on ``view`` at ``size`` offscreen after its first paint; save a PNG.

    ``view`` is a view's name, or ``guided``: the Exercises view in guided mode on today's
    first exercise, or ``ready``: the ready-to-run dialog over Today. With no episode in
    ``data_dir`` the window shows the first-run explanation. An existing ``out`` is replaced
    only with ``replace``. Nothing is written to the data folder beyond what opening it needs
    (no settings, no backup).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if view not in SCREENSHOT_VIEWS:
        print(f"screenshot: unknown view {view!r}; choose one of {', '.join(SCREENSHOT_VIEWS)}",
              file=sys.stderr)
        return 2
    app = application()
    from recoverydesk.storage.recovery import open_store

    try:
        store = open_store(pathlib.Path(data_dir))
    except StoreError as error:
        print(f"screenshot: {error}", file=sys.stderr)
        return 1
    result = {"code": 1}
    try:
        window = build_main_window(store, remember=False)
        window.setWindowState(Qt.WindowState.WindowNoState)  # the size asked for, not the screen's
        window.resize(*size)
        if view == "guided":
            start_guided = window.show_page("exercises").start_guided
            assert start_guided is not None  # the Exercises view offers it
            start_guided()
        elif view in CHART_TAB_VIEWS:
            from PySide6.QtWidgets import QTabWidget

            tabs = window.show_view("charts").findChild(QTabWidget)
            assert tabs is not None
            titles = [tabs.tabText(i) for i in range(tabs.count())]
            tabs.setCurrentIndex(titles.index(CHART_TAB_VIEWS[view]))
        else:
            window.show_view(view if view not in DIALOG_VIEWS else "today")

        def grab() -> None:
            app.processEvents()
            image = window.grab()
            if view == "ready":
                from PySide6.QtGui import QPainter

                from recoverydesk.gui.ready_dialog import ReadyDialog

                dialog = ReadyDialog(window.session, window)
                dialog.show()
                app.processEvents()
                picture = dialog.grab()
                painter = QPainter(image)
                left = (image.width() - picture.width()) // 2
                top = max(0, (image.height() - picture.height()) // 2)
                painter.drawPixmap(left, top, picture)
                painter.setPen(window.palette().color(window.foregroundRole()))
                painter.drawRect(left - 1, top - 1, picture.width() + 1, picture.height() + 1)
                painter.end()
                dialog.close()
            from recoverydesk.gui.pngfile import write_png

            try:
                write_png(image.toImage(), out, replace=replace)
                result["code"] = 0
            except OSError as error:
                print(f"screenshot: could not write {out}: {error.strerror or error}",
                      file=sys.stderr)
                result["code"] = 2
            window.hide()
            app.quit()

        after_first_paint(window, grab)
        window.show()
        QTimer.singleShot(10_000, app.quit)  # never hang a script on a window that won't paint
        app.exec()
        window.deleteLater()
    finally:
        store.close()
    return result["code"]
