"""File → Clinician report…: one form (period, page size, where to save, a preview of page 1),
then the PDF, then where it went.

The contents come from ``interchange/report_data.py`` and the PDF from
``render/report_pdf.py``; this module holds the dialogs and runs the worker.

A report of years takes a second or more, and a thread beside the window's would share
Python's lock with it (PySide6 holds the lock through every Qt call). So the PDF is written by
a process of its own, ``recoverydesk report-worker``, which reads the store itself and says
each page on its standard output, behind a progress dialog that can cancel it (SIGTERM; the
pages are made in memory, so nothing is left). The form's preview of page 1 is drawn the same
way, as a PNG; a change made while it is drawn has it drawn once more when it is done.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Self

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    QObject,
    QProcess,
    QProcessEnvironment,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.gui.dates import from_qdate, to_qdate
from recoverydesk.gui.session import Session, StoreError
from recoverydesk.interchange.report_data import OPTIONAL_SECTIONS
from recoverydesk.render.report_pdf import PAGE_SIZES

TITLE = "Clinician report"

ReportChoice = (tuple[Path, str] | tuple[Path, str, frozenset[str]]
                | tuple[Path, str, frozenset[str], datetime.date])
"""Where to save the PDF, its page size ("A4" or "Letter") and, optionally, the optional
sections to include (``OPTIONAL_SECTIONS``; all when not given)."""
Chooser = Callable[[QWidget | None, Session], ReportChoice | None]
OfferOpen = Callable[[QWidget | None, Path], object]


def worker_command(arguments: list[str]) -> tuple[str, list[str]]:
    """The program and arguments that run ``recoverydesk ARGUMENTS`` with this very code: the
    bundle's own executable when frozen (PyInstaller), else this Python with ``-m``."""
    if getattr(sys, "frozen", False):
        return sys.executable, arguments
    return sys.executable, ["-m", "recoverydesk", *arguments]


