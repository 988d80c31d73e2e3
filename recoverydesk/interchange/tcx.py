"""Garmin Training Center (TCX) activities to summaries (DESIGN.md §7), with defusedxml.

TCX carries a summary per lap, written by the device from its own sensors, and the trackpoints
it recorded. The lap summaries are what Garmin Connect and the device show, and they survive
files whose trackpoints were trimmed, so they are the truth here:

- distance = sum of the laps' ``DistanceMeters``; moving time = sum of ``TotalTimeSeconds``;
- start = the Activity ``Id`` (a timestamp by the schema), else the first lap's ``StartTime``,
  else the first trackpoint;
- elapsed = the last trackpoint ``Time`` minus the start (left empty without trackpoints);
- sport = the Activity ``Sport`` attribute (the schema allows only Running, Biking and Other);
- cadence = the trackpoints' ``Extensions/TPX/RunCadence`` (Garmin's ActivityExtension, the
  ``ns3:`` prefix in Garmin Connect exports), else their own ``Cadence``, through
  :func:`~recoverydesk.interchange.activity_files.running_cadence` (per-leg values doubled);
  a trackpoint whose TPX ``Speed`` is 0 is a pause and is left out.

One summary per ``<Activity>``, including those inside a ``MultiSportSession``; elements are
looked for only where the schema puts them (``Activity/Lap/Track/Trackpoint``). A file of
workouts or courses is a plan, not a recording: nothing to import.
"""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from recoverydesk.interchange.activity_files import (
    ImportRefused,
    Summary,
    local_name,
    number,
    running_cadence,
    safe_xml_root,
)


def parse(data: bytes) -> list[Summary]:
    """Return one summary per recorded activity in a TCX file, or raise ImportRefused."""
    root = safe_xml_root(data, "tcx")
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise ImportRefused(
            f"not a TCX file: its main element is <{local_name(root.tag)}>, "
            "not <TrainingCenterDatabase>"
        )
    activities = _activities(root)
    if not activities:
        raise ImportRefused(_why_empty(root))
    summaries: list[Summary] = []
    skipped: list[str] = []
    for activity in activities:
        summary = _summary(activity)
        if isinstance(summary, str):
            skipped.append(summary)
        else:
            summaries.append(summary)
    if not summaries:
        raise ImportRefused(skipped[0])
    return summaries


def _summary(activity: Element) -> Summary | str:
    """Summarise one <Activity>, or say why there is nothing in it to import."""
    laps = _children(activity, "Lap")
    point_times: list[datetime.datetime] = []
    cadences: list[float] = []
    distance: float | None = None
    moving: float | None = None
    for lap in laps:
        lap_distance = number(_child_text(lap, "DistanceMeters"), "a lap distance", "tcx")
        lap_time = number(_child_text(lap, "TotalTimeSeconds"), "a lap time", "tcx")
        if lap_distance is not None:
            distance = (distance or 0.0) + lap_distance
        if lap_time is not None:
            moving = (moving or 0.0) + lap_time
        for track in _children(lap, "Track"):
            for point in _children(track, "Trackpoint"):
                moment = _time(_child_text(point, "Time"), "a trackpoint time")
                if moment is not None:
                    point_times.append(moment)
                cadence = _point_cadence(point)
                if cadence is not None:
                    cadences.append(cadence)
    if not laps:
        return "nothing to import: the TCX activity holds no laps"
    start = _time(_child_text(activity, "Id"), "the activity Id")
    if start is None:
        start = _time(laps[0].get("StartTime"), "a lap start time")
    if start is None and point_times:
        start = min(point_times)
    if start is None:
        return "no timestamps, so no date: the TCX activity carries no times"
    last = max(point_times) if point_times else None
    elapsed = (last - start).total_seconds() if last is not None else None
    if elapsed is not None and elapsed < 0:
        raise ImportRefused(
            "damaged TCX file: the trackpoints end before the activity starts"
        )
    return Summary(
        sport=activity.get("Sport"),
        start=start,
        distance_m=distance,
        moving_s=moving,
        elapsed_s=elapsed,
        last_time=last,
        cadence_spm=running_cadence(cadences),
    )


def _point_cadence(point: Element) -> float | None:
    """A trackpoint's cadence as written (RunCadence first), or None; 0 while paused."""
    run_cadence = speed = None
    for extensions in _children(point, "Extensions"):
        for tpx in _children(extensions, "TPX"):
            run_cadence = _child_text(tpx, "RunCadence") or run_cadence
            speed = _child_text(tpx, "Speed") or speed
    text = run_cadence or _child_text(point, "Cadence")
    value = number(text, "a trackpoint cadence", "tcx")
    if value is not None and number(speed, "a trackpoint speed", "tcx") == 0:
        return 0.0
    return value


def _activities(root: Element) -> list[Element]:
    """The <Activity> elements where the schema puts them, in file order.

    Only these paths are followed (``Activities/Activity`` and
    ``Activities/MultiSportSession/*/Activity``), never a search of the whole tree: an
    Activity nested where it does not belong is not a recording, and a search per activity
    would take quadratic time on a file that nests thousands of them.
    """
    found: list[Element] = []
    for section in _children(root, "Activities"):
        for child in section:
            name = local_name(child.tag)
            if name == "Activity":
                found.append(child)
            elif name == "MultiSportSession":
                for leg in child:  # FirstSport, NextSport
                    found.extend(_children(leg, "Activity"))
    return found


def _why_empty(root: Element) -> str:
    """Say what a TCX file without activities holds instead."""
    sections = {local_name(child.tag) for child in root}
    if "Workouts" in sections:
        return "nothing to import: this TCX file is a workout plan, not a recorded activity"
    if "Courses" in sections:
        return "nothing to import: this TCX file is a course, not a recorded activity"
    return "nothing to import: this TCX file holds no activities"


def _children(parent: Element, name: str) -> list[Element]:
    return [child for child in parent if local_name(child.tag) == name]


def _child_text(parent: Element, name: str) -> str | None:
    for child in parent:
        if local_name(child.tag) == name:
            return child.text
    return None


def _time(text: str | None, what: str) -> datetime.datetime | None:
    """Read an ISO 8601 time; without an offset it is UTC, as the TCX schema says."""
    if text is None or not text.strip():
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ImportRefused(
            f"damaged TCX file: {what} is not a date and time ({text.strip()[:40]!r})"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment
