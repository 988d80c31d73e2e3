"""Strava and Garmin Connect exports, folders and ``.gz`` files, member by member (DESIGN.md §7).

An archive is a box of activity files. Nothing here imports anything: :class:`ArchiveReader`
walks a source and yields :class:`Member` records, each the decompressed bytes of one activity
file (or one Strava ``activities.csv`` row that has no file), and
:func:`recoverydesk.interchange.importing.prepare_member` sends every member through the same
per-file importer as a loose file: the same hostile-file checks, the same one-line refusals,
and the same deduplication by the SHA-256 of the decompressed file, so one run imported from a
Strava export, a watch and a loose file is one activity.

What is read:

- a ZIP (a Strava bulk export, a Garmin Connect data export, or any ZIP of activity files):
  its ``*.fit``, ``*.gpx`` and ``*.tcx`` members, gzipped (``.fit.gz``…) or not; ZIPs inside
  it (Garmin's ``UploadedFiles_*.zip``) likewise; a Strava ``activities.csv`` at its top for
  the activities that have no file; anything under a ``routes/`` folder is a plan, not an
  activity, and is skipped, as are all other members (media, JSON, other CSVs);
- a folder: the same, over the files below it (an unpacked export, a watch's
  ``GARMIN/Activity``);
- a single ``.gz`` file: the one file inside it.

Safety, because an archive is a file from anywhere:

- read in place: members are decompressed into memory one at a time and never written to
  disk; a member's name is only shown and matched, never used as a path;
- each member is cut off at 50 MB decompressed (like a loose file), whatever its header says,
  so a zip or gzip bomb is refused after reading at most that much;
- :class:`Limits` caps the total decompressed bytes, the number of members and the nesting
  depth (settings ``archive_max_total_bytes``, ``archive_max_members``,
  ``archive_max_depth``); going over refuses the rest of the source in one line.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import gzip
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol

from recoverydesk.core import model
from recoverydesk.interchange.activity_files import (
    MAX_FILE_BYTES,
    ImportRefused,
    kind_for_sport,
)

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_MAX_CSV_BYTES = 50 * 1024 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one source (each a setting of the same name, documented in the README).

    Attributes:
        max_total_bytes: Decompressed bytes read from one source, all members together.
        max_members: Entries in one source, nested ZIPs' entries included.
        max_depth: ZIPs inside ZIPs: 1 is a plain ZIP, 2 a Garmin export's nested ZIPs.
    """

    max_total_bytes: int = 4 * 1024 ** 3
    max_members: int = 10_000
    max_depth: int = 3

    SETTINGS = ("archive_max_total_bytes", "archive_max_members", "archive_max_depth")

    @classmethod
    def from_settings(cls, setting: Callable[[str, Any], Any]) -> Limits:
        """The limits from a store's settings (``store.setting``); a bad value keeps the
        default, since a typo must not switch a safety cap off."""
        defaults = cls()
        values = []
        for key, default in zip(cls.SETTINGS, (defaults.max_total_bytes, defaults.max_members,
                                               defaults.max_depth), strict=True):
            value = setting(key, default)
            ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
            values.append(value if ok else default)
        return cls(*values)


