"""Importing files in the window: off the GUI thread, cancellable, one summary line a file."""

from __future__ import annotations

import datetime as dt
import hashlib
import pathlib
import shutil
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.gui import importer
from recoverydesk.gui.session import Session
from recoverydesk.storage.store import Store

pytestmark = pytest.mark.gui

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"
TODAY = dt.date(2026, 3, 20)
START = dt.date(2017, 6, 1)
"""Before the sample files' dates, so their activities fall inside the episode."""
GOOD = ("garmin-fenix-5-run.fit", "garmin-fenix-5-walk.fit", "garmin-edge-820-bike.fit")
BAD = "activity-unexpected-eof.fit"


def _samples(*names: str) -> list[pathlib.Path]:
    paths = [SAMPLES / n for n in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"sample activity files absent ({', '.join(missing)} under {SAMPLES})")
    return paths


@pytest.fixture
def early_session(qtbot, tmp_path: pathlib.Path) -> Iterator[Session]:  # noqa: ARG001
    store = Store.open(tmp_path / "data")
    store.start_episode(EpisodeInfo(START), today=TODAY)
    yield Session(store, today=lambda: TODAY)
    store.close()


class Summaries:
    """Collects the jobs the importer would show a summary for."""

    def __init__(self) -> None:
        self.jobs: list[importer.ImportJob] = []

    def __call__(self, window: QWidget | None, job: importer.ImportJob) -> None:
        self.jobs.append(job)


def _run(qtbot, session: Session, paths: list[pathlib.Path], **kwargs) -> importer.ImportJob:
    summaries = Summaries()
    job = importer.import_files(None, session, paths, show_summary=summaries, **kwargs)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.wait()
    assert summaries.jobs == [job]
    return job


@pytest.mark.samples
def test_import_lists_every_file_and_reloads_the_session(qtbot, early_session):
    session = early_session
    paths = _samples(*GOOD, BAD)
    assert session.episode.activities == ()
    reloaded: list[object] = []
    session.data_changed.connect(reloaded.append)
    messages: list[str] = []
    session.message.connect(messages.append)

    job = _run(qtbot, session, paths)

    by_name = {r.path.name: r for r in job.results}
    assert list(by_name) == [p.name for p in paths]
    for name in GOOD:
        assert by_name[name].status == "imported"
        assert by_name[name].line.startswith(f"{name}: imported 1 activity (")
        assert " 2017)" in by_name[name].line  # each activity's date
        assert "before your episode" not in by_name[name].line
    assert by_name[BAD].status == "failed"
    assert by_name[BAD].line.startswith(f"{BAD}: not imported — ")
    assert len(session.imported_hashes()) == 3
    assert reloaded == [frozenset()], "one reload after the run"
    kinds = sorted(a.kind for a in session.episode.activities)
    assert kinds == ["cycle", "run", "walk"]
    assert messages[-1] == job.headline() == "3 files imported (3 activities), 1 not imported."
    assert not job.cancelled


@pytest.mark.samples
def test_reimport_changes_nothing(qtbot, early_session):
    session = early_session
    paths = _samples(*GOOD)
    _run(qtbot, session, paths)
    before = session.counts()
    reloaded: list[object] = []
    session.data_changed.connect(reloaded.append)

    job = _run(qtbot, session, paths)

    assert [r.status for r in job.results] == ["already"] * 3
    assert all(r.line.endswith(": already imported") for r in job.results)
    assert session.counts() == before
    assert reloaded == [], "nothing new, nothing to reload"


@pytest.mark.samples
def test_cancel_after_the_first_file_keeps_exactly_that_file(qtbot, early_session):
    session = early_session
    paths = _samples(*GOOD)
    summaries = Summaries()
    job = importer.import_files(None, session, paths, show_summary=summaries)
    assert job is not None and job.progress is not None

    def on_file_done(result: importer.FileResult) -> None:
        if result.path == paths[0]:
            job.progress.canceled.emit()  # what the dialog's Cancel button sends

    job.file_done.connect(on_file_done)
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.wait()

    assert job.cancelled
    assert [r.status for r in job.results] == ["imported", "skipped", "skipped"]
    assert job.results[1].line.endswith("not imported — the import was cancelled before this "
                                        "file")
    assert session.imported_hashes() == {hashlib.sha256(paths[0].read_bytes()).hexdigest()}
    assert len(session.activities()) == 1
    assert [a.kind for a in session.episode.activities] == ["run"]
    assert job.headline().startswith("Import cancelled: 1 file imported")
    assert summaries.jobs == [job]


