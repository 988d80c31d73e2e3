"""The session's cached episode and timeline always equal a fresh load and a full replay."""

from __future__ import annotations

import datetime as dt

import pytest

from recoverydesk.core import engine
from recoverydesk.core.model import Activity, DayLog
from tests.gui.conftest import START, TODAY

pytestmark = pytest.mark.gui


def fresh_timeline(store) -> list[dict]:
    """The timeline replayed from scratch from what the file holds."""
    episode = store.load_episode()
    return [s.to_json() for s in engine.replay(episode, store.rules(), TODAY)]


def test_edits_old_and_new_keep_the_timeline_true(session, store) -> None:
    def day(n: int) -> dt.date:
        return START + dt.timedelta(days=n)

    for n, pain in enumerate([3, 3, 2, 2, 2]):
        session.save_day(DayLog(day(n), pain))
    assert session.timeline()[4].can_advance
    assert session.advance(day(4)).accepted
    session.save_day(DayLog(day(5), 2), [Activity(day(5), "walk", 2000.0, 1500.0)])
    assert session.timeline()[5].phase == "walk"
    assert [s.to_json() for s in session.timeline()] == fresh_timeline(store)

    # An edit to an old day (a flare on day 3) undoes the advance that rested on it.
    session.save_day(DayLog(day(3), 7))
    assert session.timeline()[4].ignored_advance
    assert session.timeline()[5].phase == "rest"
    assert [s.to_json() for s in session.timeline()] == fresh_timeline(store)

    session.undo_stack.undo()
    assert session.timeline()[5].phase == "walk"
    session.delete_day(day(5))
    session.set_tick(day(5), "walk_daily", True)
    assert [s.to_json() for s in session.timeline()] == fresh_timeline(store)
    assert session.episode == store.load_episode()


def test_a_day_rewritten_among_many_keeps_the_activities_in_the_stores_order(
        session, store) -> None:
    """The cached episode is patched, not reloaded, after a save: it must still read exactly
    as a fresh load, activities in the store's order (day, start time, id)."""
    def day(n: int) -> dt.date:
        return START + dt.timedelta(days=n)

    def at(n: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(day(n), dt.time(hour, tzinfo=dt.UTC))

    for n in range(8):
        session.save_day(DayLog(day(n), 2), [
            Activity(day(n), "walk", 2000.0, 1500.0, start_time=at(n, 18)),
            Activity(day(n), "swim", None, 1200.0)])
    session.save_day(DayLog(day(3), 3), [
        Activity(day(3), "cycle", 9000.0, 1800.0, start_time=at(3, 7)),
        Activity(day(3), "walk", 2000.0, 1500.0, start_time=at(3, 20))])
    session.timeline()
    session.save_day(DayLog(day(6), 1), [])
    assert session.episode == store.load_episode()
    assert [s.to_json() for s in session.timeline()] == fresh_timeline(store)
    assert [a.kind for a in session.episode.activities if a.day == day(3)] == ["cycle", "walk"]


def test_set_rules_is_stored_and_replayed_with(session, store) -> None:
    from recoverydesk.gui.session import Session

    assert not session.rules.auto_advance
    with_days: list[object] = []
    session.data_changed.connect(with_days.append)
    session.set_rules(auto_advance=True)
    assert session.rules.auto_advance
    assert with_days == [frozenset()]  # every view reloads: the whole timeline may change
    assert Session(store, today=lambda: TODAY).rules.auto_advance  # kept in the file


def test_undo_of_a_deleted_day_brings_back_its_entry_and_activities(session) -> None:
    day = START + dt.timedelta(days=2)
    walk = Activity(day, "walk", 2000.0, 1500.0)
    session.save_day(DayLog(day, 4, notes="sore"), [walk])
    session.delete_day(day)
    assert session.day(day) == (None, [])
    session.undo_stack.undo()
    log, activities = session.day(day)
    assert log == DayLog(day, 4, notes="sore")
    assert [(a.kind, a.distance_m) for a in activities] == [("walk", 2000.0)]
    session.undo_stack.redo()
    assert session.day(day) == (None, [])


def test_undo_steps_are_named_by_what_changed_and_undo_says_so(qtbot, session) -> None:
    from recoverydesk.core.model import DayLog
    from tests.gui.conftest import TODAY

    session.save_day(DayLog(TODAY, 4))
    session.save_day(DayLog(TODAY, 5))
    stack = session.undo_stack
    assert stack.text(0) != stack.text(1)
    assert "4 → 5" in stack.text(1)
    session.delete_day(TODAY)
    with qtbot.waitSignal(session.message) as said:
        stack.undo()
    assert said.args[0].startswith("Undone")


def test_an_undo_step_names_any_field_of_the_day_that_changed(session) -> None:
    """Leg pain, stiffness and where it hurt (§3) are named like the rest, never "no change"."""
    import dataclasses

    from recoverydesk.core.model import BODY_SITES
    from recoverydesk.gui.session import _FIELD_WORDS

    assert {name for name, _said in _FIELD_WORDS} == {
        f.name for f in dataclasses.fields(DayLog)} - {"day"}
    session.save_day(DayLog(TODAY, 3, leg_pain=2))
    session.save_day(DayLog(TODAY, 3, leg_pain=4))
    session.save_day(DayLog(TODAY, 3, leg_pain=4, stiffness_min=20,
                            pain_sites=frozenset({BODY_SITES[0]})))
    stack = session.undo_stack
    assert stack.text(1).startswith("leg pain 2 → 4 on ")
    assert stack.text(2).startswith("edit ") and "stiffness" in stack.text(2)
    assert "where it hurt" in stack.text(2) and "no change" not in stack.text(2)
