"""The main window: a navigation list, six lazily built views, and the menus (DESIGN.md §1).

Start-up speed decides whether the app feels calm (DESIGN §10), so views are built only when
first shown: a small registry names each view's module and class, and ``importlib`` loads it
then. The Charts view (pyqtgraph, ~0.7 s to import) therefore costs nothing until opened.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import pathlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.gui.session import Session, StoreError


@dataclasses.dataclass(frozen=True, slots=True)
class ViewSpec:
    """Where a view's code lives, so it can be imported on first show."""

    name: str
    title: str
    module: str
    cls: str


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("today", "Today", "recoverydesk.gui.today", "TodayView"),
    ViewSpec("log", "Log", "recoverydesk.gui.logform", "LogView"),
    ViewSpec("calendar", "Calendar", "recoverydesk.gui.calendar", "CalendarView"),
    ViewSpec("exercises", "Exercises", "recoverydesk.gui.exercises", "ExercisesView"),
    ViewSpec("charts", "Charts", "recoverydesk.gui.charts", "ChartsView"),
    ViewSpec("history", "History", "recoverydesk.gui.history", "HistoryView"),
)
VIEW_NAMES: tuple[str, ...] = tuple(v.name for v in VIEWS)

SETTINGS_FILE = "window.ini"


class MainWindow(QMainWindow):
    """The RecoveryDesk window over one Session.

    Attributes:
        session: The open data file.
        nav: The navigation list (one row per view, in the order of ``VIEWS``).
        stack: One page per view; a page is filled the first time its view is shown.
        views: The views built so far, by name.
    """

    def __init__(self, session: Session, *, settings_path: pathlib.Path | None = None,
                 demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.views: dict[str, QWidget] = {}
        self._settings_path = settings_path
        self._pages: dict[str, QWidget] = {}
        self.setWindowTitle("RecoveryDesk (demo data)" if demo else "RecoveryDesk")
        self.setAccessibleName(self.windowTitle())
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
        self.stack = QStackedWidget(self)
        for number, spec in enumerate(VIEWS, start=1):
            item = QListWidgetItem(spec.title, self.nav)
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
        self.statusBar().setSizeGripEnabled(True)
        session.message.connect(self._on_session_message)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

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
            lambda: self.show_view("charts").ask_export(),  # type: ignore[attr-defined]
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
        self.quit_action = self._action(file_menu, "&Quit", self.close, std.Quit)
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
                lambda name=spec.name: self.show_view(name), f"Ctrl+{number}")

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
        view = self.views.get(name)
        if view is None:
            view = self._create_view(VIEWS[VIEW_NAMES.index(name)])
            # A view wider than the window scrolls instead of forcing the window wider: on a
            # small or high-DPI screen the window must still fit.
            scroll = QScrollArea(self._pages[name])
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(view)
            self._pages[name].layout().addWidget(scroll)
            self.views[name] = view
        return view

    def _create_view(self, spec: ViewSpec) -> QWidget:
        module = importlib.import_module(spec.module)
        view: QWidget = getattr(module, spec.cls)(self.session)
        if spec.name in ("today", "calendar"):
            view.exercise_requested.connect(self._on_exercise_requested)
        if spec.name in ("calendar", "history"):
            view.day_activated.connect(self.open_day)
        return view

    @Slot(object)
    def open_day(self, day: datetime.date) -> None:
        """Open ``day`` in the Log view (from the calendar, or anywhere else)."""
        view = self.show_view("log")
        show_day = getattr(view, "show_day", None)
        if show_day is not None:
            show_day(day)

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(VIEWS):
            self.show_view(VIEW_NAMES[row])

    @Slot(str)
    def _on_exercise_requested(self, exercise_id: str) -> None:
        view = self.show_view("exercises")
        view.show_exercise(exercise_id)  # type: ignore[attr-defined]

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
        from recoverydesk.gui.report import save_report

        save_report(self, self.session)

    @Slot()
    def _on_backup_triggered(self) -> None:
        try:
            path = self.session.backup_now()
        except StoreError as error:
            QMessageBox.warning(self, "Back up now", str(error))
            return
        self.session.notify(f"Backed up to {path}.")

    @Slot()
    def _on_restore_triggered(self) -> None:
        """Pick a backup, confirm, then let the session swap the data file."""
        from PySide6.QtWidgets import QInputDialog

        infos = self.session.backups()
        if not infos:
            QMessageBox.information(self, "Restore from backup",
                                    "There is no backup to restore yet. RecoveryDesk makes "
                                    "one each day you use it, and File → Back up now makes "
                                    "one at any time.")
            return
        names = [i.describe() + f" — {i.reason}" for i in infos]
        choice, ok = QInputDialog.getItem(self, "Restore from backup",
                                          "Replace your data with the backup from:", names, 0,
                                          False)
        if not ok:
            return
        info = infos[names.index(choice)]
        sure = QMessageBox.question(
            self, "Restore from backup",
            f"Replace your data with the backup from {info.describe()}? What you have now "
            "is kept as a backup of its own, so this can be undone by restoring that.")
        if sure != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.restore_backup(info)
        except StoreError as error:
            QMessageBox.warning(self, "Restore from backup", str(error))

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
        name = "today"
        if settings is not None:
            geometry = settings.value("window/geometry")
            if isinstance(geometry, QByteArray | bytes):
                self.restoreGeometry(QByteArray(geometry))
            last = settings.value("window/view", "today")
            if last in VIEW_NAMES:
                name = str(last)
        self.show_view(name)

    def save_state(self) -> None:
        settings = self._settings()
        if settings is None:
            return
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/view", self.current_view())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # overrides QWidget.closeEvent
        self.save_state()
        super().closeEvent(event)
