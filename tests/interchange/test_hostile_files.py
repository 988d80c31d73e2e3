"""Generated hostile activity files (issue #17): each is refused in one line, never crashes
the process and never runs away; well-formed files of the same shapes within the bounds still
import. Each test builds its own file, so none depends on the shared samples."""

from __future__ import annotations

import datetime
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from recoverydesk.interchange import fit
from recoverydesk.interchange.activity_files import (
    FORMAT_LIMITS,
    ImportRefused,
    read_activity_file,
)
from recoverydesk.interchange.fitcrc import crc16
from recoverydesk.interchange.xmlguard import MAX_DEPTH, ShapeRefused, check_shape, root_name

GPX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t" '
            'xmlns="http://www.topografix.com/GPX/1/1">')
START = datetime.datetime(2024, 5, 4, 7, 0, tzinfo=datetime.UTC)


def _points(n: int, inner: str = "") -> str:
    return "".join(
        f'<trkpt lat="{46 + i * 0.0003:.5f}" lon="14.0"><time>'
        f'{(START + datetime.timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")}'
        f"</time>{inner}</trkpt>" for i in range(n))


def _gpx(points: str) -> str:
    return GPX_HEAD + "<trk><trkseg>" + points + "</trkseg></trk></gpx>"


def _refused(tmp_path: Path, data: str | bytes, name: str = "hostile.gpx") -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(path)
    reason = refused.value.reason
    assert "\n" not in reason
    return reason


# --- depth and element count ---------------------------------------------------------------

