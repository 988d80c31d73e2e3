"""The report's contents without Qt: what is gathered from the store, and the HTML built.

(tests/test_layering.py checks that report_data never loads Qt.)
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from recoverydesk.core.model import DayLog, EpisodeInfo
from recoverydesk.interchange.report_data import gather, report_html
from recoverydesk.storage.store import Store
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY  # the last day of the demo_store fixture (tests/conftest.py)


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



def test_a_period_narrows_the_chart_and_tables_not_the_summary(demo_store) -> None:
    from recoverydesk.interchange.report_data import daily_table, history_table

    whole = gather(demo_store, TODAY)
    since = TODAY - dt.timedelta(days=13)
    data = gather(demo_store, TODAY, since=since)
    assert data.period_start == since
    assert data.chart_figures is not None and len(data.chart_figures) == 14
    assert data.chart_timeline[0].day == since and data.chart_timeline[-1].day == TODAY
    days = [cells[0] for _group, cells in daily_table(data).rows]
    all_days = [cells[0] for _group, cells in daily_table(whole).rows]
    assert 0 < len(days) < len(all_days) and days == all_days[:len(days)]
    moves = [cells[0] for _group, cells in history_table(data).rows]
    assert "Began" not in [cells[1] for _group, cells in history_table(data).rows]
    assert len(moves) < len(history_table(whole).rows)
    # The summary still speaks of the whole episode, and says what the tables cover.
    text = _text(report_html(data, "chart://pain", (600, 260)))
    assert f"Episode began {_date_words(whole.episode.start)}" in text
    assert f"Chart and tables cover {_date_words(since)} to {_date_words(TODAY)}" in text


def test_a_period_before_the_episode_is_the_whole_episode(demo_store) -> None:
    data = gather(demo_store, TODAY, since=dt.date(2000, 1, 1))
    assert data.period_start == data.episode.start


def _date_words(day: dt.date) -> str:
    from recoverydesk.core import words

    return words.date_text(day)