@dataclasses.dataclass(frozen=True, slots=True)
class Member:
    """One thing to import found in a source.

    Exactly one of ``data``, ``activity`` and ``refused`` is set.

    Attributes:
        name: What the user sees, e.g. ``export_1.zip › activities/123.fit.gz``.
        file_name: The activity file's own name (``123.fit``), a hint for its format.
        data: The decompressed file.
        activity: An activity from a Strava ``activities.csv`` row with no file.
        key: That row's identity for "already imported" (a SHA-256 of the Strava id).
        refused: Why this member cannot be read, in one line.
    """

    name: str
    file_name: str = ""
    data: bytes | None = None
    activity: model.Activity | None = None
    key: str | None = None
    refused: str | None = None


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ArchiveRefused(ImportRefused):
    """The whole source (or the rest of it) cannot be read: damaged, or over a cap."""


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a folder, a ZIP or a gzip file (by content, not by name)."""
    try:
        info = Path(path).stat()
        if stat.S_ISDIR(info.st_mode):
            return True
        if not stat.S_ISREG(info.st_mode):
            return False
        with Path(path).open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    return head.startswith(_GZIP_MAGIC) or head in (_ZIP_MAGIC, _EMPTY_ZIP) or (
        Path(path).suffix.lower() == ".zip")


class ArchiveReader:
    """Walk one source and yield its members, one at a time, in the order they are stored.

    Attributes:
        path: The source.
        total: Members found so far (activity files, nested ZIPs' files and file-less Strava
            rows); it grows as nested ZIPs are opened. For progress.
        done: Members yielded so far.
        skipped: Entries that are not activities (routes, media, other files).
    """

    def __init__(self, path: Path, today: datetime.date, limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.total = 0
        self.done = 0
        self.skipped = 0
        self._today = today
        self._limits = limits or Limits()
        self._budget = self._limits.max_total_bytes
        self._entries = 0

    def __iter__(self) -> Iterator[Member]:
        for member in self._walk():
            self.done += 1
            yield member

    def _walk(self) -> Iterator[Member]:
        label = _shown(self.path.name)
        try:
            info = self.path.stat()
        except OSError as exc:
            raise ArchiveRefused(f"cannot open {label}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(info.st_mode):
            yield from self._folder(label)
            return
        with self.path.open("rb") as handle:
            head = handle.read(4)
        if head.startswith(_GZIP_MAGIC):
            self.total = 1
            inner = _strip_gz(self.path.name)
            try:
                with self.path.open("rb") as handle:
                    data = self._gunzip(handle)
            except ImportRefused as exc:
                yield Member(label, inner, refused=exc.reason)
                return
            yield Member(label, inner, data=data)
            return
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ArchiveRefused(_zip_damage(exc)) from None
        with archive:
            yield from self._zip(archive, label, depth=1)

    # --- ZIPs --------------------------------------------------------------------------------

    def _zip(self, archive: zipfile.ZipFile, label: str, depth: int) -> Iterator[Member]:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        self._count_entries(len(infos), label)
        names = {_normal(i.filename) for i in infos}
        plan: list[tuple[zipfile.ZipInfo, str]] = []
        csv_info: zipfile.ZipInfo | None = None
        for info in sorted(infos, key=lambda i: i.header_offset):  # forward reads only
            kind = _classify(_normal(info.filename))
            if kind == "strava_csv":
                csv_info = info
            elif kind:
                plan.append((info, kind))
            else:
                self.skipped += 1
        self.total += len(plan)
        rows: list[Member] = []
        if csv_info is not None:
            rows = self._strava_rows(lambda: self._read_zip_member(archive, csv_info,
                                                                   _MAX_CSV_BYTES),
                                     f"{label} › {_shown(csv_info.filename)}", names)
            self.total += len(rows)
        for info, kind in plan:
            shown = f"{label} › {_shown(info.filename)}"
            if kind == "zip":
                yield from self._nested(archive, info, shown, depth)
                continue
            name = PurePosixPath(_normal(info.filename)).name
            yield self._member(shown, name, functools.partial(
                self._read_zip_member, archive, info, MAX_FILE_BYTES))
        yield from rows

    def _nested(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str,
                depth: int) -> Iterator[Member]:
        if depth + 1 > self._limits.max_depth:
            yield Member(shown, refused=(
                f"archives nested more than {self._limits.max_depth} deep are not opened "
                "(setting archive_max_depth)"))
            return
        if info.file_size > self._budget:
            raise ArchiveRefused(self._over_budget())
        self.total -= 1  # the nested ZIP counts as the members found inside it
        try:
            inner = zipfile.ZipFile(archive.open(info))  # a stream, never a file on disk
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error,
                NotImplementedError, RuntimeError) as exc:
            self.total += 1
            yield Member(shown, refused=_zip_damage(exc))
            return
        with inner:
            yield from self._zip(inner, shown, depth + 1)

    def _read_zip_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                         limit: int) -> bytes:
        if info.file_size > limit:
            raise ImportRefused(f"decompresses to more than {limit // (1 << 20)} MB")
        if info.file_size > self._budget:
            raise ArchiveRefused(self._over_budget())
        try:
            with archive.open(info) as handle:
                return self._bounded(handle, limit)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise ImportRefused(_zip_damage(exc)) from None

    # --- folders -----------------------------------------------------------------------------

    def _folder(self, label: str) -> Iterator[Member]:
        files: list[tuple[str, Path]] = []
        for root, dirs, names in os.walk(self.path, followlinks=False):
            dirs.sort()
            if len(Path(root).relative_to(self.path).parts) >= 8:
                dirs.clear()  # a watch or an export is a few folders deep, not eight
            for name in sorted(names):
                full = Path(root) / name
                files.append((full.relative_to(self.path).as_posix(), full))
            self._count_entries(len(files), label, running=True)
        names_seen = {_normal(rel) for rel, _ in files}
        plan = []
        csv_path: Path | None = None
        for rel, full in files:
            kind = _classify(_normal(rel))
            if kind == "strava_csv":
                csv_path = full
            elif kind:
                plan.append((rel, full, kind))
            else:
                self.skipped += 1
        self.total = len(plan)
        rows: list[Member] = []
        if csv_path is not None:
            rows = self._strava_rows(lambda: self._read_path(csv_path, _MAX_CSV_BYTES),
                                     f"{label} › activities.csv", names_seen)
            self.total += len(rows)
        for rel, full, kind in plan:
            shown = f"{label} › {_shown(rel)}"
            if kind == "zip":
                self.total -= 1
                try:
                    archive = zipfile.ZipFile(full)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                    self.total += 1
                    yield Member(shown, refused=_zip_damage(exc))
                    continue
                with archive:
                    yield from self._zip(archive, shown, depth=1)
                continue
            yield self._member(shown, full.name,
                               functools.partial(self._read_path, full, MAX_FILE_BYTES))
        yield from rows

    def _member(self, shown: str, name: str, read: Callable[[], bytes]) -> Member:
        """One file member: read (and un-gzipped when its name says so), or refused in one
        line; a refusal of the whole archive (a cap) goes on up."""
        try:
            data = read()
            if name.lower().endswith(".gz"):
                data = self._gunzip(io.BytesIO(data))
        except ImportRefused as exc:
            if isinstance(exc, ArchiveRefused):
                raise
            return Member(shown, _strip_gz(name), refused=exc.reason)
        return Member(shown, _strip_gz(name), data=data)

    def _read_path(self, path: Path, limit: int) -> bytes:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise ImportRefused("this is not a regular file")
            if info.st_size > limit:
                raise ImportRefused(f"file is larger than {limit // (1 << 20)} MB")
            with path.open("rb") as handle:
                return self._bounded(handle, limit)
        except OSError as exc:
            raise ImportRefused(f"cannot read the file: {exc.strerror or exc}") from None

    # --- bounded reading ---------------------------------------------------------------------

    def _bounded(self, handle: _Readable, limit: int) -> bytes:
        """Read at most ``limit`` bytes, charging them to the source's budget; a stream that
        goes on is refused after ``limit``, whatever its header claimed."""
        buffer = bytearray()
        while chunk := handle.read(_CHUNK):
            self._budget -= len(chunk)
            if len(buffer) + len(chunk) > limit:
                raise ImportRefused(
                    f"decompresses to more than {limit // (1 << 20)} MB: refused as a "
                    "possible zip or gzip bomb")
            if self._budget < 0:
                raise ArchiveRefused(self._over_budget())
            buffer += chunk
        return bytes(buffer)

    def _gunzip(self, raw: IO[bytes]) -> bytes:
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as handle:
                data = self._bounded(handle, MAX_FILE_BYTES)
        except ImportRefused:
            raise
        except EOFError:
            raise ImportRefused("damaged gzip file: it ends too early (truncated)") from None
        except (OSError, zlib.error) as exc:
            raise ImportRefused(f"damaged gzip file: {exc}") from None
        if not data:
            raise ImportRefused("file is empty (0 bytes)")
        return data

    def _over_budget(self) -> str:
        gib = self._limits.max_total_bytes / (1 << 30)
        return (f"{_shown(self.path.name)} decompresses to more than {gib:g} GiB, the limit "
                "(setting archive_max_total_bytes): the rest was not read")

    def _count_entries(self, count: int, label: str, *, running: bool = False) -> None:
        total = count if running else self._entries + count
        if total > self._limits.max_members:
            raise ArchiveRefused(
                f"{label} holds more than {self._limits.max_members:,} entries, the limit "
                "(setting archive_max_members): not read")
        if not running:
            self._entries = total

    # --- Strava activities.csv ---------------------------------------------------------------

    def _strava_rows(self, read: Callable[[], bytes], shown: str,
                     names: set[str]) -> list[Member]:
        """The rows of a Strava ``activities.csv`` that have no file in the export."""
        try:
            data = read()
        except ArchiveRefused:
            raise
        except ImportRefused as exc:
            return [Member(shown, refused=exc.reason)]
        try:
            return strava_rows(data, shown, names, self._today)
        except ImportRefused as exc:
            return [Member(shown, refused=exc.reason)]


# --- Strava's activities.csv -------------------------------------------------------------------

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_STRAVA_DATE = re.compile(
    r"\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4}),?"
    r"\s+(\d{1,2}):(\d{2}):(\d{2})\s*([AaPp][Mm])\s*")

_STRAVA_KINDS = {"ride": "cycle", "virtualride": "cycle", "ebikeride": "cycle",
                 "mountainbikeride": "cycle", "gravelride": "cycle", "emountainbikeride": "cycle",
                 "handcycle": "cycle", "velomobile": "cycle", "virtualrun": "run",
                 "trailrun": "run", "hike": "walk", "elliptical": "elliptical",
                 "yoga": "yoga", "pilates": "pilates", "weighttraining": "strength"}


def strava_kind(activity_type: str) -> str:
    """Strava's activity types ("Run", "Trail Run", "Ride", "Hike"…) as our kinds."""
    key = re.sub(r"[\s_-]", "", activity_type).lower()
    return _STRAVA_KINDS.get(key) or kind_for_sport(activity_type)


