"""File → Clinician report…: the dialogs around writing the PDF."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from PySide6.QtWidgets import QPushButton

from recoverydesk.gui import report_dialog as report
from recoverydesk.gui.dates import to_qdate
from recoverydesk.gui.session import Session
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.gui
pypdf = pytest.importorskip("pypdf")

TODAY = DEMO_TODAY  # the last day of the demo_store fixture (tests/conftest.py)


def test_save_report_from_the_window(qtbot, demo_store, tmp_path):
    session = Session(demo_store, today=lambda: TODAY)
    out = tmp_path / "from-window.pdf"
    offered: list[pathlib.Path] = []
    messages: list[str] = []
    seen: list[tuple[int, int]] = []
    session.message.connect(messages.append)

    job = report.save_report(None, session, choose=lambda w, s: (out, "Letter"),
                             offer_open=lambda w, path: offered.append(path))
    assert job is not None
    # What the progress dialog shows each time the worker reports a page.
    job.progressed.connect(lambda done, total: seen.append((job.progress.value(),
                                                            job.progress.maximum())))
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass

    assert not job.running and not job.cancelled and job.error == ""
    assert offered == [out]
    assert out.read_bytes().startswith(b"%PDF")
    assert messages == [f"Clinician report saved to {out}."]
    pages = len(pypdf.PdfReader(str(out)).pages)
    assert seen[-1] == (pages, pages), "the dialog ends on the last page of the file"
    assert [value for value, _maximum in seen] == sorted(value for value, _maximum in seen)
    assert not job.progress.isVisible()


def test_cancelling_in_the_progress_dialog_leaves_no_file(qtbot, demo_store, tmp_path):
    session = Session(demo_store, today=lambda: TODAY)
    out = tmp_path / "cancelled.pdf"
    offered: list[pathlib.Path] = []
    messages: list[str] = []
    session.message.connect(messages.append)
    files_before = sorted(tmp_path.rglob("*"))

    job = report.save_report(None, session, choose=lambda w, s: (out, "A4"),
                             offer_open=lambda w, path: offered.append(path))
    assert job is not None and job.progress is not None
    job.progress.findChild(QPushButton).click()  # the dialog's Cancel button
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    job.wait()

    assert job.cancelled and offered == []
    assert messages == ["The clinician report was cancelled; nothing was saved."]
    assert sorted(tmp_path.rglob("*")) == files_before, "no PDF, no part-written file"


def test_a_folder_that_is_gone_is_said_and_nothing_is_offered(qtbot, demo_store, tmp_path):
    session = Session(demo_store, today=lambda: TODAY)
    out = tmp_path / "gone" / "report.pdf"
    offered: list[pathlib.Path] = []
    messages: list[str] = []
    session.message.connect(messages.append)

    job = report.save_report(None, session, choose=lambda w, s: (out, "A4"),
                             offer_open=lambda w, path: offered.append(path), progress=False)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass

    assert offered == [] and not out.exists()
    assert len(messages) == 1 and messages[0].startswith(f"The report could not be saved to {out}")
    assert "No such folder" in job.error


def test_save_report_backing_out_writes_nothing(qtbot, demo_store, tmp_path):
    session = Session(demo_store, today=lambda: TODAY)
    messages: list[str] = []
    offered: list[pathlib.Path] = []
    session.message.connect(messages.append)
    files_before = sorted(tmp_path.rglob("*"))
    assert report.save_report(None, session, choose=lambda w, s: None,
                              offer_open=lambda w, path: offered.append(path)) is None
    # Nothing said, nothing offered to open, and not one new file (PDF or other) anywhere
    # under the folder that holds the data.
    assert messages == [] and offered == []
    assert sorted(tmp_path.rglob("*")) == files_before


def test_report_form_shows_period_page_size_place_and_page_one(qtbot, demo_store, tmp_path):
    session = Session(demo_store, today=lambda: TODAY)
    session.last_folders.report = tmp_path
    dialog = report.ReportDialog(session)
    qtbot.addWidget(dialog)
    info = session.info
    assert info is not None
    assert dialog.since() == info.start  # the whole episode unless the runner narrows it
    assert str(TODAY.year) in dialog.period_label.text()
    assert dialog.page_size.currentText() in ("A4", "Letter")
    path, size, include, since = dialog.choice()
    assert since == info.start
    assert path.parent == tmp_path and path.suffix == ".pdf"
    assert include == {"history", "adherence", "days"}
    # Page 1 is made on a worker thread: the form is usable while it is being drawn.
    assert dialog.preview_job is not None and dialog.preview.text() == "Preparing page 1…"
    qtbot.waitUntil(lambda: dialog.preview_job is None, timeout=30_000)
    pixmap = dialog.preview.pixmap()
    assert not pixmap.isNull()
    image = pixmap.toImage()
    # Page 1 has ink on it (the title, the summary, the chart), not just white paper.
    dark = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50
    dialog.path_edit.setText(str(tmp_path / "for-the-physio"))
    dialog.sections["days"].setChecked(False)
    four_weeks = TODAY - dt.timedelta(days=27)
    dialog.since_edit.setDate(to_qdate(four_weeks))
    assert dialog.choice() == (tmp_path / "for-the-physio.pdf", size,
                               frozenset({"history", "adherence"}), four_weeks)
    # The period cannot begin before the episode: the field stops at its first day.
    dialog.since_edit.setDate(to_qdate(info.start - dt.timedelta(days=30)))
    assert dialog.since() == info.start


def test_a_left_out_section_is_not_in_the_report_but_red_flags_always_are(demo_store) -> None:
    from recoverydesk.interchange.report_data import gather, report_html

    data = gather(demo_store, TODAY)
    full = report_html(data, "chart://pain", (600, 260))
    short = report_html(data, "chart://pain", (600, 260), include=())
    assert "Phase history" in full and "Phase history" not in short
    assert "Red flags" in full and "Red flags" in short


def test_the_preview_follows_the_last_page_size_chosen(qtbot, demo_store, tmp_path):
    """Changes made while page 1 is being drawn are not lost: it is drawn again for them."""
    session = Session(demo_store, today=lambda: TODAY)
    dialog = report.ReportDialog(session)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview_job is None, timeout=30_000)
    for size in ("A4", "Letter", "A4", "Letter"):
        dialog.page_size.setCurrentText(size)  # while the first is still being drawn
    qtbot.waitUntil(lambda: dialog.preview_job is None, timeout=30_000)
    pixmap = dialog.preview.pixmap()
    assert pixmap.height() / pixmap.width() == pytest.approx(11 / 8.5, abs=0.02)  # Letter
    dialog.page_size.setCurrentText("A4")
    qtbot.waitUntil(lambda: dialog.preview_job is None, timeout=30_000)
    pixmap = dialog.preview.pixmap()
    assert pixmap.height() / pixmap.width() == pytest.approx(297 / 210, abs=0.02)


def test_closing_the_form_while_page_one_is_drawn_leaves_nothing_behind(qtbot, demo_store):
    session = Session(demo_store, today=lambda: TODAY)
    dialog = report.ReportDialog(session)
    qtbot.addWidget(dialog)
    job = dialog.preview_job
    assert job is not None
    dialog.reject()
    assert dialog.preview_job is None
    assert job.wait()
    qtbot.waitUntil(lambda: job not in report._running, timeout=10_000)
