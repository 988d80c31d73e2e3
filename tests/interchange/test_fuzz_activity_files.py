"""Fuzzing read_activity_file: whatever the bytes, it returns valid activities or refuses.

The promise checked on every case: the result is a ParsedFile whose activities all pass
``validate_activity`` and carry the file's hash, or ImportRefused with a one-line reason;
never another exception and never a hang. Cases range from pure noise to well-formed
documents built from the formats' own elements, and mutations of the real sample files
(for FIT, also with the CRCs repaired so that the decoder goes past the checksum).
"""

from __future__ import annotations

import datetime
import hashlib
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fitdecode.utils import compute_crc
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from recoverydesk.core import model
from recoverydesk.interchange.activity_files import (
    ImportRefused,
    ParsedFile,
    read_activity_file,
)
from tests.budget import examples

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"

# Small and medium samples only, to keep every case quick.
MUTATED_SAMPLES = (
    "garmin-fenix-5-run.fit", "garmin-fenix-5-walk.fit", "garmin-edge-820-bike.fit",
    "activity-settings.fit", "activity-settings-corruptheader.fit", "MonitoringFile.fit",
    "track-with-empty-segment.gpx", "legacy_gpx_trackpointextensions_incorrect.gpx",
    "route.gpx", "empty_trk.gpx", "cerknicko-jezero.gpx", "simple_workout_1.tcx", "test.tcx",
)
# Single-part FIT samples whose CRCs can be recomputed after a mutation.
REFITTED_SAMPLES = ("garmin-fenix-5-run.fit", "garmin-fenix-5-walk.fit",
                    "garmin-edge-820-bike.fit", "MonitoringFile.fit")


def _samples(names: tuple[str, ...]) -> dict[str, bytes]:
    found = {}
    for name in names:
        path = SAMPLES / name
        if path.is_file():
            found[name] = path.read_bytes()
    return found


MUTABLE = _samples(MUTATED_SAMPLES)
REFITTABLE = _samples(REFITTED_SAMPLES)

FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[bytes, str], None]]:
    """Write the bytes to a file and hold read_activity_file to its promise."""
    folder = tmp_path_factory.mktemp("fuzz")
    today = datetime.date.today()

    def run(data: bytes, suffix: str) -> None:
        path = folder / f"case{suffix}"
        path.write_bytes(data)
        try:
            parsed = read_activity_file(path, today)
        except ImportRefused as refused:
            assert refused.reason.strip()
            assert "\n" not in refused.reason
            event("refused: " + " ".join(refused.reason.split(":")[0].split()[:4]))
            return
        event(f"imported {min(len(parsed.activities), 3)}+ activities")
        assert isinstance(parsed, ParsedFile)
        assert parsed.format in ("gpx", "tcx", "fit")
        assert parsed.sha256 == hashlib.sha256(data).hexdigest()
        assert parsed.activities
        for activity in parsed.activities:
            model.validate_activity(activity, today)
            assert activity.source == parsed.format
            assert activity.file_sha256 == parsed.sha256
            assert activity.start_time is not None and activity.start_time.tzinfo is not None

    yield run


SUFFIXES = st.sampled_from([".gpx", ".tcx", ".fit", ".GPX", ".bin", ""])


# --- noise -----------------------------------------------------------------------------------

@settings(FUZZ, max_examples=examples(500))
@given(data=st.binary(min_size=1, max_size=2048), suffix=SUFFIXES)
def test_random_bytes(check: Callable[[bytes, str], None], data: bytes, suffix: str) -> None:
    check(data, suffix)


def _fit_header(size: int, protocol: int, profile: int, header_size: int) -> bytes:
    header = struct.pack("<BBHI4s", header_size, protocol, profile, size, b".FIT")
    if header_size == 14:
        header += struct.pack("<H", compute_crc(header))
    return header


@settings(FUZZ, max_examples=examples(400))
@given(payload=st.binary(max_size=512), protocol=st.sampled_from([0x10, 0x20, 0xFF]),
       profile=st.integers(0, 0xFFFF), header_size=st.sampled_from([12, 14]),
       size_delta=st.integers(-8, 8), good_crc=st.booleans(), suffix=SUFFIXES)
def test_random_payload_behind_a_valid_fit_header(
        check: Callable[[bytes, str], None], payload: bytes, protocol: int, profile: int,
        header_size: int, size_delta: int, good_crc: bool, suffix: str) -> None:
    header = _fit_header(max(0, len(payload) + size_delta), protocol, profile, header_size)
    data = header + payload
    data += struct.pack("<H", compute_crc(data)) if good_crc else b"\0\0"
    check(data, suffix)


