"""read_activity_file against the shared sample files and their manifest, plus the refusals
every format shares (size, emptiness, unknown formats, wrong clocks)."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from recoverydesk.core import model
from recoverydesk.interchange.activity_files import (
    MAX_FILE_BYTES,
    ImportRefused,
    ParsedFile,
    kind_for_sport,
    read_activity_file,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"
MANIFEST = SAMPLES / "manifest.json"

# §7 mapping written out by hand, independently of the code under test.
EXPECTED_KIND = {
    None: "other",
    "Running": "run",
    "running": "run",
    "Other": "other",
    "Biking": "cycle",
    "cycling": "cycle",
    "mountain biking": "cycle",
    "walking": "walk",
    "swimming": "swim",
    "generic": "other",
    "transition": "other",
}

# Files that deliberately become more than one activity.
EXPECTED_COUNT = {
    # Three tracks recorded on three different days: three activities on their own days,
    # not one 45-hour activity (see gpx.py).
    "multitrackgpx.gpx": 3,
    "activity-large-fenxi2-multisport.fit": 7,
}

# What a refusal must mention, per file, so the runner learns why.
EXPECTED_REASON = {
    "route.gpx": "nothing to import",
    "empty_trk.gpx": "nothing to import",
    "run-truncated.gpx": "malformed",
    "simple_workout_1.tcx": "nothing to import",
    "empty.tcx": "empty",
    "strava-android-app-201.10-b1218918.fit": "damaged",
    "activity-unexpected-eof.fit": "truncated",
    "activity-settings-corruptheader.fit": "header",
    "MonitoringFile.fit": "nothing to import",
}


def _manifest_entries() -> list[Any]:
    if not MANIFEST.is_file():
        return [pytest.param(None, id="samples-absent")]
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return [pytest.param(entry, id=entry["file"]) for entry in entries]


def _utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _check_common(parsed: ParsedFile, path: Path) -> None:
    """What holds for every imported file: hash, source, validity, local day."""
    assert parsed.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert parsed.activities
    for activity in parsed.activities:
        assert activity.source == parsed.format
        assert activity.file_sha256 == parsed.sha256
        assert activity.start_time is not None and activity.start_time.tzinfo is not None
        assert activity.day == activity.start_time.astimezone().date()
        model.validate_activity(activity, datetime.date.today())


@pytest.mark.samples
@pytest.mark.parametrize("entry", _manifest_entries())
def test_sample_file_matches_manifest(entry: dict[str, Any] | None) -> None:
    if entry is None:
        pytest.skip(f"shared sample files not found at {SAMPLES}")
    path = SAMPLES / entry["file"]
    if not entry["has_activity"] or entry["expect_error"]:
        with pytest.raises(ImportRefused) as refused:
            read_activity_file(path)
        reason = refused.value.reason
        assert "\n" not in reason and len(reason) > 15
        assert EXPECTED_REASON[entry["file"]] in reason
        if not entry["expect_error"]:
            assert "nothing to import" in reason
        return

    parsed = read_activity_file(path)
    _check_common(parsed, path)
    assert parsed.format == entry["format"]
    assert parsed.sha256 == entry["sha256"]
    activities = parsed.activities
    assert len(activities) == EXPECTED_COUNT.get(entry["file"], 1)
    assert activities[0].start_time == _utc(entry["start_time_utc"])

    sport = entry["sport"]
    if sport is not None and sport.startswith("multisport:"):
        expected_kinds = [EXPECTED_KIND[s] for s in sport.split(":", 1)[1].split(",")]
    else:
        expected_kinds = [EXPECTED_KIND[sport]] * len(activities)
    assert [a.kind for a in activities] == expected_kinds

    distance = sum(a.distance_m or 0.0 for a in activities)
    moving = sum(a.duration_s or 0.0 for a in activities)
    if entry["format"] == "gpx":
        assert distance == pytest.approx(entry["distance_m"], rel=0.005)
        # elapsed is first to last point in the file, whatever it was split into
        starts = [a.start_time for a in activities if a.start_time is not None]
        ends = [a.start_time + datetime.timedelta(seconds=a.elapsed_s or 0.0)
                for a in activities if a.start_time is not None]
        assert (max(ends) - min(starts)).total_seconds() == entry["elapsed_s"]
        expected_moving = entry["moving_or_timer_s"]
        assert abs(moving - expected_moving) <= max(0.25 * expected_moving, 30.0)
        assert all(a.duration_s is None or a.duration_s <= (a.elapsed_s or 0) + 1e-9
                   for a in activities)
    else:
        assert round(distance, 3) == entry["distance_m"]
        assert round(sum(a.elapsed_s or 0.0 for a in activities), 3) == entry["elapsed_s"]
        assert round(moving, 3) == entry["moving_or_timer_s"]


@pytest.mark.samples
def test_multi_day_gpx_becomes_one_activity_per_day() -> None:
    path = SAMPLES / "multitrackgpx.gpx"
    if not path.is_file():
        pytest.skip(f"sample not found: {path}")
    activities = read_activity_file(path).activities
    starts = [a.start_time for a in activities if a.start_time is not None]
    assert sorted({s.astimezone(datetime.UTC).date() for s in starts}) == [
        datetime.date(2008, 7, 12), datetime.date(2008, 7, 13), datetime.date(2008, 7, 14),
    ]
    # none of them claims the 45 hours between the first and the last recording
    assert all((a.elapsed_s or 0) < 3600 for a in activities)


@pytest.mark.samples
def test_gpx_offset_is_kept_and_segments_are_not_bridged() -> None:
    path = SAMPLES / "legacy_gpx_trackpointextensions_incorrect.gpx"
    if not path.is_file():
        pytest.skip(f"sample not found: {path}")
    (activity,) = read_activity_file(path).activities
    assert activity.start_time is not None
    assert activity.start_time.utcoffset() == datetime.timedelta(hours=1)
    assert activity.kind == "cycle"
    assert activity.distance_m is not None and activity.distance_m < 1000  # not ~222 km


@pytest.mark.samples
def test_zero_distance_swim_is_accepted() -> None:
    path = SAMPLES / "garmin-fr935-cr.fit"
    if not path.is_file():
        pytest.skip(f"sample not found: {path}")
    (activity,) = read_activity_file(path).activities
    assert activity.kind == "swim" and activity.distance_m == 0.0


@pytest.mark.samples
def test_today_limits_the_date(tmp_path: Path) -> None:
    path = SAMPLES / "run.gpx"
    if not path.is_file():
        pytest.skip(f"sample not found: {path}")
    with pytest.raises(ImportRefused, match="date"):
        read_activity_file(path, today=datetime.date(2011, 1, 1))
    assert read_activity_file(path, today=datetime.date(2013, 1, 1)).activities


@pytest.mark.samples
def test_format_comes_from_content_not_the_name(tmp_path: Path) -> None:
    for name, fmt in (("run.gpx", "gpx"), ("test.tcx", "tcx"), ("garmin-fenix-5-run.fit", "fit")):
        source = SAMPLES / name
        if not source.is_file():
            pytest.skip(f"sample not found: {source}")
        disguised = tmp_path / f"{fmt}.txt"
        disguised.write_bytes(source.read_bytes())
        assert read_activity_file(disguised).format == fmt
        misnamed = tmp_path / ("x.tcx" if fmt != "tcx" else "x.fit")
        misnamed.write_bytes(source.read_bytes())
        assert read_activity_file(misnamed).format == fmt


# --- refusals that do not depend on the samples ----------------------------------------------

def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    for name in ("a.gpx", "a.tcx", "a.fit", "a"):
        path = tmp_path / name
        path.write_bytes(b"")
        with pytest.raises(ImportRefused, match="empty"):
            read_activity_file(path)


def test_oversize_file_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.gpx"
    with path.open("wb") as handle:  # sparse: no 50 MB actually written
        handle.truncate(MAX_FILE_BYTES + 1)
    path.chmod(0)  # reading it would fail (for non-root users) with a different reason
    try:
        with pytest.raises(ImportRefused) as refused:
            read_activity_file(path)
    finally:
        path.chmod(0o600)
    assert refused.value.reason == "file is larger than 50 MB"


def test_file_of_exactly_the_limit_is_not_refused_for_size(tmp_path: Path) -> None:
    path = tmp_path / "limit.fit"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES)
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(path)
    assert "50 MB" not in refused.value.reason


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    rng = random.Random(20260301)
    for suffix in (".gpx", ".tcx", ".fit", ".bin"):
        path = tmp_path / f"noise{suffix}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
        with pytest.raises(ImportRefused) as refused:
            read_activity_file(path)
        assert refused.value.reason


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="unknown format"):
        read_activity_file(path)
    html = tmp_path / "page.xml"
    html.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(ImportRefused, match="unknown format"):
        read_activity_file(html)


def test_missing_file_folder_and_pipe_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="cannot open"):
        read_activity_file(tmp_path / "absent.gpx")
    with pytest.raises(ImportRefused, match="folder"):
        read_activity_file(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.gpx"
        os.mkfifo(fifo)
        with pytest.raises(ImportRefused, match="not a regular file"):
            read_activity_file(fifo)  # must not block waiting for a writer


def _gpx_with_times(*times: str, kind: str | None = None) -> str:
    points = "".join(
        f'<trkpt lat="46.0" lon="{14.0 + i * 0.001:.3f}"><time>{t}</time></trkpt>'
        for i, t in enumerate(times)
    )
    type_element = f"<type>{kind}</type>" if kind else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk>{type_element}<trkseg>{points}</trkseg></trk></gpx>")


def test_bogus_1901_timestamps_are_refused(tmp_path: Path) -> None:
    # 1901-12-13 is what a signed 32-bit zero-ish clock turns into
    path = tmp_path / "clock.gpx"
    path.write_text(_gpx_with_times("1901-12-13T20:45:52Z", "1901-12-13T20:55:52Z"),
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(path)
    assert "before 1990" in refused.value.reason
    assert "1901-12-13" in refused.value.reason


def test_future_timestamps_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.gpx"
    path.write_text(_gpx_with_times("2085-12-21T16:46:58Z", "2085-12-21T17:46:58Z"),
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(path)
    assert "future" in refused.value.reason


def test_validation_failure_refuses_with_its_message(tmp_path: Path) -> None:
    # two points 5 degrees of latitude apart: about 556 km, over the 300 km limit
    path = tmp_path / "far.gpx"
    text = ('<gpx version="1.1" creator="t"><trk><trkseg>'
            '<trkpt lat="40" lon="10"><time>2020-05-01T08:00:00Z</time></trkpt>'
            '<trkpt lat="45" lon="10"><time>2020-05-01T09:00:00Z</time></trkpt>'
            "</trkseg></trk></gpx>")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(path)
    assert refused.value.reason.startswith("distance:")
    assert "300000" in refused.value.reason


def test_reason_is_one_line() -> None:
    assert ImportRefused("a\nb\n  c").reason == "a b c"
    assert len(ImportRefused("x" * 5000).reason) <= 300


@pytest.mark.parametrize(("sport", "kind"), [
    ("Running", "run"), ("trail_running", "run"), ("treadmill running", "run"),
    ("walking", "walk"), ("Hiking", "walk"),
    ("cycling", "cycle"), ("Biking", "cycle"), ("mountain biking", "cycle"),
    ("e_biking", "cycle"), ("Road Cycling", "cycle"),
    ("swimming", "swim"), ("open_water swim", "swim"),
    ("Other", "other"), ("transition", "other"), ("bike_to_run_transition", "other"),
    ("motorcycling", "other"), ("rowing", "other"), ("", "other"),
    (None, "other"),
])
def test_kind_for_sport(sport: str | None, kind: str) -> None:
    assert kind_for_sport(sport) == kind
