"""CSV and JSON export, and restoring a JSON export (DESIGN.md §7)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import pathlib
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverydesk.core.model import KINDS, RED_FLAGS, Action, Activity, DayLog, EpisodeInfo
from recoverydesk.interchange.export import (
    BackupRefused,
    StoreNotEmpty,
    export_csv,
    export_json,
    import_json,
)
from recoverydesk.storage.recovery import open_store
from recoverydesk.storage.store import Store
from tests.budget import examples

TODAY = dt.date(2026, 3, 20)
SHA = "0123456789abcdef" * 4


@contextlib.contextmanager
def fresh_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(pathlib.Path(folder) / "data")
        try:
            yield store
        finally:
            store.close()


def seed(store: Store) -> None:
    """A small store touching every table."""
    store.start_episode(EpisodeInfo(dt.date(2026, 1, 5), "mi", 32186.88, "old"), today=TODAY)
    store.start_episode(EpisodeInfo(dt.date(2026, 3, 1), "km"), new=True, today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 1), 6, None, 6, notes="ouch, \"bad\" day",
                          leg_pain=5, stiffness_min=45,
                          pain_sites=frozenset({"low_back_centre", "below_knee_left"})),
                   today=TODAY)
    store.save_day(DayLog(dt.date(2026, 3, 2), 4, 5, 3, frozenset({"fever", "numbness"}), 7.5,
                          20, "line one\nline two"),
                   [Activity(dt.date(2026, 3, 2), "walk", 2500.0, 1800.0, pain=5)], today=TODAY)
    store.add_action(Action(dt.date(2026, 3, 2), "clearance", "seen by GP, cleared"),
                     today=TODAY)
    store.add_file(SHA, "run.gpx", "gpx", [Activity(
        dt.date(2026, 3, 3), "run", 5012.5, 1700.0, None,
        dt.datetime(2026, 3, 3, 7, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))), 1800.0,
        "gpx", SHA)], today=TODAY)
    store.set_tick(dt.date(2026, 3, 2), "knee_to_chest", True)
    store.set_exercise_done(dt.date(2026, 3, 2), "bird_dog", True)
    store.set_exercise_done(dt.date(2026, 3, 2), "bird_dog", True)
    store.set_setting("rules", {"auto_advance": True})
    store.set_setting("last_view", "charts")
    store.add_psfs_activities(["run 5 km easy", "sit, then stand"], dt.date(2026, 3, 1),
                              today=TODAY)
    store.save_psfs(dt.date(2026, 3, 1), {1: 2, 2: 4}, today=TODAY)
    store.rename_psfs_activity(2, "sit an hour", dt.date(2026, 3, 8), today=TODAY)
    store.save_psfs(dt.date(2026, 3, 8), {1: 3, 3: 5}, today=TODAY)


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    seed(opened)
    yield opened
    opened.close()


def test_json_holds_every_table_with_format_and_version(store) -> None:
    doc = json.loads(export_json(store))
    assert list(doc) == ["format", "version", "episodes", "days", "activities", "actions",
                         "ticks", "exercises_done", "imported_files", "psfs_activities",
                         "psfs_scores", "settings"]
    assert doc["days"][0]["pain_sites"] == ["below_knee_left", "low_back_centre"]
    assert (doc["days"][0]["leg_pain"], doc["days"][0]["stiffness_min"]) == (5, 45)
    assert doc["psfs_activities"][1] == {"id": 2, "name": "sit, then stand",
                                         "created": "2026-03-01", "retired": True}
    assert doc["psfs_scores"][-1] == {"date": "2026-03-08", "activity_id": 3, "score": 5}
    assert (doc["format"], doc["version"]) == ("recoverydesk-export", 1)
    assert [e["closed_on"] is None for e in doc["episodes"]] == [False, True]
    assert doc["days"][1]["red_flags"] == ["fever", "numbness"]
    assert doc["exercises_done"] == [{"date": "2026-03-02", "exercise_id": "bird_dog",
                                      "count": 2}]
    assert doc["settings"] == {"last_view": "charts", "rules": {"auto_advance": True}}
    assert doc["imported_files"][0]["activities"] == 1
    assert doc["activities"][1]["start_time"] == "2026-03-03T07:05:00+01:00"


def test_json_restores_into_an_empty_store_byte_for_byte(store) -> None:
    first = export_json(store)
    with fresh_store() as other:
        counts = import_json(other, first, TODAY)
        assert counts["days"] == 2 and counts["activities"] == 2 and counts["episodes"] == 2
        assert export_json(other) == first
        assert other.rules().auto_advance is True
        assert other.has_file(SHA)
        episode = other.load_episode()
        assert episode is not None and episode.actions == (
            Action(dt.date(2026, 3, 2), "clearance", "seen by GP, cleared"),)


def test_json_refuses_a_store_that_holds_data(store) -> None:
    text = export_json(store)
    before = text
    with pytest.raises(StoreNotEmpty, match="empty data folder"):
        import_json(store, text, TODAY)
    assert export_json(store) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["days"][0].update(pain=12),
         "days[0]: pain: 12 is not allowed; it must be a whole number from 0 to 10"),
        (lambda d: d["days"][0].update(date="2026-03-21"), "days[0]: date: '2026-03-21'"),
        (lambda d: d["days"][1].update(red_flags=["headache"]), "days[1]: red_flag: 'headache'"),
        (lambda d: d["activities"][0].update(kind="skating"), "activities[0]: kind: 'skating'"),
        (lambda d: d["activities"][0].update(distance_m="far"), "activities[0]: distance_m"),
        (lambda d: d["activities"][1].update(start_time="2026-03-03T07:05:00"),
         "activities[1]: start_time"),
        (lambda d: d["actions"][0].update(note=""), "actions[0]: note"),
        (lambda d: d["actions"][0].update(episode_id=99), "actions[0]: episode_id 99"),
        (lambda d: d["days"].append(dict(d["days"][0])), "days[2]: date repeats days[0]"),
        (lambda d: d.update(version=2), "newer RecoveryDesk"),
        (lambda d: d.update(format="other"), "not a RecoveryDesk export"),
        (lambda d: d.update(extra=[]), "unknown section 'extra'"),
        (lambda d: d["days"][0].update(mood="fine"), "days[0]: unknown field 'mood'"),
        (lambda d: d["settings"].update(rules={"nonsense": 1}), "settings['rules']: setting"),
        (lambda d: d["episodes"][0].update(closed_on=None), "more than one episode is open"),
        (lambda d: d.update(days={}), "days: it must be a list"),
        (lambda d: d["days"][0].update(pain_sites=["left_calf"]),
         "days[0]: pain_sites: 'left_calf' is not allowed; it must be one of low_back_left"),
        (lambda d: d["days"][0].update(leg_pain=11), "days[0]: leg_pain: 11"),
        (lambda d: d["days"][0].update(stiffness_min=241), "days[0]: stiffness_min: 241"),
        (lambda d: d["psfs_scores"][0].update(score=11), "psfs_scores[0]: score: 11"),
        (lambda d: d["psfs_scores"][0].update(activity_id=9),
         "psfs_scores[0]: activity_id 9 names no activity"),
        (lambda d: d["psfs_activities"][0].update(name=""), "psfs_activities[0]: activity"),
        (lambda d: d["psfs_activities"][1].update(retired="no"),
         "psfs_activities[1]: retired"),
    ],
)
def test_json_refusals_name_the_record_and_field(store, change, message) -> None:
    doc = json.loads(export_json(store))
    change(doc)
    with fresh_store() as other:
        with pytest.raises(BackupRefused) as caught:
            import_json(other, json.dumps(doc), TODAY)
        assert message in caught.value.reason
        assert other.is_empty()


def test_csv_export_writes_documented_columns_and_the_rest(store, tmp_path) -> None:
    files = export_csv(store, tmp_path / "out")
    assert sorted(p.name for p in files) == sorted([
        "days.csv", "activities.csv", "episodes.csv", "actions.csv", "ticks.csv",
        "exercises_done.csv", "imported_files.csv", "settings.csv", "psfs.csv",
        "psfs_activities.csv"])

    def rows(name: str) -> list[dict[str, str]]:
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        return list(csv.DictReader(io.StringIO(text, newline="")))

    days = rows("days.csv")
    assert list(days[0])[:7] == ["date", "pain", "pain_activity", "pain_morning", "red_flags",
                                 "sleep_hours", "notes"]
    assert days[1] == {"date": "2026-03-02", "pain": "4", "pain_activity": "5",
                       "pain_morning": "3", "red_flags": "fever;numbness",
                       "sleep_hours": "7.5", "notes": "line one\nline two",
                       "heat_ice_min": "20", "leg_pain": "", "stiffness_min": "",
                       "pain_sites": ""}
    assert list(days[0])[-3:] == ["leg_pain", "stiffness_min", "pain_sites"]
    assert (days[0]["leg_pain"], days[0]["stiffness_min"], days[0]["pain_sites"]) == (
        "5", "45", "below_knee_left;low_back_centre")
    assert rows("psfs.csv") == [
        {"date": "2026-03-01", "activity": "run 5 km easy", "score": "2"},
        {"date": "2026-03-01", "activity": "sit, then stand", "score": "4"},
        {"date": "2026-03-08", "activity": "run 5 km easy", "score": "3"},
        {"date": "2026-03-08", "activity": "sit an hour", "score": "5"}]
    assert rows("psfs_activities.csv")[1]["retired"] == "true"
    acts = rows("activities.csv")
    assert list(acts[0]) == ["date", "start_time", "kind", "distance_m", "duration_s",
                             "elapsed_s", "pain", "source", "file_sha256", "cadence_spm"]
    assert acts[0] == {"date": "2026-03-02", "start_time": "", "kind": "walk",
                       "distance_m": "2500", "duration_s": "1800", "elapsed_s": "", "pain": "5",
                       "source": "manual", "file_sha256": "", "cadence_spm": ""}
    assert acts[1]["start_time"] == "2026-03-03T07:05:00+01:00"
    assert acts[1]["distance_m"] == "5012.5"
    assert [e["closed_on"] == "" for e in rows("episodes.csv")] == [False, True]
    assert rows("actions.csv")[0]["note"] == "seen by GP, cleared"
    assert rows("ticks.csv") == [{"date": "2026-03-02", "item": "knee_to_chest"}]
    assert rows("exercises_done.csv")[0]["count"] == "2"
    assert rows("imported_files.csv")[0]["name"] == "run.gpx"
    assert json.loads(rows("settings.csv")[1]["value"]) == {"auto_advance": True}


def test_exported_csv_imports_back_as_a_diary(store, tmp_path) -> None:
    from recoverydesk.interchange.diary import import_diary
    from recoverydesk.interchange.export import activities_csv, days_csv

    export_csv(store, tmp_path / "out")
    with fresh_store() as other:
        import_diary(other, tmp_path / "out" / "days.csv", TODAY)
        import_diary(other, tmp_path / "out" / "activities.csv", TODAY)
        assert days_csv(other) == days_csv(store)
        assert activities_csv(other) == activities_csv(store)


# --- property: any store round-trips ---------------------------------------------------------

DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY)
PAIN = st.integers(0, 10)
TEXT = st.text(max_size=40)
ZONES = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1)),
                         dt.timezone(dt.timedelta(hours=-5, minutes=-30))])


@st.composite
def days(draw: st.DrawFn) -> DayLog:
    return DayLog(
        day=draw(DATES), pain=draw(PAIN), pain_activity=draw(st.none() | PAIN),
        pain_morning=draw(st.none() | PAIN),
        red_flags=frozenset(draw(st.lists(st.sampled_from(RED_FLAGS), max_size=3))),
        sleep_hours=draw(st.none() | st.floats(0, 24)),
        heat_ice_min=draw(st.none() | st.integers(0, 240)), notes=draw(TEXT))


@st.composite
def activities(draw: st.DrawFn, day: dt.date | None = None) -> Activity:
    start = draw(st.none() | st.datetimes(min_value=dt.datetime(1990, 1, 2),
                                          max_value=dt.datetime(2026, 3, 19), timezones=ZONES))
    return Activity(
        day=day or draw(DATES), kind=draw(st.sampled_from(KINDS)),
        distance_m=draw(st.none() | st.floats(0, 300_000)),
        duration_s=draw(st.none() | st.floats(0.001, 86_400)),
        pain=draw(st.none() | PAIN), start_time=start,
        elapsed_s=draw(st.none() | st.floats(0, 7 * 86_400)),
        source=draw(st.sampled_from(["manual", "gpx", "tcx", "fit", "csv"])),
        file_sha256=draw(st.none() | st.from_regex(r"[0-9a-f]{64}", fullmatch=True)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6)


@st.composite
def stores(draw: st.DrawFn) -> dict:
    return {
        "episodes": draw(st.lists(st.tuples(DATES, st.sampled_from(["km", "mi"]),
                                            st.none() | st.floats(0, 100_000), TEXT),
                                  max_size=3)),
        "days": draw(st.lists(days(), max_size=12, unique_by=lambda d: d.day)),
        "activities": draw(st.lists(activities(), max_size=12)),
        "actions": draw(st.lists(st.tuples(DATES, st.sampled_from(["advance", "clearance"]),
                                           st.text(min_size=1, max_size=20).filter(str.strip)),
                                 max_size=5)),
        "ticks": draw(st.lists(st.tuples(DATES, st.text(min_size=1, max_size=20)
                                         .filter(str.strip)), max_size=6)),
        "exercises": draw(st.lists(st.tuples(DATES, st.sampled_from(["bird_dog", "plank"]),
                                             st.integers(1, 3)), max_size=4)),
        "files": draw(st.lists(st.tuples(st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
                                         st.text(min_size=1, max_size=20).filter(str.strip),
                                         st.sampled_from(["gpx", "tcx", "fit", "csv"])),
                               max_size=3, unique_by=lambda f: f[0])),
        "settings": draw(st.dictionaries(st.text(min_size=1, max_size=15).filter(
            lambda k: k.strip() and k != "rules"), JSON_VALUES, max_size=4)),
        "rules": draw(st.none() | st.fixed_dictionaries(
            {}, optional={"auto_advance": st.booleans(), "flare_rise": st.integers(1, 5)})),
    }


def build(store: Store, plan: dict) -> None:
    """Fill a store through its public API, as the app would over weeks."""
    for i, (start, units, weekly, notes) in enumerate(plan["episodes"]):
        store.start_episode(EpisodeInfo(start, units, weekly, notes), new=i > 0, today=TODAY)
    for log in plan["days"]:
        store.save_day(log, today=TODAY)
    store.add_activities(plan["activities"], today=TODAY)
    if plan["episodes"]:
        for day, kind, note in plan["actions"]:
            store.add_action(Action(day, kind, note), today=TODAY)
    for day, item in plan["ticks"]:
        store.set_tick(day, item, True)
    for day, exercise, times in plan["exercises"]:
        for _ in range(times):
            store.set_exercise_done(day, exercise, True)
    for sha, name, fmt in plan["files"]:
        store.add_file(sha, name, fmt, [Activity(TODAY, "run", 1000.0, source="csv",
                                                 file_sha256=sha)], today=TODAY)
    for key, value in plan["settings"].items():
        store.set_setting(key, value)
    if plan["rules"] is not None:
        store.set_setting("rules", plan["rules"])


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan=stores())
def test_any_store_round_trips_through_json_byte_for_byte(plan) -> None:
    with fresh_store() as original:
        build(original, plan)
        first = export_json(original)
        with fresh_store() as restored:
            import_json(restored, first, TODAY)
            assert export_json(restored) == first
            assert restored.counts() == original.counts()


# --- fuzz: nothing but a refusal escapes, nothing is half-written ----------------------------

FUZZ = settings(max_examples=examples(300), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def valid_doc(tmp_path_factory: pytest.TempPathFactory) -> str:
    opened = open_store(tmp_path_factory.mktemp("doc") / "data")
    seed(opened)
    text = export_json(opened)
    opened.close()
    return text


class Target:
    """An empty store to restore into; replaced after a successful restore."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self.store = self._stack.enter_context(fresh_store())

    def renew(self) -> None:
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self.store = self._stack.enter_context(fresh_store())

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    holder = Target()
    yield holder
    holder.close()


