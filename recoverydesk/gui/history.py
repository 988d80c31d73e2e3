"""The History view: every daily entry and every activity in sortable tables.

Both tables are thin ``QAbstractTableModel``s over lists of plain rows, sorted through a
``QSortFilterProxyModel`` on :data:`SORT_ROLE` (numbers as numbers, dates as ISO text, an
empty cell below every value). Deleting goes through the Session, so Edit → Undo brings a
row back; editing opens the day in the Log view through :attr:`HistoryView.day_activated`.

Choices where DESIGN.md is silent:

- The entries table's distance is the day's total over all activities with a distance
  (the Charts view counts runs only, for the mileage guards).
- The tables reload on the Session's ``data_changed`` only while visible; a hidden History
  reloads when next shown, so saving a day stays cheap with a 10-year history.
- Deleting several selected rows is one undo step.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.core.model import Activity, DayLog, from_metres
from recoverydesk.gui.session import Session

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The value a column sorts by: a number or ISO text; empty cells sort as -1 / ""."""
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's identity: the date (entries) or the activity id (activities)."""
_Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    """One table column: its title, how a row shows in it and how it sorts."""

    title: str
    display: Callable[[Any], str]
    sort: Callable[[Any], Any]
    numeric: bool = False
    tooltip: Callable[[Any], str] | None = None