DEEP_SHAPES = {
    "plain": lambda n: "<extensions>" * n + "</extensions>" * n,
    "prefixed": lambda n: "<a:e>" * n + "</a:e>" * n,
    "attribute hiding a self-close": lambda n: '<e x="/>">' * n + "</e>" * n,
    "text that looks like a self-close": lambda n: "<e>/>" * n + "</e>" * n,
    "comment hiding the closing tags": lambda n: "<e><!-- </e> -->" * n + "</e>" * n,
    "CDATA hiding the closing tags": lambda n: "<e><![CDATA[</e>]]>" * n + "</e>" * n,
    "single quotes": lambda n: "<e x='>'>" * n + "</e>" * n,
}


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_deep_nesting_in_any_disguise_is_refused_before_gpxpy(tmp_path: Path, shape: str) -> None:
    # 50,000 deep: gpxpy's recursive copy of such an element overflowed the C stack and
    # killed the process; a child process would die with a signal instead of printing a line.
    nested = DEEP_SHAPES[shape](50_000)
    text = _gpx(_points(3, f"<extensions>{nested}</extensions>"))
    path = tmp_path / "deep.gpx"
    path.write_text(text, encoding="utf-8")
    child = subprocess.run(
        [sys.executable, "-c",
         "import sys, pathlib\n"
         "from recoverydesk.interchange.activity_files import read_activity_file, "
         "ImportRefused\n"
         "try:\n    read_activity_file(pathlib.Path(sys.argv[1]))\n"
         "except ImportRefused as e:\n    print(e.reason)\n", str(path)],
        capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert f"nested more than {MAX_DEPTH} deep" in child.stdout


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_nesting_within_the_bound_is_not_refused(shape: str) -> None:
    check_shape("<gpx>" + DEEP_SHAPES[shape](MAX_DEPTH - 1) + "</gpx>")
    with pytest.raises(ShapeRefused, match="nested"):
        check_shape("<gpx>" + DEEP_SHAPES[shape](MAX_DEPTH + 1) + "</gpx>")


def test_a_deep_tcx_file_is_refused(tmp_path: Path) -> None:
    body = "<Activities>" + "<Lap>" * 5000 + "</Lap>" * 5000 + "</Activities>"
    reason = _refused(tmp_path, '<TrainingCenterDatabase xmlns="http://www.garmin.com/'
                      'xmlschemas/TrainingCenterDatabase/v2">' + body
                      + "</TrainingCenterDatabase>", "deep.tcx")
    assert "nested more than" in reason


def test_a_flood_of_empty_elements_is_refused_by_count(tmp_path: Path) -> None:
    reason = _refused(tmp_path, _gpx(_points(3) + "<x/>" * 1_100_000))
    assert "more than 1,000,000 XML elements" in reason


def test_a_truncated_file_is_still_called_malformed_not_deep(tmp_path: Path) -> None:
    text = _gpx(_points(20))
    reason = _refused(tmp_path, text[: len(text) // 2])
    assert "malformed" in reason and "nested" not in reason


# --- sniffing is linear ----------------------------------------------------------------------

@pytest.mark.parametrize("junk", ["<!--", "<![CDATA[", "<?", "<!"])
def test_sniffing_megabytes_of_unterminated_markup_ends(tmp_path: Path, junk: str) -> None:
    # 64 KB of "<!--" took 6 s with the old regex (quadratic); 4 MB would take hours.
    text = junk * (4 * 1024 * 1024 // len(junk))
    assert root_name(text) is None
    reason = _refused(tmp_path, text, "junk.xml")
    assert "unknown format" in reason


def test_sniffing_finds_the_root_after_comments_and_declarations() -> None:
    assert root_name('<?xml version="1.0"?><!-- <tcx> --><!DOCTYPE x><gpx:gpx>') == "gpx"
    assert root_name("<!-- never closed <gpx>") is None


@pytest.mark.parametrize("junk", ["<!--", "<![CDATA[", "<?"])
def test_unterminated_markup_inside_a_gpx_file_is_refused(tmp_path: Path, junk: str) -> None:
    reason = _refused(tmp_path, _gpx(_points(5)) + junk * 200_000)
    assert "never closed" in reason or "malformed" in reason


# --- size ceilings ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_files_above_their_format_ceiling_are_refused_unparsed(tmp_path: Path,
                                                               fmt: str) -> None:
    limit = FORMAT_LIMITS[fmt]
    if fmt == "fit":
        data = bytes([14, 0x10]) + b"\0\0" + struct.pack("<I", limit) + b".FIT" + b"\0\0"
        data += b"\0" * (limit + 2)
    else:
        root = "gpx" if fmt == "gpx" else "TrainingCenterDatabase"
        data = f"<{root}>".encode() + b" " * limit + f"</{root}>".encode()
    reason = _refused(tmp_path, data, f"big.{fmt}")
    assert f"{fmt.upper()} file is larger than {limit // (1024 * 1024)} MB" in reason


# --- FIT: only the needed messages, within budgets ---------------------------------------------

def _fit_file(records: int) -> bytes:
    """A minimal valid FIT activity: file_id, ``records`` HRV messages (never decoded), one
    session."""
    body = bytearray()
    # definition 0: file_id (global 0) with type (field 0, enum)
    body += bytes([0x40, 0, 0]) + struct.pack("<H", 0) + bytes([1, 0, 1, 0])
    body += bytes([0x00, 4])  # type = activity
    # definition 1: hrv (global 78) with time (field 0, uint16, ms)
    body += bytes([0x41, 0, 0]) + struct.pack("<H", 78) + bytes([1, 0, 2, 0x84])
    body += (bytes([0x01]) + struct.pack("<H", 800)) * records
    # definition 2: session (global 18): start_time (2, uint32), sport (5, enum),
    # total_elapsed_time (7, uint32 s*1000), total_timer_time (8), total_distance (9, m*100)
    fields = [(2, 4, 0x86), (5, 1, 0x00), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)]
    body += bytes([0x42, 0, 0]) + struct.pack("<H", 18) + bytes([len(fields)])
    for number, size, base in fields:
        body += bytes([number, size, base])
    start = int((START - datetime.datetime(1989, 12, 31, tzinfo=datetime.UTC))
                .total_seconds())
    body += bytes([0x02]) + struct.pack("<I", start) + bytes([1]) + struct.pack(
        "<III", 1_800_000, 1_800_000, 500_000)
    header = bytearray(bytes([14, 0x20]) + struct.pack("<H", 2132)
                       + struct.pack("<I", len(body)) + b".FIT")
    header += struct.pack("<H", crc16(bytes(header)))
    whole = bytes(header) + bytes(body)
    return whole + struct.pack("<H", crc16(whole))


def test_a_fit_file_with_many_unneeded_messages_reads_its_session(tmp_path: Path) -> None:
    path = tmp_path / "many.fit"
    path.write_bytes(_fit_file(200_000))
    (activity,) = read_activity_file(path).activities
    assert activity.kind == "run"
    assert activity.distance_m == 5000.0 and activity.duration_s == 1800.0


def test_a_fit_file_beyond_the_message_budget_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(fit, "MAX_MESSAGES", 50_000)
    reason = _refused(tmp_path, _fit_file(60_000), "flood.fit")
    assert "more than 50,000 messages" in reason


def test_a_fit_file_beyond_the_time_budget_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit, "TIME_BUDGET_S", 0.0)
    reason = _refused(tmp_path, _fit_file(20_000), "slow.fit")
    assert "could not be decoded within" in reason


def test_a_changed_byte_in_a_skipped_record_still_fails_the_checksum(tmp_path: Path) -> None:
    data = bytearray(_fit_file(1000))
    data[40] ^= 0x01  # inside the HRV messages, which are read but not decoded
    reason = _refused(tmp_path, bytes(data), "bitflip.fit")
    assert "checksum (CRC)" in reason
