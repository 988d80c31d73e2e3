"""Small dialogs: About, Medical disclaimer, Red flags, clinician clearance, Preferences.

Their words come from the content files (resources/texts.toml, red_flags.toml) so that a
clinician reviewing the wording edits text, not code.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.core.explain import day_words
from recoverydesk.core.model import RED_FLAGS, from_metres, to_metres
from recoverydesk.gui.ask import ask
from recoverydesk.gui.dates import from_qdate, to_qdate
from recoverydesk.gui.session import Session

if TYPE_CHECKING:
    from recoverydesk.gui.session import BackupInfo


def _paragraphs_html(text: str) -> str:
    paragraphs = [p.strip().replace("\n", " ") for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{_escape(p)}</p>" for p in paragraphs)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TextDialog(QDialog):
    """A readable, scrollable page of text with a Close button."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        em = self.fontMetrics().height()
        self.resize(em * 34, em * 28)
        lay = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        self.browser.setAccessibleName(title)
        lay.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def about_dialog(session: Session, parent: QWidget | None = None) -> TextDialog:
    from recoverydesk import __version__ as version
    from recoverydesk.gui.icons import icons_dir

    counts = session.counts()
    icon = (icons_dir() / "recoverydesk-64.png").as_uri()
    html = (f'<p><img src="{icon}" width="64" height="64" alt=""></p>'
            f"<h2>RecoveryDesk {version}</h2>" + _paragraphs_html(session.content.texts["about"])
            + f"<p>Data folder: <tt>{_escape(str(session.data_dir))}</tt><br>"
              f"{words.count_text(counts['day_logs'], 'daily entry', 'daily entries')}, "
              f"{words.count_text(counts['activities'], 'activity')}.</p>")
    return TextDialog("About RecoveryDesk", html, parent)


def disclaimer_dialog(session: Session, parent: QWidget | None = None) -> TextDialog:
    html = "<h2>Medical disclaimer</h2>" + _paragraphs_html(session.content.texts["disclaimer"])
    return TextDialog("Medical disclaimer", html, parent)


def red_flags_dialog(session: Session, parent: QWidget | None = None) -> TextDialog:
    flags = session.content.red_flags
    parts = ["<h2>Red flags</h2><p>Tick these in the Log when they happen. Any of them pauses "
             "the plan until a clinician has seen you.</p>"]
    for urgency, title in (("emergency", "Seek care now"), ("soon", "See a clinician soon")):
        parts.append(f"<h3>{title}</h3>")
        for flag_id in RED_FLAGS:
            flag = flags[flag_id]
            if flag.urgency == urgency:
                parts.append(f"<p><b>{_escape(flag.label)}.</b> {_escape(flag.explanation)}"
                             f"<br><i>{_escape(flag.advice)}</i></p>")
    return TextDialog("Red flags", "".join(parts), parent)


