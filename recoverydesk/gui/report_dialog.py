"""File → Clinician report…: one form (period, page size, where to save, a preview of page 1),
then the PDF, then where it went.

The contents come from ``interchange/report_data.py`` and the PDF from
``render/report_pdf.py``; this module holds the dialogs and the worker threads.

A report of years takes seconds, so it is written on a worker ``QThread`` behind a progress
dialog that can cancel it. The store is read on the GUI thread first (its connection lives
there; a few milliseconds); the replay, the chart and the pages are made on the worker with
QtGui only (QTextDocument, QPdfWriter, QPainter on a QImage are fine off the GUI thread).
A cancel stops it between two pages and leaves no file. The form's preview of page 1 is
made the same way, on a worker thread of its own (laying out ten years takes most of a
second); a change made meanwhile has it drawn once more when it is done.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Self

from PySide6.QtCore import (
    QDate,
    QLocale,
    QObject,
    Qt,
    QThread,
    QUrl,
    Signal,
    SignalInstance,
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
from recoverydesk.gui.worker import end_job, start_job
from recoverydesk.interchange.report_data import OPTIONAL_SECTIONS
from recoverydesk.render.report_pdf import PAGE_SIZES, Cancelled, preview_first_page, write_pdf

if TYPE_CHECKING:
    from recoverydesk.interchange.report_data import ReportData

TITLE = "Clinician report"

ReportChoice = (tuple[Path, str] | tuple[Path, str, frozenset[str]]
                | tuple[Path, str, frozenset[str], datetime.date])
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
        """Make page 1 afresh on a worker thread (a ten-year report takes most of a second
        to lay out); while one is being made, once more when it is done."""
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
"""Jobs whose thread is alive (reports and previews): kept from being collected, and waited
for at quit."""


class _ThreadJob(QObject):
    """A worker object run once on a thread of its own, which the app waits for at quit.

    ``run`` starts the work on that thread; ``done`` (emitted on it) ends the thread.
    """

    def __init__(self, worker: QObject, run: Callable[[], None], done: SignalInstance,
                 name: str) -> None:
        super().__init__()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = worker
        worker.moveToThread(self._thread)
        self._thread.started.connect(run)
        # Direct: quit() is thread-safe, and a queued one would wait for the GUI thread,
        # which may itself be waiting for this thread at quit time.
        done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> Self:
        start_job(self, _running, self._thread, self._on_app_about_to_quit)
        return self

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker thread has ended (tests and quitting only)."""
        return self._thread.wait(msecs)

    def _stop_early(self) -> None:
        """Ask the worker to stop before its end (the app is quitting)."""

    @Slot()
    def _on_thread_finished(self) -> None:
        end_job(self, _running, self._on_app_about_to_quit)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self._stop_early()
        self._thread.wait()


class _Previewer(QObject):
    """Runs on the worker thread: gathers the data and draws page 1.

    Signals:
        done: args: the page (a QImage; None when it could not be made), the error's words.
    """

    done = Signal(object, str)

    def __init__(self, read: Callable[[], ReportData], page_size: str,
                 include: Collection[str]) -> None:
        super().__init__()
        self._read = read
        self._page_size = page_size
        self._include = include

    @Slot()
    def run(self) -> None:
        try:
            image = preview_first_page(self._read(), self._page_size, include=self._include)
        except (OSError, ValueError) as error:
            self.done.emit(None, str(error))
        except Exception as error:  # never lost on a worker thread: said in the form
            self.done.emit(None, f"{type(error).__name__}: {error}")
        else:
            self.done.emit(image, "")


class PreviewJob(_ThreadJob):
    """Page 1 of the report, made on a worker thread for the form's preview.

    Signals:
        finished: ``image`` (or ``error``) is there.

    Attributes:
        image: Page 1 (a QImage), None until made or when it could not be.
        error: Why it could not be made ("" when it was).
    """

    finished = Signal()

    def __init__(self, session: Session, page_size: str, include: Collection[str],
                 since: datetime.date | None) -> None:
        read = session.report_reader(since)  # the store, on this thread; raises early
        previewer = _Previewer(read, page_size, include)
        super().__init__(previewer, previewer.run, previewer.done, "recoverydesk-report-preview")
        self.image: QImage | None = None
        self.error = ""
        previewer.done.connect(self._on_done)

    @Slot(object, str)
    def _on_done(self, image: QImage | None, error: str) -> None:
        self.image, self.error = image, error
        self.finished.emit()


class _Writer(QObject):
    """Runs on the worker thread: gathers the data and writes the PDF page by page.

    Signals:
        progressed: (pages done, pages in all).
        done: The run is over. args: the error's words ("" when none), whether cancelled.
    """

    progressed = Signal(int, int)
    done = Signal(str, bool)

    def __init__(self, read: Callable[[], ReportData], path: Path, page_size: str,
                 include: Collection[str], stop: threading.Event) -> None:
        super().__init__()
        self._read = read
        self._path = path
        self._page_size = page_size
        self._include = include
        self._stop = stop

    @Slot()
    def run(self) -> None:
        try:
            write_pdf(self._read(), self._path, self._page_size, replace=True,  # the form asked
                      include=self._include, progress=self._progress)
        except Cancelled:
            self.done.emit("", True)
        except (OSError, ValueError) as error:
            self.done.emit(str(error), False)
        except Exception as error:  # never lost on a worker thread: said in the window
            self.done.emit(f"{type(error).__name__}: {error}", False)
        else:
            self.done.emit("", False)

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._stop.is_set()


class ReportJob(_ThreadJob):
    """One clinician report being written on a worker thread.

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
        stop = threading.Event()
        read = session.report_reader(since)  # the store, on this thread; raises early
        writer = _Writer(read, path, page_size, include, stop)
        super().__init__(writer, writer.run, writer.done, "recoverydesk-report")
        self.path = path
        self.error = ""
        self.cancelled = False
        self._over = False
        self._window = window
        self._session = session
        self._offer_open = offer_open or offer_to_open
        self._stop = stop
        writer.progressed.connect(self._on_progressed)
        writer.done.connect(self._on_done)
        self.progress: QProgressDialog | None = None
        if progress:
            dialog = QProgressDialog("Writing the clinician report…", "Cancel", 0, 0, window)
            dialog.setWindowTitle(TITLE)
            dialog.setAccessibleName("Report progress")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # a short report never flashes a dialog
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setValue(0)
            dialog.canceled.connect(self.cancel)
            self.progress = dialog

    @property
    def running(self) -> bool:
        return not self._over

    @Slot()
    def cancel(self) -> None:
        """Stop before the next page; the file is not written."""
        if not self._over:
            self._stop.set()

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if self.progress is None or self._over:
            return
        if self.progress.maximum() != total:
            self.progress.setMaximum(total)
        self.progress.setLabelText(f"Writing the clinician report: page {done} of {total}…"
                                   if done else "Writing the clinician report…")
        self.progress.setValue(done)  # a modal dialog processes events here: maybe the end
        if not self._over:
            self.progressed.emit(done, total)

    @Slot(str, bool)
    def _on_done(self, error: str, cancelled: bool) -> None:
        self._over = True
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

    def _stop_early(self) -> None:
        self._stop.set()


def save_report(window: QWidget | None, session: Session, *, choose: Chooser | None = None,
                offer_open: OfferOpen | None = None, progress: bool = True) -> ReportJob | None:
    """File → Clinician report…: page size and file, then write the PDF on a worker thread.

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
