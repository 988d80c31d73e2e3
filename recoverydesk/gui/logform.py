"""The Log view: the whole daily entry of DESIGN.md §3 for any date up to today.

The form writes nothing until Save, and then everything in one ``Session.save_day`` call (one
undoable step). The core refuses bad input with a ``ValidationError``; the form shows that
message under the field it names and writes nothing, so a runner never ends up with half a day.

Choices where DESIGN.md is silent:

- Optional numbers use spin boxes whose lowest value reads "—" and means *empty*; for an
  activity's distance and duration 0 also reads "—" (a distance of nothing is no distance).
- "Pain now" starts empty on a new day rather than at 0, so a hurried Save cannot record a
  pain-free day by accident; the core then asks for it.
- An imported activity keeps its exact stored distance and time unless the runner changes that
  very field; its start time, file and source are never touched.
- Changing the date with unsaved changes asks whether to save them first.
- Removing a red flag from a saved entry asks for confirmation at Save, since it can lift a
  pause (DESIGN §5.1).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QSignalBlocker, Qt, QTime, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.core.model import (
    EARLIEST_DATE,
    KINDS,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_NOTES,
    RED_FLAGS,
    Activity,
    DayLog,
    ValidationError,
    from_metres,
    to_metres,
    validate_activity,
    validate_day,
)
from recoverydesk.core.outcomes import suggested_flag
from recoverydesk.core.outcomes import texts as outcome_texts
from recoverydesk.gui import style
from recoverydesk.gui.ask import ask
from recoverydesk.gui.bodymap import BodyMapPicker
from recoverydesk.gui.dates import from_qdate, to_qdate
from recoverydesk.gui.session import Session, StoreError
from recoverydesk.gui.spinboxes import DurationSpinBox, OptionalDoubleSpinBox, OptionalSpinBox

SOURCE_WORDS = words.source_names()
KIND_WORDS = words.kind_names()
TIER_WORDS = {"emergency": "⚠ seek care now", "urgent": "see a doctor today",
              "soon": "see a clinician soon"}
"""How the log names each red-flag tier of §4 beside its box."""
DAY_FIELDS = {
    "date": "Date", "pain": "Pain now", "pain_activity": "Worst pain during activity",
    "pain_morning": "Morning pain / stiffness", "red_flag": "Red flags",
    "leg_pain": "Leg pain", "stiffness_min": "Morning stiffness", "pain_sites": "Where it hurt",
    "sleep_hours": "Sleep", "heat_ice_min": "Heat / ice", "notes": "Notes",
}
ACTIVITY_FIELDS = {
    "kind": "kind", "distance": "distance", "duration": "duration", "elapsed": "elapsed time",
    "activity pain": "pain", "source": "source", "start_time": "start time",
    "date": "date", "activity date": "date",
}


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """Ask a question whose buttons say what they do; the one that changes nothing is the
    default. The buttons come from the title's question ("Remove a red flag?" gives
    "Remove the red flag" and "Keep it")."""
    yes, no = ANSWERS.get(title, ("Yes", "No"))
    return ask(parent, title, text, yes, no)


REMOVE_FLAG_TITLE = "Remove a red flag?"
ANSWERS = {REMOVE_FLAG_TITLE: ("Remove the red flag", "Keep it")}
"""Button words for the form's questions, by the question's title."""


def ask_save_discard_cancel(parent: QWidget, title: str, text: str) -> str:
    """Ask what to do with unsaved changes: ``save``, ``discard`` or ``cancel``."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Save)
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")


class ErrorLabel(QLabel):
    """The line under a field that says what is wrong with it; hidden while all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Problem")
        self.hide()
        self._recolour()

    def _recolour(self) -> None:
        parent = self.parentWidget()
        palette = self.palette()
        judged = parent.palette() if parent is not None else palette
        palette.setColor(QPalette.ColorRole.WindowText, style.error_colour(judged))
        self.setPalette(palette)

    def show_message(self, text: str) -> None:
        self._recolour()
        self.setText("⚠ " + text)
        self.setAccessibleDescription(text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def _advice_box(name: str) -> QLabel:
    """A framed, wrapped note under a group of the form, hidden until it has something to say
    (what the body map suggests, what to do about ticked red flags)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAccessibleName(name)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setContentsMargins(8, 6, 8, 6)
    label.hide()
    return label


def _distance_decimals(units: str) -> int:
    return 2


def _max_distance(units: str) -> float:
    """The largest distance the spin box allows, rounded down so it never exceeds 300 km."""
    step = int(10 ** _distance_decimals(units))
    return int(from_metres(MAX_DISTANCE_M, units) * step) / step


