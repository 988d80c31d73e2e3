"""Leg pain, stiffness, sites and the PSFS in the real SQLite file; m005 from older schemas."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from recoverydesk.core.model import DayLog, ValidationError
from recoverydesk.storage.migrations import m005_outcomes, migrations
from recoverydesk.storage.store import DB_NAME, SCHEMA_VERSION, Store

from .conftest import schema1_folder

TODAY = dt.date(2026, 3, 20)
W1, W2 = dt.date(2026, 3, 2), dt.date(2026, 3, 9)


def test_new_fields_round_trip_through_the_file(store: Store) -> None:
    log = DayLog(dt.date(2026, 3, 2), 4, leg_pain=6, stiffness_min=45,
                 pain_sites=frozenset({"low_back_centre", "below_knee_left"}))
    store.save_day(log, today=TODAY)
    store.close()
    reopened = Store.open(store.data_dir)
    assert reopened.day_log(log.day) == log
    reopened.close()


def test_bad_site_writes_nothing(store: Store) -> None:
    with pytest.raises(ValidationError, match="pain_sites"):
        store.save_day(DayLog(dt.date(2026, 3, 2), 4, pain_sites=frozenset({"neck"})),
                       today=TODAY)
    assert store.day_logs() == []


def _check_migrated(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    old = store.day_logs()[0]
    assert (old.leg_pain, old.stiffness_min, old.pain_sites) == (None, None, frozenset())
    store.save_day(DayLog(old.day, old.pain, leg_pain=2, pain_sites=frozenset({"thigh_left"})),
                   today=TODAY)
    assert store.day_log(old.day).leg_pain == 2  # type: ignore[union-attr]
    store.add_psfs_activities(["run 5 km"], W1, today=TODAY)
    assert [a.name for a in store.psfs_activities()] == ["run 5 km"]


def test_schema1_file_migrates_to_outcomes(tmp_path) -> None:
    data = schema1_folder(tmp_path)
    store = Store.open(data)
    assert [d.pain for d in store.day_logs()] == [6, 5, 4, 3, 3, 2]
    _check_migrated(store)
    store.close()


def test_file_of_the_schema_before_outcomes_migrates(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = Database(data / DB_NAME)
    migrations.apply(db, stop_before=m005_outcomes.__name__)
    db.table("episodes").insert({"start": "2026-03-01", "units": "km", "notes": ""})
    db.table("day_logs").insert({"day": "2026-03-03", "pain": 5, "red_flags": "", "notes": "x"})
    db.table("ticks").insert({"day": "2026-03-03", "item": "walk_10"})
    before = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    assert before < SCHEMA_VERSION
    store = Store.open(data)
    assert store.day_log(dt.date(2026, 3, 3)).notes == "x"  # type: ignore[union-attr]
    assert store.ticks(dt.date(2026, 3, 3)) == {"walk_10"}
    _check_migrated(store)
    store.close()


def test_psfs_names_scores_and_retired_history(store: Store) -> None:
    acts = store.add_psfs_activities(["run 5 km easy", "sit through a meeting", "lift my child"],
                                     W1, today=TODAY)
    ids = [a.id for a in acts]
    assert all(i is not None for i in ids)
    store.save_psfs(W1, {ids[0]: 2, ids[1]: 4, ids[2]: 3}, today=TODAY)  # type: ignore[misc]
    renamed = store.rename_psfs_activity(ids[2], "carry my child upstairs", W2,  # type: ignore[arg-type]
                                         today=TODAY)
    store.save_psfs(W2, {ids[0]: 5, ids[1]: 4, renamed.id: 6}, today=TODAY)  # type: ignore[misc, dict-item]
    store.close()
    store = Store.open(store.data_dir)
    everything = store.psfs_activities()
    assert [(a.name, a.retired) for a in everything] == [
        ("run 5 km easy", False), ("sit through a meeting", False), ("lift my child", True),
        ("carry my child upstairs", False)]
    assert [a.name for a in store.psfs_activities(include_retired=False)] == [
        "run 5 km easy", "sit through a meeting", "carry my child upstairs"]
    # the retired one keeps its history
    assert [(s.day, s.score) for s in store.psfs_scores() if s.activity_id == ids[2]] == [(W1, 3)]
    store.close()


def test_psfs_refusals_write_nothing(store: Store) -> None:
    store.add_psfs_activities(["a", "b", "c", "d", "e"], W1, today=TODAY)
    with pytest.raises(ValidationError, match="at most 5"):
        store.add_psfs_activities(["f"], W1, today=TODAY)
    with pytest.raises(ValidationError, match="not already in use"):
        store.rename_psfs_activity(1, "B", W1, today=TODAY)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        store.save_psfs(W1, {1: 3, 2: 11}, today=TODAY)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        store.record_psfs(W1, {"a": 4, "new one": 12}, today=TODAY)
    assert store.psfs_scores() == []
    assert len(store.psfs_activities()) == 5


def test_record_by_name_adds_a_new_activity(store: Store) -> None:
    store.add_psfs_activities(["run 5 km easy"], W1, today=TODAY)
    store.record_psfs(W2, {"Run 5 km easy": 4, "sit an hour": 6}, today=TODAY)
    names = {a.id: a.name for a in store.psfs_activities()}
    assert sorted((names[s.activity_id], s.score) for s in store.psfs_scores()) == [
        ("run 5 km easy", 4), ("sit an hour", 6)]
