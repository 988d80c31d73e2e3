"""Guided mode (recoverydesk/gui/guided.py): countdowns, reps, keys, recording, offscreen."""

from __future__ import annotations

import pathlib

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core.exercises import Dose
from recoverydesk.gui.guided import HOLD_REST_S, SET_REST_S, GuidedSession, Step, steps_for
from recoverydesk.storage.store import Store
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.gui

ROUTINE = ["knee_to_chest", "pelvic_tilt", "cat_cow"]  # hold 20 s × 3; 2 × 10; 2 × 8 in rest


def make(qtbot, session, ids=ROUTINE, phase="rest", tick_ms=1,
         phase_day=None) -> GuidedSession:
    guided = GuidedSession(session, ids, phase, tick_ms=tick_ms, phase_day=phase_day)
    qtbot.addWidget(guided)
    return guided


def done_today(session) -> dict[str, int]:
    return session.exercises_done(TODAY, TODAY).get(TODAY, {})


# --- steps from a dose ----------------------------------------------------------------------

def test_sets_become_counted_sets_with_rests_between() -> None:
    assert steps_for(Dose(sets=2, reps=10, rest_s=45)) == [
        Step("reps", reps=10, number=1, of=2), Step("rest", seconds=45, number=2, of=2),
        Step("reps", reps=10, number=2, of=2)]


def test_holds_become_countdowns_with_a_default_short_rest() -> None:
    steps = steps_for(Dose(hold_s=20, reps=3))
    assert [s.kind for s in steps] == ["hold", "rest", "hold", "rest", "hold"]
    assert steps[0].seconds == 20 and steps[1].seconds == HOLD_REST_S


def test_default_rest_between_sets_and_single_set() -> None:
    assert steps_for(Dose(sets=2, reps=5))[1].seconds == SET_REST_S
    assert steps_for(Dose(sets=1, reps=12)) == [Step("reps", reps=12)]


def test_minutes_become_one_timer_and_no_dose_is_free() -> None:
    assert steps_for(Dose(minutes=20)) == [Step("timer", seconds=1200)]
    assert steps_for(None) == [Step("free")]


# --- holds ------------------------------------------------------------------------------------

def test_hold_waits_for_space_then_counts_down(qtbot, session) -> None:
    guided = make(qtbot, session, tick_ms=20)
    assert guided.step.kind == "hold"
    assert guided.remaining_s == 20 and not guided.is_running
    assert guided.big_label.text() == "20 s"
    assert "Start" in guided.primary_button.text()
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert guided.is_running
    qtbot.waitUntil(lambda: guided.remaining_s <= 17)
    assert guided.big_label.text() == f"{guided.remaining_s} s"
    assert done_today(session) == {}


def test_hold_runs_through_rests_and_records_on_today(qtbot, session) -> None:
    guided = make(qtbot, session, ids=["knee_to_chest"], tick_ms=5)
    seen: list[str] = []
    ended: list[tuple[str, ...]] = []
    guided.exercise_recorded.connect(seen.append)
    guided.ended.connect(ended.append)
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: guided.step.kind == "rest")
    qtbot.waitUntil(lambda: guided.step.kind == "hold" and guided.step.number == 2)
    assert guided.is_running  # the next hold starts by itself after the rest
    qtbot.waitUntil(lambda: guided.is_finished, timeout=5000)
    assert ended == [("knee_to_chest",)]
    assert seen == ["knee_to_chest"]
    assert done_today(session) == {"knee_to_chest": 1}
    assert "complete" in guided.summary_title.text()


def test_space_pauses_and_resumes(qtbot, session) -> None:
    guided = make(qtbot, session, tick_ms=10)
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: guided.remaining_s < 20)
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert not guided.is_running
    paused_at = guided.remaining_s
    assert "Resume" in guided.primary_button.text()
    assert guided.detail_label.text().startswith("Paused")
    qtbot.wait(60)  # the event loop runs; a paused countdown must not move
    assert guided.remaining_s == paused_at
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert guided.is_running
    qtbot.waitUntil(lambda: guided.remaining_s < paused_at)


# --- reps ---------------------------------------------------------------------------------

def test_reps_are_counted_then_rest_then_the_next_set(qtbot, session) -> None:
    guided = make(qtbot, session, ids=["pelvic_tilt"])
    assert guided.step == Step("reps", reps=10, number=1, of=2)
    for _ in range(9):
        qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert guided.reps_done == 9 and guided.big_label.text() == "9 / 10"
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert guided.step.kind == "rest" and guided.is_running
    assert guided.context_button.text() == "Skip rest"
    qtbot.waitUntil(lambda: guided.step.kind == "reps")
    assert guided.step.number == 2 and guided.reps_done == 0
    qtbot.mouseClick(guided.context_button, Qt.MouseButton.LeftButton)  # "Set done"
    assert guided.is_finished
    assert done_today(session) == {"pelvic_tilt": 1}


def test_skip_rest_goes_straight_to_the_next_set(qtbot, session) -> None:
    guided = make(qtbot, session, ids=["pelvic_tilt"], tick_ms=1000)
    qtbot.mouseClick(guided.context_button, Qt.MouseButton.LeftButton)  # set 1 done
    assert guided.step.kind == "rest"
    qtbot.mouseClick(guided.context_button, Qt.MouseButton.LeftButton)  # skip rest
    assert guided.step == Step("reps", reps=10, number=2, of=2)


