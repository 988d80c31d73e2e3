"""FIT reading: sessions, file types, clocks, CRC, chained and truncated files.

Small FIT files are written here byte by byte (header, definitions, data messages, CRCs) so
each case says exactly what the file holds.
"""

from __future__ import annotations

import dataclasses
import datetime
import struct
from pathlib import Path

import pytest
from fitdecode.utils import compute_crc

from recoverydesk.interchange.activity_files import ImportRefused, read_activity_file

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"

FIT_EPOCH = datetime.datetime(1989, 12, 31, tzinfo=datetime.UTC)
INVALID_U32 = 0xFFFFFFFF
START = datetime.datetime(2024, 5, 4, 7, 0, tzinfo=datetime.UTC)

# FIT profile enums used below
ACTIVITY, SETTINGS, WORKOUT, MONITORING_B = 4, 2, 5, 32
GENERIC, RUNNING, CYCLING, TRANSITION, SWIMMING, WALKING, HIKING, E_BIKING = (
    0, 1, 2, 3, 5, 11, 17, 21)
INDOOR_CYCLING, BIKE_TO_RUN_TRANSITION = 6, 32


@dataclasses.dataclass
class Session:
    start: datetime.datetime | None = START
    sport: int = RUNNING
    sub_sport: int = 0
    distance_m: float = 5000.0
    elapsed_s: float = 1800.0
    timer_s: float = 1700.0
    end: datetime.datetime | None = None


def _stamp(moment: datetime.datetime | None) -> int:
    return INVALID_U32 if moment is None else int((moment - FIT_EPOCH).total_seconds())


def _definition(local: int, global_number: int, fields: list[tuple[int, int, int]]) -> bytes:
    head = bytes([0x40 | local, 0, 0]) + struct.pack("<HB", global_number, len(fields))
    return head + b"".join(bytes(field) for field in fields)


def make_fit(sessions: list[Session], file_type: int = ACTIVITY) -> bytes:
    """A minimal, valid FIT file: file_id, then one session message per Session."""
    body = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
    body += bytes([0]) + struct.pack("<BHI", file_type, 1, _stamp(START))
    if sessions:
        body += _definition(1, 18, [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00),
                                    (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)])
    for s in sessions:
        end = s.end if s.end is not None else (
            s.start + datetime.timedelta(seconds=s.elapsed_s) if s.start else None)
        body += bytes([1]) + struct.pack(
            "<IIBBIII", _stamp(end), _stamp(s.start), s.sport, s.sub_sport,
            round(s.elapsed_s * 1000), round(s.timer_s * 1000), round(s.distance_m * 100))
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", compute_crc(header))
    return header + body + struct.pack("<H", compute_crc(header + body))


def _write(tmp_path: Path, data: bytes, name: str = "file.fit") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_one_session_is_one_activity(tmp_path: Path) -> None:
    parsed = read_activity_file(_write(tmp_path, make_fit([Session()])))
    assert parsed.format == "fit"
    (activity,) = parsed.activities
    assert (activity.kind, activity.distance_m, activity.duration_s, activity.elapsed_s) == (
        "run", 5000.0, 1700.0, 1800.0)
    assert activity.start_time == START
    assert activity.day == START.astimezone().date()
    assert activity.source == "fit" and activity.file_sha256 == parsed.sha256


def test_multisport_gives_one_activity_per_session(tmp_path: Path) -> None:
    legs = [
        Session(START, SWIMMING, 0, 1500, 1800, 1800),
        Session(START + datetime.timedelta(minutes=30), TRANSITION, BIKE_TO_RUN_TRANSITION,
                0, 120, 120),
        Session(START + datetime.timedelta(minutes=32), CYCLING, 0, 40000, 4000, 3900),
        Session(START + datetime.timedelta(minutes=100), RUNNING, 0, 10000, 2700, 2650),
    ]
    activities = read_activity_file(_write(tmp_path, make_fit(legs))).activities
    assert [a.kind for a in activities] == ["swim", "other", "cycle", "run"]
    assert [a.start_time for a in activities] == [leg.start for leg in legs]


@pytest.mark.parametrize(("sport", "sub_sport", "kind"), [
    (WALKING, 0, "walk"), (HIKING, 0, "walk"), (E_BIKING, 0, "cycle"),
    (GENERIC, INDOOR_CYCLING, "cycle"), (GENERIC, 0, "other"), (200, 0, "other"),
])
def test_sport_mapping(tmp_path: Path, sport: int, sub_sport: int, kind: str) -> None:
    data = make_fit([Session(sport=sport, sub_sport=sub_sport)])
    (activity,) = read_activity_file(_write(tmp_path, data)).activities
    assert activity.kind == kind


