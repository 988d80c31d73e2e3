"""The Exercises view (recoverydesk/gui/exercises.py) over a real store, offscreen."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core.exercises import load_library
from recoverydesk.gui.exercises import ExercisesView
from recoverydesk.storage.store import Store
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.gui

REST_IDS = {e.id for e in load_library().filter(phase="rest")}


def VIEW(session) -> ExercisesView:  # noqa: N802 - the name tests/gui/conftest.py looks up
    return ExercisesView(session, tick_ms=1)


def listed(view: ExercisesView) -> list[str]:
    return view.model.ids()


def choose(combo, data: str | None) -> None:
    """Pick a combo entry the way a user does (activated is what the view listens to)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_opens_on_the_current_phase(view: ExercisesView) -> None:
    assert view.phase_combo.currentData() == "rest"
    assert view.phase_combo.currentText() == "Rest (now)"
    assert set(listed(view)) == REST_IDS


def test_phase_filter_narrows_and_widens(view: ExercisesView) -> None:
    choose(view.phase_combo, None)
    everything = listed(view)
    assert len(everything) == len(load_library())
    choose(view.phase_combo, "run")
    run = listed(view)
    assert 0 < len(run) < len(everything)
    assert all("run" in load_library().get(i).phases for i in run)


def test_target_filter_narrows(view: ExercisesView) -> None:
    choose(view.phase_combo, None)
    view.target_combo.setCurrentIndex(view.target_combo.findData("calves"))
    calves = listed(view)
    assert calves and len(calves) < len(load_library())
    assert all("calves" in load_library().get(i).targets for i in calves)
    choose(view.phase_combo, "rest")  # both filters at once
    assert set(listed(view)) == {i for i in calves if i in REST_IDS}


def test_search_narrows_by_name(view: ExercisesView) -> None:
    choose(view.phase_combo, None)
    view.search_edit.setText("BRIDGE")
    assert listed(view) == [e.id for e in load_library().filter(text="bridge")]
    assert set(listed(view)) >= {"glute_bridge", "single_leg_glute_bridge"}
    assert view.selected_exercise() in listed(view)


def test_no_match_says_so_calmly(view: ExercisesView) -> None:
    view.search_edit.setText("zumba")
    assert listed(view) == []
    assert view.empty_label.isVisibleTo(view)
    assert "No exercise matches “zumba”" in view.empty_label.text()
    assert "All phases" in view.empty_label.text()
    assert view.selected_exercise() is None
    view.search_edit.clear()
    assert not view.empty_label.isVisibleTo(view)
    assert set(listed(view)) == REST_IDS


def test_rows_and_detail_show_the_dose_for_the_current_phase(view: ExercisesView) -> None:
    row = view.model.row_of("cat_cow")
    assert view.model.index(row).data(view.model.DOSE_ROLE) == "2 × 8"
    view.show_exercise("cat_cow")
    assert view.name_label.text() == "Cat–cow"
    assert view.dose_label.text() == "Today: 2 × 8"
    assert "Rest 30 s between sets" in view.dose_note.text()
    assert view.illustration.has_drawing()
    assert "Kneel on all fours" in view.steps_label.text()
    assert view.cautions_label.text().startswith("<b>Take care</b>")


def test_detail_names_the_phase_of_another_dose(view: ExercisesView) -> None:
    view.show_exercise("cat_cow")
    choose(view.phase_combo, "walk")
    assert view.selected_exercise() == "cat_cow"
    assert view.dose_label.text() == "In Walk: 2 × 10"
    assert "Today, in Rest: 2 × 8" in view.dose_note.text()


def test_exercise_outside_the_phase_shows_its_next_phase_dose(view: ExercisesView) -> None:
    view.show_exercise("plank")
    assert view.dose_label.text() == "In Low-impact: hold 20 s × 3"
    assert "Not part of Rest, your phase now." in view.dose_note.text()


