"""Engine v2 in the window (DESIGN §4, §4.1, §5.1, §5.3, §5.4), over real stores and widgets:
the ladder and guide cards, the ready-to-run dialog, the dated clearance, banners by tier, the
emergency dialog, holds, the risk screen, dismissable notices, ignored actions, mark recovered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core import engine
from recoverydesk.core.explain import day_words
from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo
from recoverydesk.core.today_words import dismissed_key
from recoverydesk.gui.logform import LogView
from recoverydesk.gui.ready_dialog import ReadyDialog
from recoverydesk.gui.risk_screen import RiskScreenDialog
from recoverydesk.gui.session import Session
from recoverydesk.gui.setup import SetupDialog
from recoverydesk.gui.today import TodayView
from recoverydesk.storage.store import Store
from tests.gui.conftest import START, TODAY

pytestmark = pytest.mark.gui


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n - 1)




def today_view(qtbot, session: Session) -> TodayView:
    view = TodayView(session)
    qtbot.addWidget(view)
    view.resize(1100, 900)
    view.show()
    return view


def demo_timeline(store: Store) -> list[engine.DayStatus]:
    episode = store.load_episode()
    assert episode is not None
    return engine.replay(episode, store.rules(), TODAY)


# --- the ladder card and the guide -------------------------------------------------------------

def test_ladder_card_shows_the_stage_its_session_and_yesterday(qtbot, demo_store: Store) -> None:
    session = Session(demo_store, today=lambda: TODAY)
    view = today_view(qtbot, session)
    status = session.status()
    assert status is not None and status.phase == "run" and status.run_stage
    stage = session.content.plan.ladder[status.run_stage - 1]
    card = view.ladder_card
    assert card.isVisible()
    assert card.title.text() == f"Walk–run ladder: stage {stage.stage} of 9"
    lines = " ".join(card.lines())
    assert stage.label in lines and f"{stage.minutes} min" in lines
    assert "Log the whole walk–run session as one run with its total time" in lines
    assert "after a run with pain 3 or less" in lines.lower()
    assert status.reason("ladder") is None, "the demo's last day follows a day without a run"
    assert f"No run yesterday to judge: the ladder stays at stage {stage.stage}." in lines
    assert stage.label in view.prescription.text(), "Today prescribes the stage's session"
    assert not view.guide_card.isVisible() and not view.ready_button.isVisible()


@pytest.mark.parametrize("move, words", [("down", "went badly"), ("up", "went well"),
                                         ("layoff", "No run since")])
def test_ladder_card_judges_yesterday_in_words(qtbot, demo_store: Store, move: str,
                                               words: str) -> None:
    moved = next(s for s in demo_timeline(demo_store) if s.ladder == move)
    view = today_view(qtbot, Session(demo_store, today=lambda: moved.day))
    assert any(words in line for line in view.ladder_card.lines()), view.ladder_card.lines()
    assert view.ladder_card.title.text().endswith(f"stage {moved.run_stage} of 9")


def test_ladder_card_shows_the_runners_cadence_and_the_quicker_mark(
        qtbot, demo_store: Store) -> None:
    runs = [a for a in demo_store.activities() if a.kind == "run"]
    for activity in runs:  # as if the watch had recorded cadence: 160 steps a minute
        demo_store.save_day(demo_store.day_log(activity.day), [
            Activity(activity.day, "run", activity.distance_m, activity.duration_s,
                     activity.pain, cadence_spm=160.0)], replace_activities=False, today=TODAY)
    view = today_view(qtbot, Session(demo_store, today=lambda: TODAY))
    cadence = [line for line in view.ladder_card.lines() if "cadence" in line]
    assert cadence and "160 steps a minute" in cadence[0] and "168" in cadence[0]


# --- the ready-to-run dialog -----------------------------------------------------------------

def low_impact_day(store: Store) -> dt.date:
    """A day of the demo's second Low-impact spell, before its ready-to-run test."""
    episode = store.load_episode()
    assert episode is not None
    ready = next(a.day for a in episode.actions if a.kind == "ready")
    return ready - dt.timedelta(days=1)


def ready_actions(store: Store, on: dt.date) -> list[Action]:
    episode = store.load_episode()
    assert episode is not None
    return [a for a in episode.actions if a.kind == "ready" and a.day == on]