PROLOGUES = st.sampled_from([
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0"?>\n<gpx version="1.1" creator="fuzz">',
    '<?xml version="1.0"?><TrainingCenterDatabase xmlns='
    '"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">',
    "\ufeff<?xml version='1.0' encoding='ISO-8859-1'?>",
])


@settings(FUZZ, max_examples=examples(300))
@given(prologue=PROLOGUES, rest=st.text(max_size=300), tail=st.binary(max_size=64),
       suffix=SUFFIXES)
def test_random_text_behind_an_xml_prologue(check: Callable[[bytes, str], None], prologue: str,
                                           rest: str, tail: bytes, suffix: str) -> None:
    check((prologue + rest).encode("utf-8", errors="surrogatepass") + tail, suffix)


# --- well-formed documents built from the formats' own elements -------------------------------
# Each document draws its values either from plausible ones only (so that many import and the
# arithmetic and validation paths run) or from a mix that includes broken ones.

_MORNING = (datetime.datetime(2020, 5, 1, 6), datetime.datetime(2020, 5, 1, 9))
GOOD_TIMES = st.one_of(
    st.datetimes(*_MORNING).map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.datetimes(*_MORNING).map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f+01:00")),
)
ANY_TIMES = st.one_of(GOOD_TIMES, st.sampled_from([
    "2020-05-02T08:00:00", "2020-05-05T08:00:00Z", "1901-12-13T20:45:52Z",
    "1989-12-31T23:59:59Z", "2085-12-21T16:46:58Z", "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00", "2020-02-30T25:61:61Z", "yesterday", "",
]))
GOOD_NUMBERS = st.floats(0, 5000).map(str)
ANY_NUMBERS = st.one_of(
    GOOD_NUMBERS,
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["", "abc", "1e400", "-0", "12,5", " 42 "]),
)
GOOD_COORDINATES = st.floats(45.99, 46.01).map(str)
ANY_COORDINATES = st.one_of(GOOD_COORDINATES, ANY_NUMBERS)
SPORTS = st.sampled_from(["running", "Running", "Biking", "Other", "mountain biking", "hiking",
                          "swimming", "", "&amp;", "rowing"])


def _maybe(tag: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """An element holding one of ``values``, or nothing at all."""
    return st.one_of(st.just(""), values.map(lambda v: f"<{tag}>{v}</{tag}>"))


def _joined(tag: str, parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    return parts.map(lambda p: f"<{tag}>{''.join(p)}</{tag}>")


def _gpx_body(coordinates: st.SearchStrategy[str], times: st.SearchStrategy[str],
              numbers: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    def point(tag: str) -> st.SearchStrategy[str]:
        return st.builds(
            lambda lat, lon, time, ele: f'<{tag} lat="{lat}" lon="{lon}">{ele}{time}</{tag}>',
            coordinates, coordinates, _maybe("time", times), _maybe("ele", numbers))

    segment = _joined("trkseg", st.lists(point("trkpt"), max_size=8))
    track = st.builds(lambda kind, segments: f"<trk>{kind}{''.join(segments)}</trk>",
                      _maybe("type", SPORTS), st.lists(segment, min_size=1, max_size=3))
    route = _joined("rte", st.lists(point("rtept"), max_size=3))
    return st.lists(st.one_of(track, track, track, point("wpt"), route), max_size=4)


GPX_BODY = st.one_of(_gpx_body(GOOD_COORDINATES, GOOD_TIMES, GOOD_NUMBERS),
                     _gpx_body(ANY_COORDINATES, ANY_TIMES, ANY_NUMBERS))


@settings(FUZZ, max_examples=examples(400))
@given(version=st.sampled_from(["1.0", "1.1", "2", ""]), body=GPX_BODY, suffix=SUFFIXES)
def test_generated_gpx(check: Callable[[bytes, str], None], version: str, body: list[str],
                       suffix: str) -> None:
    text = (f'<?xml version="1.0" encoding="UTF-8"?><gpx version="{version}" creator="fuzz" '
            f'xmlns="http://www.topografix.com/GPX/1/1">{"".join(body)}</gpx>')
    check(text.encode("utf-8"), suffix)


def _tcx_body(times: st.SearchStrategy[str],
              numbers: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    point = st.builds(lambda time, metres: f"<Trackpoint>{time}{metres}</Trackpoint>",
                      _maybe("Time", times), _maybe("DistanceMeters", numbers))
    lap = st.builds(
        lambda start, seconds, metres, points: (
            f'<Lap StartTime="{start}">{seconds}{metres}<Track>{"".join(points)}</Track></Lap>'),
        times, _maybe("TotalTimeSeconds", numbers), _maybe("DistanceMeters", numbers),
        st.lists(point, max_size=6))
    activity = st.builds(
        lambda sport, ident, laps: f'<Activity Sport="{sport}">{ident}{"".join(laps)}</Activity>',
        SPORTS, _maybe("Id", times), st.lists(lap, max_size=3))
    multisport = _joined("MultiSportSession", st.lists(activity, max_size=2))
    return st.one_of(
        _joined("Activities", st.lists(st.one_of(activity, activity, multisport), max_size=3)),
        _joined("Workouts", st.lists(_joined("Workout", st.lists(lap, max_size=1)), max_size=2)),
        _joined("Courses", st.lists(_joined("Course", st.lists(point, max_size=2)), max_size=2)),
    )


TCX_BODY = st.one_of(_tcx_body(GOOD_TIMES, GOOD_NUMBERS), _tcx_body(ANY_TIMES, ANY_NUMBERS))


@settings(FUZZ, max_examples=examples(400))
@given(body=TCX_BODY, suffix=SUFFIXES)
def test_generated_tcx(check: Callable[[bytes, str], None], body: str, suffix: str) -> None:
    text = ('<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns='
            f'"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">{body}'
            "</TrainingCenterDatabase>")
    check(text.encode("utf-8"), suffix)


# --- mutated real files ----------------------------------------------------------------------

MUTATIONS = st.lists(st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**32),
              st.integers(1, 255).map(lambda b: bytes([b]))),
    st.tuples(st.just("insert"), st.integers(0, 2**32), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 2**32), st.integers(1, 64).map(
        lambda n: b"\0" * n)),
    st.tuples(st.just("digit"), st.integers(0, 2**32), st.sampled_from(b"0123456789").map(
        lambda d: bytes([d]))),
), min_size=1, max_size=6)


