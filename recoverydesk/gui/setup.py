"""First run: begin an episode in four fields, or look around the demo first (DESIGN.md §1).

Kept short on purpose: someone with a sore back should be logging within a minute. Only the
start date is needed; everything else has a sensible default and can be changed later in
Edit → Preferences.
"""

from __future__ import annotations

import datetime
import html

from PySide6.QtCore import QDate, QTime, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import reminder
from recoverydesk.core.model import EpisodeInfo, ValidationError, to_metres, validate_info
from recoverydesk.core.outcomes import texts as outcome_texts
from recoverydesk.core.psfs import MAX_ACTIVITIES, MAX_NAME, MIN_ACTIVITIES
from recoverydesk.gui.dates import from_qdate, to_qdate


def reminder_fields(parent: QWidget,
                    at: datetime.time | None) -> tuple[QCheckBox, QTimeEdit]:
    """"Remind me to log at [20:00]": off unless ``at`` is given (the first-run setup and
    Preferences share it; DESIGN §1.1)."""
    check = QCheckBox("Daily &reminder to log, at:", parent)
    check.setAccessibleName("Remind me each day to log my pain")
    check.setToolTip("A notification at this time on days you have not logged yet.")
    check.setChecked(at is not None)
    time_edit = QTimeEdit(parent)
    time_edit.setDisplayFormat("HH:mm")
    shown = at or reminder.DEFAULT_TIME
    time_edit.setTime(QTime(shown.hour, shown.minute))
    time_edit.setAccessibleName("Reminder time")
    time_edit.setEnabled(at is not None)
    check.toggled.connect(time_edit.setEnabled)
    return check, time_edit


class SetupDialog(QDialog):
    """The first-run questions.

    Attributes:
        choice: ``"begin"`` (use ``info()``), ``"demo"`` (open the demo data) or None
            (closed without choosing).
    """

    def __init__(self, today: datetime.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.choice: str | None = None
        self.setWindowTitle("Welcome to RecoveryDesk")
        em = self.fontMetrics().height()
        self.setMinimumWidth(em * 30)
        lay = QVBoxLayout(self)
        intro = QLabel("<h3>Let's set up your recovery</h3>"
                       "<p>RecoveryDesk keeps a daily log of your back pain and guides you "
                       "through a gradual plan from rest back to running. Everything stays on "
                       "this computer.</p>", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)

        form = QFormLayout()
        self.start = QDateEdit(self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("d MMMM yyyy")
        self.start.setMaximumDate(to_qdate(today))
        self.start.setMinimumDate(QDate(1990, 1, 1))
        self.start.setDate(to_qdate(today))
        self.start.setAccessibleName("When did the back pain start")
        self.start.setToolTip("The first day of this episode of back pain (today or earlier).")
        form.addRow("&When did it start?", self.start)
        self.units = QComboBox(self)
        self.units.addItem("kilometres", "km")
        self.units.addItem("miles", "mi")
        self.units.setAccessibleName("Distance units")
        form.addRow("&Units:", self.units)
        self.baseline = QDoubleSpinBox(self)
        self.baseline.setRange(0, 1000)
        self.baseline.setDecimals(0)
        self.baseline.setSpecialValueText("not sure")
        self.baseline.setAccessibleName("Weekly running distance before the pain")
        self.baseline.setToolTip("Roughly how far you ran in a usual week before the pain. "
                                 "Leave it at 'not sure' if you do not know.")
        form.addRow("Usual &weekly running before the pain:", self.baseline)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("Optional: how it started, what a clinician said…")
        self.notes.setAccessibleName("Notes about this episode")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(em * 5)
        form.addRow("&Notes:", self.notes)
        self.reminder_on, self.reminder_time = reminder_fields(self, None)
        form.addRow(self.reminder_on, self.reminder_time)
        lay.addLayout(form)
        # Function (PSFS, DESIGN §3.1): optional here; the Today view asks later otherwise.
        psfs_intro = QLabel("<b>What does your back make hard?</b> (optional; or later on "
                            "Today) " + html.escape(outcome_texts()["psfs_intro"]), self)
        psfs_intro.setWordWrap(True)
        lay.addWidget(psfs_intro)
        self.psfs_edits: list[QLineEdit] = []
        names_row = QGridLayout()
        for index in range(MAX_ACTIVITIES):
            edit = QLineEdit(self)
            edit.setMaxLength(MAX_NAME)
            edit.setAccessibleName(f"Activity your back makes hard, {index + 1}")
            edit.setPlaceholderText(f"activity {index + 1}")
            names_row.addWidget(edit, index // 3, index % 3)
            self.psfs_edits.append(edit)
        lay.addLayout(names_row)
        from recoverydesk.core.plan import load_content
        from recoverydesk.gui.risk_screen import RiskScreen, scrolled

        screen_title = QLabel("<b>A few health questions</b>", self)
        lay.addWidget(screen_title)
        self.risk_screen = RiskScreen(load_content())
        lay.addWidget(scrolled(self.risk_screen, em * 10))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.hide()
        lay.addWidget(self.error)

        buttons = QDialogButtonBox(self)
        self.begin_button = QPushButton("&Begin", self)
        self.begin_button.setAccessibleName("Begin my recovery")
        self.begin_button.setDefault(True)
        self.demo_button = QPushButton("Explore with &demo data", self)
        self.demo_button.setAccessibleName("Explore with demo data")
        self.demo_button.setToolTip("Open a eight-week example recovery in a separate data file; "
                                    "your own data is not touched.")
        buttons.addButton(self.begin_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.begin_button.clicked.connect(self._on_begin_clicked)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        lay.addWidget(buttons)
        self._units_changed()
        self.units.currentIndexChanged.connect(self._units_changed)

    @Slot()
    def _units_changed(self) -> None:
        self.baseline.setSuffix(f" {self.units.currentData()}")

    def info(self) -> EpisodeInfo:
        """The episode as entered (not yet validated)."""
        units = str(self.units.currentData())
        baseline = self.baseline.value()
        return EpisodeInfo(
            start=from_qdate(self.start.date()), units=units,
            baseline_weekly_m=to_metres(baseline, units) if baseline else None,
            notes=self.notes.toPlainText().strip())

    def risks(self) -> frozenset[str]:
        """The risk-screen questions answered yes (§4.1), recorded on the start date."""
        return self.risk_screen.answers()

    def reminder(self) -> datetime.time | None:
        """The daily reminder time chosen, or None for no reminder (the default)."""
        if not self.reminder_on.isChecked():
            return None
        chosen = self.reminder_time.time()
        return datetime.time(chosen.hour(), chosen.minute())

    def psfs_names(self) -> list[str]:
        """The activities named for the weekly function scores (none, or 3 to 5)."""
        return [e.text().strip() for e in self.psfs_edits if e.text().strip()]

    @Slot()
    def _on_begin_clicked(self) -> None:
        try:
            validate_info(self.info(), self._today)
        except ValidationError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        names = [n.casefold() for n in self.psfs_names()]
        if len(set(names)) != len(names):
            self.error.setText("Each activity once, please: two of them have the same name.")
            self.error.show()
            return
        if 0 < len(names) < MIN_ACTIVITIES:
            self.error.setText(f"Name at least {MIN_ACTIVITIES} activities your back makes "
                               "hard, or leave them all empty to name them later on Today.")
            self.error.show()
            return
        self.choice = "begin"
        self.accept()

    @Slot()
    def _on_demo_clicked(self) -> None:
        self.choice = "demo"
        self.accept()