def test_a_bad_file_and_an_unknown_one_each_get_a_line(qtbot, early_session, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("just some words\n", encoding="utf-8")
    broken = tmp_path / "broken.gpx"
    broken.write_text("<gpx><trk><trkseg><trkpt lat='1' lon='2'>", encoding="utf-8")
    missing = tmp_path / "gone.fit"

    job = _run(qtbot, early_session, [junk, broken, missing])

    assert [r.status for r in job.results] == ["failed"] * 3
    assert job.results[0].text.startswith("unknown format")
    assert all(r.line.startswith(f"{r.path.name}: not imported — ") for r in job.results)
    assert early_session.counts()["activities"] == 0


def test_diary_csv_imports_through_the_same_dispatch(qtbot, early_session, tmp_path):
    diary = tmp_path / "days.csv"
    diary.write_text("date,pain,pain_activity,pain_morning,red_flags,sleep_hours,notes\n"
                     "2026-03-18,3,,2,,7.5,stiff\n2026-03-19,2,,,,,\n", encoding="utf-8")

    job = _run(qtbot, early_session, [diary])

    assert job.results[0].line == "days.csv: imported 2 days"
    assert sorted(early_session.episode.logs) == [dt.date(2026, 3, 18), dt.date(2026, 3, 19)]


def test_summary_dialog_lists_every_line(qtbot, early_session, tmp_path):
    junk = tmp_path / "a.txt"
    junk.write_text("hello", encoding="utf-8")
    dialogs: list[importer.ImportSummaryDialog] = []

    def show(window, job):
        dialog = importer.ImportSummaryDialog(job, window)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)

    job = importer.import_files(None, early_session, [junk], show_summary=show)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=30_000)
    job.wait()
    text = dialogs[0].lines.toPlainText()
    assert text.startswith("a.txt: not imported — unknown format")
    assert dialogs[0].heading.text() == "0 files imported, 1 not imported."


def test_import_activities_uses_the_chooser(qtbot, early_session, tmp_path):
    chosen: list[object] = []

    def choose(window, session):
        chosen.append(session)
        return []

    assert importer.import_activities(None, early_session, choose=choose) is None
    assert chosen == [early_session]


@pytest.mark.samples
def test_dropping_files_on_the_window_imports_them(qtbot, early_session, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    for path in _samples(*GOOD[:2]):
        shutil.copy(path, folder / path.name)
    (folder / "readme.txt").write_text("not offered", encoding="utf-8")
    window = QWidget()
    qtbot.addWidget(window)
    summaries = Summaries()
    target = importer.install_drop_target(window, early_session, show_summary=summaries)
    assert window.acceptDrops()

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    # Qt delivers drag events only during a real drag, so hand them to the filter directly.
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    assert target.eventFilter(window, enter) and enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    drop.ignore()
    assert target.eventFilter(window, drop) and drop.isAccepted()
    job = target.last_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    job.wait()
    assert sorted(r.path.name for r in job.results) == sorted(GOOD[:2])
    assert job.count("imported") == 2


def test_dropping_text_is_left_alone(qtbot, early_session):
    window = QWidget()
    qtbot.addWidget(window)
    target = importer.install_drop_target(window, early_session)
    mime = QMimeData()
    mime.setText("hello")
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    assert not target.eventFilter(window, enter) and not enter.isAccepted()
    drop.ignore()
    assert not target.eventFilter(window, drop)
    assert target.last_job is None


def _strava_zip(tmp_path: pathlib.Path, copies: int) -> pathlib.Path:
    """A Strava-shaped export of ``copies`` distinct gzipped GPX runs (a comment apart)."""
    import gzip
    import zipfile

    (gpx,) = _samples("run.gpx")
    body = gpx.read_bytes()
    path = tmp_path / "export_1.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(copies):
            z.writestr(f"activities/{n}.gpx.gz", gzip.compress(body + f"<!-- {n} -->".encode()))
        z.writestr("routes/r.gpx", body)
    return path


@pytest.mark.samples
def test_an_archive_imports_member_by_member_with_a_line_each(qtbot, early_session, tmp_path):
    session = early_session
    archive = _strava_zip(tmp_path, 3)
    labels: list[str] = []
    summaries = Summaries()
    job = importer.import_files(None, session, [archive], show_summary=summaries)
    assert job is not None and job.progress is not None
    job.file_done.connect(lambda _r: labels.append(job.progress.labelText()
                                                   if job.progress else ""))
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.wait()
    assert [r.line.split(" (")[0] for r in job.results] == [
        f"export_1.zip › activities/{n}.gpx.gz: imported 1 activity" for n in range(3)]
    assert all(r.line.endswith(")") for r in job.results)  # each with its activity's date
    assert labels[-1] == "Reading export_1.zip: 3 of 3 members…"
    assert len(session.activities()) == 3
    again = _run(qtbot, session, [archive])
    assert [r.status for r in again.results] == ["already"] * 3


@pytest.mark.samples
def test_cancel_inside_an_archive_keeps_the_members_written(qtbot, early_session, tmp_path):
    session = early_session
    archive = _strava_zip(tmp_path, 5)
    summaries = Summaries()
    job = importer.import_files(None, session, [archive], show_summary=summaries)
    assert job is not None and job.progress is not None

    def on_file_done(result: importer.FileResult) -> None:
        if result.name.endswith("activities/1.gpx.gz") and job.progress is not None:
            job.progress.canceled.emit()

    job.file_done.connect(on_file_done)
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert job.wait()
    assert job.cancelled
    assert [r.status for r in job.results] == ["imported", "imported", "skipped"]
    assert "the rest of this archive was not read" in job.results[-1].line
    assert len(session.activities()) == 2


def test_a_truncated_archive_is_one_failed_line(qtbot, early_session, tmp_path):
    cut = tmp_path / "cut.zip"
    cut.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    job = _run(qtbot, early_session, [cut])
    assert [r.line for r in job.results] == [
        "cut.zip: not imported — damaged ZIP archive: it is cut short or is not a ZIP file"]