@dataclasses.dataclass
class _ActivityRow:
    """One activity's editors, and what was loaded into them (to keep untouched values)."""

    original: Activity | None
    units: str
    kind: QComboBox
    distance: OptionalDoubleSpinBox
    duration: OptionalDoubleSpinBox
    pain: OptionalSpinBox
    source: QLabel
    remove: QToolButton
    shown_distance: float | None = None
    shown_duration: float | None = None

    def widgets(self) -> list[QWidget]:
        return [self.kind, self.distance, self.duration, self.pain, self.source, self.remove]

    def activity(self, day: datetime.date) -> Activity:
        """The activity these editors describe now."""
        kind = self.kind.currentData()
        distance_shown = self.distance.value_or_none()
        duration_shown = self.duration.value_or_none()
        original = self.original
        if original is not None and distance_shown == self.shown_distance:
            distance_m = original.distance_m
        else:
            distance_m = (None if distance_shown is None
                          else round(to_metres(distance_shown, self.units), 1))
        if original is not None and duration_shown == self.shown_duration:
            duration_s = original.duration_s
        else:
            duration_s = None if duration_shown is None else round(duration_shown * 60.0, 1)
        pain = self.pain.value_or_none()
        if original is None:
            return Activity(day, kind, distance_m, duration_s, pain)
        return dataclasses.replace(original, day=day, kind=kind, distance_m=distance_m,
                                   duration_s=duration_s, pain=pain)

    def state(self) -> tuple[Any, ...]:
        return (self.kind.currentData(), self.distance.value(), self.duration.value(),
                self.pain.value(), self.original.id if self.original else None)


