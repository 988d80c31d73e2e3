"""Import activity files in the window: File → Import activities… and drag and drop (§7).

Reading a file is slow (a 1 MB FIT file takes seconds to decode) and writing it is quick, so
the two happen on different threads:

- a worker on its own ``QThread`` runs :func:`recoverydesk.interchange.importing.prepare` on
  one file after another and hands each result over through a queued signal;
- the GUI thread writes each file with ``Prepared.commit`` (one store transaction) as it
  arrives.

All store access therefore stays on the GUI thread and its one connection: no second
connection competing for SQLite's write lock, no transaction half-seen from another thread.
A cancel takes effect between files: the files written so far stay, each whole; a file that
was read but not yet written is dropped, and the worker stops before reading the next one.
When the run ends the session is reloaded once, so every view shows the new activities, and
a summary lists every file with what became of it.

An archive (a Strava or Garmin export ZIP, a folder, a ``.gz`` file) is read by the worker
member by member with :class:`~recoverydesk.interchange.archives.ArchiveReader`; each member
is prepared and written like a file, with its own summary line, and the progress dialog
counts members done out of those found so far.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from recoverydesk.core import words
from recoverydesk.gui.session import Session, StoreError
from recoverydesk.gui.worker import end_job, start_job
from recoverydesk.interchange.importing import FILE_PATTERNS, Prepared, prepare, refusal_text

if TYPE_CHECKING:
    from recoverydesk.interchange.archives import Limits

FILE_FILTERS = ";;".join((
    "Activities and diaries (" + " ".join(FILE_PATTERNS) + ")",
    "GPX, TCX and FIT activity files (*.gpx *.tcx *.fit)",
    "Strava or Garmin Connect exports, gzipped files (*.zip *.gz)",
    "Diary CSV files (*.csv)",
    "RecoveryDesk JSON export (*.json)",
    "All files (*)",
))
_SUFFIXES = frozenset(p.removeprefix("*") for p in FILE_PATTERNS)

ShowSummary = Callable[[QWidget | None, "ImportJob"], Any]

_running: set[ImportJob] = set()
"""Jobs whose thread is still alive: holding them keeps the QThread from being collected
while it runs, and lets the application wait for them when it quits."""


@dataclasses.dataclass(frozen=True, slots=True)
class FileResult:
    """What became of one file.

    Attributes:
        path: The file.
        status: ``imported``, ``already``, ``failed`` or ``skipped`` (not reached: cancelled).
        text: The summary's words ("imported 2 activities", the reason it was refused…).
        activities: How many activities it added.
        name: For an archive member, its name as shown (``path`` is the archive).
    """

    path: Path
    status: str
    text: str
    activities: int = 0
    name: str = ""

    @property
    def line(self) -> str:
        """One summary line; the words, not a colour or icon, carry the outcome."""
        label = self.name or self.path.name
        if self.status in ("failed", "skipped"):
            return f"{label}: not imported — {self.text}"
        return f"{label}: {self.text}"


class _Reader(QObject):
    """Reads files on the worker thread; never touches the store or a widget.

    Signals:
        file_started: About to read a file. arg: its index.
        file_read: A file was read. args: its index, a ``Prepared`` or the exception.
        member_read: An archive member was read. args: the archive's index, the member's
            name, a ``Prepared`` or the exception, members done, members found so far.
        archive_done: Every member of an archive was read. arg: its index.
        done: No more files (all read, or stopped).
    """

    file_started = Signal(int)
    file_read = Signal(int, object)
    member_read = Signal(int, str, object, int, int)
    archive_done = Signal(int)
    done = Signal()

    def __init__(self, paths: Sequence[Path], today: datetime.date,
                 known: frozenset[str], stop: threading.Event,
                 turn: threading.Semaphore, limits: Limits | None = None) -> None:
        super().__init__()
        self._limits = limits
        self._paths = list(paths)
        self._today = today
        self._known = known
        self._stop = stop
        self._turn = turn

    @Slot()
    def run(self) -> None:
        _warm_imports()
        for index, path in enumerate(self._paths):
            if self._stop.is_set():
                break
            self.file_started.emit(index)
            if is_archive(path):
                self._read_archive(index, path)
                continue
            try:
                result: object = prepare(path, self._today, self._known)
            except Exception as exc:  # every refusal, and any bug, becomes this file's line
                result = exc
            self.file_read.emit(index, result)
            self._wait_turn()
        self.done.emit()

    def _wait_turn(self) -> None:
        """Wait while the GUI thread writes what was just read. Decoding is pure Python:
        were it to run on, every SQLite call of the write (each releases the GIL) would wait
        up to a GIL switch interval (5 ms) to get it back, and one write took 40-90 ms."""
        while not self._turn.acquire(timeout=0.05):
            if self._stop.is_set():
                break

    def _read_archive(self, index: int, path: Path) -> None:
        """Read an archive's members one at a time, each handed over like a file."""
        from recoverydesk.interchange.archives import ArchiveReader
        from recoverydesk.interchange.importing import prepare_member

        reader = ArchiveReader(path, self._today, self._limits)
        try:
            for member in reader:
                if self._stop.is_set():
                    return
                try:
                    result: object = prepare_member(path, member, self._today, self._known)
                except Exception as exc:  # this member's line
                    result = exc
                self.member_read.emit(index, member.name, result, reader.done, reader.total)
                self._wait_turn()
        except Exception as exc:  # the archive itself: damaged, or over a cap
            if not self._stop.is_set():
                self.file_read.emit(index, exc)
                self._wait_turn()
            return
        self.archive_done.emit(index)


