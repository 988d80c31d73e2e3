"""Import a diary kept elsewhere: a days.csv- or activities.csv-shaped file (DESIGN.md §7).

Runners keep diaries in spreadsheets; this reads the two CSV shapes RecoveryDesk itself exports
(``export.py``), recognised by their header row, so a spreadsheet can be brought in and an
export can be read back. A file is all or nothing: every row is checked with the model's own
validators (§3) before anything is written, and the first bad row is named with its row
number, the field and the rule it broke. Row numbers count as a spreadsheet shows them: the
header is row 1, the first entry row 2.

What an import does to the store:

- days.csv rows replace those dates' pain fields (``pain``, ``pain_activity``,
  ``pain_morning``: an empty cell empties the field) and, when the file has a ``red_flags``
  column, their red flags. ``sleep_hours``, ``heat_ice_min`` and ``notes`` are taken when the
  cell is filled; an empty cell keeps what the day already had (as ``log`` keeps a note it was
  not given). ``leg_pain``, ``stiffness_min`` and ``pain_sites`` (body-map ids separated by
  ``;``) replace the day's values when the file has their column (an empty cell empties
  them); a file without them, written before they existed, leaves them as they were. An
  unknown region id refuses the file, naming the row and listing the known ids.
- activities.csv rows are added as activities with source ``csv`` (a ``source`` cell saying
  ``manual``, ``gpx``, ``tcx``, ``fit`` or ``csv`` is kept, so an export reads back as it was).
  The file's SHA-256 is recorded like an activity file's, so importing the same file twice adds
  nothing the second time.

The file itself is distrusted: it must be a regular file of at most 50 MB, UTF-8 text (a BOM is
tolerated) without NUL bytes, with sane line lengths. Anything else is refused with
:class:`DiaryRefused` and a reason a runner can read; no other exception escapes
:func:`read_diary`.
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import datetime
import hashlib
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from recoverydesk.core import words
from recoverydesk.core.model import (
    MAX_CADENCE_SPM,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_STIFFNESS_MIN,
    SOURCES,
    Activity,
    DayLog,
    ValidationError,
    parse_date,
    parse_pain_sites,
    parse_red_flags,
    validate_activity,
    validate_day,
)
from recoverydesk.core.psfs import clean_name
from recoverydesk.interchange.activity_files import ImportRefused, file_label, read_limited
from recoverydesk.interchange.csvsafe import restore

if TYPE_CHECKING:
    from recoverydesk.storage.store import Store

MAX_FILE_BYTES = 50 * 1024 * 1024
"""The same ceiling as activity files: ten years of diary is well under 1 MB."""
MAX_CELL_CHARS = 20_000
"""Notes are at most 10,000 characters; a cell twice that long is not a diary."""
MAX_ROWS = 20_000
"""More than 50 years of daily entries, or eight times the activities of the 10-year history
DESIGN.md §10 is built for. A bigger file is refused in one line before anything is written:
it would take seconds to import and make History and the report slow for ever after."""

DAY_COLUMNS: tuple[str, ...] = (
    "date", "pain", "pain_activity", "pain_morning", "red_flags", "sleep_hours", "notes",
    "heat_ice_min", "leg_pain", "stiffness_min", "pain_sites",
)
"""days.csv columns: the seven of §7 in their order, then the ones §7 allows to follow."""
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "date", "start_time", "kind", "distance_m", "duration_s", "elapsed_s", "pain", "source",
    "file_sha256", "cadence_spm",
)
"""activities.csv columns, as §7 lists them, then engine v2's ``cadence_spm`` (optional)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")
_INT = re.compile(r"[+-]?[0-9]+")


class DiaryRefused(ImportRefused):
    """A diary file that cannot be imported; nothing was written.

    Attributes:
        reason: One line, e.g. "days.csv row 7: pain: '12' is not allowed; it must be a whole
            number from 0 to 10".
        row: The spreadsheet row number (header = 1) of the bad row, or None for the file.
        field: The column at fault, or None.
    """

    def __init__(self, reason: str, row: int | None = None, field: str | None = None) -> None:
        super().__init__(reason)
        self.row = row
        self.field = field