class LogView(QWidget):
    """Enter or edit the log of one day: pains, activities, sleep, notes and red flags.

    Signals: none of its own; writes go through the Session, whose ``data_changed`` and
    ``message`` signals tell the rest of the window.

    Attributes:
        confirm: Asks a yes/no question (title, text) -> bool; replaceable in tests.
        ask_unsaved: Asks what to do with unsaved changes (title, text) -> "save",
            "discard" or "cancel"; replaceable in tests.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logView")
        self.setAccessibleName("Daily log")
        self._session = session
        self._rows: list[_ActivityRow] = []
        self._day = session.today()
        self._clean_state: tuple[Any, ...] = ()
        self._loading = False
        self._saved_exists = False
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_yes_no(
            self, title, text)
        self.ask_unsaved: Callable[[str, str], str] = lambda title, text: (
            ask_save_discard_cancel(self, title, text))
        self.alarm: Callable[[str, str], None] = lambda title, text: (
            QMessageBox.critical(self, title, text), None)[1]
        """Shows the emergency dialog of §4 the moment an emergency red flag is ticked."""
        self._build()
        self._connect()
        self._load(self._day)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(10)

        header = QHBoxLayout()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        # The day number comes first, so typing "26" goes straight to the day; the weekday
        # is in the title beside it.
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setCurrentSection(QDateEdit.Section.DaySection)
        self.date_edit.setMinimumDate(to_qdate(EARLIEST_DATE))
        self.date_edit.setMaximumDate(to_qdate(self._session.today()))
        self.date_edit.setDate(to_qdate(self._day))
        self.date_edit.setAccessibleName("Date of the entry")
        self.date_edit.setAccessibleDescription(
            "Any day up to today. Alt+Left and Alt+Right move a day back or forward.")
        self.date_edit.setToolTip("The day this entry is for: any day up to today")
        date_label = QLabel("&Date")
        date_label.setBuddy(self.date_edit)
        self.previous_button = QPushButton("◀ Previous day")
        self.previous_button.setAccessibleName("Previous day")
        self.previous_button.setToolTip("Show the day before (Alt+Left)")
        self.next_button = QPushButton("Next day ▶")
        self.next_button.setAccessibleName("Next day")
        self.next_button.setToolTip("Show the day after (Alt+Right)")
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Go to today's entry")
        self.title_label = QLabel()
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setAccessibleName("Day shown")
        self.phase_label = QLabel()
        self.phase_label.setAccessibleName("Plan on this day")
        self.phase_label.setWordWrap(True)
        self.phase_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(date_label)
        header.addWidget(self.date_edit)
        header.addWidget(self.previous_button)
        header.addWidget(self.next_button)
        header.addWidget(self.today_button)
        header.addSpacing(16)
        header.addWidget(self.title_label)
        header.addSpacing(12)
        header.addWidget(self.phase_label, 1)
        outer.addLayout(header)
        self.date_error = ErrorLabel()
        outer.addWidget(self.date_error)
        self.errors: dict[str, ErrorLabel] = {"date": self.date_error}

        # The form scrolls on its own, so the Save/Revert row below it never leaves the screen.
        form_scroll = QScrollArea()
        form_scroll.setObjectName("logFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_body = QWidget()
        form_scroll.setWidget(form_body)
        outer.addWidget(form_scroll, 1)
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, form_body)
        self.columns.setContentsMargins(0, 0, 4, 0)
        self.columns.setSpacing(16)
        columns = self.columns

        # Left column: how the day felt.
        left_box = QGroupBox("How your back felt")
        grid = QGridLayout(left_box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(2, 1)
        self._grid_row = 0
        self.pain_spin = OptionalSpinBox(0, 10)
        self._add_field(grid, "&Pain now", self.pain_spin, "0 none · 10 worst imaginable "
                        "(needed)", "pain")
        self.pain_activity_spin = OptionalSpinBox(0, 10)
        self._add_field(grid, "&Worst during activity", self.pain_activity_spin,
                        "— if none; then the highest activity pain counts", "pain_activity")
        self.pain_morning_spin = OptionalSpinBox(0, 10)
        self._add_field(grid, "&Morning pain / stiffness", self.pain_morning_spin,
                        "on waking, 0–10", "pain_morning")
        self.leg_pain_spin = OptionalSpinBox(0, 10)
        self._add_field(grid, "&Leg pain", self.leg_pain_spin,
                        "worst pain in a leg today, apart from the back; — if none", "leg_pain")
        self.stiffness_spin = OptionalSpinBox(0, 240, step=5, suffix=" min")
        self._add_field(grid, "Morning s&tiffness", self.stiffness_spin,
                        "minutes stiff after getting up, 0–240", "stiffness_min")
        self.sleep_spin = OptionalDoubleSpinBox(0, 24, step=0.5, decimals=1, suffix=" h")
        self._add_field(grid, "&Sleep", self.sleep_spin, "hours last night", "sleep_hours")
        self.heat_ice_spin = OptionalSpinBox(0, 240, step=5, suffix=" min")
        self._add_field(grid, "&Heat / ice", self.heat_ice_spin,
                        self._session.content.texts["heat_ice_hint"],
                        "heat_ice_min")
        for spin in (self.pain_spin, self.pain_activity_spin, self.pain_morning_spin,
                     self.leg_pain_spin, self.stiffness_spin, self.sleep_spin,
                     self.heat_ice_spin):
            spin.setMinimumWidth(96)
            spin.setMaximumWidth(120)

        notes_label = QLabel("&Notes")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("How the day went, what helped, what made it worse…")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setAccessibleDescription(
            f"Free text about the day, up to {MAX_NOTES:,} characters. Tab moves on.")
        self.notes_edit.setMinimumHeight(90)
        notes_label.setBuddy(self.notes_edit)
        self.notes_counter = QLabel()
        self.notes_counter.setAccessibleName("Notes length")
        self.notes_counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        row = self._grid_row
        grid.addWidget(notes_label, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.notes_edit, row, 1, 1, 2)
        grid.setRowStretch(row, 1)
        grid.addWidget(self.notes_counter, row + 1, 1, 1, 2)
        self.errors["notes"] = ErrorLabel()
        grid.addWidget(self.errors["notes"], row + 2, 1, 1, 2)
        columns.addWidget(left_box, 5)

        # Right column: red flags and activities.
        right = QVBoxLayout()
        right.setSpacing(12)
        columns.addLayout(right, 6)

        self.sites_box = QGroupBox("Where it hurt: click the drawing or tick the boxes")
        sites_layout = QVBoxLayout(self.sites_box)
        self.body_map = BodyMapPicker()
        sites_layout.addWidget(self.body_map)
        self.site_suggestion = _advice_box("What the body map suggests")
        sites_layout.addWidget(self.site_suggestion)
        self.errors["pain_sites"] = ErrorLabel()
        sites_layout.addWidget(self.errors["pain_sites"])
        right.addWidget(self.sites_box)

        self.flags_box = QGroupBox("Red flags")
        flags_layout = QGridLayout(self.flags_box)
        flags_layout.setHorizontalSpacing(12)
        flags_layout.setVerticalSpacing(2)
        flags_layout.setColumnStretch(0, 1)
        self.flag_boxes: dict[str, QCheckBox] = {}
        self._urgency_labels: list[QLabel] = []
        for index, flag_id in enumerate(RED_FLAGS):
            flag = self._session.content.red_flags[flag_id]
            check = QCheckBox(flag.label)
            urgency = TIER_WORDS.get(flag.tier, "see a clinician soon")
            check.setToolTip(f"<p><b>{flag.label}</b></p><p>{flag.explanation}</p>"
                             f"<p><i>{flag.advice}</i></p>")
            check.setAccessibleName(f"Red flag: {flag.label}")
            check.setAccessibleDescription(f"{urgency.lstrip('⚠ ').capitalize()}. "
                                           f"{flag.explanation}")
            check.setWhatsThis(flag.explanation)
            tag = QLabel(urgency)
            tag.setProperty("emergency", flag.emergency)
            tag.setToolTip(flag.explanation)
            self._urgency_labels.append(tag)
            flags_layout.addWidget(check, index, 0)
            flags_layout.addWidget(tag, index, 1, Qt.AlignmentFlag.AlignRight)
            self.flag_boxes[flag_id] = check
        self.flag_advice = _advice_box("What to do about the ticked red flags")
        flags_layout.addWidget(self.flag_advice, len(RED_FLAGS), 0, 1, 2)
        self.errors["red_flag"] = ErrorLabel()
        flags_layout.addWidget(self.errors["red_flag"], len(RED_FLAGS) + 1, 0, 1, 2)
        right.addWidget(self.flags_box)

        self.activities_box = QGroupBox("Activities")
        activities_layout = QVBoxLayout(self.activities_box)
        self._activity_grid_widget = QWidget()
        self._activity_grid = QGridLayout(self._activity_grid_widget)
        self._activity_grid.setContentsMargins(0, 0, 0, 0)
        self._activity_grid.setHorizontalSpacing(8)
        self._activity_grid.setVerticalSpacing(4)
        self._activity_headers: list[QLabel] = []
        for column, text in enumerate(("Kind", "Distance", "Duration", "Pain", "Source", "")):
            header_label = QLabel(text)
            font = header_label.font()
            font.setBold(True)
            header_label.setFont(font)
            self._activity_grid.addWidget(header_label, 0, column)
            self._activity_headers.append(header_label)
        self._activity_grid.setColumnStretch(4, 1)
        self._activity_grid.setRowStretch(99, 1)
        self.no_activities_label = QLabel("No activities on this day yet.")
        self._activity_grid.addWidget(self.no_activities_label, 1, 0, 1, 6)
        activities_layout.addWidget(self._activity_grid_widget, 1)
        self.activity_error = ErrorLabel()
        activities_layout.addWidget(self.activity_error)
        add_row = QHBoxLayout()
        self.add_activity_button = QPushButton("&Add activity")
        self.add_activity_button.setAccessibleName("Add an activity")
        add_row.addWidget(self.add_activity_button)
        add_row.addStretch(1)
        activities_layout.addLayout(add_row)
        right.addWidget(self.activities_box, 1)

        # Bottom: the one Save.
        bottom = QHBoxLayout()
        self.form_error = ErrorLabel()
        bottom.addWidget(self.form_error, 1)
        bottom.addStretch(0)
        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Save state")
        bottom.addWidget(self.saved_label)
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setToolTip("Throw away the changes and show the entry as saved")
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(
            f"Save this day's entry ({QKeySequence(QKeySequence.StandardKey.Save).toString()})")
        self.save_button.setAccessibleName("Save the entry")
        for button in (self.revert_button, self.save_button):
            button.setMinimumWidth(110)
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            bottom.addWidget(button)
        outer.addLayout(bottom)

        self.save_action = QAction("Save entry", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.save_action)
        self.previous_action = QAction("Previous day", self)
        self.previous_action.setShortcut(QKeySequence("Alt+Left"))
        self.next_action = QAction("Next day", self)
        self.next_action.setShortcut(QKeySequence("Alt+Right"))
        for action in (self.previous_action, self.next_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self._recolour_timer = QTimer(self)
        self._recolour_timer.setSingleShot(True)
        self._recolour_timer.setInterval(0)
        self._recolour_timer.timeout.connect(self._on_recolour_timer_timeout)
        self._recolour()

    def _add_field(self, grid: QGridLayout, text: str, widget: QWidget, hint: str,
                   field: str) -> None:
        row = self._grid_row
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        widget.setAccessibleDescription(hint)
        hint_label = QLabel(hint)
        hint_label.setProperty("hint", True)
        hint_label.setWordWrap(True)
        grid.addWidget(label, row, 0)
        grid.addWidget(widget, row, 1)
        grid.addWidget(hint_label, row, 2)
        error = ErrorLabel()
        grid.addWidget(error, row + 1, 1, 1, 2)
        self.errors[field] = error
        self._grid_row += 2

    def _recolour(self) -> None:
        """Colour hints and urgency tags for the current palette (light or dark)."""
        palette = self.palette()
        muted = style.muted_colour(palette)
        for label in self.findChildren(QLabel):
            if label.property("hint"):
                label_palette = label.palette()
                label_palette.setColor(QPalette.ColorRole.WindowText, muted)
                label.setPalette(label_palette)
        for tag in self._urgency_labels:
            tag_palette = tag.palette()
            colour = style.error_colour(palette) if tag.property("emergency") else muted
            tag_palette.setColor(QPalette.ColorRole.WindowText, colour)
            tag.setPalette(tag_palette)

    def _connect(self) -> None:
        self.date_edit.dateChanged.connect(self._on_date_edit_changed)
        self.today_button.clicked.connect(self._on_today_button_clicked)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.previous_action.triggered.connect(self._on_previous_button_clicked)
        self.next_action.triggered.connect(self._on_next_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_action.triggered.connect(self._on_save_button_clicked)
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.add_activity_button.clicked.connect(self._on_add_activity_button_clicked)
        self.notes_edit.textChanged.connect(self._on_notes_edit_changed)
        for flag_id, check in self.flag_boxes.items():
            check.toggled.connect(self._on_flag_toggled)
            if self._session.content.red_flags[flag_id].emergency:
                check.toggled.connect(self._emergency_slot(flag_id))
        for spin in (self.pain_spin, self.pain_activity_spin, self.pain_morning_spin,
                     self.leg_pain_spin, self.stiffness_spin):
            spin.valueChanged.connect(self._on_field_changed)
        self.body_map.sites_changed.connect(self._on_body_map_sites_changed)
        self.sleep_spin.valueChanged.connect(self._on_field_changed)
        self.heat_ice_spin.valueChanged.connect(self._on_field_changed)
        self._session.data_changed.connect(self._on_session_data_changed)
        self._session.episode_changed.connect(self._on_session_episode_changed)

    def _fix_tab_order(self) -> None:
        """Tab through the form in the order it reads: header, left column, right, buttons."""
        chain: list[QWidget] = [self.date_edit, self.previous_button, self.next_button,
                                self.today_button, self.pain_spin,
                                self.pain_activity_spin, self.pain_morning_spin,
                                self.leg_pain_spin, self.stiffness_spin, self.sleep_spin,
                                self.heat_ice_spin, self.notes_edit, *self.body_map.widgets(),
                                *self.flag_boxes.values()]
        for row in self._rows:
            chain += [row.kind, row.distance, row.duration, row.pain, row.remove]
        chain += [self.add_activity_button, self.revert_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- public ----------------------------------------------------------------------------

    @property
    def day(self) -> datetime.date:
        """The date the form shows."""
        return self._day

    def show_day(self, day: datetime.date) -> None:
        """Show the entry of ``day`` (an empty form when there is none)."""
        self.date_edit.setDate(to_qdate(day))

    def is_dirty(self) -> bool:
        """Whether the form holds changes that are not saved."""
        return self._state() != self._clean_state

    def save(self) -> bool:
        """Validate and save the whole day in one step. Returns whether it was written."""
        self._clear_errors()
        day = self._day
        today = self._session.today()
        log = DayLog(
            day=day, pain=self.pain_spin.value_or_none(),
            pain_activity=self.pain_activity_spin.value_or_none(),
            pain_morning=self.pain_morning_spin.value_or_none(),
            red_flags=frozenset(f for f, box in self.flag_boxes.items() if box.isChecked()),
            sleep_hours=self.sleep_spin.value_or_none(),
            heat_ice_min=self.heat_ice_spin.value_or_none(),
            notes=self.notes_edit.toPlainText(),
            leg_pain=self.leg_pain_spin.value_or_none(),
            stiffness_min=self.stiffness_spin.value_or_none(),
            pain_sites=self.body_map.sites())
        activities = [row.activity(day) for row in self._rows]
        try:
            validate_day(log, today)
        except ValidationError as error:
            self._show_error(error)
            return False
        for index, activity in enumerate(activities):
            try:
                validate_activity(activity, today)
            except ValidationError as error:
                self._show_error(error, activity_row=index)
                return False
        if not self._confirm_flags_removed(log):
            self.form_error.show_message("Not saved: the red flag is still ticked in the saved "
                                         "entry. Untick it again and Save when you are sure.")
            return False
        try:
            self._session.save_day(log, activities, replace_activities=True)
        except ValidationError as error:
            self._show_error(error)
            return False
        except StoreError as error:
            self.form_error.show_message(f"Nothing was saved. {error}")
            return False
        self._load(day)
        self.saved_label.setText(f"Saved at {QTime.currentTime().toString('HH:mm')}")
        return True

    # --- loading ---------------------------------------------------------------------------

    def _load(self, day: datetime.date) -> None:
        """Fill the form from the store's entry for ``day`` (or empty it)."""
        self._loading = True
        try:
            self._day = day
            with QSignalBlocker(self.date_edit):
                self.date_edit.setDate(to_qdate(day))
            log, activities = self._session.day(day)
            self._clear_errors()
            self.pain_spin.set_value_or_none(log.pain if log else None)
            self.pain_activity_spin.set_value_or_none(log.pain_activity if log else None)
            self.pain_morning_spin.set_value_or_none(log.pain_morning if log else None)
            self.sleep_spin.set_value_or_none(log.sleep_hours if log else None)
            self.heat_ice_spin.set_value_or_none(log.heat_ice_min if log else None)
            self.leg_pain_spin.set_value_or_none(log.leg_pain if log else None)
            self.stiffness_spin.set_value_or_none(log.stiffness_min if log else None)
            self.body_map.set_sites(log.pain_sites if log else ())
            self.notes_edit.setPlainText(log.notes if log else "")
            flags = log.red_flags if log else frozenset()
            for flag_id, box in self.flag_boxes.items():
                box.setChecked(flag_id in flags)
            for row in list(self._rows):
                self._drop_row(row)
            for activity in activities:
                self._add_row(activity)
            self._saved_exists = log is not None
        finally:
            self._loading = False
        self._refresh_labels()
        self._update_flag_advice()
        self._update_site_suggestion()
        self._update_notes_counter()
        self._fix_tab_order()
        self._clean_state = self._state()
        self.saved_label.clear()

    def _refresh_labels(self) -> None:
        day = self._day
        self.title_label.setText(words.date_text(day, weekday=True, long=True))
        parts: list[str] = []
        status = self._session.status(day) if day <= self._session.today() else None
        if status is not None:
            plan = self._session.content.plan
            parts.append(f"{plan.name(status.phase)}, day {status.phase_day}")
            if status.paused:
                parts.append("plan paused by a red flag")
        elif self._session.info is not None and day < self._session.info.start:
            parts.append("before this episode began")
        parts.append("saved entry" if self._saved_exists else "new entry")
        self.phase_label.setText(" · ".join(parts))
        today = self._session.today()
        when = "today" if day == today else f"on {day:%a} {day.day} {day:%b}"
        self.flags_box.setTitle(f"Red flags: tick any you noticed {when}")
        self.next_button.setEnabled(day < today)
        self.next_action.setEnabled(day < today)
        self.previous_button.setEnabled(day > EARLIEST_DATE)
        unit = self._session.units
        self._activity_headers[1].setText(f"Distance ({unit})")
        self._activity_headers[2].setText("Duration")

    def _state(self) -> tuple[Any, ...]:
        return (self.pain_spin.value(), self.pain_activity_spin.value(),
                self.pain_morning_spin.value(), self.sleep_spin.value(),
                self.heat_ice_spin.value(), self.notes_edit.toPlainText(),
                self.leg_pain_spin.value(), self.stiffness_spin.value(), self.body_map.sites(),
                tuple(box.isChecked() for box in self.flag_boxes.values()),
                tuple(row.state() for row in self._rows))

    # --- activities ------------------------------------------------------------------------

    def _add_row(self, activity: Activity | None = None) -> _ActivityRow:
        units = self._session.units
        kind = QComboBox()
        for kind_id in KINDS:
            kind.addItem(KIND_WORDS[kind_id], kind_id)
        kind.setCurrentIndex(KINDS.index(activity.kind) if activity else KINDS.index("walk"))
        distance = OptionalDoubleSpinBox(0, _max_distance(units), step=0.5,
                                         decimals=_distance_decimals(units), empty_at=0)
        distance.setMinimumWidth(90)
        duration = DurationSpinBox()
        duration.setMinimumWidth(90)
        pain = OptionalSpinBox(0, 10)
        pain.setMinimumWidth(60)
        source = QLabel()
        remove = QToolButton()
        remove.setText("Remove")
        remove.setAutoRaise(True)
        remove.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        row = _ActivityRow(activity, units, kind, distance, duration, pain, source, remove)
        if activity is not None:
            shown_distance = (None if activity.distance_m is None
                              else round(from_metres(activity.distance_m, units), 2))
            distance.set_value_or_none(shown_distance)
            shown_duration = (None if activity.duration_s is None
                              else round(activity.duration_s / 60.0, 4))
            duration.set_value_or_none(shown_duration)
            row.shown_distance = distance.value_or_none()
            row.shown_duration = duration.value_or_none()
            pain.set_value_or_none(activity.pain)
            said = SOURCE_WORDS.get(activity.source, activity.source)
            if activity.start_time is not None:
                said += f" · {activity.start_time:%H:%M}"
            if activity.cadence_spm is not None:
                said += f" · {activity.cadence_spm:.0f} steps/min"
            source.setText(said)
            if activity.source != "manual":
                tip = f"Imported from a {activity.source.upper()} file"
                if activity.start_time is not None:
                    tip += f", started {activity.start_time:%H:%M}"
                if activity.elapsed_s:
                    tip += f", {activity.elapsed_s / 60:.0f} min from start to finish"
                if activity.cadence_spm is not None:
                    tip += (f", an average cadence of {activity.cadence_spm:.0f} steps a "
                            "minute")
                source.setToolTip(tip + ". Its values are kept unless you change them.")
        else:
            source.setText(SOURCE_WORDS["manual"])
        self._rows.append(row)
        self._place_rows()
        for signal in (kind.currentIndexChanged, distance.valueChanged, duration.valueChanged,
                       pain.valueChanged):
            signal.connect(self._on_field_changed)
        remove.clicked.connect(lambda: self._on_remove_button_clicked(row))
        return row

    def _place_rows(self) -> None:
        for number, row in enumerate(self._rows, start=1):
            for column, widget in enumerate(row.widgets()):
                self._activity_grid.addWidget(widget, number, column)
            name = KIND_WORDS[row.kind.currentData()]
            row.kind.setAccessibleName(f"Activity {number} kind")
            row.distance.setAccessibleName(f"Activity {number} distance in {row.units}")
            row.duration.setAccessibleName(f"Activity {number} duration")
            row.pain.setAccessibleName(f"Activity {number} pain, 0 to 10")
            row.kind.setAccessibleDescription("Walk, run, swim, cycle or another activity")
            row.distance.setAccessibleDescription(
                f"In {row.units}; leave it at the dash if you did not measure it")
            row.duration.setAccessibleDescription(
                "Minutes and seconds, e.g. 25:00, or hours as 1:05:00; the dash if not timed")
            row.pain.setAccessibleDescription("Worst pain during it, 0 to 10; the dash if none")
            row.source.setAccessibleName(f"Activity {number} source")
            row.remove.setAccessibleName(f"Remove activity {number} ({name})")
            row.remove.setToolTip(f"Remove activity {number} from this day")
        self.no_activities_label.setVisible(not self._rows)

    def _drop_row(self, row: _ActivityRow) -> None:
        self._rows.remove(row)
        for widget in row.widgets():
            self._activity_grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._place_rows()

    # --- errors ----------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear_message()
        self.activity_error.clear_message()
        self.form_error.clear_message()

    def _show_error(self, error: ValidationError, activity_row: int | None = None) -> None:
        """Put the core's refusal under the field it names, and move the focus there."""
        field = error.field
        if activity_row is None and field in DAY_FIELDS and field in self.errors:
            label = self.errors[field]
            label.show_message(self._day_message(error))
            target = {"date": self.date_edit, "pain": self.pain_spin,
                      "pain_activity": self.pain_activity_spin,
                      "pain_morning": self.pain_morning_spin, "sleep_hours": self.sleep_spin,
                      "heat_ice_min": self.heat_ice_spin, "notes": self.notes_edit,
                      "leg_pain": self.leg_pain_spin, "stiffness_min": self.stiffness_spin,
                      "red_flag": next(iter(self.flag_boxes.values()))}.get(field)
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        elif activity_row is not None or field in ACTIVITY_FIELDS:
            row_index = activity_row if activity_row is not None else 0
            self.activity_error.show_message(self._activity_message(error, row_index))
            if row_index < len(self._rows):
                row = self._rows[row_index]
                target = {"kind": row.kind, "distance": row.distance, "duration": row.duration,
                          "activity pain": row.pain}.get(field, row.kind)
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form_error.show_message(f"Nothing was saved. {error}")

    def _day_message(self, error: ValidationError) -> str:
        if error.field == "pain" and error.value is None:
            return "Pain now is needed: a whole number from 0 (none) to 10. Nothing was saved."
        if error.field == "notes":
            return f"The notes are {error.value}; {error.allowed} fit. Nothing was saved."
        if error.field == "date":
            return f"{error.value} cannot be logged: it must be {error.allowed}."
        name = DAY_FIELDS.get(error.field, error.field)
        return f"{name} cannot be {error.value!r}: it must be {error.allowed}. Nothing was saved."

    def _activity_message(self, error: ValidationError, row_index: int) -> str:
        units = self._session.units
        field = ACTIVITY_FIELDS.get(error.field, error.field)
        prefix = f"Activity {row_index + 1}, {field}"
        if error.field == "distance" and isinstance(error.value, int | float):
            shown = from_metres(error.value, units)
            return (f"{prefix}: {shown:g} {units} is not possible; it must be from 0 to "
                    f"{_max_distance(units):g} {units}. Nothing was saved.")
        if error.field == "duration" and isinstance(error.value, int | float):
            return (f"{prefix}: {error.value / 60:g} min is not possible; it must be more than 0 "
                    f"and at most {MAX_DURATION_S / 60:g} min (24 hours). Nothing was saved.")
        return f"{prefix}: {error.value!r} is not allowed; it must be {error.allowed}. " \
               "Nothing was saved."

    # --- red flags -------------------------------------------------------------------------

    def _confirm_flags_removed(self, log: DayLog) -> bool:
        """Ask before a save unticks a red flag that the saved entry holds (it may lift a pause)."""
        stored, _activities = self._session.day(log.day)
        if stored is None:
            return True
        removed = [f for f in RED_FLAGS if f in stored.red_flags and f not in log.red_flags]
        if not removed:
            return True
        names = "\n".join(f"• {self._session.content.red_flags[f].label}" for f in removed)
        text = (f"The saved entry of {words.weekday_text(log.day)} "
                f"has this red flag "
                f"ticked:\n{names}\n\nRemoving it can lift the pause on your plan. Remove it "
                "only if it was ticked by mistake or a clinician has seen you; if you still have "
                "this sign, keep it and see a clinician.")
        return self.confirm(REMOVE_FLAG_TITLE, text)

    def _update_site_suggestion(self) -> None:
        """Point at the red flag the marked sites suggest, in its own words; never tick it."""
        flag_id = suggested_flag(self.body_map.sites())
        flag = self._session.content.red_flags.get(flag_id) if flag_id else None
        if flag is None or self.flag_boxes[flag.id].isChecked():
            self.site_suggestion.hide()
            return
        intro = outcome_texts()["suggest_both_legs" if flag_id == "both_legs"
                                else "suggest_one_leg"]
        self.site_suggestion.setText(f"<p>{intro}</p><p><b>{flag.label}</b>: "
                                     f"{flag.explanation}</p>")
        self.site_suggestion.show()

    @Slot(object)
    def _on_body_map_sites_changed(self, sites: frozenset[str]) -> None:
        del sites
        self._update_site_suggestion()
        self._on_field_changed()

    def _update_flag_advice(self) -> None:
        ticked = [self._session.content.red_flags[f] for f, box in self.flag_boxes.items()
                  if box.isChecked()]
        if not ticked:
            self.flag_advice.hide()
            return
        ticked.sort(key=lambda flag: not flag.emergency)
        parts = [f"<b>{flag.label}.</b> {flag.advice}" for flag in ticked]
        self.flag_advice.setText("<br>".join(parts))
        self.flag_advice.show()

    # --- slots -----------------------------------------------------------------------------

    @Slot(QDate)
    def _on_date_edit_changed(self, qdate: QDate) -> None:
        day = from_qdate(qdate)
        if day == self._day:
            return
        if self.is_dirty():
            previous = self._day
            answer = self.ask_unsaved(
                "Unsaved changes",
                f"The entry of {words.weekday_text(previous)} has "
                f"changes that are "
                "not saved yet. Save them before showing another day?")
            if answer == "cancel" or (answer == "save" and not self.save()):
                with QSignalBlocker(self.date_edit):
                    self.date_edit.setDate(to_qdate(previous))
                return
        self._load(day)

    @Slot()
    def _on_today_button_clicked(self) -> None:
        self.show_day(self._session.today())

    @Slot()
    def _on_previous_button_clicked(self) -> None:
        self.show_day(self._day - datetime.timedelta(days=1))

    @Slot()
    def _on_next_button_clicked(self) -> None:
        self.show_day(min(self._day + datetime.timedelta(days=1), self._session.today()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # overrides QWidget.resizeEvent
        """Side by side when there is room; otherwise one column, red flags under the pains."""
        wide = event.size().width() >= 1100
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                  else QBoxLayout.Direction.TopToBottom)
        # In one column the notes stay a few lines tall, so the red flags come into view.
        self.notes_edit.setMaximumHeight(16777215 if wide else
                                         self.fontMetrics().height() * 7)
        super().resizeEvent(event)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        self.save()

    @Slot()
    def _on_revert_button_clicked(self) -> None:
        self._load(self._day)

    @Slot()
    def _on_add_activity_button_clicked(self) -> None:
        row = self._add_row()
        self._fix_tab_order()
        self._on_field_changed()
        row.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_remove_button_clicked(self, row: _ActivityRow) -> None:
        index = self._rows.index(row)
        self._drop_row(row)
        self._fix_tab_order()
        self._on_field_changed()
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].kind.setFocus()
        else:
            self.add_activity_button.setFocus()

    @Slot()
    def _on_notes_edit_changed(self) -> None:
        self._update_notes_counter()
        self._on_field_changed()

    def _emergency_slot(self, flag_id: str) -> Callable[[bool], None]:
        """§4: ticking an emergency item opens a dialog at once, not only a banner."""
        def on_toggled(checked: bool) -> None:
            if checked and not self._loading:
                flag = self._session.content.red_flags[flag_id]
                self.alarm("Seek care now",
                           f"{self._session.content.texts['banner_emergency']}\n\n"
                           f"{flag.label}: {flag.advice}")
        return on_toggled

    @Slot(bool)
    def _on_flag_toggled(self, checked: bool) -> None:  # noqa: ARG002 - any toggle redraws
        self._update_flag_advice()
        self._update_site_suggestion()
        self._on_field_changed()

    @Slot()
    def _on_field_changed(self) -> None:
        if self._loading:
            return
        self.saved_label.setText("Unsaved changes" if self.is_dirty() else "")

    @Slot(object)
    def _on_session_data_changed(self, days: frozenset[datetime.date]) -> None:
        if days and self._day not in days:
            return
        if not self.is_dirty():
            saved_text = self.saved_label.text()
            self._load(self._day)
            self.saved_label.setText(saved_text)

    @Slot()
    def _on_session_episode_changed(self) -> None:
        if not self.is_dirty():
            self._load(self._day)
        else:
            self._refresh_labels()

    def _update_notes_counter(self) -> None:
        length = len(self.notes_edit.toPlainText())
        self.notes_counter.setText(f"{length:,} / {MAX_NOTES:,} characters")
        palette = self.notes_counter.palette()
        colour = (style.error_colour(self.palette()) if length > MAX_NOTES
                  else style.muted_colour(self.palette()))
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.notes_counter.setPalette(palette)

    # --- Qt overrides ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # overrides QWidget.showEvent
        """Keep "today" current: the app may stay open past midnight."""
        today = to_qdate(self._session.today())
        if self.date_edit.maximumDate() != today:
            with QSignalBlocker(self.date_edit):
                self.date_edit.setMaximumDate(today)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # overrides QWidget.changeEvent
        """Recolour hints and warnings when the palette switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_recolour_timer"):
            self._recolour_timer.start()    # once the children have the new palette too

    @Slot()
    def _on_recolour_timer_timeout(self) -> None:
        self._recolour()
        for label in self.findChildren(ErrorLabel):
            label._recolour()
        self._update_notes_counter()
