"""The main window: a navigation list, six lazily built views, and the menus (DESIGN.md §1).

Start-up speed decides whether the app feels calm (DESIGN §10), so views are built only when
first shown: each view has a small typed factory that imports its module when called. The
Charts view (pyqtgraph, ~0.7 s to import) therefore costs nothing until opened.
"""

from __future__ import annotations

import datetime
import functools
import pathlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QByteArray, QObject, QSettings, QSize, Qt, SignalInstance, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.gui.icons import nav_icon
from recoverydesk.gui.session import Session, StoreError

if TYPE_CHECKING:
    from recoverydesk.core.today_face import Face


class View(NamedTuple):
    """A built page of the window: its widget and the optional hooks the window wires.

    A hook a view does not offer is None, so the window asks for it by name, typed, instead
    of probing the widget with ``getattr``.

    Attributes:
        widget: The page itself.
        exercise_requested: Emitted with an exercise id to open in the Exercises view.
        day_activated: Emitted with a datetime.date to open in the Log view.
        show_day: Show one day (the Log view).
        show_exercise: Show one exercise's instructions (the Exercises view).
        start_guided: Begin today's guided session (the Exercises view).
        ask_export: Ask where to save the chart on screen, then save it (the Charts view).
        focus_check_in: Put the keyboard on the morning check-in (the Today view; Ctrl+K and
            the reminder's click open it).
    """

    widget: QWidget
    exercise_requested: SignalInstance | None = None
    day_activated: SignalInstance | None = None
    show_day: Callable[[datetime.date], None] | None = None
    show_exercise: Callable[[str], None] | None = None
    start_guided: Callable[[], None] | None = None
    ask_export: Callable[[], None] | None = None
    focus_check_in: Callable[[], None] | None = None


# One factory per view. Each imports its module when called, so a view's code (pyqtgraph for
# Charts) loads only when the view is first shown.

def _today_view(session: Session, face: Face | None = None) -> View:
    from recoverydesk.gui.today import TodayView

    view = TodayView(session, face=face)
    return View(view, exercise_requested=view.exercise_requested,
                focus_check_in=view.focus_check_in)


def _log_view(session: Session) -> View:
    from recoverydesk.gui.logform import LogView

    view = LogView(session)
    return View(view, show_day=view.show_day)


def _calendar_view(session: Session) -> View:
    from recoverydesk.gui.calendar import CalendarView

    view = CalendarView(session)
    return View(view, exercise_requested=view.exercise_requested,
                day_activated=view.day_activated)


def _exercises_view(session: Session) -> View:
    from recoverydesk.gui.exercises import ExercisesView

    view = ExercisesView(session)
    return View(view, show_exercise=view.show_exercise, start_guided=view.start_guided)


def _charts_view(session: Session) -> View:
    from recoverydesk.gui.charts import ChartsView

    view = ChartsView(session)
    return View(view, ask_export=view.ask_export)


def _history_view(session: Session) -> View:
    from recoverydesk.gui.history import HistoryView

    view = HistoryView(session)
    return View(view, day_activated=view.day_activated)


class ViewSpec(NamedTuple):
    """A view's place in the window and how to build it on first show."""

    name: str
    title: str
    build: Callable[[Session], View]


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("today", "Today", _today_view),
    ViewSpec("log", "Log", _log_view),
    ViewSpec("calendar", "Calendar", _calendar_view),
    ViewSpec("exercises", "Exercises", _exercises_view),
    ViewSpec("charts", "Charts", _charts_view),
    ViewSpec("history", "History", _history_view),
)
VIEW_NAMES: tuple[str, ...] = tuple(v.name for v in VIEWS)

SETTINGS_FILE = "window.ini"
APP_TITLE = "RecoveryDesk"
DEMO_TITLE = "Demo data — RecoveryDesk"
"""Ends with the display name, so Qt does not add "— RecoveryDesk" a second time."""
CHECK_IN_SHORTCUT = "Ctrl+K"
"""Focuses the morning check-in from anywhere in the window."""
SMALL_SCREEN = (1280, 800)
"""Below this free area (width, height) the window opens maximised."""