def restore_or_refuse(target: Target, text: str | bytes) -> None:
    try:
        import_json(target.store, text, TODAY)
    except BackupRefused as refused:
        assert refused.reason and "\n" not in refused.reason
        assert target.store.is_empty(), "a refused backup left rows behind"
        return
    target.renew()


@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_json_random_bytes(target, data) -> None:
    restore_or_refuse(target, data)


@FUZZ
@given(value=JSON_VALUES)
def test_fuzz_json_random_documents(target, value) -> None:
    restore_or_refuse(target, json.dumps(value))


@FUZZ
@given(data=st.data())
def test_fuzz_json_mutated_text(target, valid_doc, data) -> None:
    text = valid_doc
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        i = data.draw(st.integers(0, len(text)), label="at")
        piece = data.draw(st.text(alphabet=st.sampled_from(list('{}[]",:0123456789-.e tnu\\')),
                                  max_size=4), label="piece")
        cut = data.draw(st.integers(0, 4), label="cut")
        text = text[:i] + piece + text[i + cut:]
    restore_or_refuse(target, text)


@st.composite
def mutated_docs(draw: st.DrawFn, text: str) -> dict:
    """Change one value somewhere in a valid document to something of another kind."""
    doc = json.loads(text)
    section = draw(st.sampled_from([k for k, v in doc.items() if isinstance(v, list) and v]))
    record = draw(st.sampled_from(doc[section]))
    key = draw(st.sampled_from(sorted(record)))
    record[key] = draw(JSON_VALUES | st.integers(-20, 20) | st.sampled_from(
        ["", "2026-03-21", "1989-12-31", "2026-02-30", "run", "fever", "km", SHA]))
    if draw(st.booleans()):
        doc[draw(st.sampled_from(list(doc)))] = draw(JSON_VALUES)
    return doc


@FUZZ
@given(data=st.data())
def test_fuzz_json_mutated_values(target, valid_doc, data) -> None:
    doc = data.draw(mutated_docs(valid_doc))
    restore_or_refuse(target, json.dumps(doc))


def test_every_section_the_store_dumps_is_checked_on_import_and_written_as_csv(tmp_path) -> None:
    from recoverydesk.interchange.export import CHECKERS
    from recoverydesk.storage.dump import SECTIONS

    assert sorted(CHECKERS) == sorted(s.name for s in SECTIONS)
    with fresh_store() as store:
        written = {p.name for p in export_csv(store, tmp_path / "csv")}
    # psfs_scores is written as §7's psfs.csv: the activity by its name, not its id.
    assert written == ({f"{s.name}.csv" for s in SECTIONS} - {"psfs_scores.csv"}
                       | {"settings.csv", "psfs.csv"})
