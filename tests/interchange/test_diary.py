"""Diary CSV import (DESIGN.md §7): round trips, all-or-nothing rows, hostile files, fuzz."""

from __future__ import annotations

import datetime as dt
import pathlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverydesk.core.model import DayLog
from recoverydesk.interchange.diary import (
    DiaryRefused,
    import_diary,
    parse_diary,
    sniff_shape,
    write_diary,
)
from recoverydesk.interchange.export import activities_csv, days_csv, export_json
from recoverydesk.storage.recovery import open_store
from recoverydesk.storage.store import Store
from tests.budget import examples

TODAY = dt.date(2026, 3, 20)

DAYS_CSV = (
    "date,pain,pain_activity,pain_morning,red_flags,sleep_hours,notes,heat_ice_min,leg_pain,"
    "stiffness_min,pain_sites\n"
    "2026-03-01,6,,6,,,,,5,45,below_knee_left;low_back_centre\n"
    "2026-03-02,4,5,3,fever;numbness,7.5,\"Stiff, then better\nafter lunch\",20,,,\n"
    "2026-03-03,3,,,,8,Léger — ça va 🙂,,0,0,low_back_left\n"
    "2026-03-04,0,0,0,,0,\"She said \"\"rest\"\"\",240,,,\n"
)

ACTIVITIES_CSV = (
    "date,start_time,kind,distance_m,duration_s,elapsed_s,pain,source,file_sha256,cadence_spm\n"
    "2026-03-02,,walk,2500,1800,,3,manual,,\n"
    "2026-03-03,2026-03-03T07:05:00+01:00,run,5012.345,1712.5,1800,,gpx," + "ab" * 32
    + ",171.5\n"
    "2026-03-03,2026-03-03T18:00:00-05:30,swim,,2400,2500,2,csv,,\n"
    "2026-03-04,,yoga,,3600,,,csv,,\n"
)
OLD_ACTIVITIES_CSV = "".join(line.rsplit(",", 1)[0] + "\n"
                             for line in ACTIVITIES_CSV.splitlines())
"""The same rows as written before engine v2 added ``cadence_spm``."""


@pytest.fixture
def store(tmp_path: pathlib.Path):
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def write(tmp_path: pathlib.Path, name: str, text: str | bytes) -> pathlib.Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def test_days_csv_imports_and_exports_back_to_the_same_rows(store, tmp_path) -> None:
    result = import_diary(store, write(tmp_path, "days.csv", DAYS_CSV), TODAY)
    assert result.describe() == "imported 4 days"
    assert days_csv(store) == DAYS_CSV
    log = store.day_log(dt.date(2026, 3, 2))
    assert log == DayLog(dt.date(2026, 3, 2), 4, 5, 3, frozenset({"fever", "numbness"}), 7.5,
                         20, "Stiff, then better\nafter lunch")


def test_activities_csv_imports_and_exports_back_to_the_same_rows(store, tmp_path) -> None:
    result = import_diary(store, write(tmp_path, "activities.csv", ACTIVITIES_CSV), TODAY)
    assert result.describe() == "imported 4 activities"
    assert activities_csv(store) == ACTIVITIES_CSV
    run = next(a for a in store.activities() if a.kind == "run")
    assert run.start_time is not None and run.start_time.utcoffset() == dt.timedelta(hours=1)
    assert (run.distance_m, run.duration_s, run.source) == (5012.345, 1712.5, "gpx")


def test_an_activities_csv_without_cadence_still_imports(store, tmp_path) -> None:
    assert "cadence" not in OLD_ACTIVITIES_CSV
    result = import_diary(store, write(tmp_path, "activities.csv", OLD_ACTIVITIES_CSV), TODAY)
    assert result.describe() == "imported 4 activities"
    assert [a.cadence_spm for a in store.activities()] == [None] * 4


def test_a_cadence_out_of_range_is_refused_by_name(store, tmp_path) -> None:
    bad = ACTIVITIES_CSV.replace(",171.5", ",999")
    with pytest.raises(DiaryRefused, match="cadence_spm"):
        import_diary(store, write(tmp_path, "activities.csv", bad), TODAY)
    assert store.activities() == []


def test_the_same_activities_file_twice_adds_nothing(store, tmp_path) -> None:
    path = write(tmp_path, "activities.csv", ACTIVITIES_CSV)
    import_diary(store, path, TODAY)
    again = import_diary(store, path, TODAY)
    assert again.already and again.describe() == "already imported"
    assert len(store.activities()) == 4


def test_a_spreadsheet_export_is_read_as_a_person_would_expect(store, tmp_path) -> None:
    text = ("\ufeffDate,Pain,Mood,Pain_Morning\r\n"
            "2026-03-05,3,fine,2\r\n"
            ",,,\r\n"
            "2026-03-06,2,great,\r\n")
    assert import_diary(store, write(tmp_path, "diary.csv", text), TODAY).count == 2
    assert [(d.day.day, d.pain, d.pain_morning) for d in store.day_logs()] == [
        (5, 3, 2), (6, 2, None)]


