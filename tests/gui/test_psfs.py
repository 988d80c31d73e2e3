"""The PSFS card on Today: naming activities, the weekly prompt, rename and retire (§3.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from recoverydesk.core.outcomes import texts
from recoverydesk.gui.psfs_activities import PsfsActivitiesDialog
from recoverydesk.gui.session import Session
from recoverydesk.gui.today import TodayView

from .conftest import TODAY, show_view

pytestmark = pytest.mark.gui
FIRST = dt.date(2026, 3, 10)


@pytest.fixture
def clock():
    return {"today": TODAY}


@pytest.fixture
def session(qtbot, store, clock):  # noqa: ARG001 - qtbot makes sure a QApplication exists
    return Session(store, today=lambda: clock["today"])


def today_view(qtbot, session) -> TodayView:
    return show_view(qtbot, TodayView(session), (1200, 900))


def three_scored(store) -> list[int]:
    """Three activities named and scored 2, 5 and 3 on FIRST; their ids, in that order."""
    store.add_psfs_activities(["run 5 km easy", "sit through a meeting", "lift my child"],
                              FIRST, today=TODAY)
    ids = [a.id for a in store.psfs_activities()]
    store.save_psfs(FIRST, dict(zip(ids, (2, 5, 3), strict=True)), today=TODAY)
    return ids


def test_first_time_asks_for_three_to_five_activities(qtbot, session, store) -> None:
    card = today_view(qtbot, session).psfs_card
    assert card.face() == "setup"
    assert len(card.name_edits) == 5
    qtbot.keyClicks(card.name_edits[0], "run 5 km easy")
    qtbot.keyClicks(card.name_edits[1], "sit through a meeting")
    assert not card.save_names()
    assert "at least 3" in card.status.text()
    assert store.psfs_activities() == []
    qtbot.keyClicks(card.name_edits[2], "lift my child")
    assert card.save_names()
    assert [a.name for a in store.psfs_activities()] == [
        "run 5 km easy", "sit through a meeting", "lift my child"]
    # never scored yet: it asks straight away
    assert card.face() == "prompt"
    assert card.title.text() == texts()["psfs_prompt"]


def test_weekly_prompt_appears_seven_days_after_the_last_scores(qtbot, session, store,
                                                                clock) -> None:
    three_scored(store)
    seen = {}
    for offset in (1, 6, 7, 9):
        clock["today"] = FIRST + dt.timedelta(days=offset)
        view = today_view(qtbot, session)
        seen[offset] = view.psfs_card.face()
        view.close()
    assert seen == {1: "summary", 6: "summary", 7: "prompt", 9: "prompt"}


def test_sliders_start_at_last_scores_and_save_with_the_keyboard(qtbot, session, store,
                                                                 clock) -> None:
    ids = three_scored(store)
    clock["today"] = FIRST + dt.timedelta(days=7)
    card = today_view(qtbot, session).psfs_card
    assert [s.value() for s in card.sliders.values()] == [2, 5, 3]
    slider = card.sliders[ids[0]]
    slider.setFocus()
    for _ in range(3):
        qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert card.save_scores()
    week = {s.activity_id: s.score for s in store.psfs_scores() if s.day == clock["today"]}
    assert week == dict(zip(ids, (5, 5, 3), strict=True))
    assert card.face() == "summary"
    assert "mean 4.3" in card.hint.text()


def test_rename_starts_afresh_and_retired_keeps_its_history(qtbot, session, store) -> None:
    first, second, third = three_scored(store)
    dialog = PsfsActivitiesDialog(session)
    qtbot.addWidget(dialog)
    dialog.rename(third, "carry the shopping")
    dialog.set_retired(second, True)
    assert [dialog.items.item(i).text() for i in range(dialog.items.count())] == [
        "run 5 km easy", "sit through a meeting (retired)", "lift my child (retired)",
        "carry the shopping"]
    assert len(store.psfs_scores()) == 3  # the retired ones keep their scores
    dialog.rename(first, "carry the shopping")
    assert "not already in use" in dialog.status.text()


def test_the_check_in_asks_for_leg_pain_now_the_day_has_it(qtbot, session, store) -> None:
    view = today_view(qtbot, session)
    assert view.leg_spin is not None and view.leg_spin.value_or_none() is None
    view.pain_spin.set_value_or_none(3)
    assert view.save_check_in()
    saved = store.day_log(TODAY)
    assert saved is not None and saved.leg_pain is None
    view.leg_spin.set_value_or_none(4)
    assert view.save_check_in()
    saved = store.day_log(TODAY)
    assert saved is not None and saved.leg_pain == 4


def test_outcome_notices_show_in_todays_warnings(qtbot, session, store, clock) -> None:
    from recoverydesk.core.model import DayLog

    for k in range(42):
        d = dt.date(2026, 3, 1) + dt.timedelta(days=k)
        store.save_day(DayLog(d, 2, leg_pain=4), today=d)
    clock["today"] = dt.date(2026, 3, 1) + dt.timedelta(days=40)  # day 41: not yet
    view = today_view(qtbot, session)
    assert not any("about your leg pain" in t for t in view.notice_box.texts.values())
    view.close()
    clock["today"] = dt.date(2026, 3, 1) + dt.timedelta(days=41)  # day 42
    session.reload()
    view = today_view(qtbot, session)
    assert view.notice_box.isVisible()  # notices have a box of their own, each dismissable
    assert any("about your leg pain" in t for t in view.notice_box.texts.values())


def test_onset_question_in_preferences_is_stored(qtbot, session) -> None:
    from recoverydesk.gui.dialogs import PreferencesDialog

    assert session.onset_before_45 is None
    dialog = PreferencesDialog(session)
    qtbot.addWidget(dialog)
    dialog.onset.setChecked(True)
    dialog._on_buttons_accepted()
    assert session.onset_before_45 is True


def test_first_run_setup_may_name_the_activities(qtbot, tmp_path, monkeypatch) -> None:
    from recoverydesk import app
    from recoverydesk.gui import setup
    from recoverydesk.storage.store import Store

    answers = iter([["run 5 km easy", "sit an hour"],
                    ["run 5 km easy", "sit an hour", "lift my child"]])
    refused: list[str] = []

    def fake_exec(dialog) -> int:
        for names in answers:
            for edit, name in zip(dialog.psfs_edits, names, strict=False):
                edit.setText(name)
            dialog._on_begin_clicked()
            if dialog.choice == "begin":
                return 1
            refused.append(dialog.error.text())
        return 0

    monkeypatch.setattr(setup.SetupDialog, "exec", fake_exec)
    store = Store.open(tmp_path / "data")
    opened = app.first_run(store, today=TODAY)
    assert opened is store
    assert refused and "at least 3" in refused[0]
    assert [a.name for a in store.psfs_activities()] == [
        "run 5 km easy", "sit an hour", "lift my child"]
    store.close()


def test_other_changes_on_today_keep_the_sliders_being_moved(qtbot, session, store,
                                                             clock) -> None:
    store.add_psfs_activities(["run 5 km easy", "sit an hour", "lift my child"], FIRST,
                              today=TODAY)
    view = today_view(qtbot, session)
    card = view.psfs_card
    slider = next(iter(card.sliders.values()))
    slider.setValue(7)
    session.set_tick(TODAY, "anything", True)  # a checklist tick reloads Today
    assert next(iter(card.sliders.values())) is slider and slider.value() == 7
