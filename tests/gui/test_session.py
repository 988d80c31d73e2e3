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