@dataclasses.dataclass(frozen=True, slots=True)
class DiaryFile:
    """A checked diary file, ready to be written.

    Attributes:
        name: The file name, used in messages.
        shape: ``days``, ``activities`` or ``psfs``.
        sha256: Hex digest of the file's bytes.
        days: The days' entries as the file gives them (days shape).
        present: Which optional day columns the header has (days shape).
        activities: The activities (activities shape), in file order.
        scores: (date, activity name, score) rows (psfs shape), in file order.
    """

    name: str
    shape: str
    sha256: str
    days: tuple[DayLog, ...] = ()
    present: frozenset[str] = frozenset()
    activities: tuple[Activity, ...] = ()
    scores: tuple[tuple[datetime.date, str, int], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class DiaryImport:
    """What an import did: ``count`` rows of ``shape``; ``already`` when it changed nothing
    because the same file was imported before (activities only)."""

    shape: str
    count: int
    already: bool = False
    known: int = 0

    def describe(self) -> str:
        """The words of the import summary line: "imported 12 days"."""
        if self.already:
            return "already imported"
        noun = {"days": "day", "psfs": "function score"}.get(self.shape, "activity")
        text = f"imported {words.count_text(self.count, noun)}"
        if self.known:
            text += f" ({self.known} already present, not added again)"
        return text


# --- recognising -----------------------------------------------------------------------------

def header_shape(header: Iterable[str]) -> str | None:
    """Say which diary shape a header row is: ``activities`` if it names ``date`` and
    ``kind``, ``days`` if it names ``date`` and ``pain``, ``psfs`` if it names ``date``,
    ``activity`` and ``score``, else None. Case and surrounding
    spaces are ignored; other columns may be present."""
    names = {_column(h) for h in header}
    if "date" not in names:
        return None
    if "kind" in names:
        return "activities"
    if {"activity", "score"} <= names:
        return "psfs"
    if "pain" in names:
        return "days"
    return None


def sniff_shape(head: bytes) -> str | None:
    """The diary shape of a file from its first bytes, or None; a cheap guess for dispatch."""
    text = head.removeprefix(b"\xef\xbb\xbf")
    if b"\0" in text[:4096]:
        return None
    line = text.split(b"\n", 1)[0][:4096]
    try:
        decoded = line.decode("utf-8").rstrip("\r")
        row = next(csv.reader([decoded]), [])
    except (UnicodeDecodeError, csv.Error):
        return None
    return header_shape(row)


def _column(name: str) -> str:
    return name.strip().lower()


# --- reading ---------------------------------------------------------------------------------

def read_diary(path: Path, today: datetime.date) -> DiaryFile:
    """Read and check a diary CSV file completely, writing nothing.

    Raises:
        DiaryRefused: The file is not a diary, or a row breaks §3; the reason names the row
            and the field. Nothing else is raised.
    """
    path = Path(path)
    try:
        data = _read_bytes(path)
        return parse_diary(data, file_label(path), today)
    except DiaryRefused:
        raise
    except Exception as exc:  # the promise: a hostile file never crashes the caller
        raise DiaryRefused(f"{file_label(path)}: could not read this file "
                           f"({type(exc).__name__}: {exc})") from exc


def parse_diary(data: bytes, name: str, today: datetime.date) -> DiaryFile:
    """Check a diary file's bytes (see :func:`read_diary`); ``name`` is used in messages."""
    if len(data) > MAX_FILE_BYTES:
        raise DiaryRefused(f"{name}: file is larger than 50 MB")
    if not data.strip():
        raise DiaryRefused(f"{name}: file is empty")
    if b"\0" in data:
        raise DiaryRefused(f"{name}: this is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DiaryRefused(
            f"{name}: the text is not UTF-8 (byte {exc.start + 1} cannot be read); save the "
            "spreadsheet as 'CSV UTF-8'") from None
    sha256 = hashlib.sha256(data).hexdigest()
    rows = _rows(text, name)
    try:
        header_row = next(rows)[1]
    except StopIteration:
        raise DiaryRefused(f"{name}: file is empty") from None
    header = [_column(h) for h in header_row]
    shape = header_shape(header)
    if shape is None:
        raise DiaryRefused(
            f"{name}: not a diary file: the header row must name the days.csv columns "
            "(date, pain, …), the activities.csv columns (date, kind, …) or the psfs.csv "
            "columns (date, activity, score)")
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise DiaryRefused(f"{name} row 1: the column '{column}' appears twice",
                               row=1, field=column)
        seen.add(column)
    if shape == "days":
        days = _read_days(rows, header, name, today)
        present = frozenset(c for c in DAY_COLUMNS if c in seen)
        return DiaryFile(name, shape, sha256, days=days, present=present)
    if shape == "psfs":
        return DiaryFile(name, shape, sha256, scores=_read_scores(rows, header, name, today))
    activities = _read_activities(rows, header, name, today)
    return DiaryFile(name, shape, sha256, activities=activities)


def _read_bytes(path: Path) -> bytes:
    """Read the file whole, refusing what is not a regular file or too large, unread."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except ImportRefused as exc:
        raise DiaryRefused(f"{file_label(path)}: {exc.reason}") from None


def _rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (spreadsheet row number, cells), skipping blank rows; malformed CSV is refused."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = (f"a cell is longer than {csv.field_size_limit():,} characters"
                       if "field larger" in str(exc) else f"malformed CSV ({exc})")
            raise DiaryRefused(f"{name} row {number + 1}: {problem}", row=number + 1) from None
        number += 1
        if number > MAX_ROWS + 1:
            raise DiaryRefused(f"{name}: more than {MAX_ROWS:,} rows; this is not a diary")
        for cell in cells:
            if len(cell) > MAX_CELL_CHARS:
                raise DiaryRefused(
                    f"{name} row {number}: a cell is longer than {MAX_CELL_CHARS:,} characters",
                    row=number)
        if not any(c.strip() for c in cells):
            continue
        yield number, [restore(cell) for cell in cells]


def _cells(cells: list[str], header: list[str], name: str, number: int) -> dict[str, str]:
    """Map a row onto the header; missing trailing cells are empty, extra ones must be."""
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        raise DiaryRefused(
            f"{name} row {number}: {len(cells)} cells but the header names {len(header)} "
            "columns", row=number)
    values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
    return values


def _refuse(name: str, number: int, error: ValidationError) -> DiaryRefused:
    return DiaryRefused(f"{name} row {number}: {error}", row=number, field=error.field)


def _int(field: str, text: str, low: int, high: int, *, optional: bool = True) -> int | None:
    """A whole number from a cell, range-checked so the message quotes the cell as written."""
    text = text.strip()
    allowed = f"a whole number from {low} to {high}" + (" or empty" if optional else "")
    if not text:
        if optional:
            return None
        raise ValidationError(field, text, allowed)
    if not _INT.fullmatch(text) or len(text) > 12 or not low <= int(text) <= high:
        raise ValidationError(field, text, allowed)
    return int(text)


def _float(field: str, text: str, low: float, high: float, unit: str, *,
           low_open: bool = False) -> float | None:
    """A decimal number from a cell (empty is None), range-checked like :func:`_int`."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text) if len(text) <= 40 else math.nan
    except ValueError:
        value = math.nan
    above = low < value if low_open else low <= value
    if not math.isfinite(value) or not above or value > high:
        lower = f"more than {low:g}" if low_open else f"from {low:g}"
        upper = "and at most" if low_open else "to"
        raise ValidationError(field, text, f"a number {lower} {upper} {high:g}{unit}, or empty")
    return value


def _read_days(rows: Iterable[tuple[int, list[str]]], header: list[str], name: str,
               today: datetime.date) -> tuple[DayLog, ...]:
    logs: list[DayLog] = []
    first_row: dict[datetime.date, int] = {}
    for number, cells in rows:
        values = _cells(cells, header, name, number)
        try:
            log = _day_from(values, today)
            validate_day(log, today)
        except ValidationError as error:
            raise _refuse(name, number, error) from None
        if log.day in first_row:
            raise DiaryRefused(
                f"{name} row {number}: date: {log.day.isoformat()} appears twice (rows "
                f"{first_row[log.day]} and {number}); keep one row per day",
                row=number, field="date")
        first_row[log.day] = number
        logs.append(log)
    if not logs:
        raise DiaryRefused(f"{name}: nothing to import: the file has a header but no rows")
    return tuple(logs)


def _day_from(values: Mapping[str, str], today: datetime.date) -> DayLog:
    def whole(field: str) -> int | None:
        return _int(field, values.get(field, ""), 0, 10)

    day = parse_date("date", values.get("date", ""), today)
    pain = _int("pain", values.get("pain", ""), 0, 10, optional=False)
    assert pain is not None
    return DayLog(
        day=day,
        pain=pain,
        pain_activity=whole("pain_activity"),
        pain_morning=whole("pain_morning"),
        red_flags=parse_red_flags(values.get("red_flags", "")),
        sleep_hours=_float("sleep_hours", values.get("sleep_hours", ""), 0, 24, " hours"),
        heat_ice_min=_int("heat_ice_min", values.get("heat_ice_min", ""), 0, 240),
        notes=values.get("notes", ""),
        leg_pain=whole("leg_pain"),
        stiffness_min=_int("stiffness_min", values.get("stiffness_min", ""), 0,
                           MAX_STIFFNESS_MIN),
        pain_sites=parse_pain_sites(values.get("pain_sites", "")),
    )


def _read_activities(rows: Iterable[tuple[int, list[str]]], header: list[str], name: str,
                     today: datetime.date) -> tuple[Activity, ...]:
    activities: list[Activity] = []
    for number, cells in rows:
        values = _cells(cells, header, name, number)
        try:
            activity = _activity_from(values, today)
            validate_activity(activity, today)
        except ValidationError as error:
            raise _refuse(name, number, error) from None
        activities.append(activity)
    if not activities:
        raise DiaryRefused(f"{name}: nothing to import: the file has a header but no rows")
    return tuple(activities)


def _read_scores(rows: Iterable[tuple[int, list[str]]], header: list[str], name: str,
                 today: datetime.date) -> tuple[tuple[datetime.date, str, int], ...]:
    scores: list[tuple[datetime.date, str, int]] = []
    first_row: dict[tuple[datetime.date, str], int] = {}
    for number, cells in rows:
        values = _cells(cells, header, name, number)
        try:
            day = parse_date("date", values.get("date", ""), today)
            activity = clean_name(values.get("activity", ""))
            score = _int("score", values.get("score", ""), 0, 10, optional=False)
        except ValidationError as error:
            raise _refuse(name, number, error) from None
        assert score is not None
        key = (day, activity.casefold())
        if key in first_row:
            raise DiaryRefused(
                f"{name} row {number}: activity: '{activity}' is scored twice on "
                f"{day.isoformat()} (rows {first_row[key]} and {number})",
                row=number, field="activity")
        first_row[key] = number
        scores.append((day, activity, score))
    if not scores:
        raise DiaryRefused(f"{name}: nothing to import: the file has a header but no rows")
    return tuple(scores)


def _activity_from(values: Mapping[str, str], today: datetime.date) -> Activity:
    day = parse_date("date", values.get("date", ""), today)
    start_text = values.get("start_time", "").strip()
    start: datetime.datetime | None = None
    if start_text:
        try:
            start = datetime.datetime.fromisoformat(start_text) if len(start_text) <= 40 else None
        except ValueError:
            start = None
        if start is None:
            raise ValidationError("start_time", start_text,
                                  "a time as YYYY-MM-DDTHH:MM:SS with its UTC offset, or empty")
    source = values.get("source", "").strip().lower()
    if source not in SOURCES:
        source = "csv"
    sha = values.get("file_sha256", "").strip().lower()
    if sha and not _SHA256.fullmatch(sha):
        raise ValidationError("file_sha256", sha, "64 hexadecimal digits, or empty")
    return Activity(
        day=day,
        kind=values.get("kind", "").strip().lower(),
        distance_m=_float("distance_m", values.get("distance_m", ""), 0, MAX_DISTANCE_M,
                          " metres"),
        duration_s=_float("duration_s", values.get("duration_s", ""), 0, MAX_DURATION_S,
                          " seconds", low_open=True),
        elapsed_s=_float("elapsed_s", values.get("elapsed_s", ""), 0, 7 * MAX_DURATION_S,
                         " seconds"),
        pain=_int("pain", values.get("pain", ""), 0, 10),
        start_time=start,
        source=source,
        file_sha256=sha or None,
        cadence_spm=_float("cadence_spm", values.get("cadence_spm", ""), 0, MAX_CADENCE_SPM,
                           " steps a minute", low_open=True),
    )


# --- writing ---------------------------------------------------------------------------------

def import_diary(store: Store, path: Path, today: datetime.date) -> DiaryImport:
    """Check ``path`` completely, then write it in one transaction (see the module docstring).

    Raises:
        DiaryRefused: The file was refused; nothing was written.
        StoreError: The data file could not be written; nothing was written.
    """
    diary = read_diary(path, today)
    return write_diary(store, diary, today)


def write_diary(store: Store, diary: DiaryFile, today: datetime.date) -> DiaryImport:
    """Write a checked diary in one transaction: all of it or, on any failure, none."""
    if diary.shape == "activities":
        new = _not_yet_present(diary.activities, store.activities())
        added = store.add_file(diary.sha256, diary.name, "csv", new, today=today)
        return DiaryImport("activities", len(new), already=not added,
                           known=len(diary.activities) - len(new))
    if diary.shape == "psfs":
        store.import_psfs(diary.scores, today=today)
        return DiaryImport("psfs", len(diary.scores))
    merged = [_merge(store.day_log(log.day), log, diary.present) for log in diary.days]
    with store.transaction():  # the store's own writes nest as savepoints inside it
        for log in merged:
            store.save_day(log, today=today)
    return DiaryImport("days", len(merged))


def activity_key(activity: Activity) -> tuple[object, ...]:
    """What makes two activities the same one (issue #17: re-importing our own export).

    An activity read from a file is that file's (by its hash) and starts when it starts; a
    manual one is its date, kind, start time, distance and duration.
    """
    start = activity.start_time.isoformat() if activity.start_time else None
    if activity.file_sha256:
        return ("file", activity.file_sha256, start)
    return ("manual", activity.day, activity.kind, start, activity.distance_m,
            activity.duration_s)


def _not_yet_present(given: Iterable[Activity], stored: Iterable[Activity]) -> list[Activity]:
    """The activities of ``given`` the store does not hold yet, counting repeats: two equal
    walks in the file and one in the store add one."""
    left = collections.Counter(activity_key(a) for a in stored)
    new = []
    for activity in given:
        key = activity_key(activity)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(activity)
    return new


def _merge(existing: DayLog | None, given: DayLog, present: frozenset[str]) -> DayLog:
    """The day as it will be stored: pain fields from the file, the rest kept when empty."""
    if existing is None:
        return given
    return dataclasses.replace(
        given,
        red_flags=given.red_flags if "red_flags" in present else existing.red_flags,
        sleep_hours=given.sleep_hours if given.sleep_hours is not None else existing.sleep_hours,
        heat_ice_min=(given.heat_ice_min if given.heat_ice_min is not None
                      else existing.heat_ice_min),
        notes=given.notes if given.notes else existing.notes,
        leg_pain=given.leg_pain if "leg_pain" in present else existing.leg_pain,
        stiffness_min=(given.stiffness_min if "stiffness_min" in present
                       else existing.stiffness_min),
        pain_sites=given.pain_sites if "pain_sites" in present else existing.pain_sites,
    )
