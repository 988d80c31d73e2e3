"""The clinician report's outcomes: leg pain and stiffness, Function (PSFS), Where it hurt."""

from __future__ import annotations

import datetime as dt
import pathlib
import unicodedata

import pytest

from recoverydesk.core.model import DayLog, EpisodeInfo
from recoverydesk.demo import DEMO_DAYS
from recoverydesk.render import report_pdf as report
from recoverydesk.storage.store import Store
from tests.conftest import DEMO_TODAY

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.gui

TODAY = DEMO_TODAY  # the last day of the demo_store fixture (tests/conftest.py)


def _pages(path: pathlib.Path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    # NFKC undoes the font's ligatures ("ﬁ" → "fi") that pypdf hands back as they are.
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in reader.pages]


def test_report_has_function_leg_pain_stiffness_and_sites(qtbot, demo_store, tmp_path):
    out = tmp_path / "report.pdf"
    report.write_report(demo_store, out, "A4", today=TODAY)
    pages = _pages(out)
    first = pages[0]
    assert "Mean leg pain, first → last 7 days 4.0 → 0.0 (0–10)" in first
    assert "Morning stiffness, first → last 7 days" in first
    (psfs_page,) = [p for p in pages if "Function (PSFS)" in p]
    start = TODAY - dt.timedelta(days=DEMO_DAYS - 1)
    last = start + dt.timedelta(days=35)  # the demo's sixth weekly scores
    assert (f"Mean 3.0 on {start.day} {start:%B %Y} → 8.0 on {last.day} {last:%B %Y}"
            in psfs_page)
    assert "+5.0 points, beyond measurement noise" in psfs_page
    assert "run 5 km easy 0 1 2 3 5 6" in psfs_page
    assert "Mean 3.0 4.0 5.0 6.0 7.3 8.0" in psfs_page
    assert "Stratford et al. 1995" in psfs_page
    text = " ".join(pages)
    assert "Where it hurt" in text
    assert (f"Pain first reached below the knee on {start.day} {start:%B %Y} (the left leg)"
            in text)
    assert f"Low back, middle {DEMO_DAYS} 100 %" in text
    # the daily entries carry leg pain and stiffness beside the back pain
    assert "Leg Stiff" in text


def test_report_without_outcomes_says_so(qtbot, tmp_path):
    store = Store.open(tmp_path / "data")
    try:
        store.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=TODAY)
        store.save_day(DayLog(dt.date(2026, 3, 2), 3), today=TODAY)
        out = tmp_path / "report.pdf"
        report.write_report(store, out, "A4", today=TODAY)
    finally:
        store.close()
    text = " ".join(_pages(out))
    assert "No function scores have been recorded." in text
    assert "No place has been marked on the body map." in text
    assert "Mean leg pain" not in text
