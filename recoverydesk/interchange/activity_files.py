"""Read one GPX, TCX or FIT file into activities, or say in one line why not (DESIGN.md §7).

This is the front door the import command and the window use. It never touches the store: it
turns a file's bytes into validated :class:`~recoverydesk.core.model.Activity` objects, each
stamped with the file's SHA-256 so the store can refuse a second import of the same file.

Activity files come from anywhere (old devices, other apps, half-finished downloads, e-mail
attachments), so every failure a file can provoke in the parsing libraries is caught here and
turned into :class:`ImportRefused` with a reason a runner can read. Nothing else escapes.

The format parsers (``gpx.py``, ``tcx.py``, ``fit.py``) only decode; they hand back plain
:class:`Summary` records, and the checks every format shares (dates, sport mapping, validation)
live here so the three formats refuse the same things with the same words. They are imported
lazily so that opening the window does not pay for gpxpy or fitdecode.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import importlib
import math
import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from recoverydesk.core import model

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Files above this are refused unread: no real activity file comes close (a day-long FIT
file with one-second records is a few MB), and it bounds memory and time per file."""

FORMAT_LIMITS: dict[str, int] = {
    "gpx": 5 * 1024 * 1024,
    "tcx": 20 * 1024 * 1024,
    "fit": 5 * 1024 * 1024,
}
"""Per-format ceilings, so that every file is decided in about 5 s and 300 MB on a modest
machine (benchmarks/bench_hostile.py): gpxpy reads about 1 MB of GPX a second, TCX is read
four times faster, and FIT's checksums and messages cost up to a second a megabyte.
5 MB of GPX is over 5 hours of one-second points with heart rate and cadence (far more with a
device's smart recording); 5 MB of FIT is over a day of one-second records."""

FORMATS: tuple[str, ...] = ("gpx", "tcx", "fit")

EARLIEST_TIME = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)
"""Times before this come from a device whose clock was never set (§3: no dates before 1990)."""

FUTURE_ALLOWANCE = datetime.timedelta(minutes=5)
"""A device clock a few minutes ahead of the computer's is common; a file from the future is
not, so anything later than this is refused as a wrong clock."""

_EXTENSIONS = {".gpx": "gpx", ".tcx": "tcx", ".fit": "fit"}
_MAX_REASON = 300


class ImportRefused(Exception):
    """A file that cannot be imported, with one line a runner understands.

    Attributes:
        reason: Why, e.g. "nothing to import: this FIT file is a monitoring file, not an
            activity". It never spans several lines and never shows a traceback.
    """

    def __init__(self, reason: str) -> None:
        reason = " ".join(str(reason).split())
        if len(reason) > _MAX_REASON:
            reason = reason[: _MAX_REASON - 1] + "…"
        self.reason = reason
        super().__init__(reason)


