"""days.csv with leg pain, stiffness and body-map sites (DESIGN §7): import, refusal, merge."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from recoverydesk.core.model import BODY_SITES, DayLog
from recoverydesk.interchange.diary import DiaryRefused, import_diary
from recoverydesk.storage.recovery import open_store

TODAY = dt.date(2026, 3, 20)
HEADER = ("date,pain,pain_activity,pain_morning,red_flags,sleep_hours,notes,heat_ice_min,"
          "leg_pain,stiffness_min,pain_sites\n")


@pytest.fixture
def store(tmp_path: pathlib.Path):
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def write(tmp_path: pathlib.Path, text: str) -> pathlib.Path:
    path = tmp_path / "days.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_new_columns_import(store, tmp_path) -> None:
    path = write(tmp_path, HEADER + "2026-03-01,4,,,,,,,6,45,below_knee_left;low_back_centre\n"
                 "2026-03-02,3,,,,,,,,,\n")
    import_diary(store, path, TODAY)
    first, second = store.day_logs()
    assert (first.leg_pain, first.stiffness_min) == (6, 45)
    assert first.pain_sites == {"below_knee_left", "low_back_centre"}
    assert (second.leg_pain, second.stiffness_min, second.pain_sites) == (None, None, set())


def test_unknown_region_names_the_row_and_lists_the_known_ids(store, tmp_path) -> None:
    path = write(tmp_path, HEADER + "2026-03-01,4,,,,,,,,,low_back_centre\n"
                 "2026-03-02,3,,,,,,,,,low_back_centre;left_calf\n")
    with pytest.raises(DiaryRefused) as caught:
        import_diary(store, path, TODAY)
    message = str(caught.value)
    assert "days.csv row 3: pain_sites: 'left_calf'" in message
    assert all(site in message for site in BODY_SITES)
    assert store.day_logs() == []


@pytest.mark.parametrize(("cells", "field"), [
    ("11,,", "leg_pain"), (",241,", "stiffness_min"), ("x,,", "leg_pain"),
])
def test_out_of_range_values_refuse_the_file(store, tmp_path, cells, field) -> None:
    path = write(tmp_path, HEADER + f"2026-03-01,4,,,,,,,{cells}\n")
    with pytest.raises(DiaryRefused, match=f"row 2: {field}"):
        import_diary(store, path, TODAY)


def test_an_older_file_without_the_columns_keeps_them(store, tmp_path) -> None:
    store.save_day(DayLog(dt.date(2026, 3, 1), 5, leg_pain=4, stiffness_min=30,
                          pain_sites=frozenset({"thigh_right"})), today=TODAY)
    path = write(tmp_path, "date,pain,pain_activity,pain_morning,red_flags,sleep_hours,notes\n"
                           "2026-03-01,2,,,,,\n")
    import_diary(store, path, TODAY)
    log = store.day_log(dt.date(2026, 3, 1))
    assert log is not None and log.pain == 2
    assert (log.leg_pain, log.stiffness_min, log.pain_sites) == (4, 30, {"thigh_right"})


PSFS_CSV = ("date,activity,score\n"
            "2026-03-01,run 5 km easy,2\n"
            "2026-03-01,lift my child,3\n"
            "2026-03-08,run 5 km easy,4\n"
            "2026-03-08,carry the shopping,5\n")


def test_psfs_csv_imports_names_and_scores(store, tmp_path) -> None:
    path = tmp_path / "psfs.csv"
    path.write_text(PSFS_CSV, encoding="utf-8")
    done = import_diary(store, path, TODAY)
    assert done.describe() == "imported 4 function scores"
    acts = {a.name: a for a in store.psfs_activities()}
    # a name not scored on the file's last date comes in retired, keeping its history
    assert {n: a.retired for n, a in acts.items()} == {
        "run 5 km easy": False, "lift my child": True, "carry the shopping": False}
    assert acts["carry the shopping"].created == dt.date(2026, 3, 8)
    names = {a.id: a.name for a in acts.values()}
    assert sorted((s.day.day, names[s.activity_id], s.score) for s in store.psfs_scores()) == [
        (1, "lift my child", 3), (1, "run 5 km easy", 2), (8, "carry the shopping", 5),
        (8, "run 5 km easy", 4)]


@pytest.mark.parametrize(("row", "words"), [
    ("2026-03-01,run,11", "row 3: score: '11'"),
    ("2026-03-01,,3", "row 3: activity"),
    ("2026-03-01,Run 5 km easy,3", "row 3: activity: 'Run 5 km easy' is scored twice"),
])
def test_bad_psfs_rows_import_nothing(store, tmp_path, row, words) -> None:
    path = tmp_path / "psfs.csv"
    path.write_text("date,activity,score\n2026-03-01,run 5 km easy,2\n" + row + "\n",
                    encoding="utf-8")
    with pytest.raises(DiaryRefused, match=words):
        import_diary(store, path, TODAY)
    assert store.psfs_scores() == [] and store.psfs_activities() == []