def test_ready_dialog_records_only_a_full_pass(qtbot, demo_store: Store) -> None:
    on = low_impact_day(demo_store)
    session = Session(demo_store, today=lambda: on)
    view = today_view(qtbot, session)
    assert session.status().phase == "low_impact"
    assert view.ready_button.isVisible()
    dialog = view.ready_dialog()
    assert isinstance(dialog, ReadyDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Did yesterday's test go well, and how is your back this morning?" in [
        label.text() for label in dialog.findChildren(type(view.heading))]
    assert "Goom, Donnelly and Brockwell 2019" in dialog.source_text.text()
    assert "not been validated for back pain" in dialog.source_text.text()
    assert len(dialog.checks) == 6 and all(box.accessibleDescription() for box in dialog.checks)
    assert not dialog.record_button.isEnabled()
    for box in dialog.checks:
        box.setChecked(True)
    assert not dialog.record_button.isEnabled(), "this morning's answer is needed too"
    dialog.morning.setChecked(True)
    assert dialog.record_button.isEnabled()

    dialog.hop_pain.setChecked(True)  # sharp pain while hopping ends the test
    assert not dialog.record_button.isEnabled()
    assert dialog.stop_text.isVisible()
    assert session.content.red_flags["bone_stress"].label in dialog.stop_text.text()
    assert not dialog.checks[4].isEnabled() and not dialog.checks[5].isEnabled()
    dialog.hop_pain.setChecked(False)

    assert ready_actions(demo_store, on) == []
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert ready_actions(demo_store, on) == [Action(on, "ready")]
    status = session.status()
    assert status is not None and status.reason("G6") is not None and status.reason("G6").ok


def test_ready_dialog_cancelled_writes_nothing(qtbot, demo_store: Store) -> None:
    on = low_impact_day(demo_store)
    session = Session(demo_store, today=lambda: on)
    dialog = ReadyDialog(session)
    qtbot.addWidget(dialog)
    for box in (*dialog.checks, dialog.morning):
        box.setChecked(True)
    dialog.reject()
    assert ready_actions(demo_store, on) == []


# --- pauses, tiers, holds and the dated clearance ----------------------------------------------

@pytest.mark.parametrize("flag, title, tier", [
    ("saddle_numbness", "Seek care now", "emergency"),
    ("weakness", "See a doctor today", "urgent"),
    ("numbness", "Book a GP or physiotherapist", "soon")])
def test_banner_follows_the_flag_tier(qtbot, session: Session, flag: str, title: str,
                                      tier: str) -> None:
    session.save_day(DayLog(TODAY, 3, red_flags=frozenset({flag})))
    view = today_view(qtbot, session)
    assert view.banner.isVisible()
    assert title in view.banner_title.text()
    assert view.banner.property("tier") == tier
    assert session.content.texts[f"banner_{tier}"] in view.banner_text.text()
    assert session.content.red_flags[flag].label in view.banner_text.text()


def test_clearance_on_the_flags_own_day_goes_on_from_the_next(qtbot, session: Session) -> None:
    session.save_day(DayLog(day(18), 3, red_flags=frozenset({"fever"})))
    view = today_view(qtbot, session)
    dialog = view.clearance_dialog()
    qtbot.addWidget(dialog)
    assert dialog.date_edit.date().toPython() == TODAY, "today by default"
    dialog.date_edit.setDate(day(18))
    assert f"goes on from {day_words(day(19))}" in dialog.goes_on.text()
    dialog.note.setPlainText("Seen by GP the same evening, cleared")
    dialog.buttons.accepted.emit()
    timeline = session.timeline()
    assert timeline[17].day == day(18) and timeline[17].event == "clearance"
    assert not timeline[17].paused and not view.banner.isVisible()


def test_a_hold_shows_and_a_clearance_ends_it(qtbot, session: Session) -> None:
    session.record_screen(frozenset({"osteoporosis"}), day(1))
    view = today_view(qtbot, session)
    status = session.status()
    assert status is not None and status.hold and not status.paused
    assert view.banner.isVisible() and view.banner.property("tier") == "hold"
    assert ("A clinician should check your back before you start running"
            in view.banner_text.text())
    assert session.content.risks["osteoporosis"].short in view.banner_text.text()
    dialog = view.clearance_dialog()
    qtbot.addWidget(dialog)
    dialog.note.setPlainText("GP: bone density fine, cleared to run")
    dialog.buttons.accepted.emit()
    assert not session.status().hold
    assert not view.banner.isVisible()


def test_a_check_first_answer_pauses_and_names_its_reason(qtbot, session: Session) -> None:
    session.record_screen(frozenset({"cancer_history"}), day(1))
    view = today_view(qtbot, session)
    assert session.status().paused
    assert view.banner.property("tier") == "screen"
    assert session.content.texts["banner_screen"] in view.banner_text.text()
    assert session.content.risks["cancer_history"].short in view.banner_text.text()


