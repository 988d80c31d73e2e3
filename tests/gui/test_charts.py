"""The Charts view: plot items hold the store's data, units, presets, export, empty states."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from recoverydesk.core.model import Action, Activity, DayLog
from recoverydesk.gui.charts import (
    DAY_S,
    EMPTY_CADENCE,
    EMPTY_PAIN,
    EMPTY_SCATTER,
    EMPTY_WEEKLY,
    ChartsView,
    noon_timestamps,
)

from .conftest import START, TODAY, show_view

pytestmark = pytest.mark.gui

PAINS = {2: (5, 5), 3: (4, None), 5: (3, 4), 6: (3, 3), 9: (2, 2), 10: (2, 1), 12: (1, 1)}
"""Day of March 2026 → (pain, morning pain); the other days are not logged."""
RUNS = {5: 3000.0, 9: 4500.0, 12: 5000.0}
"""Day of March 2026 → metres run; a walk on the 6th must not count."""


def day(n: int) -> dt.date:
    return dt.date(2026, 3, n)


def fill(store) -> None:
    for n, (pain, morning) in PAINS.items():
        acts = [Activity(day(n), "run", RUNS[n], RUNS[n] / 3)] if n in RUNS else []
        if n == 6:
            acts.append(Activity(day(n), "walk", 2500.0, 1800.0))
        store.save_day(DayLog(day(n), pain, None, morning), acts, today=TODAY)


@pytest.fixture
def filled(store):
    fill(store)
    return store


def make_view(qtbot, session) -> ChartsView:
    view = ChartsView(session)
    show_view(qtbot, view)
    return view


def local_noon(n: int) -> float:
    return dt.datetime(2026, 3, n, 12).timestamp()


def test_pain_points_are_the_logged_pains_on_the_logged_days(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    x, y = view.pain_chart.pain_curve.getData()
    logged = np.isfinite(y)
    assert list(x[logged]) == [local_noon(n) for n in PAINS]
    assert list(y[logged]) == [pain for pain, _ in PAINS.values()]
    assert len(x) == (TODAY - START).days + 1  # one slot a day; unlogged days are gaps


def test_bars_are_the_daily_run_distances(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    bars = view.pain_chart.bars.opts
    assert list(bars["x"]) == [local_noon(n) for n in RUNS]
    assert list(bars["height"]) == [m / 1000 for m in RUNS.values()]


def test_seven_day_mean_averages_logged_days_only(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    _x, mean = view.pain_chart.mean_curve.getData()
    k = (day(6) - START).days  # window 02..06 holds 5, 4, 3, 3
    assert mean[k] == pytest.approx(15 / 4)
    assert np.isnan(mean[0])  # 03-01: nothing logged yet


def test_switching_to_miles_relabels_and_rescales(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    session.update_episode(dataclasses.replace(session.info, units="mi"))
    right = view.pain_chart.plot_item.getAxis("right")
    assert "(mi)" in right.labelText
    heights = view.pain_chart.bars.opts["height"]
    assert list(heights) == pytest.approx([m / 1609.344 for m in RUNS.values()])
    weekly = view.weekly_chart.heights
    assert weekly.sum() == pytest.approx(sum(RUNS.values()) / 1609.344)


def test_range_presets_set_the_x_range(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    chart = view.pain_chart
    view.preset_buttons["pain:4w"].click()
    lo, hi = chart.view_box.viewRange()[0]
    assert (hi - lo) / DAY_S == pytest.approx(28, abs=0.5)
    assert hi == pytest.approx(local_noon(20) + DAY_S / 2, abs=3600)
    view.preset_buttons["pain:all"].click()
    lo, hi = chart.view_box.viewRange()[0]
    assert lo == pytest.approx(local_noon(1) - DAY_S / 2, abs=3600)


def test_y_is_fixed_and_x_pans(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    vb = view.pain_chart.view_box
    assert vb.state["mouseEnabled"] == [True, False]
    y_before = vb.viewRange()[1]
    vb.scaleBy(x=0.5)
    assert vb.viewRange()[1] == pytest.approx(y_before)


def test_markers_for_red_flags_advances_and_regressions(qtbot, session, store) -> None:
    for n, pain in ((1, 3), (2, 3), (3, 3)):
        store.save_day(DayLog(day(n), pain), today=TODAY)
    store.add_action(Action(day(3), "advance"), today=TODAY)
    store.save_day(DayLog(day(4), 3, 7), today=TODAY)  # activity pain 7: a step back
    store.save_day(DayLog(day(8), 4, red_flags=frozenset({"numbness"})), today=TODAY)
    view = make_view(qtbot, session)
    chart = view.pain_chart
    assert list(chart.advances.data["x"]) == [local_noon(3)]
    assert list(chart.regressions.data["x"]) == [local_noon(4)]
    assert list(chart.flags.data["x"]) == [local_noon(8)]
    labels = [label for _a, _b, label in chart.bands.bands()]
    assert labels == ["Rest", "Walk", "Rest"]


def test_hover_shows_the_days_values(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    chart = view.pain_chart
    text = chart.hover_text((day(5) - START).days)
    assert "Thu 5 Mar 2026" in text
    assert "Pain 3 · morning 4" in text and "Run 3.0 km" in text and "Rest" in text
    scene = chart.view_box.mapViewToScene(QPointF(local_noon(9) + 3000, 5))
    chart.hover.on_mouse_moved(scene)
    assert chart.hover.text.isVisible() and "Mon 9 Mar 2026" in chart.hover.current


def test_export_writes_a_png_of_the_requested_size(qtbot, session, filled, tmp_path) -> None:
    view = make_view(qtbot, session)
    for index, size in ((0, (1200, 800)), (2, (640, 480)), (3, (1920, 1080))):
        view.tabs.setCurrentIndex(index)
        path = view.export_png(tmp_path / f"chart{index}.png", size=size)
        image = QImage(str(path))
        assert (image.width(), image.height()) == size
    # The visible chart keeps its own size.
    assert view.pain_chart.width() < 1100


def test_empty_store_shows_what_to_log(qtbot, session) -> None:
    view = make_view(qtbot, session)
    from recoverydesk.gui.outcome_charts import EMPTY_FUNCTION, EMPTY_WHERE

    texts = (EMPTY_PAIN, EMPTY_WEEKLY, EMPTY_SCATTER, EMPTY_CADENCE, EMPTY_FUNCTION,
             EMPTY_WHERE)
    for page, text in zip(view.pages, texts, strict=True):
        assert page.is_showing_empty()
        assert page.empty_label.text() == text
    # Once there is something to draw, the words give way to the chart.
    for n, (pain, _activity_pain) in PAINS.items():
        session.save_day(DayLog(day(n), pain),
                         [Activity(day(n), "run", 3000.0, 1200.0)] if n % 3 == 0 else [])
    assert not view.pages[0].is_showing_empty()
    assert view.pages[0].stack.currentWidget() is view.pages[0].figure


def test_reload_on_data_changed_only_when_visible(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    session.save_day(DayLog(day(14), 6, None, 6))
    _x, y = view.pain_chart.pain_curve.getData()
    assert y[(day(14) - START).days] == 6
    view.hide()
    session.save_day(DayLog(day(15), 7))
    _x, y = view.pain_chart.pain_curve.getData()
    assert np.isnan(y[(day(15) - START).days])  # hidden: only marked dirty
    view.show()
    qtbot.waitExposed(view)
    _x, y = view.pain_chart.pain_curve.getData()
    assert y[(day(15) - START).days] == 7


def test_redraw_reuses_the_plot_items(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    chart = view.pain_chart
    items = list(chart.plot_item.items) + list(chart.bars_view.addedItems)
    session.save_day(DayLog(day(16), 2))
    assert list(chart.plot_item.items) + list(chart.bars_view.addedItems) == items


def test_weekly_bars_with_the_ten_and_thirty_percent_lines(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    chart = view.weekly_chart
    # Weeks of Mon 23 Feb (03-01 only), 2 Mar, 9 Mar, 16 Mar.
    assert list(chart.heights) == pytest.approx([0.0, 3.0, 9.5, 0.0])
    assert np.isnan(chart.limits[0]) and np.isnan(chart.limits[1])  # nothing to add 10 % to
    assert list(chart.limits[2:]) == pytest.approx([3.3, 10.45])
    assert list(chart.warn_limits[2:]) == pytest.approx([3.9, 12.35])  # the guard's + 30 %
    _, drawn = chart.warn_line.getData()
    assert list(drawn[6:8]) == pytest.approx([3.9, 3.9])
    view.include_all_box.setChecked(True)
    assert list(chart.heights) == pytest.approx([0.0, 5.5, 9.5, 0.0])


def test_scatter_and_its_sentence(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    view.tabs.setCurrentIndex(2)
    link = view.scatter_chart.link
    assert link is not None and link.n == len(PAINS)
    x, y = view.scatter_chart.points.getData()
    assert list(y) == [pain for pain, _ in PAINS.values()]
    # Day 12: the week before (5..11) holds the runs of the 5th and the 9th.
    assert x[-1] == pytest.approx(7.5)
    assert view.pages[2].caption.text().startswith("Not enough data yet: 7 days")
    view.morning_combo.setCurrentIndex(1)
    _x, y = view.scatter_chart.points.getData()
    assert list(y) == [m for _, m in PAINS.values() if m is not None]
    assert "morning pain" in view.pages[2].caption.text()


def test_noon_timestamps_are_local_noons() -> None:
    stamps = noon_timestamps(dt.date(2026, 3, 28), 3)  # across a DST change in Europe
    assert [dt.datetime.fromtimestamp(s).hour for s in stamps] == [12, 12, 12]


def _import_runs(store, cadences: dict[dt.date, float]) -> None:
    """Runs as if imported from watch files, each with its cadence."""
    for n, (when, spm) in enumerate(sorted(cadences.items())):
        sha = f"{n:064x}"
        store.add_file(sha, f"{n}.fit", "fit", [Activity(when, "run", 5000.0, 1800.0,
                                                         source="fit", file_sha256=sha,
                                                         cadence_spm=spm)], today=TODAY)


def test_cadence_tab_draws_each_run_the_usual_figure_before_the_episode_and_plus_5(
        qtbot, session, store) -> None:
    before = {dt.date(2026, 2, 1): 160.0, dt.date(2026, 2, 5): 166.0,
              dt.date(2026, 2, 9): 170.0}
    during = {day(10): 150.0, day(15): 168.0}
    _import_runs(store, {**before, **during})
    session.reload()
    view = make_view(qtbot, session)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Cadence" in titles
    view.tabs.setCurrentIndex(titles.index("Cadence"))
    chart = view.cadence_chart
    xs, ys = chart.points.getData()
    assert list(ys) == [160.0, 166.0, 170.0, 150.0, 168.0]
    assert list(xs) == [dt.datetime(d.year, d.month, d.day, 12).timestamp()
                        for d in sorted({**before, **during})]
    assert chart.usual_line.value() == 166.0  # median of the three runs before the pain
    assert chart.quicker_line.value() == pytest.approx(166.0 * 1.05)
    assert not view.current_page().is_showing_empty()
    caption = view.current_page().caption.text()
    assert "166 steps a minute" in caption and "3 runs before this episode" in caption
    assert "174" in caption


def test_cadence_without_earlier_runs_uses_the_first_five(qtbot, session, store) -> None:
    _import_runs(store, {day(n): 150.0 + n for n in range(2, 10)})
    session.reload()
    view = make_view(qtbot, session)
    # the first five runs are days 2-6: 152…156, median 154
    assert view.cadence_chart.usual_line.value() == 154.0
    assert "first 5 runs" in view.cadence_page.caption.text()


def test_cadence_tab_is_empty_without_cadence(qtbot, session, filled) -> None:
    view = make_view(qtbot, session)
    view.tabs.setCurrentIndex(view.tabs.count() - 1)
    assert view.current_page().is_showing_empty()
