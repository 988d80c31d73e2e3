"""Leg pain on the pain chart, the Function tab and the Where it hurt tab (§3, §3.1, §6)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from recoverydesk.core.model import DayLog
from recoverydesk.gui.charts import ChartsView

from .conftest import START, TODAY, show_view

pytestmark = pytest.mark.gui


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@pytest.fixture
def filled(store):
    for n in range((TODAY - START).days + 1):
        sites = {"low_back_centre"} | ({"below_knee_left"} if n < 5 else set())
        store.save_day(DayLog(day(n), 3, leg_pain=max(0, 6 - n), pain_sites=frozenset(sites)),
                       today=TODAY)
    store.add_psfs_activities(["run 5 km", "sit an hour", "lift a box"], day(0), today=TODAY)
    ids = [a.id for a in store.psfs_activities()]
    store.save_psfs(day(0), dict(zip(ids, (2, 3, 4), strict=True)), today=TODAY)
    store.save_psfs(day(7), dict(zip(ids, (4, 6, 5), strict=True)), today=TODAY)
    store.rename_psfs_activity(ids[2], "carry a box", day(14), today=TODAY)
    new = store.psfs_activities()[-1].id
    store.save_psfs(day(14), {ids[0]: 6, ids[1]: 7, new: 8}, today=TODAY)
    return store


def charts(qtbot, session) -> ChartsView:
    return show_view(qtbot, ChartsView(session), (1100, 750))


def test_leg_pain_line_is_off_until_ticked(qtbot, session, filled) -> None:
    view = charts(qtbot, session)
    chart = view.pain_chart
    assert not view.leg_pain_box.isChecked()
    assert not chart.leg_curve.isVisible()
    assert chart.legend.getLabel(chart.leg_curve) is None
    view.leg_pain_box.setChecked(True)
    assert chart.leg_curve.isVisible()
    assert chart.legend.getLabel(chart.leg_curve) is not None
    _x, y = chart.leg_curve.getData()
    assert list(y[:7]) == [6, 5, 4, 3, 2, 1, 0]
    assert "Leg pain 6" in chart.hover_text(0)
    view.leg_pain_box.setChecked(False)
    assert chart.legend.getLabel(chart.leg_curve) is None


def test_function_tab_draws_the_weekly_mean_each_activity_and_the_band(qtbot, session,
                                                                       filled) -> None:
    view = charts(qtbot, session)
    page = view.pages[[view.tabs.tabText(i) for i in range(view.tabs.count())]
                      .index("Function")]
    assert not page.is_showing_empty()
    chart = view.function_chart
    _x, means = chart.mean_curve.getData()
    assert np.allclose(means, [3.0, 5.0, 7.0])
    assert len(chart.activity_curves) == 4  # the renamed one is a new line
    lo, hi = chart.band.getRegion()
    assert (lo, hi) == (1.0, 5.0)
    labels = [label.text for _sample, label in chart.legend.items]
    assert "lift a box (retired)" in labels and "carry a box" in labels


def test_where_it_hurt_counts_the_chosen_period(qtbot, session, filled) -> None:
    view = charts(qtbot, session)
    where = view.where_chart
    logged = (TODAY - START).days + 1
    counts, days = where.counts()
    assert days == logged
    assert counts == {"low_back_centre": logged, "below_knee_left": 5}
    assert "Left leg below the knee: 5 days" in where.summary.text()
    session.save_day(DayLog(START - dt.timedelta(days=40), 5,
                            pain_sites=frozenset({"thigh_right"})))
    where.period.setCurrentIndex(0)  # the last 4 weeks: the episode's days only
    assert where.counts()[0].get("thigh_right") is None


def test_empty_outcomes_say_what_to_log(qtbot, session) -> None:
    view = charts(qtbot, session)
    assert view.pages[-2].is_showing_empty()
    assert view.pages[-1].is_showing_empty()