def strava_date(text: str) -> datetime.datetime:
    """Read "Jan 5, 2021, 7:12:33 AM" (English, UTC, as Strava's export writes it).

    Month names are matched here rather than with ``strptime``'s ``%b``, which follows the
    computer's locale.
    """
    match = _STRAVA_DATE.fullmatch(text)
    month = _MONTHS.get(match.group(1).lower()) if match else None
    if match is None or month is None:
        try:
            moment = datetime.datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(text) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    _, day, year, hour, minute, second, half = match.groups()
    hour12 = int(hour)
    if not 1 <= hour12 <= 12:
        raise ValueError(text)
    hour24 = hour12 % 12 + (12 if half.lower() == "pm" else 0)
    return datetime.datetime(int(year), month, int(day), hour24, int(minute), int(second),
                             tzinfo=datetime.UTC)


def strava_rows(data: bytes, shown: str, names: set[str],
                today: datetime.date) -> list[Member]:
    """The activities in a Strava ``activities.csv`` that have no file among ``names``.

    The header repeats names: "Elapsed Time" first in whole seconds, then again (seconds
    with decimals); "Distance" first in the account's display unit (km or miles, which
    the file does not say), then in metres. So the metres column is the second "Distance",
    and the first is used (as km) only when there is no second. A row whose ``Filename``
    is in the export is skipped here: its file is imported, and the file's own start time
    wins. A file that is not a Strava export (no "Activity ID", "Activity Date" and
    "Activity Type" columns, e.g. an export in another language) gives no rows and one line.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("activities.csv is not UTF-8 text") from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        body = list(reader)
    except csv.Error as exc:
        raise ImportRefused(f"activities.csv is not readable CSV: {exc}") from None
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(name, []).append(index)
    needed = ("Activity ID", "Activity Date", "Activity Type")
    if not all(name in columns for name in needed):
        raise ImportRefused(
            "activities.csv is not an English Strava export (no Activity ID, Activity Date "
            "and Activity Type columns): activities without a file were not imported")

    def cell(row: list[str], name: str, which: int = 0) -> str:
        spots = columns.get(name, [])
        if which >= len(spots) or spots[which] >= len(row):
            return ""
        return row[spots[which]].strip()

    members: list[Member] = []
    for number, row in enumerate(body, start=2):
        if not any(c.strip() for c in row):
            continue
        filename = _normal(cell(row, "Filename"))
        if filename and (filename in names or filename + ".gz" in names):
            continue
        strava_id = cell(row, "Activity ID")
        label = f"{shown} row {number}" + (f" (activity {strava_id[:20]})" if strava_id else "")
        try:
            activity = _strava_activity(row, cell, today)
        except ImportRefused as exc:
            members.append(Member(label, refused=exc.reason))
            continue
        except model.ValidationError as exc:
            members.append(Member(label, refused=str(exc)))
            continue
        key = hashlib.sha256(f"strava activity {strava_id or number}".encode()).hexdigest()
        members.append(Member(label, activity=dataclasses.replace(activity, file_sha256=key),
                              key=key))
    return members


def _strava_activity(row: list[str], cell: Callable[..., str],
                     today: datetime.date) -> model.Activity:
    date_text = cell(row, "Activity Date")
    try:
        start = strava_date(date_text)
    except ValueError:
        raise ImportRefused(
            f"Activity Date {date_text[:40]!r} is not a date like 'Jan 5, 2021, 7:12:33 AM'"
        ) from None
    metres = _strava_number(cell(row, "Distance", 1), "Distance (metres)")
    if metres is None:
        km = _strava_number(cell(row, "Distance", 0), "Distance")
        metres = km * 1000.0 if km is not None else None
    elapsed = _strava_number(cell(row, "Elapsed Time", 0), "Elapsed Time")
    if elapsed is None:
        elapsed = _strava_number(cell(row, "Elapsed Time", 1), "Elapsed Time")
    moving = _strava_number(cell(row, "Moving Time"), "Moving Time")
    activity = model.Activity(
        day=start.astimezone().date(),
        kind=strava_kind(cell(row, "Activity Type")),
        distance_m=round(metres, 3) if metres is not None else None,
        duration_s=(moving or elapsed) or None,
        elapsed_s=elapsed,
        source="csv",
    )
    model.validate_activity(activity, today)
    return activity


def _strava_number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ImportRefused(f"{what} {text[:40]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImportRefused(f"{what} is not a finite number")
    return value


# --- names -------------------------------------------------------------------------------------

def _normal(name: str) -> str:
    """A member name to match on (never to open): forward slashes, no drive, no leading
    slash, no ``.``/``..`` parts, lower case."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    return "/".join(parts).lower()


