"""The report's contents without Qt: what is gathered from the store, and the HTML built.

(tests/test_layering.py checks that report_data never loads Qt.)
"""

from __future__ import annotations

import datetime as dt
import html
import pathlib
import re
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import DayLog, EpisodeInfo
from recoverydesk.demo import fill_demo
from recoverydesk.interchange.report_data import gather, report_html
from recoverydesk.storage.store import Store

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def demo_store(tmp_path: pathlib.Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "demo")
    fill_demo(store, TODAY)
    yield store
    store.close()


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_gather_replays_the_episode_to_the_day(demo_store) -> None:
    data = gather(demo_store, TODAY)
    assert data.timeline[0].day == data.episode.start
    assert data.timeline[-1].day == TODAY
    assert len(data.figures) == (TODAY - data.episode.start).days + 1
    assert [h.event for h in data.history] == [
        "advance", "advance", "regression", "pause", "clearance", "advance", "advance"]
    assert data.exercise_names.get("glute_bridge") == "Glute bridge"


def test_the_html_says_what_a_clinician_reads(demo_store) -> None:
    data = gather(demo_store, TODAY)
    page = report_html(data, "chart://pain", (600, 264))
    text = _text(page)
    start = data.episode.start
    assert f"Episode began {start.day} {start:%b} {start.year}" in text
    now = data.timeline[-1]
    assert now.phase == "run"
    assert f"Current phase: Return to run — day {now.phase_day} of at least 7" in text
    assert f"Fri 20 Mar Return to run {now.phase_day}" in text
    assert data.content.texts["report_disclaimer"] in text
    assert "<img src='chart://pain' width='600' height='264'>" in page
    assert "page-break-before: always" in page
    # the overview's break goes; the Function page keeps its own
    assert "page-break-before: always'>Phase history" in page
    assert "page-break-before: always'>Phase history" not in report_html(
        data, "chart://pain", (600, 264), break_after_overview=False)


def test_an_entry_a_year_back_shows_its_year_and_miles(tmp_path) -> None:
    store = Store.open(tmp_path / "miles")
    store.start_episode(EpisodeInfo(dt.date(2025, 12, 30), "mi", 16093.44), today=TODAY)
    store.save_day(DayLog(dt.date(2025, 12, 31), 4, notes="new year's eve <run>"), today=TODAY)
    text = _text(report_html(gather(store, TODAY), "chart://x", (10, 10)))
    store.close()
    assert "Wed 31 Dec 2025" in text, "an entry from another year names its year"
    assert "10.0 mi" in text, "the baseline in the episode's units"
    assert "new year's eve <run>" in text, "notes are escaped, not read as markup"


def test_no_episode_is_refused_in_words(tmp_path) -> None:
    store = Store.open(tmp_path / "empty")
    with pytest.raises(ValueError, match="no episode yet"):
        gather(store, TODAY)
    store.close()