def test_mark_done_records_today_and_updates(qtbot, view: ExercisesView, session, store) -> None:
    view.show_exercise("pelvic_tilt")
    assert view.done_label.text() == "Not done yet today."
    with qtbot.waitSignal(session.data_changed):
        qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert store.exercises_done(TODAY, TODAY) == {TODAY: {"pelvic_tilt": 1}}
    assert view.done_label.text() == "✓ Done once today."
    assert view.week_label.text() == "This week: 1 of 7 days"
    assert view.model.index(view.model.row_of("pelvic_tilt")).data(view.model.DONE_ROLE) == 1
    assert "(1 done today)" in view.routine_detail.text()
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    assert view.done_label.text() == "✓ Done twice today."
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert store.exercises_done(TODAY, TODAY) == {}
    assert view.done_label.text() == "Not done yet today."


def test_week_adherence_counts_days(qtbot, session, store) -> None:
    for days_ago in (0, 1, 3, 6, 7, 12):
        store.set_exercise_done(TODAY - dt.timedelta(days=days_ago), "cat_cow", True)
    view = ExercisesView(session)
    qtbot.addWidget(view)
    view.show_exercise("cat_cow")
    assert view.week_label.text() == "This week: 4 of 7 days"


def test_done_mark_survives_a_restart(qtbot, view: ExercisesView, store: Store,
                                      tmp_path: pathlib.Path) -> None:
    from recoverydesk.gui.session import Session

    view.show_exercise("knee_to_chest")
    qtbot.mouseClick(view.done_button, Qt.MouseButton.LeftButton)
    store.close()
    reopened = Store.open(tmp_path / "data")
    try:
        again = ExercisesView(Session(reopened, today=lambda: TODAY))
        qtbot.addWidget(again)
        again.show_exercise("knee_to_chest")
        assert again.done_label.text() == "✓ Done once today."
        assert again.week_label.text() == "This week: 1 of 7 days"
    finally:
        reopened.close()


def test_show_exercise_selects_it_and_loosens_filters(view: ExercisesView) -> None:
    view.search_edit.setText("cat")
    view.target_combo.setCurrentIndex(view.target_combo.findData("lower_back"))
    view.show_exercise("calf_stretch")  # not in rest, not lower back, not "cat"
    assert view.selected_exercise() == "calf_stretch"
    assert view.list_view.currentIndex().data(view.model.ID_ROLE) == "calf_stretch"
    assert view.search_edit.text() == ""
    assert view.phase_combo.currentData() is None
    assert view.target_combo.currentData() is None
    assert view.name_label.text() == "Wall calf stretch"


def test_show_exercise_keeps_filters_that_already_show_it(view: ExercisesView) -> None:
    view.show_exercise("pelvic_clock")
    assert view.phase_combo.currentData() == "rest"
    assert view.list_view.currentIndex().data(view.model.ID_ROLE) == "pelvic_clock"


def test_todays_routine_is_prescription_then_checklist(view: ExercisesView) -> None:
    assert view.todays_exercise_ids() == ["knee_to_chest", "pelvic_tilt", "cat_cow",
                                          "pelvic_clock"]
    assert view.routine_title.text() == "Today's routine · Rest, day 20"


def test_guided_session_runs_inside_the_view(qtbot, view: ExercisesView, session) -> None:
    with qtbot.waitSignal(view.guided_started) as started:
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert started.args == [view.todays_exercise_ids()]
    guided = view.guided_session()
    assert guided is not None and guided.current_exercise_id == "knee_to_chest"
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: guided.current_exercise_id == "pelvic_tilt")
    qtbot.keyClick(guided, Qt.Key.Key_Escape)  # stop
    assert guided.is_finished
    with qtbot.waitSignal(view.guided_ended):
        qtbot.keyClick(guided, Qt.Key.Key_Escape)  # leave the summary
    assert view.guided_session() is None
    view.show_exercise("knee_to_chest")
    assert view.done_label.text() == "✓ Done once today."


def test_list_model_passes_the_model_tester(qtmodeltester, view: ExercisesView) -> None:
    qtmodeltester.check(view.model, force_py=True)
    view.search_edit.setText("stretch")
    qtmodeltester.check(view.model, force_py=True)