def _mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    """Apply flips, inserts, deletes and digit swaps at positions wrapped into the data."""
    out = bytearray(data)
    for op, where, arg in mutations:
        if not out:
            out.extend(arg)
            continue
        at = where % len(out)
        if op == "flip":
            out[at] ^= arg[0]
        elif op == "insert":
            out[at:at] = arg
        elif op == "delete":
            del out[at:at + len(arg)]
        else:  # swap a digit for another: keeps XML well-formed, changes numbers and times
            digits = [i for i in range(at, min(len(out), at + 4096)) if 48 <= out[i] <= 57]
            if digits:
                out[digits[0]] = arg[0]
    return bytes(out)


@pytest.mark.samples
@settings(FUZZ, max_examples=examples(400))
@given(name=st.sampled_from(sorted(MUTABLE) or ["-"]), mutations=MUTATIONS)
def test_mutated_samples(check: Callable[[bytes, str], None], name: str,
                         mutations: list[tuple[str, int, bytes]]) -> None:
    if not MUTABLE:
        pytest.skip(f"shared sample files not found at {SAMPLES}")
    check(_mutate(MUTABLE[name], mutations), Path(name).suffix)


def _refit(original: bytes, body: bytes) -> bytes:
    """Rebuild a single-part FIT file around a mutated body, with a size and CRCs that fit."""
    header_size = original[0]
    header = bytearray(original[:header_size])
    struct.pack_into("<I", header, 4, len(body))
    if header_size >= 14:
        struct.pack_into("<H", header, 12, compute_crc(bytes(header[:12])))
    data = bytes(header) + body
    return data + struct.pack("<H", compute_crc(data))


@pytest.mark.samples
@settings(FUZZ, max_examples=examples(300))
@given(name=st.sampled_from(sorted(REFITTABLE) or ["-"]), mutations=MUTATIONS)
def test_mutated_fit_with_repaired_crc(check: Callable[[bytes, str], None], name: str,
                                       mutations: list[tuple[str, int, bytes]]) -> None:
    if not REFITTABLE:
        pytest.skip(f"shared sample files not found at {SAMPLES}")
    original = REFITTABLE[name]
    body = _mutate(original[original[0]:-2], mutations)
    check(_refit(original, body), ".fit")


@pytest.mark.samples
def test_refit_leaves_an_unmutated_sample_readable() -> None:
    """The CRC repair is right: without mutations the sample still imports."""
    if "garmin-fenix-5-run.fit" not in REFITTABLE:
        pytest.skip(f"shared sample files not found at {SAMPLES}")
    original = REFITTABLE["garmin-fenix-5-run.fit"]
    assert _refit(original, original[original[0]:-2]) == original
