"""The Log view: a whole day in, one undoable save, inline refusals that write nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.gui.logform import LogView

from .conftest import START, TODAY

pytestmark = pytest.mark.gui
DAY = dt.date(2026, 3, 18)


VIEW = LogView


def contents(store):
    return store.day_logs(), store.activities()


def type_into(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    spin.interpretText()


def test_opens_on_today_with_an_empty_form(view) -> None:
    assert view.day == TODAY
    assert view.date_edit.date().toPython() == TODAY
    assert view.pain_spin.value_or_none() is None
    assert view.pain_spin.text() == "—"
    assert "new entry" in view.phase_label.text()


def test_filling_the_form_by_keyboard_and_mouse_saves_exactly_that_day(qtbot, view,
                                                                        session, store) -> None:
    view.show_day(DAY)
    type_into(qtbot, view.pain_spin, "3")
    type_into(qtbot, view.pain_activity_spin, "4")
    type_into(qtbot, view.pain_morning_spin, "2")
    type_into(qtbot, view.sleep_spin, "7.5")
    type_into(qtbot, view.heat_ice_spin, "20")
    view.notes_edit.setFocus()
    qtbot.keyClicks(view.notes_edit, "Easy walk, back felt loose.")
    box = view.flag_boxes["numbness"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # 14 red flags: the box may be scrolled out of view
    assert view.flag_boxes["numbness"].isChecked()
    assert view.flag_advice.isVisible()
    qtbot.mouseClick(view.add_activity_button, Qt.MouseButton.LeftButton)
    row = view._rows[0]
    row.kind.setCurrentIndex(row.kind.findData("run"))
    type_into(qtbot, row.distance, "5")
    type_into(qtbot, row.duration, "32")
    type_into(qtbot, row.pain, "4")
    assert view.saved_label.text() == "Unsaved changes"

    with qtbot.waitSignal(session.message) as blocker:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "Saved" in blocker.args[0]
    assert store.day_log(DAY) == DayLog(DAY, 3, 4, 2, frozenset({"numbness"}), 7.5, 20,
                                                "Easy walk, back felt loose.")
    [run] = store.activities(since=DAY, until=DAY)
    assert (run.kind, run.distance_m, run.duration_s, run.pain, run.source) == (
        "run", 5000.0, 1920.0, 4, "manual")
    assert not view.is_dirty()

    # Reloading shows what was saved.
    view.show_day(TODAY)
    view.show_day(DAY)
    assert view.pain_spin.value() == 3 and view.sleep_spin.value() == 7.5
    assert view.notes_edit.toPlainText() == "Easy walk, back felt loose."
    assert view._rows[0].distance.value() == 5.0 and view._rows[0].kind.currentData() == "run"
    assert "saved entry" in view.phase_label.text()


def test_the_standard_save_key_saves(qtbot, view, session, store) -> None:
    assert view.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    view.pain_spin.set_value_or_none(2)
    view.activateWindow()
    view.pain_spin.setFocus()
    qtbot.keyClick(view.pain_spin, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: store.day_log(TODAY) is not None, timeout=1000)
    assert store.day_log(TODAY).pain == 2


def test_a_missing_pain_is_shown_under_pain_and_nothing_is_written(view, session, store) -> None:
    before = contents(store)
    assert view.save() is False
    assert view.errors["pain"].isVisible()
    assert "Pain now is needed" in view.errors["pain"].text()
    assert contents(store) == before


def test_too_much_sleep_is_refused_next_to_sleep(view, session, store) -> None:
    view.pain_spin.set_value_or_none(3)
    view.sleep_spin.setMaximum(30)           # the widget clamps at 24; the core must refuse too
    view.sleep_spin.setValue(25)
    before = contents(store)
    assert view.save() is False
    assert view.errors["sleep_hours"].isVisible()
    assert "at most 24" in view.errors["sleep_hours"].text()
    assert not view.errors["pain"].isVisible()
    assert contents(store) == before


def test_a_future_date_is_refused_next_to_the_date(view, session, store) -> None:
    future = TODAY + dt.timedelta(days=2)
    view.date_edit.setMaximumDate(QDate(future))   # the widget stops at today; the core too
    view.show_day(future)
    view.pain_spin.set_value_or_none(2)
    before = contents(store)
    assert view.save() is False
    assert view.date_error.isVisible()
    assert "to today (2026-03-20)" in view.date_error.text()
    assert contents(store) == before


def test_a_negative_distance_is_refused_next_to_the_activities(view, session, store) -> None:
    view.pain_spin.set_value_or_none(2)
    view._on_add_activity_button_clicked()
    row = view._rows[0]
    row.distance.setMinimum(-5)
    row.distance.setValue(-1)
    before = contents(store)
    assert view.save() is False
    assert view.activity_error.isVisible()
    assert view.activity_error.text().startswith("⚠ Activity 1, distance")
    assert "km" in view.activity_error.text()
    assert contents(store) == before


def test_too_long_notes_are_refused_and_counted(view, session, store) -> None:
    view.pain_spin.set_value_or_none(2)
    view.notes_edit.setPlainText("x" * 10_001)
    assert view.notes_counter.text() == "10,001 / 10,000 characters"
    before = contents(store)
    assert view.save() is False
    assert view.errors["notes"].isVisible()
    assert contents(store) == before


def test_removing_a_red_flag_from_a_saved_entry_asks_first(view, session, store) -> None:
    session.save_day(DayLog(DAY, 4, red_flags=frozenset({"radiating_pain"})))
    view.show_day(DAY)
    assert view.flag_boxes["radiating_pain"].isChecked()
    view.flag_boxes["radiating_pain"].setChecked(False)
    asked: list[str] = []

    def refuse(title: str, text: str) -> bool:
        asked.append(text)
        return False

    view.confirm = refuse
    assert view.save() is False
    assert "Pain shooting down one leg below the knee" in asked[0]
    assert store.day_log(DAY).red_flags == {"radiating_pain"}
    view.confirm = lambda title, text: True
    assert view.save() is True
    assert store.day_log(DAY).red_flags == frozenset()


def test_ticking_a_red_flag_does_not_ask(view, session, store) -> None:
    view.confirm = lambda title, text: pytest.fail("no question expected")
    view.pain_spin.set_value_or_none(2)
    view.flag_boxes["fever"].setChecked(True)
    assert view.save() is True
    assert store.day_log(TODAY).red_flags == {"fever"}


def test_distances_show_in_miles_and_are_stored_in_metres(qtbot, session, store) -> None:
    session.update_episode(dataclasses.replace(session.info, units="mi"))
    session.save_day(DayLog(DAY, 2), [Activity(DAY, "run", 5000.0, 1800.0)])
    view = LogView(session)
    qtbot.addWidget(view)
    view.show_day(DAY)
    assert view._activity_headers[1].text() == "Distance (mi)"
    assert view._rows[0].distance.value() == pytest.approx(3.11)
    view._on_add_activity_button_clicked()
    view._rows[1].distance.setValue(2.0)
    assert view.save() is True
    distances = [a.distance_m for a in store.activities(since=DAY, until=DAY)]
    assert distances == [5000.0, pytest.approx(3218.7, abs=0.05)]


def test_an_imported_activity_keeps_its_source_and_exact_values(view, session, store) -> None:
    start = dt.datetime(2026, 3, 18, 7, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    imported = Activity(DAY, "run", 5123.4567, 1834.5, None, start, 1900.0, "gpx", "ab" * 32)
    store.add_file("ab" * 32, "morning.gpx", "gpx", [imported], today=TODAY)
    session.save_day(DayLog(DAY, 2), replace_activities=False)
    view.show_day(DAY)
    row = view._rows[0]
    assert row.source.text() == "GPX file · 07:42"
    row.pain.setValue(3)
    assert view.save() is True
    [stored] = store.activities(since=DAY, until=DAY)
    assert stored == dataclasses.replace(imported, pain=3, id=stored.id)


def test_an_imported_run_shows_its_cadence_and_keeps_it_on_save(view, session, store) -> None:
    start = dt.datetime(2026, 3, 18, 7, 42, tzinfo=dt.UTC)
    imported = Activity(DAY, "run", 5000.0, 1800.0, None, start, 1850.0, "fit", "cd" * 32,
                        cadence_spm=171.6)
    store.add_file("cd" * 32, "run.fit", "fit", [imported], today=TODAY)
    session.save_day(DayLog(DAY, 2), replace_activities=False)
    view.show_day(DAY)
    row = view._rows[0]
    assert row.source.text() == "FIT file · 07:42 · 172 steps/min"
    assert "cadence of 172 steps a minute" in row.source.toolTip()
    row.pain.setValue(4)
    assert view.save() is True
    [stored] = store.activities(since=DAY, until=DAY)
    assert (stored.pain, stored.cadence_spm) == (4, 171.6)


def test_removing_an_activity_row_removes_it_on_save(view, session, store) -> None:
    session.save_day(DayLog(DAY, 2), [Activity(DAY, "walk", 2000.0), Activity(DAY, "yoga")])
    view.show_day(DAY)
    view._on_remove_button_clicked(view._rows[0])
    assert view.save() is True
    assert [a.kind for a in store.activities(since=DAY, until=DAY)] == ["yoga"]


def test_undo_after_save_restores_the_previous_entry(view, session, store) -> None:
    session.save_day(DayLog(DAY, 5, notes="before"), [Activity(DAY, "walk", 1500.0)])
    before = contents(store)
    view.show_day(DAY)
    view.pain_spin.setValue(2)
    view.notes_edit.setPlainText("after")
    view._on_remove_button_clicked(view._rows[0])
    assert view.save() is True
    assert store.day_log(DAY).pain == 2
    session.undo_stack.undo()
    assert contents(store) == before
    assert view.pain_spin.value() == 5                 # the form follows the undo
    assert view.notes_edit.toPlainText() == "before"
    session.undo_stack.redo()
    assert store.day_log(DAY).notes == "after"


def test_changing_the_date_with_unsaved_changes_asks(view, session, store) -> None:
    view.pain_spin.setValue(6)
    view.ask_unsaved = lambda title, text: "cancel"
    view.show_day(DAY)
    assert view.day == TODAY and view.date_edit.date().toPython() == TODAY
    assert view.pain_spin.value() == 6
    view.ask_unsaved = lambda title, text: "save"
    view.show_day(DAY)
    assert view.day == DAY
    assert store.day_log(TODAY).pain == 6


def test_dates_before_1990_and_after_today_are_out_of_the_pickers_range(view) -> None:
    assert view.date_edit.minimumDate().toPython() == dt.date(1990, 1, 1)
    assert view.date_edit.maximumDate().toPython() == TODAY
    view.show_day(START - dt.timedelta(days=3))
    assert "before this episode began" in view.phase_label.text()


def test_every_input_has_an_accessible_name_and_tab_follows_the_form(view) -> None:
    view._on_add_activity_button_clicked()
    inputs = [view.date_edit, view.pain_spin, view.pain_activity_spin, view.pain_morning_spin,
              view.leg_pain_spin, view.stiffness_spin, view.sleep_spin, view.heat_ice_spin,
              view.notes_edit, *view.flag_boxes.values(),
              view._rows[0].kind, view._rows[0].distance, view._rows[0].remove,
              view.save_button]
    assert all(widget.accessibleName() for widget in inputs)
    order = [view.pain_spin, view.pain_activity_spin, view.pain_morning_spin,
             view.leg_pain_spin, view.stiffness_spin, view.sleep_spin, view.heat_ice_spin,
             view.notes_edit]
    view.pain_spin.setFocus()
    for expected in order[1:]:
        view.focusNextChild()
        focused = view.focusWidget()
        assert focused is expected or focused.parent() is expected


def test_paint_runs_cleanly_in_light_and_dark(qtbot, view) -> None:
    from PySide6.QtGui import QColor, QPalette

    view.flag_boxes["fever"].setChecked(True)
    assert not view.grab().toImage().isNull()
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    view.setPalette(dark)
    label = view.errors["pain"]
    qtbot.waitUntil(lambda: label.palette().color(label.foregroundRole()).lightness() > 150)
    assert not view.grab().toImage().isNull()


def test_removing_a_red_flag_asks_with_words_and_keeps_it_by_default(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from recoverydesk.gui.logform import REMOVE_FLAG_TITLE, ask_yes_no

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append([b.text() for b in box.buttons()])
        box.defaultButton().click()

    QTimer.singleShot(20, answer)
    assert ask_yes_no(parent, REMOVE_FLAG_TITLE, "Sure?") is False
    assert sorted(seen[0]) == ["Keep it", "Remove the red flag"]


def test_duration_reads_and_types_like_a_clock(qtbot) -> None:
    from recoverydesk.gui.spinboxes import DurationSpinBox

    box = DurationSpinBox()
    qtbot.addWidget(box)
    assert box.text() == "—"
    box.setValue(75.05)  # minutes
    assert box.text() == "1:15:03"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "25:30")
    box.interpretText()
    assert box.value() == pytest.approx(25.5)
    assert box.text() == "25:30"