def worker_environment() -> QProcessEnvironment:
    """This process's environment, with this package first on the import path (a checkout
    run beside an installed copy must not start the other one)."""
    env = QProcessEnvironment.systemEnvironment()
    root = str(Path(__file__).resolve().parents[2])
    path = env.value("PYTHONPATH")
    env.insert("PYTHONPATH", root + (os.pathsep + path if path else ""))
    return env


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
        start = info.start if info else today
        self.since_edit = QDateEdit(self)
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("d MMM yyyy")
        self.since_edit.setDateRange(to_qdate(start), to_qdate(max(start, today)))
        self.since_edit.setDate(to_qdate(start))
        self.since_edit.setAccessibleName("First day of the period the report covers")
        self.since_edit.setAccessibleDescription(
            "The chart, the phase history and the daily entries begin on this day; the "
            "summary always speaks of the whole episode")
        self.period_label = QLabel(f"to {words.date_text(today)} (today)", self)
        self.period_label.setAccessibleName("Last day of the period")
        period = QHBoxLayout()
        period.addWidget(self.since_edit)
        period.addWidget(self.period_label, 1)
        period_label = QLabel("Pe&riod from:", self)
        period_label.setBuddy(self.since_edit)
        form.addRow(period_label, period)
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
        self.since_edit.dateChanged.connect(self._on_since_changed)
        self.preview_job: PreviewJob | None = None
        self._preview_stale = False
        self.refresh_preview()

    def included(self) -> frozenset[str]:
        return frozenset(s for s, box in self.sections.items() if box.isChecked())

    def since(self) -> datetime.date:
        return from_qdate(self.since_edit.date())

    def choice(self) -> tuple[Path, str, frozenset[str], datetime.date]:
        """Where to save the PDF (".pdf" added when missing), its page size, its sections
        and the first day of its period."""
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path, self.page_size.currentText(), self.included(), self.since()

    @Slot(bool)
    def _on_section_toggled(self, _checked: bool) -> None:
        self._on_page_size_changed(self.page_size.currentText())

    @Slot(QDate)
    def _on_since_changed(self, _date: QDate) -> None:
        self._on_page_size_changed(self.page_size.currentText())

    @Slot(str)
    def _on_page_size_changed(self, _size: str) -> None:
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Draw page 1 afresh in the worker process (ten years take most of a second to lay
        out); while one is being drawn, once more when it is done."""
        if self.preview_job is not None:
            self._preview_stale = True
            return
        try:
            job = PreviewJob(self._session, self.page_size.currentText(), self.included(),
                             self.since())
        except (StoreError, ValueError) as error:
            self.preview.setText(f"No preview: {error}")
            return
        if self.preview.pixmap().isNull():
            self.preview.setText("Preparing page 1…")
        job.finished.connect(self._on_preview_finished)
        self.preview_job = job.start()

    @Slot()
    def _on_preview_finished(self) -> None:
        job, self.preview_job = self.preview_job, None
        if job is None:
            return
        if self._preview_stale:
            self._preview_stale = False
            self.refresh_preview()
        elif job.image is None:
            self.preview.setText(f"No preview: {job.error}")
        else:
            self.preview.setPixmap(QPixmap.fromImage(job.image).scaled(
                self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))

    def done(self, result: int) -> None:  # overrides QDialog.done
        """Closing while page 1 is being made: the worker ends on its own, unheard."""
        if self.preview_job is not None:
            self.preview_job.finished.disconnect(self._on_preview_finished)
            self.preview_job = None
        super().done(result)

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
    path, size, include, since = dialog.choice()
    if path.exists():  # never replace a file without asking (DESIGN §8)
        from recoverydesk.gui.exporter import ask_replace

        if not ask_replace(window, path):
            return None
    session.last_folders.report = path.parent
    return path, size, include, since


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


_running: set[QObject] = set()
"""Jobs whose process is alive (reports and previews): kept from being collected, and
stopped at quit."""


class _WorkerJob(QObject):
    """``recoverydesk report-worker`` run as a process of its own, heard line by line.

    A thread would share Python's lock with the window, and PySide6 holds that lock through
    every Qt call the report makes (a first page, a font, a long line of text): the window
    stalled now and then for 50–300 ms. The process reads the store itself and says each page
    on its standard output, then one last word: ``written``, ``cancelled`` or ``failed …``.
    """

    def __init__(self, session: Session, out: Path, page_size: str, include: Collection[str],
                 since: datetime.date | None, *, preview: bool = False) -> None:
        super().__init__()
        if session.episode is None:
            raise ValueError("There is no episode yet, so there is nothing to report.")
        self._over = False
        self._said = ""
        self._cancel_asked = False
        self._pending = b""
        self._process = QProcess(self)
        program, full = worker_command([
            "--data-dir", str(session.data_dir), "report-worker",
            "--today", session.today().isoformat(), "--out", str(out),
            "--page-size", page_size, "--include", ",".join(include),
            *(["--since", since.isoformat()] if since else []),
            *(["--preview"] if preview else [])])
        self._process.setProgram(program)
        self._process.setArguments(full)
        self._process.setProcessEnvironment(worker_environment())
        self._process.readyReadStandardOutput.connect(self._on_output)
        self._process.finished.connect(self._on_finished)
        self._process.errorOccurred.connect(self._on_error)

    def start(self) -> Self:
        _running.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)
        self._process.start()
        return self

    @property
    def running(self) -> bool:
        return not self._over

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker has ended (tests and quitting only)."""
        if self._process.state() == QProcess.ProcessState.NotRunning:
            return True
        return self._process.waitForFinished(msecs)

    @Slot()
    def cancel(self) -> None:
        """Stop before the next page; nothing is written."""
        if not self._over and self._process.state() != QProcess.ProcessState.NotRunning:
            self._cancel_asked = True
            self._process.terminate()  # SIGTERM: the worker stops between two pages

    def _progressed(self, done: int, total: int) -> None:
        """A page is made (the report's progress dialog follows)."""

    def _done(self, error: str, cancelled: bool) -> None:
        """The worker has ended: its error's words ("" when none), whether it was cancelled."""

    @Slot()
    def _on_output(self) -> None:
        self._pending += bytes(self._process.readAllStandardOutput().data())
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            text = line.decode("utf-8", "replace").strip()
            words = text.split()
            if len(words) == 3 and words[0] == "page" and not self._over:
                self._progressed(int(words[1]), int(words[2]))
            elif text:
                self._said = text

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, _code: int, _status: QProcess.ExitStatus) -> None:
        self._on_output()
        said = self._said
        if said == "written":
            self._end("", False)
        elif said == "cancelled" or self._cancel_asked:  # stopped, maybe before it began
            self._end("", True)
        elif said.startswith("failed "):
            self._end(said.removeprefix("failed "), False)
        else:  # it died without a word: say what it printed on its way out
            errors = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
            last = errors.strip().splitlines()[-1:] or ["the report's process stopped"]
            self._end(last[0], False)

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._end(f"the report's process could not start ({self._process.program()})",
                      False)

    def _end(self, error: str, cancelled: bool) -> None:
        if self._over:
            return
        self._over = True
        _running.discard(self)
        app = QCoreApplication.instance()
        if app is not None:
            try:
                app.aboutToQuit.disconnect(self._on_app_about_to_quit)
            except (RuntimeError, TypeError):  # already gone
                pass
        self._done(error, cancelled)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.cancel()
        self._process.waitForFinished(5_000)


