"""The clinician report as a PDF: the episode, its history, red flags and every day."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from recoverydesk.render import report_pdf as report
from recoverydesk.storage.store import Store
from tests.conftest import DEMO_TODAY

pypdf = pytest.importorskip("pypdf")

TODAY = DEMO_TODAY  # the last day of the demo_store fixture (tests/conftest.py)


def _text(path: pathlib.Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    """One space between words, and the PDF's ligatures ("ﬀ", "ﬁ") spelt out."""
    return " ".join(text.replace("\ufb00", "ff").replace("\ufb01", "fi").split())


def test_report_holds_the_episode_history_flags_and_days(qtbot, demo_store, tmp_path):
    out = tmp_path / "report.pdf"
    report.write_report(demo_store, out, "A4", today=TODAY)

    text = _squash(_text(out))
    episode = demo_store.load_episode()
    start = episode.info.start
    assert f"Episode began {start.day} {start:%b %Y}" in text
    from recoverydesk.core import engine

    now = engine.status_on(episode, demo_store.rules(), TODAY)
    assert now.phase == "run"
    assert f"Current phase: Return to run — day {now.phase_day} of at least 7" in text
    assert "Advanced: Walk starts on" in text, "a phase-history sentence from the engine"
    assert "Pain during activity was 6, more than 5: a step back." in text
    assert "Pain shooting down one leg below the knee" in text
    clearance = next(a.note for a in episode.actions if a.kind == "clearance")
    assert _squash(clearance)[:40] in text
    assert f"Fri 20 Mar Return to run {now.phase_day}" in text, "today's daily-entry row"
    assert "First run in weeks!" in text
    assert "not a diagnosis" in text
    assert "page 1 of" in text
    assert "Glute bridge" in text, "exercise adherence by name"


def test_page_sizes_are_a4_and_letter(qtbot, demo_store, tmp_path):
    a4, letter = tmp_path / "a4.pdf", tmp_path / "letter.pdf"
    report.write_report(demo_store, a4, "A4", today=TODAY)
    report.write_report(demo_store, letter, "Letter", today=TODAY)

    def size(path: pathlib.Path) -> tuple[float, float]:
        box = pypdf.PdfReader(str(path)).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(a4) == (595, 842)
    assert size(letter) == (612, 792)
    assert len(pypdf.PdfReader(str(a4)).pages) >= 2


def test_an_unknown_page_size_is_refused(qtbot, demo_store, tmp_path):
    with pytest.raises(ValueError, match="A4 or Letter"):
        report.write_report(demo_store, tmp_path / "x.pdf", "A3", today=TODAY)
    assert not (tmp_path / "x.pdf").exists()


def test_chart_is_greyscale_and_marks_the_pause(qtbot, demo_store):
    data = report.gather(demo_store, TODAY)
    image = report.draw_pain_chart(data, 600, 280, scale=1)
    colours = {image.pixelColor(x, y).getRgb()[:3] for x in range(0, 600, 3)
               for y in range(0, 280, 3)}
    assert all(r == g == b for r, g, b in colours), "readable in black and white"
    assert len(colours) > 10
    events = [h.event for h in data.history]
    assert events == ["advance", "advance", "regression", "pause", "clearance", "advance",
                      "advance"]


def test_cli_report_writes_a_pdf(tmp_path, demo_store):
    """In a fresh process without a window or QT_QPA_PLATFORM, as a script would run it."""
    import os
    import subprocess
    import sys

    out = tmp_path / "cli.pdf"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    # The command as `recoverydesk report` runs it, then a look at what it loaded: printing
    # needs QtGui only, never the widgets (nor the window's package).
    # The Qt application it made is gone afterwards: the same process can still build widgets.
    script = ("import sys; from recoverydesk.cli import main; code = main(sys.argv[1:]); "
              "loaded = [m for m in ('PySide6.QtWidgets', 'recoverydesk.gui') "
              "if m in sys.modules]; print('loaded:', loaded); "
              "from PySide6.QtWidgets import QApplication, QWidget; "
              "app = QApplication([]); QWidget().show(); print('widgets: yes'); sys.exit(code)")
    done = subprocess.run(
        [sys.executable, "-c", script, "report", "--data-dir",
         str(demo_store.data_dir), "--out", str(out), "--page-size", "Letter"],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"Report written to {out}.", "loaded: []",
                                        "widgets: yes"]
    assert out.read_bytes().startswith(b"%PDF")
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_report_lists_the_screen_the_ready_test_and_the_ladder(qtbot, demo_store, tmp_path):
    """§7: risk-screen answers, ready-to-run tests (self-reported), the ladder with its layoff,
    red flags with their tier, and the thresholds said to be the app's rules."""
    out = tmp_path / "report.pdf"
    report.write_report(demo_store, out, "A4", today=TODAY)
    text = _squash(_text(out))
    episode = demo_store.load_episode()
    ready_day = next(a.day for a in episode.actions if a.kind == "ready")
    assert "Risk screen" in text and "No to every question" in text
    assert f"{ready_day.day} {ready_day:%b %Y}: passed (self-reported" in text
    assert "Walk–run ladder" in text
    assert "Layoff (a week without a run)" in text
    assert "(8 days): the ladder steps down from stage" in text
    assert "Stage down" in text and "Stage up" in text
    assert "Cleared to carry on.” (self-reported by the runner)" in text
    assert "(see a clinician soon)" in text, "the demo's red flag with its tier"
    assert "not validated cut-offs" in text


def test_every_day_of_a_long_episode_is_in_the_table(qtbot, tmp_path):
    """Fourteen months of entries span many pages of the daily table: not one day is lost,
    and the table is newest first."""
    from recoverydesk.core import words
    from recoverydesk.core.model import Activity, DayLog, EpisodeInfo

    store = Store.open(tmp_path / "long")
    start = TODAY - dt.timedelta(days=424)
    days = [start + dt.timedelta(days=i) for i in range(425)]
    with store.db.atomic():
        store.start_episode(EpisodeInfo(start, "km"), today=TODAY)
        for i, day in enumerate(days):
            acts = [Activity(day, "walk", 3000 + i, 1800, 1)] if i % 3 == 0 else []
            store.save_day(DayLog(day, i % 4, None, 1, notes=f"entry{i:03d}"), acts, today=TODAY)
    out = tmp_path / "long.pdf"
    report.write_report(store, out, "A4", today=TODAY)
    store.close()

    text = _squash(_text(out))
    daily = text[text.index("Daily entries, newest"):]  # ("ﬁrst": a ligature in the PDF)
    places = [daily.find(f"entry{i:03d}") for i in range(len(days))]
    assert -1 not in places, f"missing days: {[days[i] for i, p in enumerate(places) if p < 0]}"
    assert places == sorted(places, reverse=True), "newest first"
    for day in (days[0], days[200], days[-1]):
        label = words.date_text(day, weekday=True, year=day.year != TODAY.year)
        assert label in daily
    assert "(continued)" in daily, "a month that runs over a page says so atop the next"
    assert len(pypdf.PdfReader(str(out)).pages) > 10
