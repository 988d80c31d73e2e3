"""GPX reading: hostile XML, what counts as an activity, and damaged copies of real files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from recoverydesk.interchange.activity_files import ImportRefused, read_activity_file

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "activities"

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
GPX_OPEN = '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'


def _write(tmp_path: Path, text: str | bytes, name: str = "file.gpx") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def _segment(start: datetime.datetime, n: int, *, lat: float = 46.0, step_s: int = 10,
             timed: bool = True) -> str:
    points = []
    for i in range(n):
        time = ""
        if timed:
            moment = start + datetime.timedelta(seconds=i * step_s)
            time = f"<time>{moment.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        points.append(f'<trkpt lat="{lat + i * 0.0003:.5f}" lon="14.0">{time}</trkpt>')
    return "<trkseg>" + "".join(points) + "</trkseg>"


def _gpx(*tracks: str) -> str:
    return HEAD + GPX_OPEN + "".join(tracks) + "</gpx>"


START = datetime.datetime(2024, 5, 4, 7, 0, tzinfo=datetime.UTC)


# --- hostile XML ---------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="bomb"><trk><name>&lol9;</name>
<trkseg><trkpt lat="46" lon="14"><time>2024-05-04T07:00:00Z</time></trkpt>
<trkpt lat="46.01" lon="14"><time>2024-05-04T07:10:00Z</time></trkpt></trkseg></trk></gpx>
"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, BILLION_LAUGHS))
    assert "unsafe" in refused.value.reason


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?>\n'
            '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            '<gpx version="1.1" creator="x"><trk><name>&xxe;</name><type>&xxe;</type>'
            + _segment(START, 3) + "</trk></gpx>")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, text))
    reason = refused.value.reason
    assert "unsafe" in reason
    assert "root:" not in reason
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        first_line = passwd.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        assert first_line not in reason


def test_any_dtd_is_refused(tmp_path: Path) -> None:
    plain = HEAD + '<!DOCTYPE gpx SYSTEM "http://example.invalid/gpx.dtd">' + GPX_OPEN[0:] \
        + "<trk>" + _segment(START, 3) + "</trk></gpx>"
    with pytest.raises(ImportRefused, match="DTD"):
        read_activity_file(_write(tmp_path, plain))
    parameter = (HEAD + '<!DOCTYPE gpx [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>'
                 + GPX_OPEN + "<trk>" + _segment(START, 3) + "</trk></gpx>")
    with pytest.raises(ImportRefused, match="unsafe"):
        read_activity_file(_write(tmp_path, parameter))


def test_malformed_xml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="malformed"):
        read_activity_file(_write(tmp_path, HEAD + GPX_OPEN + "<trk><trkseg>"))


def test_wrong_root_with_gpx_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="not a GPX file"):
        read_activity_file(_write(tmp_path, HEAD + "<kml><Document/></kml>"))


# --- what counts as an activity --------------------------------------------------------------

def test_track_without_any_time_is_refused(tmp_path: Path) -> None:
    text = _gpx("<trk>" + _segment(START, 5, timed=False) + "</trk>")
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, text))
    assert refused.value.reason.startswith("no timestamps, so no date")


def test_waypoints_only_is_nothing_to_import(tmp_path: Path) -> None:
    text = _gpx('<wpt lat="46" lon="14"><name>Car park</name></wpt>')
    with pytest.raises(ImportRefused, match="nothing to import: .*waypoints"):
        read_activity_file(_write(tmp_path, text))


def test_empty_gpx_is_nothing_to_import(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="nothing to import"):
        read_activity_file(_write(tmp_path, _gpx()))


def test_single_timed_point_is_nothing_to_import(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="nothing to import"):
        read_activity_file(_write(tmp_path, _gpx("<trk>" + _segment(START, 1) + "</trk>")))


def test_times_only_from_points_that_have_them(tmp_path: Path) -> None:
    timed = _segment(START, 4)
    untimed = _segment(START, 4, lat=46.1, timed=False)
    text = _gpx("<trk>" + untimed + timed + "</trk>")
    (activity,) = read_activity_file(_write(tmp_path, text)).activities
    assert activity.start_time == START
    assert activity.elapsed_s == 30.0
    # distance counts the untimed segment too, but never the jump between segments
    within = read_activity_file(_write(tmp_path, _gpx("<trk>" + timed + "</trk>"), "b.gpx"))
    single = within.activities[0].distance_m
    assert single is not None and activity.distance_m == pytest.approx(2 * single, abs=0.01)


def test_segments_separated_by_a_jump_are_not_bridged(tmp_path: Path) -> None:
    first = _segment(START, 3, lat=46.0)
    second = _segment(START + datetime.timedelta(minutes=5), 3, lat=47.0)  # ~111 km north
    (activity,) = read_activity_file(_write(tmp_path, _gpx(
        "<trk>" + first + second + "</trk>"))).activities
    assert activity.distance_m is not None and activity.distance_m < 200


def test_tracks_on_different_days_become_separate_activities(tmp_path: Path) -> None:
    next_day = START + datetime.timedelta(days=1)
    text = _gpx("<trk>" + _segment(START, 5) + "</trk>", "<trk>" + _segment(next_day, 7) + "</trk>")
    activities = read_activity_file(_write(tmp_path, text)).activities
    assert [a.start_time for a in activities] == [START, next_day]
    assert [a.elapsed_s for a in activities] == [40.0, 60.0]


def test_tracks_close_together_are_one_activity(tmp_path: Path) -> None:
    later = START + datetime.timedelta(minutes=30)
    text = _gpx("<trk>" + _segment(START, 5) + "</trk>", "<trk>" + _segment(later, 5) + "</trk>")
    (activity,) = read_activity_file(_write(tmp_path, text)).activities
    assert activity.elapsed_s == 30 * 60 + 40


def test_tracks_of_different_sports_are_separate(tmp_path: Path) -> None:
    later = START + datetime.timedelta(minutes=30)
    text = _gpx("<trk><type>running</type>" + _segment(START, 5) + "</trk>",
                "<trk><type>cycling</type>" + _segment(later, 5) + "</trk>")
    activities = read_activity_file(_write(tmp_path, text)).activities
    assert [a.kind for a in activities] == ["run", "cycle"]


@pytest.mark.parametrize(("label", "kind"), [
    ("running", "run"), ("hiking", "walk"), ("Walking", "walk"), ("mountain biking", "cycle"),
    ("swimming", "swim"), ("kayaking", "other"),
])
def test_sport_comes_from_track_type(tmp_path: Path, label: str, kind: str) -> None:
    text = _gpx(f"<trk><type>{label}</type>" + _segment(START, 3) + "</trk>")
    (activity,) = read_activity_file(_write(tmp_path, text)).activities
    assert activity.kind == kind


def test_gpx_1_0_and_times_without_zone_are_utc(tmp_path: Path) -> None:
    text = ('<?xml version="1.0"?><gpx version="1.0" creator="old" '
            'xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>'
            '<trkpt lat="46" lon="14"><time>2010-08-05T14:23:59</time></trkpt>'
            '<trkpt lat="46.001" lon="14"><time>2010-08-05T14:24:59</time></trkpt>'
            "</trkseg></trk></gpx>")
    (activity,) = read_activity_file(_write(tmp_path, text)).activities
    assert activity.start_time == datetime.datetime(2010, 8, 5, 14, 23, 59, tzinfo=datetime.UTC)
    assert activity.elapsed_s == 60.0


def test_latin1_file_is_read(tmp_path: Path) -> None:
    text = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + GPX_OPEN
            + "<trk><name>Lac de Genève</name><desc>café, crème brûlée</desc>"
            + _segment(START, 3) + "</trk></gpx>")
    path = _write(tmp_path, text.encode("latin-1"))
    assert read_activity_file(path).activities


def test_unreadable_times_count_as_missing(tmp_path: Path) -> None:
    # gpxpy drops a time it cannot read; a track left without times gives no date
    text = _gpx('<trk><trkseg><trkpt lat="46" lon="14"><time>yesterday</time></trkpt>'
                '<trkpt lat="46.1" lon="14"><time>noon</time></trkpt></trkseg></trk>')
    with pytest.raises(ImportRefused, match="no timestamps"):
        read_activity_file(_write(tmp_path, text))


# --- damaged copies of real files ------------------------------------------------------------

@pytest.mark.samples
@pytest.mark.parametrize("name", ["run.gpx", "cerknicko-jezero.gpx",
                                  "legacy_gpx_trackpointextensions_incorrect.gpx"])
@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.7, 0.95])
def test_truncated_sample_is_refused(tmp_path: Path, name: str, fraction: float) -> None:
    source = SAMPLES / name
    if not source.is_file():
        pytest.skip(f"sample not found: {source}")
    data = source.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        read_activity_file(_write(tmp_path, data[: int(len(data) * fraction)]))
    assert "malformed" in refused.value.reason


def test_xmlns_flood_is_refused_instead_of_stalling_gpxpy(tmp_path: Path) -> None:
    # Well-formed XML that would keep gpxpy's namespace regexes busy for hours (quadratic).
    flood = " xmlns" * 200_000
    text = _gpx(f"<trk><name>{flood}</name>" + _segment(START, 3) + "</trk>")
    with pytest.raises(ImportRefused, match="xmlns"):
        read_activity_file(_write(tmp_path, text))
    # many declarations that each bring their '=' and quotes cost gpxpy only linear time
    declared = _gpx("<trk><desc>" + ' xmlns="x"' * 20_000 + "</desc>"
                    + _segment(START, 3) + "</trk>")
    assert read_activity_file(_write(tmp_path, declared, "b.gpx")).activities


def test_namespaced_extensions_still_import(tmp_path: Path) -> None:
    ext = ('<extensions><gpxtpx:TrackPointExtension xmlns:gpxtpx='
           '"http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><gpxtpx:hr>120</gpxtpx:hr>'
           "</gpxtpx:TrackPointExtension></extensions>")
    segment = _segment(START, 3).replace("</trkpt>", ext + "</trkpt>")
    text = _gpx("<trk>" + segment + "</trk>").replace(
        GPX_OPEN, GPX_OPEN[:-1] + ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
        'http://www.topografix.com/GPX/1/1/gpx.xsd">')
    (activity,) = read_activity_file(_write(tmp_path, text)).activities
    assert activity.elapsed_s == 20.0


def test_thousands_of_namespace_prefixes_are_refused(tmp_path: Path) -> None:
    # gpxpy registers every prefix in a process-wide map, at a cost growing with its size
    declarations = "".join(f' xmlns:p{i}="urn:x:{i}"' for i in range(5000))
    text = _gpx(f"<trk><desc>{declarations}</desc>" + _segment(START, 3) + "</trk>")
    with pytest.raises(ImportRefused, match="namespace prefixes"):
        read_activity_file(_write(tmp_path, text))
