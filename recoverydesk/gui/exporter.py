"""File → Export…: all data as CSV files in a folder, or as one JSON document (DESIGN.md §7).

The writing is the interchange layer's own (the same as ``recoverydesk export``); this module
only asks where, and says where it went.

A CSV export is eight files (days.csv, activities.csv and the rest of the store), so it is
never spilled among other files: into an empty (or new) folder it goes directly; into a
folder that already holds something it goes into a new sub-folder named
"RecoveryDesk export <date>". Nothing the user already has is overwritten without the file
chooser asking first.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.gui.ask import ask
from recoverydesk.gui.session import Session, StoreError


@dataclasses.dataclass(frozen=True, slots=True)
class ExportChoice:
    """What to write and where: ``csv`` with a folder, or ``json`` with a file."""

    format: str
    path: Path


@dataclasses.dataclass(frozen=True, slots=True)
class ExportDone:
    """What was written: the folder or file, the files in it, and a sentence saying so."""

    format: str
    path: Path
    files: tuple[Path, ...]
    message: str


Chooser = Callable[[QWidget | None, Session], ExportChoice | None]
Inform = Callable[[QWidget | None, str, str], Any]


class ExportFormatDialog(QDialog):
    """Ask CSV or JSON, with a line on what each is good for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export your data")
        lay = QVBoxLayout(self)
        intro = QLabel("Everything you have logged, in a form other programs can read. "
                       "Nothing leaves this computer unless you send it.", self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.csv_button = QRadioButton("CSV files in a folder — for a spreadsheet", self)
        self.csv_button.setChecked(True)
        self.csv_button.setAccessibleDescription(
            "days.csv, activities.csv and the rest of your data, one file per table")
        self.json_button = QRadioButton("One JSON file — a complete copy that RecoveryDesk "
                                        "can read back", self)
        self.json_button.setAccessibleDescription(
            "Import it into a fresh installation to restore everything")
        lay.addWidget(self.csv_button)
        lay.addWidget(self.json_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen_format(self) -> str:
        return "json" if self.json_button.isChecked() else "csv"


def choose_export(window: QWidget | None, session: Session) -> ExportChoice | None:
    """The format dialog, then a folder or file chooser; None when the user backs out."""
    dialog = ExportFormatDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    fmt = dialog.chosen_format()
    start = session.last_folders.export or Path.home()
    today = session.today().isoformat()
    if fmt == "json":
        name, _filter = QFileDialog.getSaveFileName(
            window, "Export as one JSON file", str(start / f"recoverydesk-{today}.json"),
            "JSON document (*.json)")
        if not name:
            return None
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".json")
        # The file chooser asked about the name typed; ".json" added makes another name.
        if path != Path(name) and path.exists() and not ask_replace(window, path):
            return None
        session.last_folders.export = path.parent
        return ExportChoice("json", path)
    name = QFileDialog.getExistingDirectory(window, "Export CSV files into a folder", str(start))
    if not name:
        return None
    session.last_folders.export = Path(name)
    return ExportChoice("csv", Path(name))


def ask_replace(window: QWidget | None, path: Path) -> bool:
    """Ask before an export replaces a file (DESIGN §8); Cancel is the default."""
    return ask(window, "Replace the file?",
               f"{path.name} already exists in {path.parent}. Replace it with this export?",
               "Replace", "Cancel", destructive=True)


def csv_target(folder: Path, today: datetime.date) -> Path:
    """Where the CSV files go: ``folder`` if it is empty or new, else a new sub-folder."""
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return folder
    base = f"RecoveryDesk export {today.isoformat()}"
    target = folder / base
    number = 2
    while target.exists():
        target = folder / f"{base} ({number})"
        number += 1
    return target


def write_export(session: Session, choice: ExportChoice) -> ExportDone:
    """Write the export; raises OSError or StoreError when it cannot."""
    counts = session.counts()
    what = (f"{words.count_text(counts['day_logs'], 'day')} and "
            f"{words.count_text(counts['activities'], 'activity')}")
    if choice.format == "json":
        path = session.export_json(choice.path, replace=True)  # the dialog asked
        return ExportDone("json", path, (path,), f"Exported {what} to {path}.")
    folder = csv_target(choice.path, session.today())
    files = tuple(session.export_csv(folder))
    return ExportDone("csv", folder, files,
                      f"Exported {what} as {len(files)} CSV files to {folder}.")


def _inform(window: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=window)
    box.open()
    return box


def export_data(window: QWidget | None, session: Session, *, choose: Chooser | None = None,
                inform: Inform | None = None) -> ExportDone | None:
    """File → Export…: ask the format and the place, write, and say where it went.

    Args:
        choose: Returns the format and place, or None to stop (default: the dialogs).
        inform: Shows the closing message as (window, title, text) (default: a message box).
    """
    choice = (choose or choose_export)(window, session)
    if choice is None:
        return None
    app = QGuiApplication.instance()
    try:
        if app is not None:
            QGuiApplication.setOverrideCursor(_wait_cursor())
        try:
            done = write_export(session, choice)
        finally:
            if app is not None:
                QGuiApplication.restoreOverrideCursor()
    except (OSError, StoreError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        text = f"Nothing was exported to {choice.path}: {reason}."
        session.notify(text)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", text, parent=window)
        box.open()
        return None
    session.notify(done.message)
    (inform or _inform)(window, "Export finished", done.message)
    return done


def _wait_cursor() -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QCursor

    return QCursor(Qt.CursorShape.WaitCursor)

