"""The Today view over a real store: heading, ticks, gate and Advance, red flags, quick pain."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from recoverydesk.core.model import Activity, DayLog
from recoverydesk.gui.session import Session
from recoverydesk.gui.today import TodayView
from recoverydesk.storage.store import Store
from tests.gui.conftest import START, TODAY

pytestmark = pytest.mark.gui


def day(n: int) -> dt.date:
    """The n-th day of the episode (1 = the start)."""
    return START + dt.timedelta(days=n - 1)


VIEW = TodayView
VIEW_SIZE = (1000, 900)


def test_heading_shows_phase_and_day(view: TodayView) -> None:
    # Nothing logged since the start: still Rest, on day 20 of at least 3.
    assert view.heading.text().startswith("Rest — day 20")
    assert "3" in view.heading.text()


def test_heading_counts_days_in_the_phase(qtbot, store: Store) -> None:
    session = Session(store, today=lambda: day(3))
    widget = TodayView(session)
    qtbot.addWidget(widget)
    assert widget.heading.text() == "Rest — day 3 of at least 3"


def test_tick_survives_a_restart(qtbot, view: TodayView, session: Session, store: Store) -> None:
    item = session.content.plan.phase("rest").checklist[0].id
    qtbot.mouseClick(view.checkbox(item), Qt.MouseButton.LeftButton)
    assert view.checkbox(item).isChecked()
    path = store.data_dir
    store.close()
    reopened = Store.open(path)
    try:
        again = TodayView(Session(reopened, today=lambda: TODAY))
        qtbot.addWidget(again)
        assert again.checkbox(item).isChecked()
        other = session.content.plan.phase("rest").checklist[1].id
        assert not again.checkbox(other).isChecked()
    finally:
        reopened.close()


def test_advance_enabled_by_three_good_days_then_moves_to_walk(
        qtbot, view: TodayView, session: Session) -> None:
    assert not view.advance_button.isEnabled()
    assert view.gate_summary.text().startswith("Still needed")
    for n in (18, 19):
        session.save_day(DayLog(day(n), 2, pain_morning=2))
    assert not view.advance_button.isEnabled()
    assert "1 more logged day" in view.gate_summary.text()
    session.save_day(DayLog(day(20), 2, pain_morning=2))
    assert view.advance_button.isEnabled()
    assert "gate is open" in view.gate_summary.text()

    asked: list[QMessageBox] = []

    def confirm(box: QMessageBox) -> bool:
        asked.append(box)
        return True

    view.confirm = confirm
    qtbot.mouseClick(view.advance_button, Qt.MouseButton.LeftButton)
    assert asked and "Walk" in asked[0].text()
    assert session.content.plan.phase("rest").advance_hint in asked[0].informativeText()
    status = session.status()
    assert status is not None and status.next_phase == "walk"
    assert not view.advance_button.isEnabled()
    assert "Walk starts tomorrow" in view.gate_summary.text()


def test_advance_not_taken_when_confirmation_declined(view: TodayView, session: Session) -> None:
    for n in (18, 19, 20):
        session.save_day(DayLog(day(n), 1))
    view.confirm = lambda box: False
    view.advance_button.click()
    status = session.status()
    assert status is not None and status.next_phase == "rest"


def test_red_flag_shows_banner_and_clearance_lifts_it(
        qtbot, store: Store, session: Session) -> None:
    session.save_day(DayLog(day(19), 3, red_flags=frozenset({"radiating_pain"})))
    view = TodayView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.banner.isVisible()
    assert "paused" in view.heading.text()
    assert session.content.red_flags["radiating_pain"].label in view.banner_text.text()
    assert not view.advance_button.isEnabled()

    dialog = view.clearance_dialog()
    qtbot.addWidget(dialog)
    dialog.note.setPlainText("Seen by GP, cleared")
    with qtbot.waitSignal(session.data_changed):
        dialog.buttons.accepted.emit()
    assert not view.banner.isVisible()
    assert "paused" not in view.heading.text()


def test_emergency_flag_says_seek_care_now(qtbot, session: Session) -> None:
    session.save_day(DayLog(TODAY, 5, red_flags=frozenset({"saddle_numbness"})))
    view = TodayView(session)
    qtbot.addWidget(view)
    view.show()
    assert "Seek care now" in view.banner_title.text()
    assert session.content.texts["banner_emergency"].split(".")[0] in view.banner_text.text()


def test_clearance_needs_a_note(qtbot, session: Session) -> None:
    session.save_day(DayLog(day(19), 3, red_flags=frozenset({"fever"})))
    view = TodayView(session)
    qtbot.addWidget(view)
    dialog = view.clearance_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.setPlainText("   ")
    dialog.buttons.accepted.emit()
    assert dialog.error.isVisible()
    assert "few words" in dialog.error.text()
    assert dialog.isVisible()
    status = session.status()
    assert status is not None and status.paused


def test_quick_pain_saves_and_shows(qtbot, view: TodayView, session: Session, store) -> None:
    view.pain_spin.setValue(4)
    qtbot.mouseClick(view.pain_save, Qt.MouseButton.LeftButton)
    log = store.day_log(TODAY)
    assert log is not None and log.pain == 4
    assert "4" in view.pain_status.text()


def test_quick_pain_keeps_the_rest_of_the_entry(view: TodayView, session: Session, store) -> None:
    session.save_day(DayLog(TODAY, 5, pain_activity=3, pain_morning=4, sleep_hours=7.5,
                            notes="stiff"), [Activity(TODAY, "walk", 2000.0, 1500.0, 3)])
    assert view.pain_spin.value() == 5
    view.save_pain(2)
    log = store.day_log(TODAY)
    assert log == DayLog(TODAY, 2, 3, 4, sleep_hours=7.5, notes="stiff")
    assert len(store.activities(since=TODAY, until=TODAY)) == 1


def test_pairing_line_pairs_yesterday_with_this_morning(view: TodayView,
                                                        session: Session) -> None:
    assert "Yesterday: nothing logged" in view.pairing.text()
    yesterday = TODAY - dt.timedelta(days=1)
    session.save_day(DayLog(yesterday, 2), [Activity(yesterday, "walk", None, 25 * 60.0, 2)])
    assert "this morning's pain is not logged" in view.pairing.text()
    session.save_day(DayLog(TODAY, 2, pain_morning=2))
    assert view.pairing.text() == "Yesterday: walk 25:00, pain 2 → this morning 2"


def test_exercise_link_emits_its_id(qtbot, view: TodayView, session: Session) -> None:
    item = next(i for i in session.content.plan.phase("rest").checklist if i.exercise)
    buttons = [b for b in view.checklist_box.findChildren(type(view.pain_save))
               if b.accessibleName() == f"How to do: {item.text}"]
    with qtbot.waitSignal(view.exercise_requested) as blocker:
        buttons[0].click()
    assert blocker.args == [item.exercise]


def test_controls_have_accessible_names(view: TodayView) -> None:
    for widget in (view.pain_spin, view.pain_save, view.advance_button, view.clearance_button,
                   *view._checkboxes.values()):
        assert widget.accessibleName()


def test_check_in_starts_empty_so_save_records_nothing(qtbot, view: TodayView,
                                                       store: Store) -> None:
    """A hurried click on Save must not log "no pain" (issue #13)."""
    assert view.pain_spin.text() == "—"
    assert view.morning_spin.text() == "—"
    qtbot.mouseClick(view.pain_save, Qt.MouseButton.LeftButton)
    assert store.day_log(TODAY) is None
    assert "choose your pain now" in view.pain_status.text()
    assert view.pain_spin.hasFocus() or not view.isActiveWindow()


def test_check_in_saves_pain_and_morning_pain_and_says_pain_for_the_day(
        qtbot, view: TodayView, session: Session, store: Store) -> None:
    session.save_day(DayLog(TODAY - dt.timedelta(days=1), 1))
    view.pain_spin.setValue(3)
    view.morning_spin.setValue(5)
    qtbot.mouseClick(view.pain_save, Qt.MouseButton.LeftButton)
    log = store.day_log(TODAY)
    assert log is not None and (log.pain, log.pain_morning) == (3, 5)
    # One meaning: the day's pain is the worst logged (§3), and Today says which it is.
    assert "pain now 3" in view.pain_status.text()
    assert "Pain for the day: 5" in view.pain_status.text()


def test_check_in_keeps_what_the_runner_is_typing_when_something_else_saves(
        view: TodayView, session: Session) -> None:
    view.pain_spin.setValue(4)
    item = session.content.plan.phase("rest").checklist[0].id
    session.set_tick(TODAY, item, True)  # reloads Today
    assert view.pain_spin.value() == 4


def test_gate_marks_take_the_colours_of_a_new_palette(view: TodayView) -> None:
    from recoverydesk.app import dark_palette

    row = next(label for label in view.gate_rows.values() if label.isVisibleTo(view))
    light = row.text()
    view.setPalette(dark_palette())
    dark = row.text()
    assert dark != light  # ✓ and ✗ in the dark palette's lighter green and red
    assert ("#81c784" in dark) or ("#ef9a9a" in dark)


def test_todays_text_can_be_selected_once_the_first_frame_is_painted(qtbot,
                                                                     view: TodayView) -> None:
    selectable = Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.waitUntil(lambda: bool(view.heading.textInteractionFlags() & selectable))
    for label in (view.summary, view.pairing, view.pain_status, view.gate_summary):
        assert label.textInteractionFlags() & selectable
    assert not view.pain_label.textInteractionFlags() & selectable  # a field's name, not text