def test_zero_timer_means_unknown_duration(tmp_path: Path) -> None:
    data = make_fit([Session(distance_m=0, timer_s=0, elapsed_s=0)])
    (activity,) = read_activity_file(_write(tmp_path, data)).activities
    assert activity.duration_s is None and activity.distance_m == 0.0


def test_missing_start_time_is_taken_from_the_session_end(tmp_path: Path) -> None:
    end = START + datetime.timedelta(seconds=1800)
    data = make_fit([Session(start=None, end=end)])
    (activity,) = read_activity_file(_write(tmp_path, data)).activities
    assert activity.start_time == START


def test_session_without_any_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="no start time"):
        read_activity_file(_write(tmp_path, make_fit([Session(start=None)])))


@pytest.mark.parametrize(("file_type", "words"), [
    (MONITORING_B, "monitoring file"), (SETTINGS, "settings file"), (WORKOUT, "workout"),
    (ACTIVITY, "no session"),
])
def test_files_without_sessions_are_nothing_to_import(tmp_path: Path, file_type: int,
                                                      words: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, make_fit([], file_type=file_type)))
    assert refused.value.reason.startswith("nothing to import")
    assert words in refused.value.reason


def test_future_clock_is_refused(tmp_path: Path) -> None:
    bogus = datetime.datetime(2085, 12, 21, 16, 46, 58, tzinfo=datetime.UTC)
    with pytest.raises(ImportRefused, match="future"):
        read_activity_file(_write(tmp_path, make_fit([Session(start=bogus)])))


def test_validation_refuses_a_300_km_plus_session(tmp_path: Path) -> None:
    data = make_fit([Session(distance_m=301_000, elapsed_s=20000, timer_s=20000)])
    with pytest.raises(ImportRefused, match="^distance:"):
        read_activity_file(_write(tmp_path, data))


def test_wrong_crc_is_refused(tmp_path: Path) -> None:
    data = bytearray(make_fit([Session()]))
    data[-10] ^= 0x01  # inside the last data message
    with pytest.raises(ImportRefused, match="CRC"):
        read_activity_file(_write(tmp_path, bytes(data)))


def test_chained_files_are_read_whole(tmp_path: Path) -> None:
    later = Session(start=START + datetime.timedelta(hours=5), sport=WALKING)
    data = make_fit([Session()]) + make_fit([later])
    activities = read_activity_file(_write(tmp_path, data)).activities
    assert [a.kind for a in activities] == ["run", "walk"]
    settings_part = make_fit([], file_type=SETTINGS)
    (only,) = read_activity_file(_write(tmp_path, make_fit([Session()]) + settings_part,
                                        "b.fit")).activities
    assert only.kind == "run"


def test_chained_file_with_corrupt_second_part_is_refused(tmp_path: Path) -> None:
    second = bytearray(make_fit([Session()]))
    second[8:12] = b".FTT"
    with pytest.raises(ImportRefused, match="header"):
        read_activity_file(_write(tmp_path, make_fit([Session()]) + bytes(second)))


@pytest.mark.parametrize("cut", [1, 13, 20, 40, 60])
def test_truncated_file_is_refused(tmp_path: Path, cut: int) -> None:
    data = make_fit([Session(), Session(start=START + datetime.timedelta(hours=1))])
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, data[:-cut]))
    assert "FIT" in refused.value.reason


def test_fit_header_wins_over_the_name(tmp_path: Path) -> None:
    parsed = read_activity_file(_write(tmp_path, make_fit([Session()]), "ride.gpx"))
    assert parsed.format == "fit"


# --- damaged copies of real files ------------------------------------------------------------

@pytest.mark.samples
@pytest.mark.parametrize("name", ["garmin-fenix-5-run.fit", "garmin-edge-820-bike.fit",
                                  "activity-settings.fit"])
@pytest.mark.parametrize("fraction", [0.02, 0.3, 0.6, 0.95])
def test_truncated_sample_is_refused(tmp_path: Path, name: str, fraction: float) -> None:
    source = SAMPLES / name
    if not source.is_file():
        pytest.skip(f"sample not found: {source}")
    data = source.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, data[: int(len(data) * fraction)]))
    assert "damaged" in refused.value.reason or "FIT" in refused.value.reason


@pytest.mark.samples
def test_sample_with_a_flipped_byte_fails_its_crc(tmp_path: Path) -> None:
    source = SAMPLES / "garmin-fenix-5-walk.fit"
    if not source.is_file():
        pytest.skip(f"sample not found: {source}")
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0x40
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, bytes(data)))
    assert "damaged FIT file" in refused.value.reason
