"""Store.dump() / Store.load_dump(): every table of user data out and back, all or nothing."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo
from recoverydesk.storage.dump import DATA_TABLES, SECTION_NAMES
from recoverydesk.storage.store import Store, StoreError

TODAY = dt.date(2026, 3, 20)


def filled(folder: pathlib.Path) -> Store:
    store = Store.open(folder)
    store.start_episode(EpisodeInfo(dt.date(2026, 3, 1), "mi", 20_000.0, "old back"),
                        today=TODAY)
    store.start_episode(EpisodeInfo(dt.date(2026, 3, 10), "km", None, ""), new=True,
                        today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 11), 3, 4, 2, frozenset({"fever", "numbness"}), 7.5,
                          10, "stiff"),
                   [Activity(dt.date(2026, 3, 11), "run", 5000.0, 1800.0, 3)], today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 12), 2), today=TODAY)
    store.add_action(Action(dt.date(2026, 3, 12), "advance", "felt fine"), today=TODAY)
    store.set_tick(dt.date(2026, 3, 12), "walk", True)
    store.set_exercise_done(dt.date(2026, 3, 12), "bird_dog", True)
    store.add_file("ab" * 32, "morning.gpx", "gpx", [], today=TODAY)
    store.set_setting("rules", {"pain_max": 4})
    store.save_day(DayLog(dt.date(2026, 3, 13), 2, leg_pain=3, stiffness_min=20,
                          pain_sites=frozenset({"thigh_left", "buttock_left"})), today=TODAY)
    store.add_psfs_activities(["run 5 km", "sit an hour", "lift a box"], dt.date(2026, 3, 10),
                              today=TODAY)
    store.set_psfs_retired(3, True)
    store.save_psfs(dt.date(2026, 3, 10), {1: 2, 2: 5, 3: 4}, today=TODAY)
    return store


def test_a_dump_loads_into_an_empty_store_and_dumps_the_same(tmp_path) -> None:
    source = filled(tmp_path / "a")
    doc = source.dump()
    assert list(doc) == list(SECTION_NAMES)
    assert doc["days"][0]["red_flags"] == ["fever", "numbness"]
    assert all(doc[name] for name in SECTION_NAMES), "every section holds something here"
    target = Store.open(tmp_path / "b")
    assert target.is_empty()
    target.load_dump(doc)
    assert not target.is_empty()
    assert target.dump() == doc
    assert target.day_log(dt.date(2026, 3, 11)) == source.day_log(dt.date(2026, 3, 11))
    assert target.day_log(dt.date(2026, 3, 13)) == source.day_log(dt.date(2026, 3, 13))
    assert target.psfs_activities() == source.psfs_activities()
    assert target.psfs_scores() == source.psfs_scores()
    assert len(target.episodes()) == 2 and target.current_episode().units == "km"
    source.close()
    target.close()


def test_a_load_that_fails_half_way_writes_nothing(tmp_path) -> None:
    source = filled(tmp_path / "a")
    doc = source.dump()
    doc["ticks"].append(dict(doc["ticks"][0]))  # the same tick twice: its key refuses it
    target = Store.open(tmp_path / "b")
    with pytest.raises(StoreError):
        target.load_dump(doc)
    assert target.is_empty()
    assert set(DATA_TABLES) >= {"episodes", "day_logs", "activities", "settings"}
    source.close()
    target.close()
