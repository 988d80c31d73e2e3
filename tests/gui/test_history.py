"""The History view: valid models, numeric sorting, open, and undoable deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.gui.history import KEY_ROLE, HistoryView

from .conftest import TODAY

pytestmark = pytest.mark.gui
D1, D2, D3 = dt.date(2026, 3, 5), dt.date(2026, 3, 6), dt.date(2026, 3, 7)
START_TIME = dt.datetime(2026, 3, 6, 7, 30, tzinfo=dt.UTC)


VIEW = HistoryView


@pytest.fixture
def session(session, store):
    """The shared session with three days in it (overrides tests/gui/conftest.py's)."""
    session.save_day(DayLog(D1, 10, notes="Bad day"), [Activity(D1, "walk", None, 1200.0)])
    session.save_day(DayLog(D2, 2, 3, 2, frozenset({"fever"}), 7.5),
                     [Activity(D2, "run", 5000.0, 1800.0, 3)])
    store.add_file("cd" * 32, "ride.fit", "fit",
                   [Activity(D3, "cycle", 20000.0, 3600.0, None, START_TIME, 3700.0,
                             "fit", "cd" * 32)], today=TODAY)
    session.save_day(DayLog(D3, 9), replace_activities=False)
    return session


@pytest.fixture
def filled(session):
    """The session with its three days, by the name the tests read best."""
    return session


def column(table, number: int) -> list[str]:
    model = table.model()
    return [model.index(row, number).data() for row in range(model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, view) -> None:
    qtmodeltester.check(view.entries_model)
    qtmodeltester.check(view.activities_model)
    qtmodeltester.check(view.entries.proxy)


def test_entries_show_each_day_with_its_activities(view) -> None:
    assert view.entries_model.rowCount() == 3
    assert column(view.entries, 0) == ["Sat 7 Mar 2026", "Fri 6 Mar 2026", "Thu 5 Mar 2026"]
    row = [view.entries.model().index(1, c).data() for c in range(9)]
    assert row == ["Fri 6 Mar 2026", "2", "3", "2",
                   "A temperature of 38 °C or more, or feeling hot and shivery", "run 5.0 km",
                   "5.0", "7.5", ""]
    assert column(view.entries, 5) == ["cycle 20.0 km", "run 5.0 km", "walk 20:00"]
    assert view.count_label.text() == "3 daily entries · 3 activities"


def test_sorting_by_pain_is_numeric(view) -> None:
    view.entries.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert column(view.entries, 1) == ["2", "9", "10"]
    view.entries.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column(view.entries, 1) == ["10", "9", "2"]
    view.entries.sortByColumn(6, Qt.SortOrder.AscendingOrder)     # distance, empty first
    assert column(view.entries, 6) == ["", "5.0", "20.0"]


def test_activities_show_the_imported_source_and_start(view) -> None:
    view.tabs.setCurrentIndex(1)
    view.activities.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert column(view.activities, 6) == ["typed in", "typed in", "FIT file"]
    assert column(view.activities, 1) == ["", "", "07:30"]
    assert column(view.activities, 3) == ["", "5.00", "20.00"]
    assert column(view.activities, 4) == ["20:00", "30:00", "1:00:00"]


def test_enter_and_double_click_ask_to_open_the_day(qtbot, view) -> None:
    table = view.entries
    index = table.model().index(1, 0)
    table.setCurrentIndex(index)
    table.setFocus()
    with qtbot.waitSignal(view.day_activated) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [D2]
    rect = table.visualRect(table.model().index(2, 1))
    # Qt 6 opens only the row that was pressed: a real double click presses first.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.day_activated) as blocker:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [D1]


def test_deleting_a_day_and_undo_brings_it_back(qtbot, view, filled, store) -> None:
    before = (store.day_logs(), store.activities())
    table = view.entries
    table.selectRow(1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert store.day_log(D2) is None
    assert store.activities(since=D2, until=D2) == []
    assert column(table, 0) == ["Sat 7 Mar 2026", "Thu 5 Mar 2026"]   # reloaded
    filled.undo_stack.undo()
    assert (store.day_logs(), store.activities()) == before
    assert view.entries_model.rowCount() == 3
    filled.undo_stack.redo()
    assert store.day_log(D2) is None


def test_deleting_several_rows_is_one_undo_step(view, filled, store) -> None:
    before = (store.day_logs(), store.activities())
    view.entries.selectAll()
    view.delete_button.click()
    assert store.day_logs() == []
    filled.undo_stack.undo()
    assert (store.day_logs(), store.activities()) == before


def test_deleting_an_activity_and_undo(view, filled, store) -> None:
    before = store.activities()
    view.tabs.setCurrentIndex(1)
    table = view.activities
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.selectRow(1)
    assert table.selected_keys() == [table.model().index(1, 0).data(KEY_ROLE)]
    view.delete_button.click()
    assert [a.kind for a in store.activities()] == ["walk", "cycle"]
    assert store.day_log(D2) is not None                 # the day's entry stays
    filled.undo_stack.undo()
    assert store.activities() == before


def test_a_hidden_view_reloads_when_shown(qtbot, view, filled) -> None:
    view.hide()
    filled.save_day(DayLog(dt.date(2026, 3, 8), 1))
    assert view.entries_model.rowCount() == 3
    view.show()
    qtbot.waitExposed(view)
    assert view.entries_model.rowCount() == 4


def test_distances_follow_the_episode_units(qtbot, filled) -> None:
    import dataclasses

    filled.update_episode(dataclasses.replace(filled.info, units="mi"))
    widget = HistoryView(filled)
    qtbot.addWidget(widget)
    assert widget.entries_model.headerData(6, Qt.Orientation.Horizontal) == "Distance (mi)"
    widget.entries.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert column(widget.entries, 5)[1] == "run 3.1 mi"


def test_an_imported_run_shows_its_cadence(qtbot, session, store) -> None:
    store.add_file("ef" * 32, "run.fit", "fit",
                   [Activity(D3, "run", 5000.0, 1800.0, None, START_TIME, 1850.0, "fit",
                             "ef" * 32, cadence_spm=171.6)], today=TODAY)
    session.reload()
    widget = HistoryView(session)
    qtbot.addWidget(widget)
    widget.activities.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    titles = [widget.activities_model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(widget.activities_model.columnCount())]
    cadence = titles.index("Cadence (steps/min)")
    assert sorted(column(widget.activities, cadence)) == ["", "", "", "172"]
