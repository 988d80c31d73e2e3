"""Archives (Strava and Garmin exports, folders, .gz files), hostile archives, and cadence.

Every archive is built here, in ``tmp_path``, from the shared sample files, shaped like the
real exports (DESIGN.md §7).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import pathlib
import tracemalloc
import zipfile
from collections.abc import Iterator

import pytest

from recoverydesk.core.model import EpisodeInfo
from recoverydesk.interchange.activity_files import ImportRefused, read_activity_file
from recoverydesk.interchange.archives import (
    ArchiveReader,
    ArchiveRefused,
    Limits,
    is_archive,
    strava_date,
    strava_kind,
    strava_rows,
)
from recoverydesk.interchange.importing import import_file, prepare_member
from recoverydesk.storage.store import Store

SAMPLES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "activities"
TODAY = dt.date(2026, 11, 1)
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(),
                                   reason=f"sample activity files not found at {SAMPLES}")

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed\n")


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data")
    opened.start_episode(EpisodeInfo(dt.date(2026, 3, 1)), today=TODAY)
    yield opened
    opened.close()


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def import_source(store: Store, path: pathlib.Path,
                  limits: Limits | None = None) -> list[tuple[str, str]]:
    """Import every member as the CLI and the window do; (name, status or reason) each."""
    lines = []
    for member in ArchiveReader(path, TODAY, limits):
        try:
            outcome = prepare_member(path, member, TODAY).commit(store, TODAY)
            lines.append((member.name, outcome.status))
        except ImportRefused as exc:
            lines.append((member.name, "failed: " + exc.reason))
    return lines


def strava_zip(tmp_path: pathlib.Path) -> pathlib.Path:
    """A Strava bulk export: gzipped and plain files, a CSV with a file-less row, routes/."""
    csv_text = STRAVA_HEADER + (
        '101,"Feb 5, 2005, 6:00:00 AM",Run,Run,,1,1.0,,,false,,,activities/101.fit.gz,,,1.0,'
        '1.0,1000.0,\n'
        '102,"Oct 1, 2006, 3:00:00 PM",Walk,Walk,,1,1.0,,,false,,,activities/102.tcx.gz,,,1.0,'
        '1.0,1000.0,\n'
        '103,"Jan 5, 2021, 7:12:33 AM",Treadmill,Run,,1800,5.01,,,false,,,,,,1800.0,1750.0,'
        '5012.3,\n'
        '104,"Jun 30, 2020, 11:59:59 PM",Laps,Swim,,2400,1.5,,,false,,,,,,2400.0,2300.0,1500.0,\n'
        '105,"Mar 3, 2007, 9:00:00 AM",Spin,Ride,,3600,20.0,,,false,,,activities/105.gpx,,,'
        '3600.0,3500.0,20000.0,\n')
    path = tmp_path / "export_12345.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities.csv", csv_text)
        z.writestr("activities/101.fit.gz", gzip.compress(sample("garmin-fenix-5-run.fit")))
        z.writestr("activities/102.tcx.gz", gzip.compress(sample("walking_activity_1.tcx")))
        z.writestr("activities/105.gpx", sample("run.gpx"))
        z.writestr("routes/1.gpx", sample("route.gpx"))
        z.writestr("routes/2.gpx", sample("run.gpx"))  # a route folder is never read
        z.writestr("profile.csv", "Athlete ID,Email\n1,a@b.c\n")
        z.writestr("media/photo.jpg", b"\xff\xd8\xff" + b"x" * 100)
    return path


@needs_samples
def test_strava_export_imports_files_and_file_less_rows_once(store, tmp_path) -> None:
    path = strava_zip(tmp_path)
    assert is_archive(path)
    lines = import_source(store, path)
    assert [status for _, status in lines] == ["imported"] * 5
    assert not any("routes" in name for name, _ in lines)
    acts = store.activities()
    assert len(acts) == 5
    # files: their own start times win over the CSV's (which say 2005-2007 here)
    run_file = read_activity_file(SAMPLES / "garmin-fenix-5-run.fit", TODAY).activities[0]
    assert any(a.start_time == run_file.start_time and a.kind == "run" for a in acts)
    assert not any(a.day.year in (2005, 2006, 2007) for a in acts)
    # the file-less rows: date (UTC → local), kind, metres from the second Distance column,
    # elapsed from the first Elapsed Time, moving time
    manual = sorted((a for a in acts if a.source == "csv"), key=lambda a: a.day)
    expected_run_day = dt.datetime(2021, 1, 5, 7, 12, 33, tzinfo=dt.UTC).astimezone().date()
    expected_swim_day = dt.datetime(2020, 6, 30, 23, 59, 59, tzinfo=dt.UTC).astimezone().date()
    assert [(a.day, a.kind, a.distance_m, a.elapsed_s, a.duration_s) for a in manual] == [
        (expected_swim_day, "swim", 1500.0, 2400.0, 2300.0),
        (expected_run_day, "run", 5012.3, 1800.0, 1750.0)]
    # importing again adds nothing
    again = import_source(store, path)
    assert [status for _, status in again] == ["already"] * 5
    assert len(store.activities()) == 5


@needs_samples
def test_the_same_run_from_an_archive_and_a_loose_file_is_one_activity(store, tmp_path) -> None:
    import_source(store, strava_zip(tmp_path))
    loose = tmp_path / "101.fit"
    loose.write_bytes(sample("garmin-fenix-5-run.fit"))
    assert import_file(store, loose, TODAY).status == "already"
    assert len(store.activities()) == 5


@needs_samples
def test_garmin_export_reads_fit_files_in_nested_zips(store, tmp_path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("12345.fit", sample("garmin-fenix-5-run.fit"))
        z.writestr("67890.fit", sample("garmin-fenix-5-walk.fit"))
        z.writestr("99999.fit", sample("MonitoringFile.fit"))
    path = tmp_path / "garmin.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", "{}")
        z.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
                   inner.getvalue())
    lines = import_source(store, path)
    statuses = {name.rsplit("›", 1)[-1].strip(): status for name, status in lines}
    assert statuses["12345.fit"] == statuses["67890.fit"] == "imported"
    assert statuses["99999.fit"].startswith("failed: nothing to import")
    assert sorted(a.kind for a in store.activities()) == ["run", "walk"]


@needs_samples
def test_a_folder_and_a_single_gz_file_import_like_their_files(store, tmp_path) -> None:
    folder = tmp_path / "GARMIN" / "Activity"
    folder.mkdir(parents=True)
    (folder / "A1.FIT").write_bytes(sample("garmin-fenix-5-run.fit"))
    (folder / "notes.txt").write_text("not an activity")
    single = tmp_path / "ride.gpx.gz"
    single.write_bytes(gzip.compress(sample("run.gpx")))
    assert [s for _, s in import_source(store, tmp_path / "GARMIN")] == ["imported"]
    assert [s for _, s in import_source(store, single)] == ["imported"]
    assert len(store.activities()) == 2


@pytest.mark.parametrize(("strava", "kind"), [
    ("Run", "run"), ("Trail Run", "run"), ("VirtualRun", "run"), ("Walk", "walk"),
    ("Hike", "walk"), ("Ride", "cycle"), ("E-Bike Ride", "cycle"), ("Virtual Ride", "cycle"),
    ("Swim", "swim"), ("Elliptical", "elliptical"), ("Weight Training", "strength"),
    ("Yoga", "yoga"), ("Rowing", "other"), ("", "other")])
def test_strava_types_map_to_our_kinds(strava, kind) -> None:
    assert strava_kind(strava) == kind


def test_strava_dates_are_read_as_english_utc_whatever_the_locale() -> None:
    assert strava_date("Jan 5, 2021, 7:12:33 AM") == dt.datetime(2021, 1, 5, 7, 12, 33,
                                                                  tzinfo=dt.UTC)
    assert strava_date("Dec 31, 2019, 12:05:00 AM").hour == 0
    assert strava_date("Dec 31, 2019, 12:05:00 PM").hour == 12
    with pytest.raises(ValueError):
        strava_date("31.12.2019")


def test_a_bad_strava_row_is_one_line_naming_the_field_and_the_others_import(
        store, tmp_path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("activities.csv", STRAVA_HEADER
                   + '1,"Feb 30th",Run,Run,,60,1,,,,,,,,,60,60,1000,\n'
                   + '2,"Feb 3, 2020, 7:00:00 AM",Run,Run,,60,1,,,,,,,,,60,60,1000,\n')
    lines = import_source(store, path)
    assert lines[0][1].startswith("failed: Activity Date")
    assert lines[1][1] == "imported"


# --- hostile archives ------------------------------------------------------------------------

def test_a_gzip_bomb_is_refused_in_one_line_with_little_memory(store, tmp_path) -> None:
    bomb = tmp_path / "bomb.fit.gz"
    one_mib = gzip.compress(bytes(1 << 20), compresslevel=9)
    with bomb.open("wb") as out:
        for _ in range(1024):  # 1 GiB of zeros as 1,024 gzip members: never in memory
            out.write(one_mib)
    assert bomb.stat().st_size < 5 << 20
    tracemalloc.start()
    try:
        lines = import_source(store, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(lines) == 1 and "bomb" in lines[0][1]
    assert peak < 160 << 20  # the 50 MB member cap and its copies, not the gigabyte
    assert store.activities() == []


def test_a_zip_bomb_member_is_refused_and_the_others_import(store, tmp_path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("activities/big.fit", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(60):  # just over the 50 MB member cap
                member.write(zeros)
        if SAMPLES.is_dir():
            z.writestr("activities/ok.gpx", sample("run.gpx"))
    lines = dict(import_source(store, path))
    assert "more than 50 MB" in lines["bomb.zip › activities/big.fit"]
    if SAMPLES.is_dir():
        assert lines["bomb.zip › activities/ok.gpx"] == "imported"


def test_the_total_decompressed_size_is_capped(store, tmp_path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(5):
            z.writestr(f"{n}.gpx", b"<gpx>" + bytes(3 << 20) + b"</gpx>")
    with pytest.raises(ArchiveRefused, match="archive_max_total_bytes"):
        import_source(store, path, Limits(max_total_bytes=10 << 20))


def test_twenty_thousand_members_are_refused_unread(store, tmp_path) -> None:
    path = tmp_path / "crowd.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for n in range(20_000):
            z.writestr(f"activities/{n}.gpx", b"")
    with pytest.raises(ArchiveRefused, match="more than 10,000 entries") as caught:
        import_source(store, path)
    assert "\n" not in caught.value.reason
    assert store.activities() == []


@needs_samples
def test_nesting_ten_deep_stops_at_the_depth_cap(store, tmp_path) -> None:
    data = zip_of({"run.gpx": sample("run.gpx")})
    for level in range(9):
        data = zip_of({f"level{level}.zip": data})
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    lines = import_source(store, path)
    assert len(lines) == 1
    assert "nested more than 3 deep" in lines[0][1]
    assert store.activities() == []


@needs_samples
def test_member_names_are_never_used_as_paths(store, tmp_path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    path = victim / "names.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../../escaped.gpx", sample("run.gpx"))
        z.writestr(str(tmp_path / "absolute.tcx"), sample("running_activity_1.tcx"))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    lines = import_source(store, path)
    assert [s for _, s in lines] == ["imported", "imported"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written anywhere
    assert not (tmp_path / "absolute.tcx").exists()


@needs_samples
def test_a_truncated_zip_is_refused_in_one_line(store, tmp_path) -> None:
    whole = strava_zip(tmp_path).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ArchiveRefused) as caught:
        import_source(store, cut)
    assert caught.value.reason == "damaged ZIP archive: it is cut short or is not a ZIP file"
    assert store.activities() == []


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


# --- cadence -----------------------------------------------------------------------------------

@needs_samples
def test_fit_cadence_is_the_mean_step_rate_of_moving_records() -> None:
    import fitdecode

    rates = []
    stopped = False
    with fitdecode.FitReader(str(SAMPLES / "garmin-fenix-5-run.fit")) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "event" and frame.get_value("event") == "timer":
                stopped = frame.get_value("event_type") != "start"
            if frame.name == "record" and not stopped:
                strides = frame.get_value("cadence", fallback=None)
                if strides:
                    half = frame.get_value("fractional_cadence", fallback=None) or 0
                    rates.append(2 * (strides + half))
    assert rates, "the sample run records cadence"
    expected = sum(rates) / len(rates)
    run = read_activity_file(SAMPLES / "garmin-fenix-5-run.fit", TODAY).activities[0]
    assert run.cadence_spm == pytest.approx(expected, abs=0.001)
    assert 150 < run.cadence_spm < 200  # steps a minute, not strides


@needs_samples
def test_only_runs_keep_a_cadence() -> None:
    walk = read_activity_file(SAMPLES / "garmin-fenix-5-walk.fit", TODAY).activities[0]
    ride = read_activity_file(SAMPLES / "garmin-edge-820-bike.fit", TODAY).activities[0]
    assert walk.cadence_spm is None and ride.cadence_spm is None


TCX = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Running"><Id>2026-05-01T07:00:00Z</Id>
  <Lap StartTime="2026-05-01T07:00:00Z"><TotalTimeSeconds>240</TotalTimeSeconds>
   <DistanceMeters>800</DistanceMeters><Track>{points}</Track></Lap>
 </Activity></Activities></TrainingCenterDatabase>"""
