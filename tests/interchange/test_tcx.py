"""TCX reading: hostile XML, lap summaries, plans that are not recordings, damaged copies."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from recoverydesk.interchange.activity_files import ImportRefused, read_activity_file

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"

NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"


def _write(tmp_path: Path, text: str | bytes, name: str = "file.tcx") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def _lap(start: str, seconds: str, metres: str, *point_times: str) -> str:
    points = "".join(
        f"<Trackpoint><Time>{t}</Time><DistanceMeters>1</DistanceMeters></Trackpoint>"
        for t in point_times
    )
    return (f'<Lap StartTime="{start}"><TotalTimeSeconds>{seconds}</TotalTimeSeconds>'
            f"<DistanceMeters>{metres}</DistanceMeters><Intensity>Active</Intensity>"
            f"<Track>{points}</Track></Lap>")


def _activity(sport: str, activity_id: str | None, *laps: str) -> str:
    id_element = f"<Id>{activity_id}</Id>" if activity_id is not None else ""
    return f'<Activity Sport="{sport}">{id_element}{"".join(laps)}</Activity>'


def _tcx(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="{NS}">'
            f"{body}</TrainingCenterDatabase>")


RUN = _activity(
    "Running", "2024-05-04T07:00:00Z",
    _lap("2024-05-04T07:00:00Z", "600.5", "2000.25",
         "2024-05-04T07:00:00Z", "2024-05-04T07:10:00Z"),
    _lap("2024-05-04T07:10:00Z", "300", "1000",
         "2024-05-04T07:10:00Z", "2024-05-04T07:15:30Z"),
)


def test_laps_are_summed_and_elapsed_runs_to_the_last_point(tmp_path: Path) -> None:
    parsed = read_activity_file(_write(tmp_path, _tcx(f"<Activities>{RUN}</Activities>")))
    assert parsed.format == "tcx"
    (activity,) = parsed.activities
    assert activity.kind == "run"
    assert activity.distance_m == 3000.25
    assert activity.duration_s == 900.5
    assert activity.elapsed_s == 930.0
    assert activity.start_time == datetime.datetime(2024, 5, 4, 7, tzinfo=datetime.UTC)


def test_each_activity_and_multisport_session_is_read(tmp_path: Path) -> None:
    ride = _activity("Biking", "2024-05-04T08:00:00+02:00",
                     _lap("2024-05-04T08:00:00+02:00", "1200", "9000"))
    body = (f"<Activities>{RUN}<MultiSportSession><Id>2024-05-04T08:00:00+02:00</Id>"
            f"<FirstSport>{ride}</FirstSport></MultiSportSession></Activities>")
    activities = read_activity_file(_write(tmp_path, _tcx(body))).activities
    assert [a.kind for a in activities] == ["run", "cycle"]
    ride_activity = activities[1]
    assert ride_activity.start_time is not None
    assert ride_activity.start_time.utcoffset() == datetime.timedelta(hours=2)
    assert ride_activity.elapsed_s is None  # no trackpoints: unknown, not zero


def test_missing_id_falls_back_to_the_first_lap(tmp_path: Path) -> None:
    body = "<Activities>" + _activity(
        "Other", None, _lap("2024-05-04T07:00:00Z", "60", "100", "2024-05-04T07:01:00Z"),
    ) + "</Activities>"
    (activity,) = read_activity_file(_write(tmp_path, _tcx(body))).activities
    assert activity.start_time == datetime.datetime(2024, 5, 4, 7, tzinfo=datetime.UTC)
    assert activity.kind == "other" and activity.elapsed_s == 60.0


def test_workout_and_course_are_nothing_to_import(tmp_path: Path) -> None:
    workout = _tcx('<Workouts><Workout Sport="Running"><Name>Intervals</Name></Workout>'
                   "</Workouts>")
    with pytest.raises(ImportRefused, match="nothing to import: .*workout"):
        read_activity_file(_write(tmp_path, workout))
    course = _tcx("<Courses><Course><Name>Loop</Name></Course></Courses>")
    with pytest.raises(ImportRefused, match="nothing to import: .*course"):
        read_activity_file(_write(tmp_path, course))
    with pytest.raises(ImportRefused, match="nothing to import"):
        read_activity_file(_write(tmp_path, _tcx("<Activities/>")))


def test_activity_without_laps_is_nothing_to_import(tmp_path: Path) -> None:
    body = '<Activities><Activity Sport="Running"><Id>2024-05-04T07:00:00Z</Id></Activity>' \
           "</Activities>"
    with pytest.raises(ImportRefused, match="nothing to import"):
        read_activity_file(_write(tmp_path, _tcx(body)))


def test_damaged_numbers_and_times_are_named(tmp_path: Path) -> None:
    bad_distance = _tcx("<Activities>" + _activity(
        "Running", "2024-05-04T07:00:00Z", _lap("2024-05-04T07:00:00Z", "60", "far")
    ) + "</Activities>")
    with pytest.raises(ImportRefused, match="lap distance is not a number"):
        read_activity_file(_write(tmp_path, bad_distance))
    bad_time = _tcx("<Activities>" + _activity(
        "Running", "last Tuesday", _lap("2024-05-04T07:00:00Z", "60", "10")
    ) + "</Activities>")
    with pytest.raises(ImportRefused, match="not a date and time"):
        read_activity_file(_write(tmp_path, bad_time))
    infinite = _tcx("<Activities>" + _activity(
        "Running", "2024-05-04T07:00:00Z", _lap("2024-05-04T07:00:00Z", "inf", "10")
    ) + "</Activities>")
    with pytest.raises(ImportRefused, match="not a finite number"):
        read_activity_file(_write(tmp_path, infinite))


def test_trackpoints_before_the_start_are_refused(tmp_path: Path) -> None:
    body = "<Activities>" + _activity(
        "Running", "2024-05-04T07:00:00Z",
        _lap("2024-05-04T07:00:00Z", "60", "100", "2024-05-04T06:00:00Z"),
    ) + "</Activities>"
    with pytest.raises(ImportRefused, match="damaged TCX"):
        read_activity_file(_write(tmp_path, _tcx(body)))


def test_over_long_timer_is_refused_by_validation(tmp_path: Path) -> None:
    body = "<Activities>" + _activity(
        "Running", "2024-05-04T07:00:00Z", _lap("2024-05-04T07:00:00Z", "90000", "100"),
    ) + "</Activities>"
    with pytest.raises(ImportRefused, match="^duration:"):
        read_activity_file(_write(tmp_path, _tcx(body)))


def test_1901_id_is_refused(tmp_path: Path) -> None:
    body = "<Activities>" + _activity(
        "Running", "1901-12-13T20:45:52Z", _lap("1901-12-13T20:45:52Z", "60", "100"),
    ) + "</Activities>"
    with pytest.raises(ImportRefused, match="before 1990"):
        read_activity_file(_write(tmp_path, _tcx(body)))


# --- hostile XML ---------------------------------------------------------------------------

def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = ['<!ENTITY a0 "ha">'] + [
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    text = ('<?xml version="1.0"?>\n<!DOCTYPE TrainingCenterDatabase [' + "".join(entities)
            + "]>\n" + f'<TrainingCenterDatabase xmlns="{NS}"><Activities>'
            + RUN.replace("<Id>", "<Notes>&a9;</Notes><Id>")
            + "</Activities></TrainingCenterDatabase>")
    with pytest.raises(ImportRefused, match="unsafe"):
        read_activity_file(_write(tmp_path, text))


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?>\n'
            '<!DOCTYPE TrainingCenterDatabase [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'<TrainingCenterDatabase xmlns="{NS}"><Activities>'
            '<Activity Sport="&xxe;"><Id>2024-05-04T07:00:00Z</Id>'
            + _lap("2024-05-04T07:00:00Z", "60", "100")
            + "</Activity></Activities></TrainingCenterDatabase>")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, text))
    assert "unsafe" in refused.value.reason and "root:" not in refused.value.reason


def test_malformed_xml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="malformed TCX"):
        read_activity_file(_write(tmp_path, _tcx("<Activities>")[:-10]))


def test_utf16_file_is_read(tmp_path: Path) -> None:
    text = _tcx(f"<Activities>{RUN}</Activities>").replace("UTF-8", "UTF-16")
    path = _write(tmp_path, text.encode("utf-16"))
    assert read_activity_file(path).format == "tcx"


# --- damaged copies of real files ------------------------------------------------------------

@pytest.mark.samples
@pytest.mark.parametrize("name", ["test.tcx", "tour_hr.tcx"])
@pytest.mark.parametrize("fraction", [0.01, 0.25, 0.5, 0.75, 0.99])
def test_truncated_sample_is_refused(tmp_path: Path, name: str, fraction: float) -> None:
    source = SAMPLES / name
    if not source.is_file():
        pytest.skip(f"sample not found: {source}")
    data = source.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, data[: int(len(data) * fraction)]))
    assert "malformed" in refused.value.reason


def test_activities_are_found_only_where_the_schema_puts_them(tmp_path: Path) -> None:
    # thousands of Activity elements nested inside laps: not recordings, and no slow search
    unit = ('<Activity Sport="Running"><Id>2024-05-04T07:00:00Z</Id>'
            '<Lap StartTime="2024-05-04T07:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>')
    nested = unit * 3000 + "</Lap></Activity>" * 3000
    with pytest.raises(ImportRefused, match="nested more than"):
        read_activity_file(_write(tmp_path, _tcx(f"<Activities>{nested}</Activities>")))
    shallow = unit * 3 + "</Lap></Activity>" * 3
    (activity,) = read_activity_file(_write(tmp_path, _tcx(
        f"<Activities>{shallow}</Activities>"))).activities
    assert activity.duration_s == 60.0


def test_deeply_nested_elements_are_refused_in_one_line(tmp_path: Path) -> None:
    deep = "<Extensions>" * 200_000 + "</Extensions>" * 200_000
    body = "<Activities>" + RUN.replace("<Id>", deep + "<Id>") + "</Activities>"
    with pytest.raises(ImportRefused, match="nested more than 64 deep") as refused:
        read_activity_file(_write(tmp_path, _tcx(body)))
    assert "\n" not in refused.value.reason