class PreviewJob(_WorkerJob):
    """Page 1 of the report, drawn by the worker process for the form's preview.

    Signals:
        finished: ``image`` (or ``error``) is there.

    Attributes:
        image: Page 1 (a QImage), None until made or when it could not be.
        error: Why it could not be made ("" when it was).
    """

    finished = Signal()

    def __init__(self, session: Session, page_size: str, include: Collection[str],
                 since: datetime.date | None) -> None:
        handle, name = tempfile.mkstemp(prefix="recoverydesk-preview-", suffix=".png")
        os.close(handle)
        try:
            super().__init__(session, Path(name), page_size, include, since, preview=True)
        except ValueError:
            os.unlink(name)
            raise
        self._png = Path(name)
        self.image: QImage | None = None
        self.error = ""

    def _done(self, error: str, cancelled: bool) -> None:
        image = QImage(str(self._png)) if not error and not cancelled else QImage()
        self._png.unlink(missing_ok=True)
        if image.isNull():
            self.error = error or "page 1 could not be drawn"
        else:
            self.image = image
        self.finished.emit()


class ReportJob(_WorkerJob):
    """One clinician report being written by the worker process.

    Signals:
        progressed: The dialog moved on. args: pages done, pages in all.
        finished: Written, failed or cancelled; see ``error`` and ``cancelled``.

    Attributes:
        path: The PDF.
        error: Why it could not be written ("" when it was, or was cancelled).
        cancelled: Whether the user stopped it (no file is left then).
        progress: The progress dialog, or None when run without one.
    """

    progressed = Signal(int, int)
    finished = Signal()

    def __init__(self, window: QWidget | None, session: Session, path: Path, page_size: str,
                 *, include: Collection[str] = tuple(OPTIONAL_SECTIONS),
                 since: datetime.date | None = None,
                 offer_open: OfferOpen | None = None, progress: bool = True) -> None:
        super().__init__(session, path, page_size, include, since)
        self.path = path
        self.error = ""
        self.cancelled = False
        self._window = window
        self._session = session
        self._offer_open = offer_open or offer_to_open
        self.progress: QProgressDialog | None = None
        if progress:
            dialog = QProgressDialog("Writing the clinician report…", "Cancel", 0, 0, window)
            dialog.setWindowTitle(TITLE)
            dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 64)  # whole title
            dialog.setAccessibleName("Report progress")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # a short report never flashes a dialog
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setValue(0)
            dialog.canceled.connect(self.cancel)
            self.progress = dialog

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            if self.progress.maximum() != total:
                self.progress.setMaximum(total)
            self.progress.setLabelText(f"Writing the clinician report: page {done} of {total}…"
                                       if done else "Writing the clinician report…")
            self.progress.setValue(done)  # a modal dialog processes events here
        if not self._over:
            self.progressed.emit(done, total)

    def _done(self, error: str, cancelled: bool) -> None:
        self.error, self.cancelled = error, cancelled
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
        if cancelled:
            self._session.notify("The clinician report was cancelled; nothing was saved.")
        elif error:
            text = f"The report could not be saved to {self.path}: {error}"
            self._session.notify(text)
            QMessageBox(QMessageBox.Icon.Warning, TITLE, text, parent=self._window).open()
        else:
            self._session.notify(f"Clinician report saved to {self.path}.")
            self._offer_open(self._window, self.path)
        self.finished.emit()


def save_report(window: QWidget | None, session: Session, *, choose: Chooser | None = None,
                offer_open: OfferOpen | None = None, progress: bool = True) -> ReportJob | None:
    """File → Clinician report…: page size and file, then write the PDF in the worker process.

    Returns the running job (its ``finished`` signal says when the file is there, and
    ``offer_open`` is called then), or None when the user backed out or nothing could start.
    """
    if session.episode is None:
        QMessageBox.information(window, TITLE,
                                "Begin an episode and log a few days first: the report "
                                "summarises them.")
        return None
    choice = (choose or choose_report)(window, session)
    if choice is None:
        return None
    path, size = choice[0], choice[1]
    include = choice[2] if len(choice) > 2 else frozenset(OPTIONAL_SECTIONS)
    since = choice[3] if len(choice) > 3 else None
    try:
        job = ReportJob(window, session, path, size, include=include, since=since,
                        offer_open=offer_open, progress=progress)
    except (StoreError, ValueError) as error:
        text = f"The report could not be saved to {path}: {error}"
        session.notify(text)
        QMessageBox(QMessageBox.Icon.Warning, TITLE, text, parent=window).open()
        return None
    return job.start()