def test_activity_source_is_csv_unless_the_file_names_one_of_ours(store, tmp_path) -> None:
    text = ("date,kind,source,distance_m\n"
            "2026-03-05,run,strava,3000\n"
            "2026-03-06,Walk,,1000\n"
            "2026-03-07,cycle,fit,20000\n")
    import_diary(store, write(tmp_path, "acts.csv", text), TODAY)
    assert [(a.kind, a.source) for a in store.activities()] == [
        ("run", "csv"), ("walk", "csv"), ("cycle", "fit")]


def test_days_replace_pain_fields_and_keep_what_an_empty_cell_leaves(store, tmp_path) -> None:
    store.save_day(DayLog(dt.date(2026, 3, 5), 5, pain_activity=6, pain_morning=4,
                          red_flags=frozenset({"fever"}), sleep_hours=6.0, notes="kept"),
                   today=TODAY)
    import_diary(store, write(tmp_path, "d.csv", "date,pain,notes\n2026-03-05,2,\n"), TODAY)
    log = store.day_log(dt.date(2026, 3, 5))
    assert log == DayLog(dt.date(2026, 3, 5), 2, None, None, frozenset({"fever"}), 6.0,
                         None, "kept")
    import_diary(store, write(tmp_path, "e.csv", "date,pain,red_flags,notes\n"
                                                   "2026-03-05,1,,new words\n"), TODAY)
    log = store.day_log(dt.date(2026, 3, 5))
    assert log is not None
    assert (log.pain, log.red_flags, log.notes) == (1, frozenset(), "new words")


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("2026-03-07,12", "pain", "days.csv row 4: pain: '12' is not allowed; it must be a "
                                  "whole number from 0 to 10"),
        ("2026-03-07,", "pain", "days.csv row 4: pain: '' is not allowed"),
        ("2026-03-07,three", "pain", "days.csv row 4: pain: 'three'"),
        ("2026-03-07,3.5", "pain", "days.csv row 4: pain: '3.5'"),
        ("07/03/2026,3", "date", "days.csv row 4: date: '07/03/2026' is not allowed; it must "
                                 "be a date as YYYY-MM-DD"),
        ("2026-03-21,3", "date", "days.csv row 4: date: '2026-03-21' is not allowed; it must "
                                 "be a date from 1990-01-01 to today (2026-03-20)"),
        ("2026-03-07,3,headache", "red_flag", "days.csv row 4: red_flag: 'headache'"),
        ("2026-03-07,3,,25", "sleep_hours", "days.csv row 4: sleep_hours: '25'"),
        ("2026-03-05,3", "date", "days.csv row 4: date: 2026-03-05 appears twice (rows 2 and 4)"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_row_and_field(store, tmp_path, row, field,
                                                             message) -> None:
    text = f"date,pain,red_flags,sleep_hours\n2026-03-05,2\n2026-03-06,2\n{row}\n"
    store.save_day(DayLog(dt.date(2026, 3, 1), 4), today=TODAY)
    before = export_json(store)
    with pytest.raises(DiaryRefused) as caught:
        import_diary(store, write(tmp_path, "days.csv", text), TODAY)
    assert caught.value.row == 4
    assert caught.value.field == field
    assert caught.value.reason.startswith(message)
    assert export_json(store) == before


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("2026-03-07,,skating,100", "kind"),
        ("2026-03-07,,run,-1", "distance_m"),
        ("2026-03-07,,run,300001", "distance_m"),
        ("2026-03-07,2026-03-07T07:00:00,run,100", "start_time"),
        ("2026-03-07,yesterday,run,100", "start_time"),
    ],
)
def test_bad_activity_rows_name_the_field(store, tmp_path, row, field) -> None:
    text = f"date,start_time,kind,distance_m\n2026-03-06,,walk,100\n{row}\n"
    with pytest.raises(DiaryRefused) as caught:
        import_diary(store, write(tmp_path, "activities.csv", text), TODAY)
    assert (caught.value.row, caught.value.field) == (3, field)
    assert store.activities() == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"date,pain\n2026-03-01,\x00\x01\x02\n", "binary"),
        (bytes(range(256)) * 40, "binary"),
        ("date,pain,notes\n2026-03-01,3,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"name,age\nAlice,30\n", "not a diary file"),
        (b"", "empty"),
        (b"date,pain\n", "no rows"),
        (b"date,pain\n2026-03-01,3,surprise\n", "2 columns"),
        (b"date,pain,notes\n2026-03-01,3,\"" + b"x" * 300_000 + b"\"\n", "longer than"),
        (b"date,pain,pain\n2026-03-01,3,3\n", "appears twice"),
        (b"date,pain\n\"2026-03-01,3\n", "malformed CSV"),
    ],
    ids=["nul", "noise", "latin1", "neither-header", "empty", "header-only", "extra-cell",
         "huge-cell", "duplicate-column", "unterminated-quote"],
)
def test_hostile_files_are_refused_with_a_reason(store, tmp_path, content, reason) -> None:
    with pytest.raises(DiaryRefused) as caught:
        import_diary(store, write(tmp_path, "hostile.csv", content), TODAY)
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason
    assert store.day_logs() == [] and store.activities() == []


