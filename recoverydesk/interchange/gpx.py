"""GPX 1.0 / 1.1 tracks to activity summaries (DESIGN.md §7), with gpxpy.

The text is first parsed by defusedxml with DTDs forbidden, so gpxpy (which uses the standard
library parser) only ever sees text without entities or external references.

Choices, because GPX says little about what an "activity" is:

- A track is a recording; its segments are pauses within it. Distance is summed *within*
  segments and never across the gap between two (a device that lost its fix, or a pause, must
  not add a straight line of kilometres).
- Consecutive tracks or segments belong to one activity unless more than ``SPLIT_GAP`` passes
  between them or their ``<type>`` differs: a GPSBabel export that cut a walk into 8 tracks
  stays one walk, while a file holding three days' recordings becomes three activities on
  their own days rather than one 45-hour activity on the first.
- Times come only from points that have one; the start is the earliest, elapsed runs to the
  latest. Moving time is gpxpy's ``get_moving_data`` (a speed-threshold heuristic), per segment.
- Points with no time at all give no date, so such a file is refused rather than guessed.
- Routes and waypoints are plans, not recordings: a file with nothing else has nothing to import.
- Cadence comes from a point's extensions: Garmin's ``TrackPointExtension`` ``cad`` (as
  ``gpxtpx:cad`` or ``ns3:cad``, written by Garmin Connect and Strava) and its kin ``cadence``
  (ClueTrust ``gpxdata:cadence``, OpenTracks), averaged by
  :func:`~recoverydesk.interchange.activity_files.running_cadence` (per-leg values doubled,
  zeros left out).
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from recoverydesk.interchange.activity_files import (
    ImportRefused,
    Summary,
    as_aware,
    local_name,
    running_cadence,
    safe_xml_root,
)

SPLIT_GAP = datetime.timedelta(hours=3)
"""A longer gap between recordings starts a new activity: nobody pauses one run for 3 hours."""


@dataclasses.dataclass(slots=True)
class _Group:
    """Segments gathered into one activity."""

    sport: str | None = None
    times: list[datetime.datetime] = dataclasses.field(default_factory=list)
    distance_m: float = 0.0
    moving_s: float = 0.0
    track: int = -1
    cadences: list[float] = dataclasses.field(default_factory=list)


def parse(data: bytes) -> list[Summary]:
    """Return one summary per activity in a GPX file, or raise ImportRefused."""
    import gpxpy
    import gpxpy.gpx

    text = _decode(data)
    root = safe_xml_root(text, "gpx")
    if local_name(root.tag) != "gpx":
        raise ImportRefused(
            f"not a GPX file: its main element is <{local_name(root.tag)}>, not <gpx>"
        )
    del root
    _guard_namespace_scan(text)
    try:
        document = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise ImportRefused(f"malformed GPX file (damaged or cut short): {exc}") from exc
    except gpxpy.gpx.GPXException as exc:
        raise ImportRefused(f"damaged GPX file: {exc}") from exc

    groups: list[_Group] = []
    n_points = 0
    for track_index, track in enumerate(document.tracks):
        sport = (track.type or "").strip() or None
        for segment in track.segments:
            for point in segment.points:
                _check_position(point.latitude, point.longitude)
                if point.time is not None:
                    point.time = as_aware(point.time)
            n_points += len(segment.points)
            times = [p.time for p in segment.points if p.time is not None]
            group = _group_for(groups, track_index, sport, times)
            group.times.extend(times)
            group.cadences.extend(c for c in map(_point_cadence, segment.points)
                                  if c is not None)
            if len(segment.points) >= 2:
                group.distance_m += segment.length_2d() or 0.0
            if len(times) >= 2:
                moving = segment.get_moving_data()
                group.moving_s += moving.moving_time if moving else 0.0

    if n_points == 0:
        raise ImportRefused(_why_empty(document))
    timed = [g for g in groups if g.times]
    if not timed:
        raise ImportRefused(
            "no timestamps, so no date: the track's points carry no times"
        )
    recorded = [g for g in timed if len(g.times) >= 2]
    if not recorded:
        raise ImportRefused("nothing to import: the track has a single timed point")
    summaries = []
    for group in recorded:
        start, end = min(group.times), max(group.times)
        summaries.append(Summary(
            sport=group.sport,
            start=start,
            distance_m=group.distance_m,
            moving_s=group.moving_s,
            elapsed_s=(end - start).total_seconds(),
            last_time=end,
            cadence_spm=running_cadence(group.cadences),
        ))
    return summaries


_CADENCE_NAMES = frozenset({"cad", "cadence"})


def _point_cadence(point: object) -> float | None:
    """The cadence in a point's extensions (directly or one level down), or None."""
    for extension in getattr(point, "extensions", None) or ():
        for element in (extension, *list(extension)):
            if local_name(element.tag).lower() in _CADENCE_NAMES and element.text:
                try:
                    value = float(element.text.strip())
                except ValueError:
                    raise ImportRefused(
                        "damaged GPX file: a point's cadence is not a number "
                        f"({element.text.strip()[:40]!r})") from None
                return value if value == value and value < 1e6 else None
    return None


