"""File → Clinician report…: ask the page size and the file, write the PDF, show where it went.

The contents come from ``interchange/report_data.py`` and the PDF from
``render/report_pdf.py``; this module holds only the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from recoverydesk.gui.session import Session, StoreError
from recoverydesk.render.report_pdf import PAGE_SIZES

TITLE = "Clinician report"

ReportChoice = tuple[Path, str]
"""Where to save the PDF and its page size ("A4" or "Letter")."""
Chooser = Callable[[QWidget | None, Session], ReportChoice | None]
OfferOpen = Callable[[QWidget | None, Path], object]


def default_page_size() -> str:
    """Letter where the locale measures in inches (the US), A4 everywhere else."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "Letter" if imperial else "A4"


def choose_report(window: QWidget | None, session: Session) -> ReportChoice | None:
    """Ask the page size, then where to save; None when the user backs out."""
    sizes = list(PAGE_SIZES)
    size, ok = QInputDialog.getItem(window, TITLE, "Page size:", sizes,
                                    sizes.index(default_page_size()), False)
    if not ok:
        return None
    folder = session.last_folders.report or Path.home()
    name, _filter = QFileDialog.getSaveFileName(
        window, "Save the clinician report",
        str(folder / f"recoverydesk-report-{session.today().isoformat()}.pdf"),
        "PDF document (*.pdf)")
    if not name:
        return None
    path = Path(name) if Path(name).suffix.lower() == ".pdf" else Path(name + ".pdf")
    session.last_folders.report = path.parent
    return path, size


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
    path, size = choice
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        session.write_report(path, size)
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