class ClearanceDialog(QDialog):
    """Record a clinician's clearance: a note is required, and the engine must accept it.

    The refusal is shown under the note, so the runner sees what to fix without losing what
    they typed.
    """

    def __init__(self, session: Session, day: datetime.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._day = day
        self.setWindowTitle("Record a clearance")
        self.setModal(True)
        em = self.fontMetrics().height()
        self.resize(em * 30, em * 16)
        lay = QVBoxLayout(self)
        intro = QLabel("After a doctor or physiotherapist has seen you, write down what they "
                       "said. A clearance works on the day you were seen, even the day you "
                       "ticked the red flag, and also ends a hold on running.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        date_row = QFormLayout()
        self.date_edit = QDateEdit(to_qdate(day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMMM yyyy")
        self.date_edit.setMaximumDate(to_qdate(session.today()))
        episode = session.episode
        if episode is not None:
            self.date_edit.setMinimumDate(to_qdate(episode.start))
        self.date_edit.setAccessibleName("Day the clinician saw you")
        self.date_edit.dateChanged.connect(self._on_date_changed)
        date_row.addRow("&Seen on:", self.date_edit)
        lay.addLayout(date_row)
        self.goes_on = QLabel(self)
        self.goes_on.setWordWrap(True)
        self.goes_on.setAccessibleName("When the plan goes on")
        lay.addWidget(self.goes_on)
        self._on_date_changed()
        label = QLabel("&What did the clinician say?", self)
        lay.addWidget(label)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("e.g. Seen by GP, cleared to carry on")
        self.note.setAccessibleName("Clinician's note")
        self.note.setTabChangesFocus(True)
        label.setBuddy(self.note)
        lay.addWidget(self.note)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.setAccessibleName("Problem with the clearance")
        self.error.hide()
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Record clearance")
        ok.setAccessibleName("Record clearance")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    @Slot()
    def _on_date_changed(self) -> None:
        self._day = from_qdate(self.date_edit.date())
        goes_on = self._day + datetime.timedelta(days=1)
        self.goes_on.setText(f"If the plan is paused, it goes on from {day_words(goes_on)}; "
                             f"the days up to {day_words(self._day)} do not count towards "
                             "moving on.")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        note = self.note.toPlainText().strip()
        if not note:
            self._refuse("Please write a few words on who saw you and what they said, "
                         "e.g. \"Seen by GP, cleared\".")
            return
        decision = self._session.clear(self._day, note)
        if not decision.accepted:
            self._refuse(" ".join(r.detail for r in decision.reasons if not r.ok))
            return
        self._session.notify(f"Clearance recorded for {day_words(self._day)}.")
        self.accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.note.setFocus()


class PreferencesDialog(QDialog):
    """Units, the weekly distance before the pain, and automatic advance (DESIGN §5.1)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Preferences")
        form = QFormLayout(self)
        info = session.info
        self.units = QComboBox(self)
        self.units.addItem("kilometres", "km")
        self.units.addItem("miles", "mi")
        self.units.setAccessibleName("Distance units")
        units = info.units if info else "km"
        self.units.setCurrentIndex(0 if units == "km" else 1)
        form.addRow("&Units:", self.units)
        self.baseline = QDoubleSpinBox(self)
        self.baseline.setRange(0, 2000)
        self.baseline.setDecimals(1)
        self.baseline.setAccessibleName("Weekly running distance before the pain")
        self.baseline.setAccessibleDescription("In the units above; 0 if you do not know")
        self.baseline.setSuffix(f" {units}")
        # The stored distance, and the figure it showed as: an untouched figure keeps the
        # exact stored metres, and a change of units converts it rather than relabelling it.
        self._baseline_m = info.baseline_weekly_m if info else None
        self._shown_units = units
        if self._baseline_m:
            self.baseline.setValue(from_metres(self._baseline_m, units))
        self._baseline_shown = self.baseline.value()
        form.addRow("&Weekly distance before the pain:", self.baseline)
        self.units.currentIndexChanged.connect(self._on_units_changed)
        self.auto = QCheckBox("Move on &automatically on the first day the gate opens", self)
        self.auto.setChecked(session.rules.auto_advance)
        self.auto.setAccessibleName("Advance automatically")
        form.addRow(self.auto)
        self.onset = QCheckBox("My back pain first began before I was &45", self)
        self.onset.setChecked(bool(session.onset_before_45))
        self.onset.setAccessibleName("Back pain first began before 45")
        self.onset.setToolTip("With long morning stiffness after three months, the app then "
                              "suggests asking your GP about inflammatory back pain.")
        form.addRow(self.onset)
        self.screen_button = QPushButton("&Health questions…", self)
        self.screen_button.setAccessibleName("Change your answers to the health questions")
        self.screen_button.setEnabled(info is not None)
        self.screen_button.clicked.connect(self._on_screen_clicked)
        form.addRow("Risk screen:", self.screen_button)
        self._add_desktop_rows(form)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if info is None:
            self.units.setEnabled(False)
            self.baseline.setEnabled(False)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

    def screen_dialog(self) -> QDialog:
        """The risk screen with the latest answers (not yet shown)."""
        from recoverydesk.gui.risk_screen import RiskScreenDialog

        return RiskScreenDialog(self._session, self)

    @Slot()
    def _on_screen_clicked(self) -> None:
        self.screen_dialog().open()

    def _add_desktop_rows(self, form: QFormLayout) -> None:
        """The daily reminder, closing to the tray, and starting at login (DESIGN §1.1)."""
        from PySide6.QtWidgets import QSystemTrayIcon

        from recoverydesk import autostart
        from recoverydesk.core import reminder
        from recoverydesk.gui.setup import reminder_fields

        session = self._session
        at = reminder.from_setting(session.setting(reminder.SETTING))
        self.reminder_on, self.reminder_time = reminder_fields(self, at)
        form.addRow(self.reminder_on, self.reminder_time)
        self.tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.close_to_tray = QCheckBox("&Keep running in the system tray when the window is "
                                       "closed", self)
        self.close_to_tray.setAccessibleName("Keep running in the tray when closed")
        self.close_to_tray.setChecked(bool(session.setting("close_to_tray", False)))
        self.close_to_tray.setEnabled(self.tray_available)
        if not self.tray_available:
            self.close_to_tray.setToolTip("This desktop has no system tray.")
        form.addRow(self.close_to_tray)
        self.start_at_login = QCheckBox("&Start at login (in the tray, or just the reminder "
                                        "where there is no tray)", self)
        self.start_at_login.setAccessibleName("Start RecoveryDesk when I log in")
        self.start_at_login.setChecked(autostart.is_enabled())
        form.addRow(self.start_at_login)

    def _save_desktop_rows(self) -> None:
        from recoverydesk import autostart
        from recoverydesk.core import reminder

        session = self._session
        chosen = self.reminder_time.time()
        at = (reminder.format_time(datetime.time(chosen.hour(), chosen.minute()))
              if self.reminder_on.isChecked() else None)
        if at != session.setting(reminder.SETTING):
            session.set_setting(reminder.SETTING, at)
        if self.tray_available and (self.close_to_tray.isChecked()
                                    != bool(session.setting("close_to_tray", False))):
            session.set_setting("close_to_tray", self.close_to_tray.isChecked())
        if self.start_at_login.isChecked():
            autostart.enable(autostart.login_command(session.data_dir,
                                                     tray=self.tray_available))
        elif autostart.is_enabled():
            autostart.disable()

    def baseline_metres(self) -> float | None:
        """The weekly distance the dialog holds, in metres (None when 0)."""
        shown = self.baseline.value()
        if shown == self._baseline_shown:
            return self._baseline_m
        return to_metres(shown, self._shown_units) if shown else None

    @Slot(int)
    def _on_units_changed(self, _index: int) -> None:
        metres = self.baseline_metres()
        units = self.units.currentData()
        self._baseline_m, self._shown_units = metres, units
        self.baseline.setSuffix(f" {units}")
        self.baseline.setValue(from_metres(metres, units) if metres else 0.0)
        self._baseline_shown = self.baseline.value()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        import dataclasses

        from recoverydesk.core.model import ValidationError
        from recoverydesk.gui.session import StoreError

        session = self._session
        info = session.info
        try:
            if info is not None:
                new = dataclasses.replace(info, units=self.units.currentData(),
                                          baseline_weekly_m=self.baseline_metres())
                if new != info:
                    session.update_episode(new)
            if self.onset.isChecked() != bool(session.onset_before_45):
                session.set_onset_before_45(self.onset.isChecked())
            if self.auto.isChecked() != session.rules.auto_advance:
                session.set_rules(auto_advance=self.auto.isChecked())
            self._save_desktop_rows()
        except OSError as error:
            self.error.setText(f"Start at login could not be changed: {error.strerror or error}.")
            self.error.show()
            return
        except (ValidationError, StoreError) as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()


REASON_WORDS = {"daily": "the daily backup", "manual": "Back up now",
                "before-restore": "kept before a restore", "before-upgrade": "kept before an "
                "upgrade", "damaged": "kept when the file was found damaged"}
"""Why a backup was taken, in words (the reason part of its file name)."""


class RestoreDialog(QDialog):
    """File → Restore from backup…: every backup with its date and time, why it was taken,
    and how many days and activities it holds (counted apart, not as "entries")."""

    def __init__(self, infos: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self._infos = infos
        lay = QVBoxLayout(self)
        intro = QLabel("Choose the backup to go back to. What you have now is kept as a "
                       "backup of its own, so a restore can itself be undone.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(len(infos), 4, self)
        self.table.setHorizontalHeaderLabels(["Taken", "Why", "Days", "Activities"])
        self.table.setAccessibleName("Backups")
        self.table.setAccessibleDescription("Newest first; Enter restores the one selected")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        for row, info in enumerate(infos):
            taken = info.taken_at
            cells = [f"{words.date_text(taken.date(), weekday=True)}, {taken:%H:%M}",
                     REASON_WORDS.get(info.reason, info.reason.replace("-", " ")),
                     "–" if info.days is None else f"{info.days:,}",
                     "–" if info.activities is None else f"{info.activities:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectRow(0)
        self.table.doubleClicked.connect(self.accept)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton("Restore…",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        em = self.fontMetrics().height()
        self.resize(em * 34, em * 20)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._infos[rows[0].row()] if rows else None


def confirm_restore(parent: QWidget | None, info: BackupInfo) -> bool:
    """The last word before a restore; keeping the data as it is is the default."""
    taken = info.taken_at
    return ask(parent, "Replace your data?",
               f"Replace your data with the backup from "
               f"{words.date_text(taken.date(), weekday=True)} at {taken:%H:%M} "
               f"({info.holds()})?", "Restore this backup", "Keep my data",
               destructive=True,
               detail="What you have now is kept as a backup of its own, so this can be "
                      "undone by restoring that one.")