def test_a_60_mb_file_is_refused_unread(store, tmp_path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"date,pain\n")
        handle.truncate(60 * 1024 * 1024)  # sparse: no 60 MB written to the disk
    started = time.perf_counter()
    with pytest.raises(DiaryRefused) as caught:
        import_diary(store, path, TODAY)
    assert "larger than 50 MB" in caught.value.reason
    assert time.perf_counter() - started < 5  # refused from its size, never read
    assert store.day_logs() == []


def test_a_folder_or_a_missing_file_is_refused(store, tmp_path) -> None:
    with pytest.raises(DiaryRefused, match="not a regular file"):
        import_diary(store, tmp_path, TODAY)
    with pytest.raises(DiaryRefused, match="cannot open"):
        import_diary(store, tmp_path / "nope.csv", TODAY)


@pytest.mark.parametrize(
    ("head", "shape"),
    [(b"date,pain\n", "days"), (b"\xef\xbb\xbfDATE,Kind,x\r\n", "activities"),
     (b"<gpx>", None), (b"date,notes\n", None), (b"\x00\x01", None)],
)
def test_shape_is_recognised_from_the_header(head, shape) -> None:
    assert sniff_shape(head) == shape


# --- fuzz ------------------------------------------------------------------------------------

FUZZ_SETTINGS = settings(max_examples=examples(300), deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory):
    opened = open_store(tmp_path_factory.mktemp("fuzz") / "data")
    opened.save_day(DayLog(dt.date(2026, 3, 1), 4, notes="before"), today=TODAY)
    yield opened
    opened.close()


def import_or_refuse(store: Store, data: bytes) -> None:
    """Parse and write like ``import_diary``; a refusal must leave the store untouched."""
    before = export_json(store)
    try:
        diary = parse_diary(data, "fuzz.csv", TODAY)
    except DiaryRefused as refused:
        assert refused.reason and "\n" not in refused.reason
        assert export_json(store) == before
        return
    activities_before = len(store.activities())
    done = write_diary(store, diary, TODAY)
    # An accepted file is stored as the file says: its pain fields (the last row of a day
    # wins), or its activities less those already present (issue #17), or nothing at all
    # when it was imported before.
    if done.shape == "days":
        for day, log in {log.day: log for log in diary.days}.items():
            stored = store.day_log(day)
            assert stored is not None
            assert (stored.pain, stored.pain_activity, stored.pain_morning) == (
                log.pain, log.pain_activity, log.pain_morning)
    elif done.already:
        assert export_json(store) == before
    else:
        assert done.count + done.known == len(diary.activities)
        assert len(store.activities()) == activities_before + done.count


@FUZZ_SETTINGS
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(fuzz_store, data) -> None:
    import_or_refuse(fuzz_store, data)


@FUZZ_SETTINGS
@given(text=st.text(max_size=500))
def test_fuzz_random_text_under_a_days_header(fuzz_store, text) -> None:
    import_or_refuse(fuzz_store, ("date,pain,pain_morning,notes\n" + text).encode("utf-8"))


def mutate(text: str, data: st.DataObject) -> str:
    """Damage a valid document a few times: replace, delete or insert characters."""
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        i = data.draw(st.integers(0, len(text)), label="at")
        op = data.draw(st.sampled_from(["replace", "delete", "insert", "duplicate"]))
        piece = data.draw(st.text(alphabet=st.sampled_from(
            list(",;\"\n\r-:.0123456789xTZ+é\x00 ")), min_size=1, max_size=5), label="piece")
        if op == "replace":
            text = text[:i] + piece + text[i + len(piece):]
        elif op == "delete":
            text = text[:i] + text[i + len(piece):]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        else:
            text = text[:i] + text[i:i + 40] + text[i:]
    return text


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzz_mutated_days_csv(fuzz_store, data) -> None:
    import_or_refuse(fuzz_store, mutate(DAYS_CSV, data).encode("utf-8"))


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzz_mutated_activities_csv(fuzz_store, data) -> None:
    import_or_refuse(fuzz_store, mutate(ACTIVITIES_CSV, data).encode("utf-8"))


@settings(FUZZ_SETTINGS, max_examples=examples(60))
@given(data=st.data())
def test_fuzzed_store_reopens_with_everything_it_accepted(tmp_path_factory, data) -> None:
    """What a run of hostile imports left in the file is what reopening it finds, and the
    reopened file passes SQLite's integrity and foreign-key checks."""
    folder = tmp_path_factory.mktemp("reopen") / "data"
    store = open_store(folder)
    try:
        for _ in range(data.draw(st.integers(1, 4), label="files")):
            source = data.draw(st.sampled_from([DAYS_CSV, ACTIVITIES_CSV]), label="source")
            import_or_refuse(store, mutate(source, data).encode("utf-8"))
        seen = export_json(store)
    finally:
        store.close()
    again = open_store(folder)
    try:
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert again.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert export_json(again) == seen
    finally:
        again.close()
