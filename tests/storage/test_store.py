"""The store on real temporary files: round trips, refusals, permissions, migrations."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat

import pytest

from recoverydesk.core.model import Action, Activity, DayLog, EpisodeInfo, ValidationError
from recoverydesk.storage.store import (
    DB_NAME,
    SCHEMA_VERSION,
    DamagedDatabase,
    EpisodeExists,
    NewerDatabase,
    Store,
    resolve_data_dir,
)

from .conftest import schema1_folder

TODAY = dt.date(2026, 3, 20)


def file_digest(store: Store) -> str:
    """The database as it is on disk, WAL included (a write lands in either)."""
    parts = [store.path.read_bytes()]
    wal = store.path.with_name(store.path.name + "-wal")
    if wal.exists():
        parts.append(wal.read_bytes())
    return hashlib.sha256(b"".join(parts)).hexdigest()


def test_day_round_trips_with_every_field(store: Store) -> None:
    log = DayLog(dt.date(2026, 3, 2), pain=4, pain_activity=5, pain_morning=3,
                 red_flags=frozenset({"fever", "numbness"}), sleep_hours=7.5, heat_ice_min=20,
                 notes="Stiff after the drive — better by lunch.")
    run = Activity(dt.date(2026, 3, 2), "run", distance_m=3200.0, duration_s=1260.0, pain=3,
                   start_time=dt.datetime(2026, 3, 2, 7, 5,
                                          tzinfo=dt.timezone(dt.timedelta(hours=1))),
                   elapsed_s=1300.0, source="gpx", file_sha256="ab" * 32)
    store.save_day(log, [run], today=TODAY)
    store.close()

    reopened = Store.open(store.data_dir)
    assert reopened.day_log(log.day) == log
    (stored,) = reopened.activities()
    assert stored == run.__class__(**{**_fields(run), "id": stored.id})
    assert stored.start_time is not None and stored.start_time.utcoffset() == dt.timedelta(hours=1)
    reopened.close()


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


def test_saving_again_replaces_pain_fields_and_keeps_other_days(store: Store) -> None:
    store.save_day(DayLog(dt.date(2026, 3, 1), 5, pain_morning=4), today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 2), 3), today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 1), 2), today=TODAY)
    assert [(d.day.day, d.pain, d.pain_morning) for d in store.day_logs()] == [
        (1, 2, None), (2, 3, None)]


@pytest.mark.parametrize(
    ("log", "field"),
    [
        (DayLog(dt.date(2026, 3, 2), 11), "pain"),
        (DayLog(dt.date(2026, 3, 2), -1), "pain"),
        (DayLog(dt.date(2026, 3, 2), 3, pain_morning=12), "pain_morning"),
        (DayLog(dt.date(2026, 3, 21), 3), "date"),
        (DayLog(dt.date(1989, 12, 31), 3), "date"),
        (DayLog(dt.date(2026, 3, 2), 3, red_flags=frozenset({"headache"})), "red_flag"),
        (DayLog(dt.date(2026, 3, 2), 3, sleep_hours=25), "sleep_hours"),
        (DayLog(dt.date(2026, 3, 2), 3, heat_ice_min=241), "heat_ice_min"),
        (DayLog(dt.date(2026, 3, 2), 3, notes="x" * 10_001), "notes"),
    ],
)
def test_rejected_entry_names_the_field_and_leaves_the_file_unchanged(
        store: Store, log: DayLog, field: str) -> None:
    store.save_day(DayLog(dt.date(2026, 3, 1), 4), today=TODAY)
    before = file_digest(store)
    with pytest.raises(ValidationError) as caught:
        store.save_day(log, today=TODAY)
    assert caught.value.field == field
    assert field.split("_")[0] in str(caught.value)
    assert file_digest(store) == before


def test_one_bad_activity_writes_nothing_of_the_day(store: Store) -> None:
    day = dt.date(2026, 3, 3)
    good = Activity(day, "walk", distance_m=1500.0)
    bad = Activity(day, "run", distance_m=-1.0)
    with pytest.raises(ValidationError, match="distance"):
        store.save_day(DayLog(day, 3), [good, bad], today=TODAY)
    assert store.day_log(day) is None
    assert store.activities() == []


def test_replace_day_leaves_exactly_the_given_entry(store: Store) -> None:
    day = dt.date(2026, 3, 4)
    store.save_day(DayLog(day, 6, notes="bad day"), [Activity(day, "run", distance_m=5000.0),
                                                    Activity(day, "walk", distance_m=900.0)],
                   today=TODAY)
    store.save_day(DayLog(day + dt.timedelta(days=1), 2), today=TODAY)
    store.replace_day(day, DayLog(day, 3), [Activity(day, "yoga", duration_s=1200.0)],
                      today=TODAY)
    assert store.day_log(day) == DayLog(day, 3)
    assert [(a.kind, a.duration_s) for a in store.activities(since=day, until=day)] == [
        ("yoga", 1200.0)]
    assert store.day_log(day + dt.timedelta(days=1)) == DayLog(day + dt.timedelta(days=1), 2)
    store.replace_day(day, None, [], today=TODAY)
    assert store.day_log(day) is None
    assert store.activities(since=day, until=day) == []


def test_refused_replace_day_keeps_the_old_entry(store: Store) -> None:
    day = dt.date(2026, 3, 4)
    store.save_day(DayLog(day, 6), [Activity(day, "run", distance_m=5000.0)], today=TODAY)
    before = file_digest(store)
    with pytest.raises(ValidationError, match="distance"):
        store.replace_day(day, DayLog(day, 3), [Activity(day, "run", distance_m=-1.0)],
                          today=TODAY)
    assert file_digest(store) == before
    assert store.day_log(day) == DayLog(day, 6)
    assert len(store.activities(since=day, until=day)) == 1

def test_folder_and_file_are_private(tmp_path) -> None:
    data = tmp_path / "deep" / "data"
    store = Store.open(data)
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / DB_NAME).st_mode) == 0o600
    store.close()


def test_journal_is_wal_with_full_sync_and_foreign_keys(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_old_schema_file_migrates_and_keeps_its_entries(tmp_path) -> None:
    data = schema1_folder(tmp_path)
    store = Store.open(data)
    assert store.schema_version == SCHEMA_VERSION
    assert [d.pain for d in store.day_logs()] == [6, 5, 4, 3, 3, 2]
    assert store.day_log(dt.date(2025, 5, 2)).red_flags == {"fever"}  # type: ignore[union-attr]
    info = store.current_episode()
    assert info is not None and info.units == "mi"
    episode = store.load_episode()
    assert episode is not None and episode.actions == (
        Action(dt.date(2025, 5, 2), "clearance", "seen by GP, cleared"),)
    # and what the new schema added works on the migrated file
    store.set_tick(dt.date(2025, 5, 3), "walk_10", True)
    assert store.ticks(dt.date(2025, 5, 3)) == {"walk_10"}
    store.close()


def test_newer_database_is_refused_and_left_untouched(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = (data / DB_NAME).read_bytes()
    with pytest.raises(NewerDatabase, match="newer RecoveryDesk"):
        Store.open(data)
    assert (data / DB_NAME).read_bytes() == before
    assert not (data / (DB_NAME + "-wal")).exists()


def test_file_that_is_not_sqlite_is_reported_damaged(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is a shopping list, not a database\n" * 200)
    with pytest.raises(DamagedDatabase, match="damaged"):
        Store.open(data)


def test_start_refuses_a_second_episode_unless_new(store: Store) -> None:
    with pytest.raises(EpisodeExists, match="2026-03-01"):
        store.start_episode(EpisodeInfo(dt.date(2026, 3, 5)), today=TODAY)
    second = store.start_episode(EpisodeInfo(dt.date(2026, 3, 5)), new=True, today=TODAY)
    assert store.current_episode() == second
    assert [e.start.day for e in store.episodes()] == [1, 5]


def test_imported_file_is_recorded_once(store: Store) -> None:
    acts = [Activity(dt.date(2026, 3, 4), "run", 5000.0, 1800.0, source="fit",
                     file_sha256="c" * 64)]
    assert store.add_file("c" * 64, "morning.fit", "fit", acts, today=TODAY)
    assert not store.add_file("c" * 64, "copy.fit", "fit", acts, today=TODAY)
    assert len(store.activities()) == 1


def test_ticks_exercises_and_settings_persist(store: Store) -> None:
    day = dt.date(2026, 3, 4)
    store.set_tick(day, "mobility", True)
    store.set_exercise_done(day, "cat_cow", True)
    store.set_exercise_done(day, "cat_cow", True)
    store.set_setting("rules", {"auto_advance": True})
    store.close()
    again = Store.open(store.data_dir)
    assert again.ticks(day) == {"mobility"}
    assert again.exercises_done(day, day) == {day: {"cat_cow": 2}}
    assert again.rules().auto_advance is True
    again.close()


def test_data_dir_option_wins_over_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("RECOVERYDESK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(str(tmp_path / "opt")) == tmp_path / "opt"
    monkeypatch.delenv("RECOVERYDESK_DATA_DIR")
    assert "RecoveryDesk" in str(resolve_data_dir(None))


def _activity_columns(store: Store) -> list[str]:
    return [row[1] for row in store._conn.execute("PRAGMA table_info(activities)")]


def test_m004_cadence_from_schema_1_keeps_activities_and_stores_cadence(tmp_path) -> None:
    data = schema1_folder(tmp_path)
    before = sqlite3.connect(data / DB_NAME)
    old_rows = before.execute("SELECT day, kind, distance_m FROM activities ORDER BY id").fetchall()
    before.close()
    store = Store.open(data)
    assert "cadence_spm" in _activity_columns(store)
    assert [(a.day.isoformat(), a.kind, a.distance_m) for a in store.activities()] == old_rows
    assert all(a.cadence_spm is None for a in store.activities())
    run = Activity(dt.date(2025, 5, 3), "run", 5000.0, 1800.0, cadence_spm=171.5)
    store.add_activities([run], today=dt.date(2025, 5, 4))
    assert [a.cadence_spm for a in store.activities(since=run.day, until=run.day)
            if a.kind == "run"] == [171.5]
    store.close()


def test_m004_cadence_from_the_schema_before_it(tmp_path) -> None:
    """A file made by every migration before m004 gains the column and keeps its rows."""
    from sqlite_utils import Database

    from recoverydesk.storage.migrations import migrations

    data = tmp_path / "data"
    data.mkdir()
    db = Database(data / DB_NAME)
    migrations.apply(db, stop_before="m004_cadence")
    assert "cadence_spm" not in db["activities"].columns_dict
    db.execute("INSERT INTO activities (day, kind, distance_m, source) "
               "VALUES ('2026-03-02', 'run', 4000, 'manual')")
    db.conn.commit()
    db.close()
    store = Store.open(data)
    assert store.schema_version == SCHEMA_VERSION
    assert "cadence_spm" in _activity_columns(store)
    assert [(a.kind, a.distance_m, a.cadence_spm) for a in store.activities()] == [
        ("run", 4000.0, None)]
    store.close()


def test_a_cadence_out_of_range_is_refused_by_name(store: Store) -> None:
    bad = Activity(dt.date(2026, 3, 2), "run", 5000.0, cadence_spm=500.0)
    with pytest.raises(ValidationError, match="cadence"):
        store.add_activities([bad], today=dt.date(2026, 3, 20))
    assert store.activities() == []
def _engine_v2_actions_round_trip(store: Store, first: dt.date) -> None:
    """What m003_engine_v2 adds: passed ready-to-run tests and risk screens, stored and read
    back with the older actions, and a same-day clearance kept."""
    store.add_action(Action(first, "screen", risks=frozenset({"osteoporosis"})),
                     today=dt.date(2026, 12, 1))
    store.add_action(Action(first + dt.timedelta(days=1), "ready"), today=dt.date(2026, 12, 1))
    store.add_action(Action(first + dt.timedelta(days=2), "screen"), today=dt.date(2026, 12, 1))
    actions = store.load_episode().actions  # type: ignore[union-attr]
    assert Action(first, "screen", risks=frozenset({"osteoporosis"})) in actions
    assert Action(first + dt.timedelta(days=1), "ready") in actions
    assert Action(first + dt.timedelta(days=2), "screen") in actions  # a screen with no yes


def test_schema1_file_migrates_to_engine_v2_actions(tmp_path) -> None:
    data = schema1_folder(tmp_path)
    store = Store.open(data)
    assert store.schema_version == SCHEMA_VERSION
    _engine_v2_actions_round_trip(store, store.current_episode().start)  # type: ignore[union-attr]
    store.close()


def test_schema2_file_migrates_to_engine_v2_and_keeps_its_actions(tmp_path) -> None:
    """A file saved by the version before engine v2 (schema 2) opens with its actions."""
    data = tmp_path / "data"
    store = Store.open(data)
    store.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=dt.date(2026, 3, 10))
    store.add_action(Action(dt.date(2026, 3, 4), "advance"), today=dt.date(2026, 3, 10))
    store.close()
    # Turn it back into a schema-2 file: no risks, cadence or outcome columns and tables,
    # m003–m005 not applied.
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("ALTER TABLE actions DROP COLUMN risks")
    conn.execute("ALTER TABLE activities DROP COLUMN cadence_spm")
    for column in ("leg_pain", "stiffness_min", "pain_sites"):
        conn.execute(f"ALTER TABLE day_logs DROP COLUMN {column}")
    conn.execute("DROP TABLE psfs_scores")
    conn.execute("DROP TABLE psfs_activities")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m003_engine_v2', "
                 "'m004_cadence', 'm005_outcomes')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = Store.open(data)
    assert store.schema_version == SCHEMA_VERSION
    assert store.load_episode().actions == (  # type: ignore[union-attr]
        Action(dt.date(2026, 3, 4), "advance"),)
    _engine_v2_actions_round_trip(store, dt.date(2026, 3, 1))
    store.close()