TCX_POINT = ("<Trackpoint><Time>2026-05-01T07:0{i}:00Z</Time><Extensions><ns3:TPX>"
             "<ns3:Speed>{speed}</ns3:Speed><ns3:RunCadence>{cad}</ns3:RunCadence>"
             "</ns3:TPX></Extensions></Trackpoint>")

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"""
GPX_POINT = ('<trkpt lat="47.{i}" lon="8.5"><time>2026-05-01T07:0{i}:00Z</time><extensions>'
             "<gpxtpx:TrackPointExtension><gpxtpx:cad>{cad}</gpxtpx:cad>"
             "</gpxtpx:TrackPointExtension></extensions></trkpt>")


@pytest.mark.parametrize(("raw", "speeds", "expected"), [
    ([84, 86, 0, 88], [3, 3, 3, 3], (84 + 86 + 88) / 3 * 2),   # per leg: doubled, 0 skipped
    ([84, 86, 90, 88], [3, 3, 0, 3], (84 + 86 + 88) / 3 * 2),  # a paused point skipped
    ([168, 172, 176, 0], [3, 3, 3, 3], (168 + 172 + 176) / 3),  # already steps a minute
])
def test_tcx_run_cadence(tmp_path, raw, speeds, expected) -> None:
    points = "".join(TCX_POINT.format(i=i, speed=s, cad=c)
                     for i, (c, s) in enumerate(zip(raw, speeds, strict=True)))
    path = tmp_path / "run.tcx"
    path.write_text(TCX.format(points=points))
    run = read_activity_file(path, TODAY).activities[0]
    assert run.cadence_spm == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize(("raw", "expected"), [
    ([80, 0, 82, 84], (80 + 82 + 84) / 3 * 2),
    ([170, 172, 0, 174], (170 + 172 + 174) / 3),
])
def test_gpx_trackpoint_extension_cadence(tmp_path, raw, expected) -> None:
    points = "".join(GPX_POINT.format(i=i, cad=c) for i, c in enumerate(raw))
    path = tmp_path / "run.gpx"
    path.write_text(GPX.format(points=points))
    run = read_activity_file(path, TODAY).activities[0]
    assert run.kind == "run"
    assert run.cadence_spm == pytest.approx(expected, abs=0.001)


def test_a_file_without_cadence_has_none(tmp_path) -> None:
    path = tmp_path / "run.gpx"
    path.write_text(GPX.format(points="".join(
        GPX_POINT.format(i=i, cad=0) for i in range(3))))
    assert read_activity_file(path, TODAY).activities[0].cadence_spm is None


def test_strava_row_key_is_stable_across_exports() -> None:
    """A later export's activities.csv (more rows, other bytes) dedupes by Strava id."""
    first = hashlib.sha256(b"strava activity 103").hexdigest()
    members = list(strava_rows(
        (STRAVA_HEADER + '103,"Jan 5, 2021, 7:12:33 AM",T,Run,,1800,5,,,,,,,,,1800,1750,5000,\n'
         ).encode(), "activities.csv", set(), TODAY))
    assert [m.key for m in members] == [first]