class RowTableModel(QAbstractTableModel):
    """A read-only table over a list of rows, described by :class:`Column`s."""

    def __init__(self, columns: Sequence[Column], key: Callable[[Any], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (inside a model reset, as views expect)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def column(self, index: int) -> Column:
        return self._columns[index]

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        """Overrides QAbstractTableModel.rowCount: a table has no children below rows."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        """Overrides QAbstractTableModel.columnCount."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractTableModel.data: text, sort keys, alignment and tooltips."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == KEY_ROLE:
            return self._key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            from recoverydesk.gui.plaintext import plain_tooltip

            return plain_tooltip(column.tooltip(row))  # user text: never read as HTML
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractTableModel.headerData: column titles, row numbers."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1)


# --- formatting -------------------------------------------------------------------------------

def _score(value: int | None) -> str:
    return "" if value is None else str(value)


def _number(value: float | None) -> float:
    return -1.0 if value is None else float(value)


def _date_text(day: datetime.date) -> str:
    return words.date_text(day, weekday=True)


def _duration(seconds: float | None) -> str:
    return "" if seconds is None else words.duration_text(seconds)


@dataclasses.dataclass(frozen=True, slots=True)
class EntryRow:
    """One daily entry with its activities, as the entries table shows it."""

    log: DayLog
    activities: tuple[Activity, ...]
    units: str
    flag_labels: tuple[str, ...]

    @property
    def distance_m(self) -> float | None:
        distances = [a.distance_m for a in self.activities if a.distance_m is not None]
        return sum(distances) if distances else None

    @property
    def activity_pain(self) -> int | None:
        if self.log.pain_activity is not None:
            return self.log.pain_activity
        pains = [a.pain for a in self.activities if a.pain is not None]
        return max(pains) if pains else None

    def summary(self) -> str:
        """E.g. "run 5.0 km, walk 20 min"."""
        parts = []
        for activity in self.activities:
            if activity.distance_m is not None:
                parts.append(f"{activity.kind} "
                             f"{words.distance_text(activity.distance_m, self.units)}")
            elif activity.duration_s is not None:
                parts.append(f"{activity.kind} {words.duration_text(activity.duration_s)}")
            else:
                parts.append(activity.kind)
        return ", ".join(parts)


def entry_columns(units: str) -> list[Column]:
    """The entries table's columns, with distances in ``units``."""
    def distance(row: EntryRow) -> str:
        metres = row.distance_m
        return "" if metres is None else f"{from_metres(metres, units):.1f}"

    def first_line(row: EntryRow) -> str:
        text = row.log.notes.strip().splitlines()[0] if row.log.notes.strip() else ""
        return text if len(text) <= 80 else text[:79] + "…"

    return [
        Column("Date", lambda r: _date_text(r.log.day), lambda r: r.log.day.isoformat()),
        Column("Pain", lambda r: _score(r.log.pain), lambda r: r.log.pain, numeric=True),
        Column("Activity pain", lambda r: _score(r.activity_pain),
               lambda r: _number(r.activity_pain), numeric=True),
        Column("Morning", lambda r: _score(r.log.pain_morning),
               lambda r: _number(r.log.pain_morning), numeric=True),
        Column("Red flags", lambda r: ", ".join(r.flag_labels), lambda r: len(r.flag_labels),
               tooltip=lambda r: "\n".join(r.flag_labels)),
        Column("Activities", lambda r: r.summary(), lambda r: r.summary(),
               tooltip=lambda r: r.summary()),
        Column(f"Distance ({units})", distance, lambda r: _number(r.distance_m), numeric=True),
        Column("Sleep (h)", lambda r: "" if r.log.sleep_hours is None else f"{r.log.sleep_hours:g}",
               lambda r: _number(r.log.sleep_hours), numeric=True),
        Column("Notes", first_line, lambda r: r.log.notes.casefold(),
               tooltip=lambda r: r.log.notes),
    ]


def activity_columns(units: str) -> list[Column]:
    """The activities table's columns, with distances in ``units``."""
    sources = {"manual": "typed in", "gpx": "GPX file", "tcx": "TCX file", "fit": "FIT file",
               "csv": "CSV diary"}
    return [
        Column("Date", lambda a: _date_text(a.day), lambda a: a.day.isoformat()),
        Column("Start", lambda a: "" if a.start_time is None else f"{a.start_time:%H:%M}",
               lambda a: "" if a.start_time is None else a.start_time.isoformat(),
               tooltip=lambda a: "" if a.start_time is None else a.start_time.isoformat()),
        Column("Kind", lambda a: a.kind, lambda a: a.kind),
        Column(f"Distance ({units})",
               lambda a: "" if a.distance_m is None else f"{from_metres(a.distance_m, units):.2f}",
               lambda a: _number(a.distance_m), numeric=True),
        Column("Duration", lambda a: _duration(a.duration_s), lambda a: _number(a.duration_s),
               numeric=True),
        Column("Pain", lambda a: _score(a.pain), lambda a: _number(a.pain), numeric=True),
        Column("Source", lambda a: sources.get(a.source, a.source), lambda a: a.source,
               tooltip=lambda a: f"SHA-256 {a.file_sha256}" if a.file_sha256 else ""),
        Column("Cadence (steps/min)",
               lambda a: "" if a.cadence_spm is None else f"{a.cadence_spm:.0f}",
               lambda a: _number(a.cadence_spm), numeric=True,
               tooltip=lambda a: "" if a.cadence_spm is None else
               f"{a.cadence_spm:.1f} steps a minute on average, from the run's file"),
    ]


class HistoryTable(QTableView):
    """A sortable table view; Enter opens the current row, Delete deletes the selection.

    Signals:
        row_activated: Enter or a double click on a row. arg: the source row's key.
        delete_requested: The Delete key was pressed.
    """

    row_activated = Signal(object)
    delete_requested = Signal()

    def __init__(self, model: RowTableModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setAccessibleName(name)
        self.doubleClicked.connect(self._on_self_double_clicked)

    def selected_keys(self) -> list[Any]:
        """The keys of the selected rows (or the current row), in the order shown."""
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [self.proxy.index(r, 0).data(KEY_ROLE) for r in rows]

    def fit_width(self) -> None:
        """Narrow the widest columns until the table fits its width: no sideways scrolling.

        Each cell's full text stays in its tooltip, and a column can still be widened by hand.
        """
        header = self.horizontalHeader()
        count = header.count()
        if count < 2:
            return
        em = self.fontMetrics().height()
        room = self.viewport().width() - em * 6  # what the last (stretching) column keeps
        # Only words give way (activities, red flags, notes): dates, numbers and titles stay.
        widths = {i: header.sectionSize(i) for i in range(1, count - 1)
                  if not self.source_model.column(i).numeric}
        excess = sum(widths.values()) - room
        for column in sorted(widths, key=lambda i: -widths[i]):
            if excess <= 0:
                break
            cut = min(excess, max(0, widths[column] - em * 5))
            if cut:
                header.resizeSection(column, widths[column] - cut)
                excess -= cut

    def resizeEvent(self, event: QResizeEvent) -> None:  # overrides QTableView.resizeEvent
        super().resizeEvent(event)
        self.fit_width()

    def select_key(self, key: Any) -> None:
        """Make the row with ``key`` current (after a reload), if it still exists."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(KEY_ROLE) == key:
                self.setCurrentIndex(index)
                self.scrollTo(index)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:  # overrides QTableView.keyPressEvent
        """Enter opens the current row; Delete (or Backspace on macOS) deletes."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.row_activated.emit(index.data(KEY_ROLE))
            return
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)

    @Slot(QModelIndex)
    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        self.row_activated.emit(index.data(KEY_ROLE))


class HistoryView(QWidget):
    """Every daily entry and activity, sortable, with open and delete (undoable).

    Signals:
        day_activated: The user asked to edit a day in the Log view. arg: the datetime.date.

    Attributes:
        entries: The daily entries table.
        activities: The activities table.
    """

    day_activated = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.setAccessibleName("History")
        self._session = session
        self._stale = True
        self._activity_days: dict[int, datetime.date] = {}
        units = session.units
        self.entries_model = RowTableModel(entry_columns(units), lambda r: r.log.day, self)
        self.activities_model = RowTableModel(activity_columns(units), lambda a: a.id, self)
        self.entries = HistoryTable(self.entries_model, "Daily entries")
        self.activities = HistoryTable(self.activities_model, "Activities")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entries, "&Daily entries")
        self.tabs.addTab(self.activities, "&Activities")
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many rows")
        buttons.addWidget(self.count_label, 1)
        self.open_button = QPushButton("&Open in Log")
        self.open_button.setToolTip("Edit the selected day in the Log view (Enter, double-click)")
        self.delete_button = QPushButton("De&lete")
        self.delete_button.setToolTip("Delete the selected rows (Delete); Edit → Undo brings "
                                      "them back")
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)

        self.entries.row_activated.connect(self._on_entries_row_activated)
        self.activities.row_activated.connect(self._on_activities_row_activated)
        self.entries.delete_requested.connect(self._on_delete_button_clicked)
        self.activities.delete_requested.connect(self._on_delete_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        session.data_changed.connect(self._on_session_data_changed)
        session.episode_changed.connect(self._on_session_episode_changed)
        self.reload()

    # --- data --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every entry and activity from the store again, keeping the current row."""
        session = self._session
        units = self._session.units
        flags = self._session.content.red_flags
        activities = session.activities()
        by_day: dict[datetime.date, list[Activity]] = {}
        for activity in activities:
            by_day.setdefault(activity.day, []).append(activity)
        rows = [EntryRow(log, tuple(by_day.get(log.day, ())), units,
                         tuple(flags[f].label if f in flags else f for f in sorted(log.red_flags)))
                for log in session.day_logs()]
        self._activity_days = {a.id: a.day for a in activities if a.id is not None}
        current = [table.currentIndex().data(KEY_ROLE) for table in (self.entries,
                                                                      self.activities)]
        if self.entries_model.headerData(6, Qt.Orientation.Horizontal) != f"Distance ({units})":
            self.entries_model.set_columns(entry_columns(units))
            self.activities_model.set_columns(activity_columns(units))
        self.entries_model.set_rows(rows)
        self.activities_model.set_rows(activities)
        for table, key in zip((self.entries, self.activities), current, strict=True):
            if key is not None:
                table.select_key(key)
        for table in (self.entries, self.activities):
            if table.horizontalHeader().sectionSize(0) <= table.horizontalHeader(
                    ).defaultSectionSize():
                table.resizeColumnsToContents()
        self.entries.setColumnWidth(5, min(max(self.entries.columnWidth(5), 180), 300))
        self.entries.setColumnWidth(4, min(max(self.entries.columnWidth(4), 90), 240))
        for table in (self.entries, self.activities):
            table.fit_width()
        self._stale = False
        self._update_count()

    def _update_count(self) -> None:
        entries = self.entries_model.rowCount()
        activities = self.activities_model.rowCount()
        self.count_label.setText(f"{words.count_text(entries, 'daily entry', 'daily entries')}"
                                 f" · {words.count_text(activities, 'activity')}")

    def _current_table(self) -> HistoryTable:
        return self.entries if self.tabs.currentIndex() == 0 else self.activities

    # --- slots ---------------------------------------------------------------------------------

    @Slot(object)
    def _on_entries_row_activated(self, day: datetime.date) -> None:
        self.day_activated.emit(day)

    @Slot(object)
    def _on_activities_row_activated(self, activity_id: int) -> None:
        day = self._activity_days.get(activity_id)
        if day is not None:
            self.day_activated.emit(day)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        table = self._current_table()
        keys = table.selected_keys()
        if keys:
            table.row_activated.emit(keys[0])

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        table = self._current_table()
        keys = table.selected_keys()
        if not keys:
            return
        stack = self._session.undo_stack
        many = len(keys) > 1
        if many:
            what = "entry" if table is self.entries else "activity"
            stack.beginMacro(f"Delete {words.count_text(len(keys), what)}")
        try:
            for key in keys:
                if table is self.entries:
                    self._session.delete_day(key)
                else:
                    self._session.delete_activity(key)
        finally:
            if many:
                stack.endMacro()
        if table is self.activities or many:
            count = len(keys)
            noun = "activity" if table is self.activities else "entry"
            self._session.notify(f"Deleted {words.count_text(count, noun)}. "
                                 "Edit → Undo brings "
                                 f"{'it' if count == 1 else 'them'} back.")

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        self._current_table().setFocus()

    @Slot()
    def _on_session_episode_changed(self) -> None:
        self._on_session_data_changed(frozenset())

    @Slot(object)
    def _on_session_data_changed(self, _days: object) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    # --- Qt overrides --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # overrides QWidget.showEvent
        """Catch up with changes made while the view was hidden."""
        if self._stale:
            self.reload()
        super().showEvent(event)
