"""File → Clinician report…: one form (period, page size, where to save, a preview of page 1),
then the PDF, then where it went.

The contents come from ``interchange/report_data.py`` and the PDF from
``render/report_pdf.py``; this module holds only the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.gui.session import Session, StoreError
from recoverydesk.interchange.report_data import OPTIONAL_SECTIONS
from recoverydesk.render.report_pdf import PAGE_SIZES

TITLE = "Clinician report"

ReportChoice = tuple[Path, str] | tuple[Path, str, frozenset[str]]
"""Where to save the PDF, its page size ("A4" or "Letter") and, optionally, the optional
sections to include (``OPTIONAL_SECTIONS``; all when not given)."""
Chooser = Callable[[QWidget | None, Session], ReportChoice | None]
OfferOpen = Callable[[QWidget | None, Path], object]


def default_page_size() -> str:
    """Letter where the locale measures in inches (the US), A4 everywhere else."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "Letter" if imperial else "A4"


class ReportDialog(QDialog):
    """The report's form: what period it covers, the page size, where it goes, and page 1
    as it will print (redrawn when the page size changes)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle(TITLE)
        columns = QHBoxLayout(self)
        form_side = QVBoxLayout()
        columns.addLayout(form_side, 1)
        form = QFormLayout()
        form_side.addLayout(form)
        info = session.info
        today = session.today()
        period = (f"the whole episode, {words.date_text(info.start)} to "
                  f"{words.date_text(today)}" if info else "no episode yet")
        self.period_label = QLabel(period, self)
        self.period_label.setWordWrap(True)
        self.period_label.setAccessibleName("Period the report covers")
        form.addRow("Period:", self.period_label)
        self.page_size = QComboBox(self)
        self.page_size.addItems(list(PAGE_SIZES))
        self.page_size.setCurrentText(default_page_size())
        self.page_size.setAccessibleName("Page size")
        self.page_size.setAccessibleDescription("A4, or Letter for North American paper")
        form.addRow("&Page size:", self.page_size)
        folder = session.last_folders.report or Path.home()
        self.path_edit = QLineEdit(str(folder / f"recoverydesk-report-{today.isoformat()}.pdf"),
                                   self)
        self.path_edit.setAccessibleName("Where to save the report")
        self.path_edit.setAccessibleDescription("A PDF file; Browse… picks another place")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 44)
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        where_label = QLabel("&Save to:", self)
        where_label.setBuddy(self.path_edit)
        form.addRow(where_label, where)
        contents = QLabel("Always in: the episode summary, the pain and mileage chart, where "
                          "things stand, and every red flag with its clearance. Also include:",
                          self)
        contents.setWordWrap(True)
        form_side.addWidget(contents)
        self.sections: dict[str, QCheckBox] = {}
        for section, text in OPTIONAL_SECTIONS.items():
            box = QCheckBox(text, self)
            box.setChecked(True)
            box.toggled.connect(self._on_section_toggled)
            form_side.addWidget(box)
            self.sections[section] = box
        form_side.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Save report",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form_side.addWidget(self.buttons)
        em = self.fontMetrics().height()
        self.preview = QLabel(self)
        self.preview.setAccessibleName("Preview of page 1")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setFixedSize(em * 18, round(em * 18 * 1.414))
        columns.addWidget(self.preview)
        self.page_size.currentTextChanged.connect(self._on_page_size_changed)
        self._on_page_size_changed(self.page_size.currentText())

    def included(self) -> frozenset[str]:
        return frozenset(s for s, box in self.sections.items() if box.isChecked())

    def choice(self) -> tuple[Path, str, frozenset[str]]:
        """Where to save the PDF (".pdf" added when missing), its page size and sections."""
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path, self.page_size.currentText(), self.included()

    @Slot(bool)
    def _on_section_toggled(self, _checked: bool) -> None:
        self._on_page_size_changed(self.page_size.currentText())

    @Slot(str)
    def _on_page_size_changed(self, size: str) -> None:
        try:
            image = self._session.preview_report(size, self.included())
        except (OSError, StoreError, ValueError) as error:
            self.preview.setText(f"No preview: {error}")
            return
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    @Slot()
    def _on_browse_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, "Save the clinician report",
                                                    self.path_edit.text(),
                                                    "PDF document (*.pdf)")
        if name:
            self.path_edit.setText(name)


def choose_report(window: QWidget | None, session: Session) -> ReportChoice | None:
    """The report's form; None when the user backs out."""
    dialog = ReportDialog(session, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    path, size, include = dialog.choice()
    if path.exists():  # never replace a file without asking (DESIGN §8)
        from recoverydesk.gui.exporter import ask_replace

        if not ask_replace(window, path):
            return None
    session.last_folders.report = path.parent
    return path, size, include


def offer_to_open(window: QWidget | None, path: Path) -> QMessageBox:
    """Say where the report went, with a button that shows its folder."""
    box = QMessageBox(QMessageBox.Icon.Information, TITLE,
                      f"The report was saved to {path}.", parent=window)
    box.setInformativeText("It is a summary of your log to show a physiotherapist or "
                           "doctor; it is not a diagnosis.")
    show = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)

    def on_clicked(button: QAbstractButton) -> None:
        if button is show and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            # No file manager answered: say so, with the place to find it by hand.
            QMessageBox(QMessageBox.Icon.Information, TITLE,
                        f"No file manager could be opened here. The report is in "
                        f"{path.parent}, named {path.name}.", parent=window).open()

    box.buttonClicked.connect(on_clicked)
    box.open()
    return box


def save_report(window: QWidget | None, session: Session, *, choose: Chooser | None = None,
                offer_open: OfferOpen | None = None) -> Path | None:
    """File → Clinician report…: page size and file, write the PDF, offer its folder."""
    if session.episode is None:
        QMessageBox.information(window, TITLE,
                                "Begin an episode and log a few days first: the report "
                                "summarises them.")
        return None
    choice = (choose or choose_report)(window, session)
    if choice is None:
        return None
    path, size = choice[0], choice[1]
    include = choice[2] if len(choice) > 2 else None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        session.write_report(path, size, include=include)
    except (OSError, StoreError, ValueError) as error:
        QGuiApplication.restoreOverrideCursor()
        text = f"The report could not be saved to {path}: {error}"
        session.notify(text)
        QMessageBox(QMessageBox.Icon.Warning, TITLE, text, parent=window).open()
        return None
    QGuiApplication.restoreOverrideCursor()
    session.notify(f"Clinician report saved to {path}.")
    (offer_open or offer_to_open)(window, path)
    return path