@dataclasses.dataclass(frozen=True, slots=True)
class ParsedFile:
    """What one file holds: its identity and the activities read from it.

    Attributes:
        path: The file as given.
        format: ``gpx``, ``tcx`` or ``fit``, as detected from the content.
        sha256: Hex digest of the whole file, the key for "already imported".
        activities: One or more activities, each valid by ``model.validate_activity`` and
            carrying ``source=format`` and ``file_sha256=sha256``.
    """

    path: Path
    format: str
    sha256: str
    activities: tuple[model.Activity, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    """One activity as a format parser sees it, before the checks every format shares.

    Attributes:
        sport: The sport as written in the file (``Running``, ``mountain biking``…) or None.
        start: When it began, timezone-aware.
        distance_m: Metres, or None when the file does not say.
        moving_s: Moving or timer time in seconds, or None.
        elapsed_s: First to last sample in seconds, or None.
        last_time: The latest timestamp seen for it, used only to refuse wrong clocks.
        fallback_sport: A second opinion on the sport (FIT sub-sport) used when ``sport``
            maps to ``other``.
        cadence_spm: Average cadence in steps a minute, or None when not recorded; kept
            only for runs (a bike's cadence is pedal turns, not steps).
    """

    sport: str | None
    start: datetime.datetime
    distance_m: float | None
    moving_s: float | None
    elapsed_s: float | None
    last_time: datetime.datetime | None = None
    fallback_sport: str | None = None
    cadence_spm: float | None = None


def read_activity_file(path: Path, today: datetime.date | None = None) -> ParsedFile:
    """Read ``path`` as a GPX, TCX or FIT file.

    Args:
        path: The file to read. Its size is checked before a byte is read.
        today: The last date an activity may fall on (the local date by default).

    Returns:
        The file's hash, format and activities (at least one).

    Raises:
        ImportRefused: For every reason the file cannot be imported; nothing else is raised.
    """
    try:
        return _read(Path(path), today)
    except ImportRefused:
        raise
    except model.ValidationError as exc:
        raise ImportRefused(str(exc)) from exc
    except Exception as exc:  # the promise: a bad file never crashes the caller
        raise ImportRefused(f"could not read this file: {describe_error(exc)}") from exc


def read_activity_bytes(data: bytes, name: str,
                        today: datetime.date | None = None) -> ParsedFile:
    """Read an activity file already in memory (an archive member), like read_activity_file.

    ``name`` only helps guess the format of content that does not say it (its extension)
    and labels the result; it is never opened.
    """
    label = Path(PurePosixPath(name.replace("\\", "/")).name or "member")
    try:
        if len(data) > MAX_FILE_BYTES:
            raise ImportRefused("file is larger than 50 MB")
        if not data:
            raise ImportRefused("file is empty (0 bytes)")
        return _read_data(data, label, today)
    except ImportRefused:
        raise
    except model.ValidationError as exc:
        raise ImportRefused(str(exc)) from exc
    except Exception as exc:  # the same promise as read_activity_file
        raise ImportRefused(f"could not read this file: {describe_error(exc)}") from exc


def running_cadence(samples: list[float]) -> float | None:
    """Average running cadence in steps a minute from a GPX or TCX file's samples.

    Zero samples (standing, or a pause) are left out. The formats do not say their unit:
    Garmin's devices, Garmin Connect and Strava write strides a minute per leg (a runner
    shows 80-95), as FIT does, while some phone apps write steps (160-190). No runner
    takes fewer than 120 steps a minute nor more than 120 strides, so a median below 120
    means strides, which are doubled.
    """
    moving = sorted(s for s in samples if s > 0)
    if not moving:
        return None
    mean = sum(moving) / len(moving)
    return mean * 2.0 if moving[len(moving) // 2] < PER_LEG_BELOW else mean


PER_LEG_BELOW = 120.0


def file_label(path: Path) -> str:
    """A file's name as text that can be shown and stored: file names are bytes on Linux,
    and one that is not UTF-8 (an old camera's ``caf\\xe9.gpx``) still imports, its odd
    bytes shown as U+FFFD."""
    return os.fsencode(Path(path).name).decode("utf-8", errors="replace")


def kind_for_sport(sport: str | None) -> str:
    """Map a sport as written by a device or app to one of our kinds (§7).

    Only the four families §7 names are recognised, by word stem so that "Running",
    "trail_running", "mountain biking", "e_biking" or "Road Cycling" all land where a
    runner expects; everything else is ``other``, which the user can change.
    """
    if not sport:
        return "other"
    words = str(sport).strip().lower()
    if "transition" in words or "motor" in words:
        return "other"  # "bike_to_run_transition", "motorcycling": not what they contain
    if "run" in words:
        return "run"
    if "walk" in words or "hik" in words:
        return "walk"
    if "cycl" in words or "bik" in words:
        return "cycle"
    if "swim" in words:
        return "swim"
    return "other"


def describe_error(exc: BaseException) -> str:
    """One short line naming a library failure, for the reasons shown to the user."""
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    if isinstance(exc, RecursionError):
        return "the file is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "the file needs more memory than is available"
    if isinstance(exc, UnicodeError):
        return "the text is not in a readable encoding"
    return f"{name}: {text}" if text else name


def detect_format(data: bytes, path: Path) -> str | None:
    """Say which format ``data`` is, from its content first and its file name second.

    A FIT file says ``.FIT`` at byte 8; an XML file names its root element. The extension is
    only a fallback for content that says neither (a truncated or damaged file), so that such
    a file is refused with the reasons of the format it claims to be.
    """
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    root = _xml_root_name(data[:65536])
    if root == "gpx":
        return "gpx"
    if root == "TrainingCenterDatabase":
        return "tcx"
    return _EXTENSIONS.get(path.suffix.lower())


def _xml_root_name(head: bytes) -> str | None:
    """The local name of the first element in ``head``, or None; a cheap sniff, not a parse
    (linear whatever the bytes: see xmlguard)."""
    from recoverydesk.interchange.xmlguard import root_name

    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    return root_name(text)


def _read(path: Path, today: datetime.date | None) -> ParsedFile:
    return _read_data(_read_bytes(path), path, today)


def _read_data(data: bytes, path: Path, today: datetime.date | None) -> ParsedFile:
    fmt = detect_format(data, path)
    if fmt is None:
        raise ImportRefused("unknown format: this is not a GPX, TCX or FIT file")
    limit = FORMAT_LIMITS[fmt]
    if len(data) > limit:
        raise ImportRefused(f"{fmt.upper()} file is larger than {limit // (1024 * 1024)} MB, "
                            "the most RecoveryDesk reads in this format")
    sha256 = hashlib.sha256(data).hexdigest()
    summaries = _parse(fmt, data)
    if not summaries:
        raise ImportRefused(f"nothing to import: this {fmt.upper()} file holds no activity")
    day_limit = today if today is not None else datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    activities = tuple(
        _to_activity(summary, fmt, sha256, day_limit, now) for summary in summaries
    )
    return ParsedFile(path=path, format=fmt, sha256=sha256, activities=activities)


def read_limited(path: Path, limit: int = MAX_FILE_BYTES,
                 refused: type[ImportRefused] | None = None) -> bytes:
    """Read a whole regular file of at most ``limit`` bytes; anything else is refused unread
    (a pipe could block for ever, a huge file could exhaust memory).

    Refusals are ``refused`` (default ImportRefused), so each importer keeps its own kind.
    """
    refuse = refused or ImportRefused
    too_large = f"file is larger than {limit // (1024 * 1024)} MB"
    try:
        info = path.stat()
    except OSError as exc:
        raise refuse(f"cannot open the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse("this is a folder, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise refuse("this is not a regular file")
    if info.st_size > limit:
        raise refuse(too_large)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew after stat()
        raise refuse(too_large)
    return data


def _read_bytes(path: Path) -> bytes:
    """Read the file whole (``read_limited``); an empty file holds no activity."""
    data = read_limited(path)
    if not data:
        raise ImportRefused("file is empty (0 bytes)")
    return data


def _parse(fmt: str, data: bytes) -> list[Summary]:
    """Run the format's parser, turning any library failure into ImportRefused."""
    module = importlib.import_module(f"recoverydesk.interchange.{fmt}")
    parse: Callable[[bytes], list[Summary]] = module.parse
    try:
        return parse(data)
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(
            f"could not read this {fmt.upper()} file: {describe_error(exc)}"
        ) from exc


def _to_activity(summary: Summary, fmt: str, sha256: str, today: datetime.date,
                 now: datetime.datetime) -> model.Activity:
    """Apply the checks every format shares and build the validated Activity."""
    start = as_aware(summary.start)
    latest = max(start, as_aware(summary.last_time)) if summary.last_time else start
    if start < EARLIEST_TIME:
        raise ImportRefused(
            f"timestamps before 1990 ({start.date().isoformat()}): the recording device's "
            "clock was not set, so the date cannot be trusted"
        )
    if latest > now + FUTURE_ALLOWANCE:
        raise ImportRefused(
            f"timestamps in the future ({latest.date().isoformat()}): the recording "
            "device's clock was wrong, so the date cannot be trusted"
        )
    kind = kind_for_sport(summary.sport)
    if kind == "other" and summary.fallback_sport:
        kind = kind_for_sport(summary.fallback_sport)
    moving = _rounded(summary.moving_s)
    activity = model.Activity(
        day=start.astimezone().date(),
        kind=kind,
        distance_m=_rounded(summary.distance_m),
        duration_s=moving if moving else None,  # zero means "not known", not a valid duration
        start_time=start,
        elapsed_s=_rounded(summary.elapsed_s),
        source=fmt,
        file_sha256=sha256,
        cadence_spm=_rounded(summary.cadence_spm) if kind == "run" else None,
    )
    model.validate_activity(activity, today)
    return activity


def as_aware(moment: datetime.datetime) -> datetime.datetime:
    """Give a time a standard fixed UTC offset; a time without one is UTC (as GPX/TCX say)."""
    offset = moment.utcoffset()
    if offset is None:
        return moment.replace(tzinfo=datetime.UTC)
    zone = datetime.UTC if not offset else datetime.timezone(offset)
    return moment.replace(tzinfo=zone)


def _rounded(value: float | None) -> float | None:
    """Millimetres and milliseconds are plenty; rounding hides float noise from sums."""
    if value is None:
        return None
    if not math.isfinite(value):
        return value  # left for validation to refuse with the field's name
    return round(float(value), 3)


def number(text: str | None, what: str, fmt: str) -> float | None:
    """Read a decimal number from file text; a damaged one refuses the file by name."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip())
    except ValueError:
        raise ImportRefused(
            f"damaged {fmt.upper()} file: {what} is not a number ({text.strip()[:40]!r})"
        ) from None
    if not math.isfinite(value):
        raise ImportRefused(f"damaged {fmt.upper()} file: {what} is not a finite number")
    return value


def safe_xml_root(source: bytes | str, fmt: str) -> Element:
    """Parse XML with defusedxml, refusing DTDs, entities and external references.

    Activity files never need a DTD, so any DTD is refused outright (``forbid_dtd``): that
    stops billion-laughs bombs and external entities (``file:///etc/passwd``) before any
    other parser sees the text. Returns the root ``Element``.
    """
    import xml.etree.ElementTree as ElementTree

    import defusedxml
    import defusedxml.ElementTree as SafeElementTree

    from recoverydesk.interchange.xmlguard import ShapeRefused, check_shape

    try:
        check_shape(source if isinstance(source, str) else _guard_text(source))
    except ShapeRefused as exc:
        raise ImportRefused(f"refused {fmt.upper()} file: {exc}") from exc
    try:
        root: Element = SafeElementTree.fromstring(source, forbid_dtd=True)
        return root
    except defusedxml.DTDForbidden as exc:
        raise ImportRefused(
            f"refused unsafe {fmt.upper()} file: it declares a DTD, which activity files "
            "never need (it could hide an XML bomb or read other files)"
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise ImportRefused(
            f"refused unsafe {fmt.upper()} file: it declares XML entities (an XML bomb or "
            "an external entity)"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise ImportRefused(
            f"refused unsafe {fmt.upper()} file: it refers to external content"
        ) from exc
    except ElementTree.ParseError as exc:
        raise ImportRefused(
            f"malformed {fmt.upper()} file (damaged or cut short): {exc}"
        ) from exc


def _guard_text(data: bytes) -> str:
    """Bytes as text for the shape guard: markup is ASCII in every encoding but UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def local_name(tag: object) -> str:
    """An element's name without its namespace: files disagree on namespaces, not names."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
