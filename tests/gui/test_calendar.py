"""The Calendar view: cells follow the data, clicks and keys open days, months switch."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core.model import Action, DayLog
from recoverydesk.gui.calendar import CalendarView, add_months, first_cell_day, text_colour_on

from .conftest import START, TODAY

pytestmark = pytest.mark.gui


VIEW = CalendarView


def test_opens_on_the_current_month_with_monday_first(view) -> None:
    assert (view.year, view.month) == (2026, 3)
    assert view.title_label.text() == "March 2026"
    cells = view.cells()
    assert len(cells) == 42
    assert cells[0].day == dt.date(2026, 2, 23) and cells[0].day.weekday() == 0
    assert not cells[0].in_month and cells[6].in_month
    assert view.cell_for(TODAY).is_today


def test_logging_a_day_changes_its_cell(view, session) -> None:
    day = dt.date(2026, 3, 10)
    before = view.cell_for(day)
    assert (before.phase, before.logged, before.pain) == ("rest", False, None)
    session.save_day(DayLog(day, 4, 6, 3))
    cell = view.cell_for(day)
    assert (cell.logged, cell.pain, cell.pain_activity, cell.pain_morning) == (True, 4, 6, 3)
    assert cell.phase == "rest" and cell.phase_day == 10
    assert not view.grab().toImage().isNull()


def test_the_phase_colour_follows_an_advance(view, session, store) -> None:
    for offset, pain in enumerate((3, 2, 2)):
        session.save_day(DayLog(START + dt.timedelta(days=offset), pain))
    store.add_action(Action(dt.date(2026, 3, 3), "advance"), today=TODAY)
    session.reload()
    assert view.cell_for(dt.date(2026, 3, 3)).markers == ("advance",)
    assert view.cell_for(dt.date(2026, 3, 4)).phase == "walk"
    assert view.grid._fill_for(view.cell_for(dt.date(2026, 3, 4)), view.palette()).name() == \
        "#5fb3a1"


def test_a_red_flag_day_has_the_marker_and_is_paused(view, session) -> None:
    day = dt.date(2026, 3, 12)
    session.save_day(DayLog(day, 5, red_flags=frozenset({"numbness"})))
    cell = view.cell_for(day)
    assert cell.markers == ("flag",)
    assert cell.paused and cell.event == "pause"
    assert view.cell_for(dt.date(2026, 3, 13)).paused
    assert "Red flag: Numbness or tingling in one leg or foot" in view.tooltip_for(day)
    assert not view.grab().toImage().isNull()
    # Paused today: no projection, and the header says why.
    assert view.cell_for(TODAY + dt.timedelta(days=1)).phase is None
    assert "paused" in view.note_label.text()


def test_future_cells_show_the_projected_prescription(view) -> None:
    # Nothing logged: on 03-20 the plan is in rest, day 20, gate closed. Earliest: rest day 21
    # on 03-21, walk from 03-22.
    tomorrow = view.cell_for(dt.date(2026, 3, 21))
    assert (tomorrow.projected, tomorrow.phase, tomorrow.phase_day) == (True, "rest", 21)
    walk = view.cell_for(dt.date(2026, 3, 22))
    assert (walk.phase, walk.phase_day, walk.label) == ("walk", 1, "walk 10 min")
    assert view.cell_for(dt.date(2026, 3, 24)).label == "walk 20 min"
    assert "Projected: Walk, day 1" in view.tooltip_for(dt.date(2026, 3, 22))
    assert "earliest schedule" in view.note_label.text()


def test_clicking_a_day_emits_day_activated(qtbot, view) -> None:
    day = dt.date(2026, 3, 11)
    rect = view.grid.cell_rect(day)
    assert view.grid.day_at(rect.center()) == day
    with qtbot.waitSignal(view.day_activated) as blocker:
        qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [day]


def test_a_future_day_does_not_open(qtbot, view) -> None:
    rect = view.grid.cell_rect(TODAY + dt.timedelta(days=3))
    with qtbot.assertNotEmitted(view.day_activated):
        qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())


def test_keyboard_moves_the_focus_and_enter_opens(qtbot, view) -> None:
    view.grid.setFocus()
    assert view.grid.focus_day == TODAY
    qtbot.keyClick(view.grid, Qt.Key.Key_Left)
    qtbot.keyClick(view.grid, Qt.Key.Key_Up)
    assert view.grid.focus_day == dt.date(2026, 3, 12)
    with qtbot.waitSignal(view.day_activated) as blocker:
        qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert blocker.args == [dt.date(2026, 3, 12)]
    for _ in range(2):
        qtbot.keyClick(view.grid, Qt.Key.Key_Up)
    assert view.grid.focus_day == dt.date(2026, 2, 26)
    assert (view.year, view.month) == (2026, 2)       # arrows cross into the next month


def test_month_navigation_by_buttons_and_page_keys(qtbot, view) -> None:
    qtbot.mouseClick(view.prev_button, Qt.MouseButton.LeftButton)
    assert (view.year, view.month, view.title_label.text()) == (2026, 2, "February 2026")
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert (view.year, view.month) == (2026, 4)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_PageUp)
    qtbot.keyClick(view.grid, Qt.Key.Key_PageUp)
    assert (view.year, view.month) == (2026, 2)
    qtbot.keyClick(view.grid, Qt.Key.Key_PageDown)
    assert (view.year, view.month) == (2026, 3)
    view.show_month(2027, 1)
    qtbot.mouseClick(view.today_button, Qt.MouseButton.LeftButton)
    assert (view.year, view.month) == (2026, 3) and view.grid.focus_day == TODAY


def test_days_before_the_episode_have_no_phase(view) -> None:
    cell = view.cell_for(dt.date(2026, 2, 25))
    assert cell.phase is None and not cell.in_month and not cell.future


def test_text_colour_is_chosen_by_the_fill() -> None:
    from PySide6.QtGui import QColor

    assert text_colour_on(QColor("#e0b04f")).name() == "#1b1b1b"
    assert text_colour_on(QColor("#2b2b2b")).name() == "#ffffff"


def test_dark_palette_paints_without_warnings(view) -> None:
    from PySide6.QtGui import QColor, QPalette

    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202020"),
                         (QPalette.ColorRole.WindowText, "#eeeeee"),
                         (QPalette.ColorRole.Base, "#181818"),
                         (QPalette.ColorRole.Text, "#eeeeee")):
        dark.setColor(role, QColor(colour))
    view.setPalette(dark)
    assert not view.grab().toImage().isNull()


def test_month_arithmetic() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 15), -3) == dt.date(2025, 12, 15)
    assert first_cell_day(2026, 6) == dt.date(2026, 6, 1)           # a Monday


def test_a_days_menu_opens_the_exercises_its_prescription_names(qtbot, view, session) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    cell = view.cell_for(tomorrow)
    plan = session.content.plan.phase(cell.phase)
    assert cell.exercises == tuple(plan.prescription_for(cell.phase_day).exercises)
    assert cell.exercises, "the rest phase names its mobility exercises"
    assert "Exercises: " in view.tooltip_for(tomorrow)

    menu = view.day_menu(tomorrow)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert not any(a.text().startswith("Open") for a in actions)  # a future day: nothing to open
    with qtbot.waitSignal(view.exercise_requested) as blocker:
        actions[0].trigger()
    assert blocker.args == [cell.exercises[0]]

    past = view.day_menu(TODAY)
    with qtbot.waitSignal(view.day_activated) as opened:
        next(a for a in past.actions() if a.text().startswith("Open")).trigger()
    assert opened.args == [TODAY]


def test_run_days_show_their_ladder_stage_past_and_projected(qtbot, tmp_path) -> None:
    """§5.3: past `run` days show the stage in force; future ones project the stage's session
    on alternate days."""
    from recoverydesk.demo import fill_demo
    from recoverydesk.gui.session import Session
    from recoverydesk.storage.store import Store

    store = Store.open(tmp_path / "demo")
    try:
        fill_demo(store, TODAY)
        session = Session(store, today=lambda: TODAY)
        calendar = CalendarView(session)
        qtbot.addWidget(calendar)
        ladder = session.content.plan.ladder
        past = [s for s in session.timeline() if s.phase == "run"]
        for status in past:
            cell = calendar.cell_for(status.day)
            assert cell.stage == status.run_stage
            assert cell.label == ladder[status.run_stage - 1].label
        assert f"Walk–run ladder: stage {past[-1].run_stage}" in calendar.tooltip_for(TODAY)
        ran_today = any(a.kind == "run" for a in session.episode.activities_on(TODAY))
        first_run = TODAY + dt.timedelta(days=2 if ran_today else 1)
        next_stage = past[-1].run_stage + (1 if ran_today else 0)
        assert calendar.cell_for(first_run).label == ladder[next_stage - 1].label
        assert calendar.cell_for(first_run + dt.timedelta(days=1)).label != (
            ladder[next_stage - 1].label)
    finally:
        store.close()