def is_archive(path: Path) -> bool:
    """Whether the worker reads ``path`` member by member (see interchange.archives)."""
    from recoverydesk.interchange.archives import is_archive as archive_check

    return archive_check(path)


def _warm_imports() -> None:
    """Import on this thread what the GUI thread's first write would otherwise import
    (sqlite-utils pulls in numpy: 0.1-0.3 s that would freeze the window)."""
    import importlib

    for name in ("sqlite_utils", "recoverydesk.interchange.diary",
                 "recoverydesk.interchange.export", "recoverydesk.interchange.activity_files"):
        try:
            importlib.import_module(name)
        except ImportError:  # the write will say what is missing
            pass


class ImportJob(QObject):
    """One run of the importer over a list of files.

    Signals:
        file_done: A file was written, found already imported, or refused. arg: FileResult.
        finished: The run is over (all done or cancelled); ``results`` is complete.

    Attributes:
        paths: The files, in the order given.
        results: One FileResult per file once finished (in the order of ``paths``).
        cancelled: Whether the user stopped the run.
        progress: The progress dialog, or None when run without one.
    """

    file_done = Signal(object)
    finished = Signal()

    def __init__(self, window: QWidget | None, session: Session, paths: Sequence[Path], *,
                 show_summary: ShowSummary | None = None, progress: bool = True) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.results: list[FileResult] = []
        self.cancelled = False
        self._window = window
        self._session = session
        self._show_summary = show_summary if show_summary is not None else show_summary_dialog
        self._done: dict[int, FileResult] = {}
        self._members: dict[int, list[FileResult]] = {}
        self._archives_read: set[int] = set()
        self._member_totals: dict[int, int] = {}
        self._pending: collections.deque[tuple[int, object, str]] = collections.deque()
        self._draining = False
        self._reader_done = False
        self._over = False
        self._stop_reason = ""
        self._stop = threading.Event()
        self._turn = threading.Semaphore(0)
        self._thread = QThread()
        self._thread.setObjectName("recoverydesk-import")
        known = session.imported_hashes()
        from recoverydesk.interchange.archives import Limits

        limits = Limits.from_settings(session.setting)
        self._reader = _Reader(self.paths, session.today(), known, self._stop, self._turn,
                               limits)
        self._reader.moveToThread(self._thread)
        self._thread.started.connect(self._reader.run)
        self._reader.file_started.connect(self._on_reader_file_started)
        self._reader.file_read.connect(self._on_reader_file_read)
        self._reader.member_read.connect(self._on_reader_member_read)
        self._reader.archive_done.connect(self._on_reader_archive_done)
        self._reader.done.connect(self._on_reader_done)
        # Direct: quit() is thread-safe, and a queued quit would wait for the GUI thread,
        # which may itself be waiting for this thread (wait() at quit time).
        self._reader.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self.progress: QProgressDialog | None = None
        if progress:
            self.progress = self._make_progress(window)

    # --- running ---------------------------------------------------------------------------

    def start(self) -> ImportJob:
        start_job(self, _running, self._thread, self._on_app_about_to_quit)
        return self

    @property
    def running(self) -> bool:
        return not self._over

    def cancel(self) -> None:
        """Stop after the file being written now; what was written stays."""
        if self._over:
            return
        self.cancelled = True
        self._stop_files("the import was cancelled before this file")

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker thread has ended (tests and quitting only)."""
        return self._thread.wait(msecs)

    def _stop_files(self, reason: str) -> None:
        self._stop_reason = reason
        self._stop.set()
        self._turn.release()
        self._pending.clear()
        self._finish()

    # --- the worker's results, on the GUI thread -------------------------------------------

    @Slot(int)
    def _on_reader_file_started(self, index: int) -> None:
        if self.progress is not None and not self._over:
            self.progress.setLabelText(
                f"Reading {self.paths[index].name} ({index + 1} of {len(self.paths)})…")

    @Slot(int, object)
    def _on_reader_file_read(self, index: int, result: object) -> None:
        if self._over:
            return  # read after a cancel: dropped unwritten
        self._pending.append((index, result, ""))
        self._drain()

    @Slot(int, str, object, int, int)
    def _on_reader_member_read(self, index: int, name: str, result: object, done: int,
                               total: int) -> None:
        if self._over:
            return
        self._member_totals[index] = total
        if self.progress is not None:
            self.progress.setLabelText(
                f"Reading {self.paths[index].name}: {done:,} of {total:,} members…")
        self._pending.append((index, result, name))
        self._drain()

    @Slot(int)
    def _on_reader_archive_done(self, index: int) -> None:
        self._archives_read.add(index)

    def _drain(self) -> None:
        """Write the files read so far, in order. Guarded because QProgressDialog.setValue
        runs the event loop while it is modal, which can deliver the next file meanwhile."""
        if self._draining:
            return
        self._draining = True
        try:
            while self._pending and not self._over:
                index, result, name = self._pending.popleft()
                done = self._commit(self.paths[index], result, name)
                if name:
                    self._members.setdefault(index, []).append(done)
                else:
                    self._done[index] = done
                self._turn.release()  # the reader may go on to the next file
                self.file_done.emit(done)
                if self.progress is not None and not self._over:
                    self._show_progress(index)
        finally:
            self._draining = False
        if self._reader_done and not self._pending:
            self._finish()

    def _show_progress(self, index: int) -> None:
        """Files done out of files given; inside an archive, members done out of found."""
        assert self.progress is not None
        members = self._members.get(index)
        if members is not None and index not in self._archives_read:
            total = max(self._member_totals.get(index, 0), len(members))
            self.progress.setMaximum(total)
            self.progress.setValue(len(members))
            return
        self.progress.setMaximum(len(self.paths))
        self.progress.setValue(min(index + 1, len(self.paths)))

    def _commit(self, path: Path, result: object, name: str = "") -> FileResult:
        if isinstance(result, BaseException):
            return FileResult(path, "failed", refusal_text(path, result), name=name)
        assert isinstance(result, Prepared)
        try:
            outcome = self._session.commit_import(result)
        except StoreError as error:
            # The data file itself cannot be written (locked, full, read-only): the next
            # files would fail the same way, so stop here and say why.
            self._stop_reason = "not reached: the data file could not be written"
            self._stop.set()
            self._pending.clear()
            return FileResult(path, "failed", str(error), name=name)
        except Exception as exc:  # a refusal by the store's rules, or a bug: this file only
            return FileResult(path, "failed", refusal_text(path, exc), name=name)
        return FileResult(path, outcome.status, outcome.text, outcome.activities, name=name)

    @Slot()
    def _on_reader_done(self) -> None:
        self._reader_done = True
        if not self._draining:
            self._finish()

    @Slot()
    def _on_thread_finished(self) -> None:
        end_job(self, _running, self._on_app_about_to_quit)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self._stop.set()
        self._thread.quit()
        self._thread.wait()

    @Slot()
    def _on_progress_canceled(self) -> None:
        self.cancel()

    def _finish(self) -> None:
        """Close the run once: results for every file, one reload, the summary."""
        if self._over:
            return
        self._over = True
        if self._stop.is_set() and not self.cancelled and not self._stop_reason:
            self._stop_reason = "not reached"
        reason = self._stop_reason or "not reached"
        self.results = []
        for i, p in enumerate(self.paths):
            members = self._members.get(i, [])
            self.results += members
            if i in self._done:
                self.results.append(self._done[i])
            elif not members or i not in self._archives_read and self._stop.is_set():
                self.results.append(FileResult(
                    p, "skipped", reason if not members else
                    "the rest of this archive was not read (" + reason + ")"))
        if self.progress is not None:
            self.progress.canceled.disconnect(self._on_progress_canceled)
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        if any(r.status == "imported" for r in self.results):
            self._session.reload()
        self._session.notify(self.headline())
        self.finished.emit()
        self._show_summary(self._window, self)

    # --- words -----------------------------------------------------------------------------

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def headline(self) -> str:
        """One sentence for the status bar and the summary's heading."""
        imported, already = self.count("imported"), self.count("already")
        failed, skipped = self.count("failed"), self.count("skipped")
        activities = sum(r.activities for r in self.results)
        parts = [f"{words.count_text(imported, 'file')} imported"
                 + (f" ({words.count_text(activities, 'activity')})" if activities else "")]
        if already:
            parts.append(f"{already} already imported")
        if failed:
            parts.append(f"{failed} not imported")
        if skipped:
            parts.append(f"{skipped} not reached")
        text = ", ".join(parts) + "."
        return ("Import cancelled: " + text) if self.cancelled else text

    def _make_progress(self, window: QWidget | None) -> QProgressDialog:
        dialog = QProgressDialog("Starting…", "Cancel", 0, len(self.paths), window)
        dialog.setWindowTitle("Importing activities")
        dialog.setAccessibleName("Import progress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # a one-file import never flashes a dialog
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self._on_progress_canceled)
        return dialog