# --- minutes ------------------------------------------------------------------------------

def test_timer_can_be_finished_early_and_counts_as_done(qtbot, session) -> None:
    guided = make(qtbot, session, ids=["brisk_walking", "glute_bridge"], phase="walk",
                  tick_ms=1000, phase_day=3)
    assert guided.step.kind == "timer" and guided.big_label.text() == "20:00"
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    assert guided.is_running
    assert guided.context_button.text() == "Finish early"
    qtbot.mouseClick(guided.context_button, Qt.MouseButton.LeftButton)
    assert guided.current_exercise_id == "glute_bridge"
    assert "Brisk walking recorded" in guided.message_label.text()
    assert done_today(session) == {"brisk_walking": 1}


@pytest.mark.parametrize("day", [1, 5])
def test_timer_lasts_what_the_calendar_says_that_day(qtbot, session, day) -> None:
    """Walk day 1 says "walk 10 min", day 5 "walk 30 min": guided mode times the same."""
    label = session.content.plan.phase("walk").prescription_for(day).label
    guided = make(qtbot, session, ids=["brisk_walking"], phase="walk", phase_day=day)
    minutes = int(label.split()[1])
    assert guided.big_label.text() == f"{minutes}:00"
    assert guided.dose_label.text() == f"{minutes} min"


# --- moving around ----------------------------------------------------------------------------

def test_right_moves_to_the_next_exercise_without_recording(qtbot, session) -> None:
    guided = make(qtbot, session)
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert guided.current_index == 1 and guided.current_exercise_id == "pelvic_tilt"
    assert not guided.is_running
    assert done_today(session) == {}
    qtbot.keyClick(guided, Qt.Key.Key_Left)
    assert guided.current_exercise_id == "knee_to_chest"
    assert guided.remaining_s == 20 and not guided.is_running


def test_right_on_the_last_exercise_finishes(qtbot, session) -> None:
    guided = make(qtbot, session, ids=["cat_cow"])
    assert guided.next_button.text().startswith("Finish")
    qtbot.keyClick(guided, Qt.Key.Key_Right)
    assert guided.is_finished and guided.recorded() == ()
    assert "0 of 1 exercises recorded" in guided.summary_label.text()


def test_mark_done_ticks_it_off_and_moves_on(qtbot, session) -> None:
    guided = make(qtbot, session)
    qtbot.mouseClick(guided.done_button, Qt.MouseButton.LeftButton)
    assert guided.current_exercise_id == "pelvic_tilt"
    assert done_today(session) == {"knee_to_chest": 1}


def test_stop_ends_without_recording_the_unfinished_one(qtbot, session) -> None:
    guided = make(qtbot, session, tick_ms=10)
    qtbot.mouseClick(guided.done_button, Qt.MouseButton.LeftButton)  # knee_to_chest done
    qtbot.keyClick(guided, Qt.Key.Key_Space)  # a rep of pelvic tilt, then stop
    with qtbot.waitSignal(guided.ended) as ended:
        qtbot.keyClick(guided, Qt.Key.Key_Escape)
    assert ended.args == [("knee_to_chest",)]
    assert guided.is_finished and not guided.is_running
    assert done_today(session) == {"knee_to_chest": 1}
    assert guided.summary_title.text() == "Session stopped."
    summary = guided.summary_label.text()
    assert "1 of 3 exercises recorded" in summary
    assert "Pelvic tilt: not done" in summary
    qtbot.keyClick(guided, Qt.Key.Key_Space)  # keys after the end change nothing
    assert done_today(session) == {"knee_to_chest": 1}


def test_stop_button_and_summary_dismissal(qtbot, session) -> None:
    guided = make(qtbot, session)
    qtbot.mouseClick(guided.stop_button, Qt.MouseButton.LeftButton)
    assert guided.is_finished
    with qtbot.waitSignal(guided.dismissed):
        qtbot.mouseClick(guided.back_button, Qt.MouseButton.LeftButton)


def test_guided_done_mark_survives_a_restart(qtbot, session, store: Store,
                                             tmp_path: pathlib.Path) -> None:
    from recoverydesk.gui.session import Session

    guided = make(qtbot, session, ids=["knee_to_chest"])
    qtbot.keyClick(guided, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: guided.is_finished, timeout=5000)
    store.close()
    reopened = Store.open(tmp_path / "data")
    try:
        again = Session(reopened, today=lambda: TODAY)
        assert again.exercises_done(TODAY, TODAY) == {TODAY: {"knee_to_chest": 1}}
    finally:
        reopened.close()


def test_an_empty_session_is_refused(qtbot, session) -> None:
    with pytest.raises(ValueError):
        GuidedSession(session, [], "rest")


def test_summary_counts_an_exercise_done_earlier_today(qtbot, session) -> None:
    """Issue #13: the summary said "not done" for an exercise already marked done."""
    session.set_exercise_done(TODAY, "cat_cow")
    guided = make(qtbot, session, ids=["cat_cow"])
    qtbot.keyClick(guided, Qt.Key.Key_Right)  # skip it in this session
    summary = guided.summary_label.text()
    assert "not done" not in summary
    assert "already done earlier today" in summary
    assert "1 of 1 exercises recorded" in summary