def _group_for(groups: list[_Group], track: int, sport: str | None,
               times: list[datetime.datetime]) -> _Group:
    """The group a segment joins: the current one, unless a long gap or new sport intervenes."""
    if groups:
        current = groups[-1]
        new_sport = (track != current.track and sport is not None
                     and current.sport is not None and sport != current.sport)
        gap = (times and current.times
               and abs(min(times) - max(current.times)) > SPLIT_GAP)
        if not new_sport and not gap:
            if current.sport is None:
                current.sport = sport
            current.track = track
            return current
    group = _Group(sport=sport, track=track)
    groups.append(group)
    return group


_NAMESPACE_WORD = re.compile(r"\sxmlns")
MAX_NAMESPACE_PREFIXES = 100
"""Real files declare a handful of namespaces; gpxpy's cost grows with their square."""


def _guard_namespace_scan(text: str) -> None:
    """Refuse text on which gpxpy's namespace handling would take quadratic time.

    Before parsing, gpxpy finds namespace declarations with the pattern
    ``\\sxmlns:?[^=]*="[^"]+"`` over the whole text and registers each prefix in
    ElementTree's process-wide namespace map, one linear pass over that map per declaration.
    So two kinds of well-formed file would keep it busy for hours: "xmlns" written many times
    with no ``=`` after it (each costs a scan to the next ``=``), and thousands of distinct
    prefixes. Real declarations have their ``=`` right after the prefix and real files use a
    handful of prefixes, so anything else is refused as damage. (The scans to closing quotes
    are no risk: every declaration brings its own quote.)
    """
    prefixes: set[str] = set()
    for match in _NAMESPACE_WORD.finditer(text):
        equals = text.find("=", match.end(), match.end() + 256)
        if equals < 0:
            raise ImportRefused(
                "damaged GPX file: the word 'xmlns' appears outside a namespace declaration"
            )
        prefixes.add(text[match.end():equals])
        if len(prefixes) > MAX_NAMESPACE_PREFIXES:
            raise ImportRefused(
                f"damaged GPX file: more than {MAX_NAMESPACE_PREFIXES} XML namespace prefixes"
            )


def _check_position(latitude: object, longitude: object) -> None:
    """Refuse a point off the globe: it would make distances meaningless (or fail in gpxpy)."""
    if not (isinstance(latitude, float | int) and isinstance(longitude, float | int)
            and -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise ImportRefused(
            f"damaged GPX file: a point has impossible coordinates ({latitude}, {longitude})"
        )


def _why_empty(document: object) -> str:
    """Say what a GPX file without track points holds instead."""
    routes = getattr(document, "routes", [])
    waypoints = getattr(document, "waypoints", [])
    if routes:
        return "nothing to import: this GPX file holds a planned route, not a recorded track"
    if waypoints:
        return "nothing to import: this GPX file holds only waypoints, not a recorded track"
    if getattr(document, "tracks", []):
        return "nothing to import: the GPX track has no points"
    return "nothing to import: this GPX file holds no track"


def _decode(data: bytes) -> str:
    """Decode the file once, so defusedxml and gpxpy read exactly the same text."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            "damaged GPX file: the text does not match its byte order mark"
        ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data)
    if declared is None:
        raise ImportRefused("damaged GPX file: the text is not valid UTF-8")
    try:
        return data.decode(declared)
    except (LookupError, UnicodeDecodeError) as exc:
        raise ImportRefused(
            f"damaged GPX file: the text is not valid {declared[:20]}"
        ) from exc


def _declared_encoding(data: bytes) -> str | None:
    """The encoding named in the XML declaration (old GPX files use ISO-8859-1)."""
    match = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]{1,40})[\"']",
                     data[:200])
    return match.group(1).decode("ascii") if match else None