# --- the summary -------------------------------------------------------------------------------

class ImportSummaryDialog(QDialog):
    """Every file and what became of it, as plain text the user can select and copy."""

    def __init__(self, job: ImportJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not job.cancelled else "Import cancelled")
        lay = QVBoxLayout(self)
        self.heading = QLabel(job.headline(), self)
        self.heading.setWordWrap(True)
        lay.addWidget(self.heading)
        self.lines = QPlainTextEdit(self)
        self.lines.setReadOnly(True)
        self.lines.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.lines.setAccessibleName("What became of each file")
        self.lines.setPlainText("\n".join(r.line for r in job.results))
        em = self.fontMetrics().height()
        self.lines.setMinimumSize(em * 30, em * min(14, 3 + len(job.results)))
        lay.addWidget(self.lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)


def show_summary_dialog(window: QWidget | None, job: ImportJob) -> ImportSummaryDialog:
    """Open the summary without blocking (``open()``, window-modal)."""
    dialog = ImportSummaryDialog(job, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# --- entry points ------------------------------------------------------------------------------

def import_files(window: QWidget | None, session: Session, paths: Iterable[Path | str], *,
                 show_summary: ShowSummary | None = None,
                 progress: bool = True) -> ImportJob | None:
    """Import ``paths`` off the GUI thread; returns the running job (None if nothing to do).

    Args:
        window: Parent of the progress and summary dialogs.
        session: The open session; reloaded once at the end if anything was imported.
        paths: Files to import, in order.
        show_summary: Called with (window, job) when the run is over; the default opens
            :class:`ImportSummaryDialog`. Tests pass their own.
        progress: Show a cancellable progress dialog (tests and benchmarks may turn it off).
    """
    files = [Path(p) for p in paths]
    if not files:
        return None
    if any(job._session is session and job.running for job in _running):
        session.notify("An import is already running; wait for it to finish.")
        return None
    return ImportJob(window, session, files, show_summary=show_summary,
                     progress=progress).start()


def choose_files(window: QWidget | None, session: Session) -> list[Path]:
    """Ask for files to import; remembers the folder for next time (this run only)."""
    folder = session.last_folders.import_files or Path.home()
    names, _filter = QFileDialog.getOpenFileNames(window, "Import activities", str(folder),
                                                  FILE_FILTERS)
    if names:
        session.last_folders.import_files = Path(names[0]).parent
    return [Path(n) for n in names]


def import_activities(window: QWidget | None, session: Session, *,
                      choose: Callable[[QWidget | None, Session], Sequence[Path]] | None = None,
                      show_summary: ShowSummary | None = None) -> ImportJob | None:
    """File → Import activities…: choose files, then :func:`import_files`."""
    paths = (choose or choose_files)(window, session)
    return import_files(window, session, paths, show_summary=show_summary)


# --- drag and drop -----------------------------------------------------------------------------

def dropped_paths(urls: Iterable[Any]) -> list[Path]:
    """Local files among dropped URLs; a dropped folder gives its importable files (not
    its sub-folders), sorted by name."""
    paths: list[Path] = []
    for url in urls:
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            try:
                paths += sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix.lower() in _SUFFIXES)
            except OSError:
                continue
        else:
            paths.append(path)
    return paths


class DropTarget(QObject):
    """Event filter that makes a window accept dropped files and import them.

    Children that take drops themselves (text fields) keep doing so; everywhere else in the
    window a drop of local files starts an import.
    """

    def __init__(self, window: QWidget, session: Session,
                 show_summary: ShowSummary | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._show_summary = show_summary
        self.last_job: ImportJob | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # overrides QObject
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDropEvent)
            mime = event.mimeData()
            if mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            mime = event.mimeData()
            paths = dropped_paths(mime.urls()) if mime.hasUrls() else []
            if not paths:
                return False
            event.acceptProposedAction()
            self.last_job = import_files(self._window, self._session, paths,
                                         show_summary=self._show_summary)
            return True
        return super().eventFilter(watched, event)


def install_drop_target(window: QWidget, session: Session, *,
                        show_summary: ShowSummary | None = None) -> DropTarget:
    """Let ``window`` take dropped activity files (call once, from its constructor)."""
    window.setAcceptDrops(True)
    target = DropTarget(window, session, show_summary)
    window.installEventFilter(target)
    return target