def test_ticking_an_emergency_flag_opens_a_dialog_at_once(qtbot, session: Session) -> None:
    session.save_day(DayLog(day(19), 2, red_flags=frozenset({"bladder_bowel"})))
    form = LogView(session)
    qtbot.addWidget(form)
    alarms: list[tuple[str, str]] = []
    form.alarm = lambda title, text: alarms.append((title, text))
    form.flag_boxes["numbness"].setChecked(True)
    assert alarms == [], "a 'soon' flag shows its advice, not a dialog"
    form.flag_boxes["saddle_numbness"].setChecked(True)
    assert len(alarms) == 1
    assert "Go to an emergency department now or call your local emergency number" in (
        alarms[0][1])
    form.ask_unsaved = lambda title, text: "discard"
    form.show_day(day(19))  # loading a stored emergency flag does not raise the alarm again
    assert len(alarms) == 1


# --- the risk screen -------------------------------------------------------------------------

def test_setup_asks_the_risk_screen_in_its_words(qtbot) -> None:
    dialog = SetupDialog(TODAY)
    qtbot.addWidget(dialog)
    screen = dialog.risk_screen
    assert screen.intro.text().startswith("This doesn't mean something is wrong")
    assert len(screen.boxes) == 7
    assert all(box.accessibleDescription().startswith("Why we ask:")
               for box in screen.boxes.values())
    assert dialog.risks() == frozenset()
    screen.boxes["steroids"].setChecked(True)
    assert dialog.risks() == frozenset({"steroids"})


def test_preferences_record_the_whole_screen_when_an_answer_changes(
        qtbot, store: Store, session: Session) -> None:
    store.add_action(Action(START, "screen", risks=frozenset({"energy"})), today=TODAY)
    session.reload()
    dialog = RiskScreenDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.questions.boxes["energy"].isChecked()
    dialog._on_buttons_accepted()  # no change: nothing new is stored
    assert [a.day for a in store.load_episode().actions if a.kind == "screen"] == [START]

    dialog = RiskScreenDialog(session)
    qtbot.addWidget(dialog)
    dialog.questions.boxes["age_onset"].setChecked(True)
    dialog._on_buttons_accepted()
    screens = [a for a in store.load_episode().actions if a.kind == "screen"]
    assert screens[-1] == Action(TODAY, "screen", risks=frozenset({"energy", "age_onset"}))


# --- notices, ignored actions ----------------------------------------------------------------

def test_a_notice_can_be_dismissed_for_good(qtbot, store: Store) -> None:
    last = day(28)  # the first day the notice's condition holds (§5.1: from day 28)
    for n in range(1, 29):
        store.save_day(DayLog(day(n), 6, pain_morning=6), today=last)
    session = Session(store, today=lambda: last)
    status = session.status()
    assert status is not None and status.notices, "pain 6 for a month raises a notice"
    view = today_view(qtbot, session)
    box = view.notice_box
    assert box.isVisible()
    notice = status.notices[0]
    assert box.texts[notice.id] == notice.detail
    qtbot.mouseClick(box.buttons[notice.id], Qt.MouseButton.LeftButton)
    assert notice.id not in box.texts
    assert store.setting(dismissed_key(notice.id)) is True
    again = today_view(qtbot, Session(store, today=lambda: last))
    assert notice.id not in again.notice_box.texts


def test_an_ignored_advance_is_said(qtbot, store: Store, session: Session) -> None:
    store.add_action(Action(day(2), "advance"), today=TODAY)  # the gate was never open then
    session.reload()
    assert session.timeline()[1].ignored_advance
    view = today_view(qtbot, session)
    assert view.warnings.isVisible()
    assert f"Your advance of {day_words(day(2))} no longer holds" in view.warnings.text()


# --- full training: the guide and "mark recovered" -----------------------------------------------