class MainWindow(QMainWindow):
    """The RecoveryDesk window over one Session.

    Attributes:
        session: The open data file.
        nav: The navigation list (one row per view, in the order of ``VIEWS``).
        stack: One page per view; a page is filled the first time its view is shown.
        views: The views built so far, by name.
        drop_target: Imports files dropped on the window, once installed after the first paint.
        tray, watch_poller, instance_server: the tray and reminder, the watch-drive poller and
            the listener for later launches, installed after the first paint.
    """

    def __init__(self, session: Session, *, settings_path: pathlib.Path | None = None,
                 demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._first_face: Face | None = None  # Today's, until its view is built
        self.views: dict[str, QWidget] = {}
        self._built: dict[str, View] = {}
        self.drop_target: QObject | None = None  # set once files may be dropped (app.py)
        # Installed after the first paint (app.py), kept here so they live as the window does.
        self.tray: QObject | None = None
        self.watch_poller: QObject | None = None
        self.instance_server: QObject | None = None
        self._settings_path = settings_path
        self._pages: dict[str, QWidget] = {}
        self._quitting = False
        # Asked in turn when the window is closed: any True keeps the app running, hidden
        # (the tray adds one; DESIGN §1.1).
        self.keep_running_on_close: list[Callable[[], bool]] = []
        self.leave_demo_requested = False
        em = self.fontMetrics().height()
        self.resize(em * 64, em * 42)

        self.nav = QListWidget(self)
        self.nav.setAccessibleName("Views")
        self.nav.setAccessibleDescription("Choose a view; Ctrl+1 to Ctrl+6 jump to them.")
        self.nav.setSpacing(max(2, em // 5))
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        nav_font = self.nav.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.nav.setFont(nav_font)
        self.nav.setIconSize(QSize(round(em * 1.3), round(em * 1.3)))
        self.stack = QStackedWidget(self)
        for number, spec in enumerate(VIEWS, start=1):
            item = QListWidgetItem(nav_icon(spec.name), spec.title, self.nav)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{spec.title} (Ctrl+{number})")
            item.setToolTip(f"{spec.title} — Ctrl+{number}")
            item.setSizeHint(QSize(em * 6, round(em * 2.2)))  # roomy rows, easy to hit
            page = QWidget(self.stack)
            page.setAccessibleName(spec.title)
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[spec.name] = page
            self.stack.addWidget(page)
        width = max(self.nav.sizeHintForColumn(0), em * 6) + em * 2
        self.nav.setMaximumWidth(width * 2)
        self.nav.setMinimumWidth(width)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([width, em * 56])
        self.setCentralWidget(splitter)

        self._build_menus()
        self.set_demo(demo)
        self.statusBar().setSizeGripEnabled(True)
        session.message.connect(self._on_session_message)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

    def set_demo(self, demo: bool) -> None:
        """Say whether the window shows the demo data: its title, and File → Leave demo."""
        self.demo = demo
        self.setWindowTitle(DEMO_TITLE if demo else APP_TITLE)
        self.setAccessibleName(self.windowTitle())
        self.leave_demo_action.setVisible(demo)

    def use_first_face(self, face: Face) -> None:
        """Build Today from ``face``, worked out before the data file is open
        (first_frame.py), when it is first shown; the Session reloads it once opened."""
        self._first_face = face

    # --- menus -----------------------------------------------------------------------------

    def _action(self, menu: Any, text: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        std = QKeySequence.StandardKey
        file_menu = bar.addMenu("&File")
        self.import_action = self._action(
            file_menu, "&Import activities…", self._on_import_triggered, "Ctrl+I",
            "Read GPX, TCX or FIT files, or a days.csv / activities.csv diary")
        self.export_action = self._action(
            file_menu, "&Export…", self._on_export_triggered, "Ctrl+E",
            "Save all your data as CSV or JSON")
        self.chart_export_action = self._action(
            file_menu, "Export &chart as PNG…",
            self._on_chart_export_triggered,
            None, "Save the chart on screen in the Charts view as a picture")
        self.report_action = self._action(
            file_menu, "&Clinician report…", self._on_report_triggered, std.Print,
            "A PDF summary to hand to a physiotherapist or doctor")
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, "&Back up now",
                                          self._on_backup_triggered)
        self.restore_action = self._action(file_menu, "&Restore from backup…",
                                           self._on_restore_triggered)
        file_menu.addSeparator()
        self.leave_demo_action = self._action(
            file_menu, "Leave &demo", self._on_leave_demo_triggered, None,
            "Close the demo recovery and start your own")
        self.quit_action = self._action(file_menu, "&Quit", self.quit_app, std.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit_menu = bar.addMenu("&Edit")
        stack = self.session.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(std.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(std.Redo))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.preferences_action = self._action(edit_menu, "&Preferences…",
                                               self._on_preferences_triggered, std.Preferences)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        view_menu = bar.addMenu("&View")
        self.view_actions: dict[str, QAction] = {}
        for number, spec in enumerate(VIEWS, start=1):
            self.view_actions[spec.name] = self._action(
                view_menu, f"&{number} {spec.title}",
                functools.partial(self.show_view, spec.name), f"Ctrl+{number}")
        view_menu.addSeparator()
        self.check_in_action = self._action(
            view_menu, "Morning &check-in", self.open_check_in, CHECK_IN_SHORTCUT,
            "Today's pain scores: show Today and put the keyboard on pain now")

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Red flags", self._on_red_flags_triggered, std.HelpContents,
                     "Signs that need a clinician, and how urgently")
        self._action(help_menu, "Medical &disclaimer", self._on_disclaimer_triggered)
        help_menu.addSeparator()
        about = self._action(help_menu, "&About RecoveryDesk", self._on_about_triggered)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    # --- views -----------------------------------------------------------------------------

    def show_view(self, name: str) -> QWidget:
        """Show a view by name (building it on first use) and return it."""
        index = VIEW_NAMES.index(name)
        view = self.view(name)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        return view

    def current_view(self) -> str:
        return VIEW_NAMES[self.stack.currentIndex()]

    def view(self, name: str) -> QWidget:
        """The view called ``name``, built now if it has not been yet."""
        return self.page(name).widget

    def page(self, name: str) -> View:
        """The view called ``name`` with its hooks, built now if it has not been yet."""
        page = self._built.get(name)
        if page is None:
            if name == "today" and self._first_face is not None:
                page = _today_view(self.session, self._first_face)  # before the data is open
                self._first_face = None
            else:
                page = VIEWS[VIEW_NAMES.index(name)].build(self.session)
            if page.exercise_requested is not None:
                page.exercise_requested.connect(self._on_exercise_requested)
            if page.day_activated is not None:
                page.day_activated.connect(self.open_day)
            # A view wider than the window scrolls instead of forcing the window wider: on a
            # small or high-DPI screen the window must still fit.
            scroll = QScrollArea(self._pages[name])
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page.widget)
            # Scrolling areas follow the focus; as Tab stops of their own they hold nothing
            # to use (a "dead stop", DESIGN §1.1).
            for area in (scroll, *page.widget.findChildren(QScrollArea)):
                if type(area) is QScrollArea:
                    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout = self._pages[name].layout()
            assert layout is not None  # every page gets its layout in __init__
            layout.addWidget(scroll)
            self._built[name] = page
            self.views[name] = page.widget
        return page

    def show_page(self, name: str) -> View:
        """Show a view by name (building it on first use) and return it with its hooks."""
        self.show_view(name)
        return self.page(name)

    @Slot()
    def open_check_in(self) -> None:
        """Show Today with the keyboard on the check-in's pain score (DESIGN §1.1)."""
        focus = self.show_page("today").focus_check_in
        if focus is not None:
            focus()

    @Slot(object)
    def open_day(self, day: datetime.date) -> None:
        """Open ``day`` in the Log view (from the calendar, or anywhere else)."""
        show_day = self.show_page("log").show_day
        if show_day is not None:
            show_day(day)

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(VIEWS):
            self.show_view(VIEW_NAMES[row])

    @Slot(str)
    def _on_exercise_requested(self, exercise_id: str) -> None:
        show_exercise = self.show_page("exercises").show_exercise
        if show_exercise is not None:
            show_exercise(exercise_id)

    @Slot()
    def _on_chart_export_triggered(self) -> None:
        ask_export = self.show_page("charts").ask_export
        if ask_export is not None:
            ask_export()

    @Slot(str)
    def _on_session_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # --- the File menu ---------------------------------------------------------------------
    # Each feature's module is imported when first used, so none of it weighs on start-up.

    @Slot()
    def _on_import_triggered(self) -> None:
        from recoverydesk.gui.importer import import_activities

        import_activities(self, self.session)

    @Slot()
    def _on_export_triggered(self) -> None:
        from recoverydesk.gui.exporter import export_data

        export_data(self, self.session)

    @Slot()
    def _on_report_triggered(self) -> None:
        from recoverydesk.gui.report_dialog import save_report

        save_report(self, self.session)

    @Slot()
    def _on_backup_triggered(self) -> None:
        try:
            path = self.session.backup_now()
        except StoreError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Back up now", str(error))
            return
        self.session.notify(f"Backed up to {path}.")

    @Slot()
    def _on_restore_triggered(self) -> None:
        """Pick a backup, confirm, then let the session swap the data file."""
        from PySide6.QtWidgets import QMessageBox

        infos = self.session.backups()
        if not infos:
            QMessageBox.information(self, "Restore from backup",
                                    "There is no backup to restore yet. RecoveryDesk makes "
                                    "one each day you use it, and File → Back up now makes "
                                    "one at any time.")
            return
        from recoverydesk.gui.dialogs import RestoreDialog, confirm_restore

        dialog = RestoreDialog(infos, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted:
            return
        info = dialog.chosen()
        if info is None or not confirm_restore(self, info):
            return
        try:
            self.session.restore_backup(info)
        except StoreError as error:
            QMessageBox.warning(self, "Restore from backup", str(error))

    @Slot()
    def _on_leave_demo_triggered(self) -> None:
        """Close the demo; the app then opens the runner's own data (first-run setup)."""
        self.leave_demo_requested = True
        self.quit_app()  # for good, even with a tray: the app then opens the runner's data

    # --- dialogs ---------------------------------------------------------------------------

    @Slot()
    def _on_preferences_triggered(self) -> None:
        from recoverydesk.gui.dialogs import PreferencesDialog

        PreferencesDialog(self.session, self).open()

    @Slot()
    def _on_about_triggered(self) -> None:
        from recoverydesk.gui.dialogs import about_dialog

        about_dialog(self.session, self).open()

    @Slot()
    def _on_disclaimer_triggered(self) -> None:
        from recoverydesk.gui.dialogs import disclaimer_dialog

        disclaimer_dialog(self.session, self).open()

    @Slot()
    def _on_red_flags_triggered(self) -> None:
        from recoverydesk.gui.dialogs import red_flags_dialog

        red_flags_dialog(self.session, self).open()

    # --- remembering the window -------------------------------------------------------------

    def _settings(self) -> QSettings | None:
        if self._settings_path is None:
            return None
        return QSettings(str(self._settings_path), QSettings.Format.IniFormat)

    def restore_state(self) -> None:
        """Put the window back where it was and show the last view (Today the first time).

        Only reads: nothing is written before the first paint.
        """
        settings = self._settings()
        restored = False
        if settings is not None:
            geometry = settings.value("window/geometry")
            if isinstance(geometry, QByteArray | bytes):
                restored = self.restoreGeometry(QByteArray(geometry))
        if not restored:
            self.fit_to_screen()
        self.show_view(self.last_view(self._settings_path))

    @staticmethod
    def last_view(settings_path: pathlib.Path | None) -> str:
        """The view the window showed when it last closed (Today the first time)."""
        if settings_path is None:
            return "today"
        last = QSettings(str(settings_path), QSettings.Format.IniFormat).value(
            "window/view", "today")
        return str(last) if last in VIEW_NAMES else "today"

    def fit_to_screen(self) -> None:
        """Open at a size that fits the screen's free area (DESIGN §1.1).

        Below 1280×800 every pixel counts, so the window opens maximised; above, it takes most
        of the screen, centred, and never more than the free area (panels and docks excluded).
        """
        screen = self.screen()
        if screen is None:
            return
        free = screen.availableGeometry()
        if free.width() < SMALL_SCREEN[0] or free.height() < SMALL_SCREEN[1]:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        width = min(free.width(), max(round(free.width() * 0.85), 1200))
        height = min(free.height(), max(round(free.height() * 0.85), 760))
        self.resize(width, height)
        self.move(free.left() + (free.width() - width) // 2,
                  free.top() + (free.height() - height) // 2)

    def save_state(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/view", self.current_view())
        settings.sync()

    @Slot()
    def quit_app(self) -> None:
        """File → Quit: close for good, even where closing the window keeps the app running."""
        self._quitting = True
        if self.close():
            QApplication.quit()  # hidden-in-the-tray apps do not quit on their last window

    def closeEvent(self, event: QCloseEvent) -> None:  # overrides QWidget.closeEvent
        self.save_state()
        if not self._quitting and any(keep() for keep in self.keep_running_on_close):
            event.ignore()
            self.hide()
            return
        super().closeEvent(event)
