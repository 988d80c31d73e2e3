"""Hostile and huge activity files: each must be decided (imported or refused) in ≤ 5 s and
≤ 300 MB (issue #17). Each case runs in its own process so its peak memory is its own.

Prints one line per case: size, verdict, seconds, peak memory. Not a test: never part of
`make test`. Usage: `python benchmarks/bench_hostile.py`.
"""

from __future__ import annotations

import datetime
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples" / "activities"
MB = 1024 * 1024


def gpx_points(n: int) -> bytes:
    """A well-formed GPX run of ``n`` one-second points with heart rate and cadence."""
    start = datetime.datetime(2024, 5, 4, 7, 0, 0)
    point = ('<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>300.0</ele><time>{t}</time>'
             '<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>'
             '<gpxtpx:cad>85</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n')
    body = "".join(point.format(lat=46 + i * 1e-5, lon=14 + i * 1e-5,
                                t=(start + datetime.timedelta(seconds=i)).isoformat() + "Z")
                   for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
            'xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/'
            'xmlschemas/TrackPointExtension/v1"><trk><type>running</type><trkseg>\n'
            + body + "</trkseg></trk></gpx>\n").encode()


def gpx_of_size(size: int) -> bytes:
    one = len(gpx_points(1000)) / 1000
    return gpx_points(int(size / one))


def fit_of_size(size: int) -> bytes | None:
    """A valid FIT file of about ``size`` bytes: a real sample's messages repeated."""
    from fitdecode.utils import compute_crc

    sample = SAMPLES / "garmin-fenix-5-run.fit"
    if not sample.is_file():
        return None
    data = sample.read_bytes()
    header_size = data[0]
    body = data[header_size:-2]
    copies = max(1, size // len(body))
    body = body * copies
    header = bytearray(data[:header_size])
    struct.pack_into("<I", header, 4, len(body))
    if header_size >= 14:
        struct.pack_into("<H", header, 12, compute_crc(bytes(header[:12])))
    whole = bytes(header) + body
    return whole + struct.pack("<H", compute_crc(whole))


def tcx_of_size(size: int) -> bytes | None:
    """A real TCX sample with its trackpoints repeated to about ``size`` bytes."""
    sample = SAMPLES / "running_activity_1.tcx"
    if not sample.is_file():
        return None
    data = sample.read_bytes()
    first = data.index(b"<Trackpoint>")
    last = data.rindex(b"</Trackpoint>") + len(b"</Trackpoint>")
    points = data[first:last]
    copies = max(1, (size - len(data)) // len(points) + 1)
    return data[:first] + points * copies + data[last:]


CHILD = """
import resource, sys, time, pathlib
from recoverydesk.interchange.activity_files import read_activity_file, ImportRefused
start = time.perf_counter()
try:
    parsed = read_activity_file(pathlib.Path(sys.argv[1]))
    verdict = f"imported {len(parsed.activities)}"
except ImportRefused as refused:
    verdict = "refused: " + refused.reason[:70]
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{took:6.2f} s {peak:6.0f} MB  {verdict}")
"""


def cases() -> Iterator[tuple[str, Callable[[], bytes | None]]]:
    """Each case with a maker, so that only one file is in memory at a time."""
    deep = b"<extensions>" * 400_000 + b"</extensions>" * 400_000
    yield "deep.gpx", lambda: b"<gpx><trk><trkseg>" + deep + b"</trkseg></trk></gpx>"
    yield "deep-4MB.gpx", lambda: (b"<gpx><trk><trkseg>" + b"<e>" * 600_000
                                   + b"</e>" * 600_000 + b"</trkseg></trk></gpx>")
    yield "comments.xml", lambda: b"<!--" * (12 * MB)
    yield "comments.gpx", lambda: b"<gpx>" + b"<!--" * (1 * MB)
    yield "many-empty.tcx", lambda: (b"<TrainingCenterDatabase>" + b"<a/>" * (4 * MB)
                                     + b"</TrainingCenterDatabase>")
    yield "xmlns.gpx", lambda: b"<gpx>" + b" xmlns" * (800_000) + b"</gpx>"
    for size in (1, 4.9, 6, 49):
        yield f"run-{size}MB.gpx", lambda size=size: gpx_of_size(int(size * MB))
    for size in (1, 3, 4.9, 12, 49):
        yield f"run-{size}MB.fit", lambda size=size: fit_of_size(int(size * MB))
    for size in (19.9, 49):
        yield f"run-{size}MB.tcx", lambda size=size: tcx_of_size(int(size * MB))


def main() -> None:
    print(f"{'case':<18} {'size':>8}  {'time':>8} {'peak':>9}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in cases():
            data = make()
            if data is None:
                print(f"{name:<18} skipped: the shared samples are not there")
                continue
            path = Path(folder) / name
            path.write_bytes(data)
            del data
            result = subprocess.run([sys.executable, "-c", CHILD, str(path)],
                                    capture_output=True, text=True, timeout=120, cwd=REPO)
            line = result.stdout.strip() or ("crashed: " + result.stderr.strip()[-80:])
            print(f"{name:<18} {path.stat().st_size / MB:6.1f}MB  {line}")
            path.unlink()


if __name__ == "__main__":
    main()