def steady_recovery(store: Store, start: dt.date, days: int) -> dt.date:
    """Log a pain-free recovery day by day as a runner would, advancing when the gate opens and
    passing the ready-to-run test in low_impact; the last day."""
    far = start + dt.timedelta(days=days)
    current = start
    for _ in range(days):
        episode = store.load_episode()
        assert episode is not None
        status = engine.status_on(episode, store.rules(), current)
        acts = {"rest": [], "walk": [Activity(current, "walk", 3000.0, 1800.0, 0)],
                "low_impact": [Activity(current, "swim", 1200.0, 1800.0, 0)],
                }.get(status.phase)
        if acts is None:  # run and full: run every day the ladder allows, at its length
            minutes = store.rules().ladder_minutes[(status.run_stage or 9) - 1]
            acts = [Activity(current, "run", minutes * 160.0, minutes * 60.0, 0)]
        store.save_day(DayLog(current, 0, pain_morning=0), acts, today=far)
        if status.phase == "low_impact":
            store.add_action(Action(current, "ready"), today=far)
        episode = store.load_episode()
        assert episode is not None
        if engine.check_advance(episode, store.rules(), current, far).accepted:
            store.add_action(Action(current, "advance"), today=far)
        current += dt.timedelta(days=1)
    return current - dt.timedelta(days=1)


@pytest.fixture
def steady(qtbot, tmp_path) -> Iterator[tuple[Store, Session]]:  # noqa: ARG001 - Qt app
    """Seventy days of ``steady_recovery`` from START, and a Session on the last of them."""
    store = Store.open(tmp_path / "steady")
    try:
        store.start_episode(EpisodeInfo(START, baseline_weekly_m=30_000.0), today=START)
        last = steady_recovery(store, START, 70)
        yield store, Session(store, today=lambda: last)
    finally:
        store.close()


def test_full_training_shows_the_guide_and_offers_recovered(qtbot, steady) -> None:
    store, session = steady
    status = session.status()
    assert status is not None and status.phase == "full" and status.offer_recovered
    view = today_view(qtbot, session)
    guide = status.guide
    assert guide is not None and view.guide_card.isVisible()
    assert view.guide_card.title.text().startswith(f"This week's guide (week {guide.block + 1}")
    assert any("run so far" in line for line in view.guide_card.lines())
    assert view.recovered_button.isVisible()
    view.confirm = lambda box: True
    qtbot.mouseClick(view.recovered_button, Qt.MouseButton.LeftButton)
    assert store.current_episode() is None, "closed"
    kept = store.episodes()
    assert len(kept) == 1 and kept[0].start == START, "and kept"
    assert store.load_episode(kept[0]) is not None
    assert "Welcome" in view.heading.text()


def test_weekly_chart_draws_the_guide_of_full_training(qtbot, steady) -> None:
    """§5.4/§6: the weekly mileage chart draws each 7-day block's guide in `full`."""
    from recoverydesk.gui.charts import WeeklyMileageChart, build_chart_data

    _store, session = steady
    data = build_chart_data(session)
    assert data is not None and data.guides
    blocks = {s.guide.first_day: s.guide.guide_m for s in session.timeline()
              if s.guide is not None}
    assert dict(data.guides) == blocks
    chart = WeeklyMileageChart()
    qtbot.addWidget(chart)
    chart.set_series(data)
    xs, ys = chart.guide_line.getData()
    drawn = [y for y in ys if y == y]
    assert drawn == [m / 1000 for m in blocks.values() for _ in (0, 1)]


def test_first_run_records_the_screen_on_the_start_date(qtbot, tmp_path, monkeypatch) -> None:
    """§4.1: the setup's answers are one screen, recorded on the episode's start date."""
    from recoverydesk import app
    from recoverydesk.gui import setup

    started = TODAY - dt.timedelta(days=5)

    def answer(dialog: SetupDialog) -> None:
        dialog.start.setDate(started)
        dialog.risk_screen.boxes["osteoporosis"].setChecked(True)
        dialog.begin_button.click()

    monkeypatch.setattr(setup.SetupDialog, "exec", lambda self: answer(self))
    store = app.first_run(Store.open(tmp_path / "data"), TODAY)
    assert store is not None
    try:
        episode = store.load_episode()
        assert episode is not None
        assert [a for a in episode.actions if a.kind == "screen"] == [
            Action(started, "screen", risks=frozenset({"osteoporosis"}))]
        assert engine.status_on(episode, store.rules(), TODAY).hold
    finally:
        store.close()


def test_an_ignored_clearance_is_said(qtbot, store: Store, session: Session) -> None:
    """A clearance stored while paused, then the red flag removed: it no longer holds."""
    store.save_day(DayLog(day(18), 3, red_flags=frozenset({"fever"})), today=TODAY)
    store.add_action(Action(day(18), "clearance", "GP: fine"), today=TODAY)
    store.save_day(DayLog(day(18), 3), today=TODAY)  # the flag was ticked by mistake
    session.reload()
    assert session.timeline()[17].ignored_clearance
    view = today_view(qtbot, session)
    assert f"Your clearance of {day_words(day(18))} no longer holds" in view.warnings.text()