def _classify(name: str) -> str | None:
    """What a member is: ``activity``, ``zip``, ``strava_csv`` or None (skipped)."""
    parts = name.split("/")
    if "routes" in parts[:-1]:
        return None
    base = parts[-1]
    if base.endswith(ACTIVITY_SUFFIXES) or base.endswith(
            tuple(s + ".gz" for s in ACTIVITY_SUFFIXES)):
        return "activity"
    if base.endswith(".zip"):
        return "zip"
    if base == "activities.csv" and len(parts) <= 2:
        return "strava_csv"
    return None


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(name: str) -> str:
    """A name safe to print on one line: no control or direction characters, not too long."""
    text = _UNPRINTABLE.sub("?", name)
    return text if len(text) <= 120 else text[:60] + "…" + text[-59:]


def _zip_damage(exc: BaseException) -> str:
    if isinstance(exc, (EOFError, zipfile.BadZipFile)) and (
            "not a zip file" in str(exc).lower() or isinstance(exc, EOFError)):
        return "damaged ZIP archive: it is cut short or is not a ZIP file"
    if isinstance(exc, NotImplementedError):
        return f"this ZIP uses a compression method that cannot be read ({exc})"
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc).lower():
        return "this ZIP member is encrypted"
    text = " ".join(str(exc).split())[:120]
    return f"damaged ZIP archive: {text or type(exc).__name__}"
